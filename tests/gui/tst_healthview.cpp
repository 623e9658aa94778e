// View ▸ Health, offscreen against a real server: the checks run off the window's thread and
// their findings come back grouped by check or by tenant, worst first; the selected finding's
// detail says why and gives its fix, and Save all fixes writes the script; double-clicking an
// orphan opens the grid filtered to the orphan rows; the tree marks the tenant that drifted, and
// marks it again in a new window from the run on record; Cancel ends a run and shows nothing of
// it; the chart has a point per run.

#include "TestDatabase.h"
#include "admin/MainWindow.h"
#include "browser/RowGridModel.h"
#include "browser/SchemaBrowser.h"
#include "browser/TablePage.h"
#include "health/HealthPage.h"
#include "session/BackgroundJobs.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QXYSeries>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

constexpr int waitMs = 120'000;

} // namespace

class HealthViewTest : public QObject
{
    Q_OBJECT

    HealthPage *openHealth(MainWindow &window)
    {
        window.resize(1280, 800);
        window.show();
        ConnectRequest request;
        request.settings = m_db->settings();
        window.connectTo(request);
        if (!QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs))
            return nullptr;
        HealthPage *page = window.openHealth();
        if (page)
            new QAbstractItemModelTester(page->findings(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest,
                                         page->findings());
        return page;
    }

