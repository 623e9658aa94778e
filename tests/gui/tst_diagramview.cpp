// The relationship diagram, offscreen against a real FuelSync tenant: the boxes and lines are the
// catalog's tables and keys, a click on a table opens it, and the diagram exports to PNG and SVG.

#include "TestDatabase.h"
#include "admin/MainWindow.h"
#include "browser/SchemaBrowser.h"
#include "browser/TablePage.h"
#include "erd/DiagramPage.h"
#include "erd/SchemaDiagramScene.h"
#include "erd/SchemaDiagramView.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"
#include "tenants/TenantProvisioner.h"

#include <QFile>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {
constexpr int waitMs = 30'000;
}

class DiagramViewTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("FUELSYNC_ADMIN_SETTINGS",
                m_settingsDir.filePath(QStringLiteral("s.ini")).toUtf8());
        m_db = std::make_unique<TestDatabase>(QStringLiteral("gui_diagram"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        const MigrationSet set =
            MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        MigrationRunOptions options;
        options.runner = QStringLiteral("tst_diagramview");
        QCOMPARE(MigrationRunner(m_db->settings(), set, options).run(unwatched()).exitCode(), 0);
        TenantProvisioner::Options tenant;
        tenant.schema = QStringLiteral("tenant_acme");
        tenant.name = QStringLiteral("Acme");
        tenant.runner = QStringLiteral("tst_diagramview");
        QVERIFY(TenantProvisioner::create(m_db->settings(), set, tenant, unwatched()).created);
    }

    void theDiagramShowsTheCatalogAndOpensTables()
    {
        MainWindow window(30);
        window.show();
        ConnectRequest request;
        request.settings = m_db->settings();
        window.connectTo(request);
        QVERIFY(QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs));
        DiagramPage *page = window.openDiagram(QStringLiteral("tenant_acme"));
        QVERIFY(page);
        QVERIFY(QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs));

        const SchemaGraph &graph = page->scene()->graph();
        QVERIFY(graph.tables.size() >= 12);
        QVERIFY(graph.relationships.size() >= 15);
        // Every table's name is drawn, inside its box.
        QStringList drawn;
        for (QGraphicsItem *item : page->scene()->items()) {
            if (auto *text = dynamic_cast<QGraphicsSimpleTextItem *>(item))
                drawn.append(text->text());
        }
        for (const SchemaGraph::Table &table : graph.tables) {
            QVERIFY2(drawn.contains(table.name), qPrintable(table.name));
            QVERIFY(!page->scene()->tableRect(table.name).isEmpty());
        }
        QVERIFY(drawn.contains(QStringLiteral("*")));
        QVERIFY(drawn.contains(QStringLiteral("0..1")));
        // Readable: not shrunk below 0.8 to fit.
        QVERIFY(page->view()->zoom() >= 0.79);
        // Issue 15, item 25: it opens at the drawing's top-left, no table cut off at the left.
        const QRect viewport = page->view()->viewport()->rect();
        double left = page->scene()->sceneRect().right();
        QString leftmost;
        for (const SchemaGraph::Table &table : graph.tables) {
            const QRectF box = page->scene()->tableRect(table.name);
            if (box.left() < left) {
                left = box.left();
                leftmost = table.name;
            }
        }
        const QPoint leftEdge =
            page->view()->mapFromScene(page->scene()->tableRect(leftmost).topLeft());
        QVERIFY2(leftEdge.x() >= 0 && leftEdge.x() < viewport.width(), qPrintable(leftmost));
        QVERIFY(page->view()->mapFromScene(page->scene()->sceneRect().topLeft()).x() >= 0);

        // A click on a box opens that table.
        const QRectF pumps = page->scene()->tableRect(QStringLiteral("pumps"));
        page->view()->centerOn(pumps.center());
        const QPoint at = page->view()->mapFromScene(pumps.center());
        QTest::mouseClick(page->view()->viewport(), Qt::LeftButton, {}, at);
        TablePage *table = window.currentTable();
        QVERIFY(table);
        QCOMPARE(table->table(), QStringLiteral("pumps"));
        QCOMPARE(table->schema(), QStringLiteral("tenant_acme"));

        // Exports.
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("d.png"));
        const QString svg = dir.filePath(QStringLiteral("d.svg"));
        QVERIFY(page->exportPng(png));
        QVERIFY(page->exportSvg(svg));
        const QImage image(png);
        QVERIFY(image.width() >= int(page->scene()->sceneRect().width()));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.startsWith("<?xml"));
        QVERIFY(text.contains("nozzle_readings"));
        const QString shots = qEnvironmentVariable("FUELSYNC_TEST_SCREENSHOTS");
        if (!shots.isEmpty()) {
            page->exportPng(shots + QStringLiteral("/diagram.png"));
            window.grab().save(shots + QStringLiteral("/diagram-window.png"));
        }
    }

    void aSchemaThatIsGoneSaysSo()
    {
        MainWindow window(30);
        window.show();
        ConnectRequest request;
        request.settings = m_db->settings();
        window.connectTo(request);
        QVERIFY(QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs));
        DiagramPage *page = window.openDiagram(QStringLiteral("no_such_schema"));
        QSignalSpy failed(page, &DiagramPage::failed);
        QVERIFY(failed.wait(waitMs));
        QVERIFY2(failed.first().first().toString().contains(
                     QStringLiteral("there is no schema no_such_schema")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(!page->isLoaded());
    }

private:
    std::unique_ptr<TestDatabase> m_db;
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(DiagramViewTest)
#include "tst_diagramview.moc"