    static bool runAndWait(HealthPage *page, const QStringList &checks,
                           const QStringList &tenants = {})
    {
        QSignalSpy finished(page, &HealthPage::finished);
        page->runChecks(checks, tenants);
        return finished.wait(waitMs) && finished.first().first().toBool();
    }

private slots:
    void initTestCase()
    {
        qputenv("FUELSYNC_ADMIN_SETTINGS", m_home.filePath(QStringLiteral("s.ini")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        m_db = std::make_unique<TestDatabase>(QStringLiteral("gui_health"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_healthview")),
                 qPrintable(m_db->errorString()));
        auto c = m_db->connect();
        QSqlQuery q = c->exec(QStringLiteral("SELECT schema_name FROM public.tenants ORDER BY 1"));
        while (q.next())
            m_tenants.append(q.value(0).toString());
        QVERIFY(m_tenants.size() >= 2);
    }

    void findingsAreGroupedWithTheirFixAndOpenWhatTheyAreAbout()
    {
        const QString t = m_tenants.first();
        auto c = m_db->connect();
        // Drift (a dropped index) and an orphan (a key dropped, a nozzle moved to no pump).
        c->exec(QStringLiteral("DROP INDEX %1.sales_nozzle_id_sold_at_idx").arg(t));
        c->exec(QStringLiteral("ALTER TABLE %1.nozzles DROP CONSTRAINT nozzles_pump_fkey").arg(t));
        const QString moved =
            c->scalar(QStringLiteral("SELECT min(id::text) FROM %1.nozzles").arg(t)).toString();
        const QString pump =
            c->scalar(QStringLiteral("SELECT pump_id::text FROM %1.nozzles WHERE id = ?").arg(t),
                      { moved })
                .toString();
        c->exec(QStringLiteral("UPDATE %1.nozzles SET pump_id = "
                               "'00000000-0000-0000-0000-00000000abcd' "
                               "WHERE id = (SELECT min(id::text)::uuid FROM %1.nozzles)")
                    .arg(t));

        MainWindow window;
        HealthPage *page = openHealth(window);
        QVERIFY(page);
        QVERIFY(!window.schemaBrowser()->isMarkedDrifted(t));
        QVERIFY2(runAndWait(page,
                            { QStringLiteral("drift"), QStringLiteral("orphans"),
                              QStringLiteral("comments") }),
                 qPrintable(page->statusText()));
        // The index and the key missing (drift), the orphan.
        QVERIFY2(page->statusText().contains(QStringLiteral("3 error(s)")),
                 qPrintable(page->statusText()));

        // By check, worst first: the heads with errors lead, comments (info only) come last.
        QStandardItemModel *model = page->findings();
        QVERIFY(model->rowCount() >= 3);
        QVERIFY2(model->item(0)->text().contains(QStringLiteral("error")),
                 qPrintable(model->item(0)->text()));
        QVERIFY2(model->item(model->rowCount() - 1)->text().startsWith(QStringLiteral("comments")),
                 qPrintable(model->item(model->rowCount() - 1)->text()));

        // The drift finding's detail: why, and its fix to copy or save.
        QVERIFY(page->selectFinding(QStringLiteral("drift"),
                                    QStringLiteral("index sales.sales_nozzle_id_sold_at_idx")));
        QVERIFY2(page->detailText().contains(QStringLiteral("Why it matters"))
                     && page->detailText().contains(QStringLiteral("CREATE INDEX CONCURRENTLY")),
                 qPrintable(page->detailText()));
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("fixes.sql"));
        QString error;
        QVERIFY2(page->saveFixes(script, &error), qPrintable(error));
        QFile file(script);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("CREATE INDEX CONCURRENTLY sales_nozzle_id_sold_at_idx"));

        // The tree marks the tenant that drifted, and no other.
        QVERIFY(window.schemaBrowser()->isMarkedDrifted(t));
        QVERIFY(!window.schemaBrowser()->isMarkedDrifted(m_tenants.last()));

        // Double-clicking the orphan opens the grid on the orphan rows only.
        QVERIFY(page->selectFinding(QStringLiteral("orphans"),
                                    QStringLiteral("constraint nozzles.nozzles_pump_fkey")));
        page->activate(page->findingsView()->currentIndex());
        TablePage *table = window.currentTable();
        QVERIFY(table);
        QVERIFY(QTest::qWaitFor([&] { return table->isReady(); }, waitMs));
        QVERIFY2(table->errorText().isEmpty(), qPrintable(table->errorText()));
        QCOMPARE(table->model()->rowCount(), 1);

        // By tenant: the planted findings sit under the tenant.
        page->setGrouping(HealthPage::Grouping::ByTenant);
        bool underTenant = false;
        for (int r = 0; r < model->rowCount(); ++r)
            underTenant |= model->item(r)->text().startsWith(t + QStringLiteral(" — "));
        QVERIFY(underTenant);

        // A new window marks the drift from the run on record, before any run of its own.
        MainWindow again;
        again.show();
        ConnectRequest request;
        request.settings = m_db->settings();
        again.connectTo(request);
        QVERIFY(QTest::qWaitFor([&] { return again.schemaBrowser()->isMarkedDrifted(t); }, waitMs));

        // The chart has a point per run on record.
        QVERIFY(runAndWait(page, { QStringLiteral("versions") }));
        const auto series = page->chart()->chart()->series();
        QVERIFY(!series.isEmpty());
        QCOMPARE(qobject_cast<QXYSeries *>(series.first())->count(), 2);

        c->exec(QStringLiteral("CREATE INDEX sales_nozzle_id_sold_at_idx ON %1.sales "
                               "(nozzle_id, sold_at)")
                    .arg(t));
        c->exec(QStringLiteral("UPDATE %1.nozzles SET pump_id = ? WHERE id = ?").arg(t),
                { pump, moved });
    }

    void cancelEndsTheRunAndShowsNothingOfIt()
    {
        MainWindow window;
        HealthPage *page = openHealth(window);
        QVERIFY(page);
        QSignalSpy finished(page, &HealthPage::finished);
        page->runChecks(QStringList(), QStringList());
        QVERIFY(page->isBusy());
        page->cancel();
        QVERIFY(finished.wait(waitMs));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(page->statusText().contains(QStringLiteral("Cancelled")),
                 qPrintable(page->statusText()));
        QVERIFY(!page->isBusy());
    }

private:
    QTemporaryDir m_home;
    std::unique_ptr<TestDatabase> m_db;
    QStringList m_tenants;
};

QTEST_MAIN(HealthViewTest)
#include "tst_healthview.moc"
