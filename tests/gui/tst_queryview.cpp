// View ▸ Query, offscreen against a real server: statements run off the window's thread, each
// with a result of its own; a query's rows are read a page at a time as the grid scrolls and only
// pages near the view are kept; a write is refused by the server on a read-only console and
// nothing changes; EXPLAIN ANALYZE shows a tree with the costliest node marked; one statement to
// every tenant lists the tenant that lacks a column and shows the others' rows; a result exports
// whole as CSV, JSON and INSERT statements; with writes allowed nothing is kept until Commit,
// a commit on production asks first and is in the audit.

#include "TestDatabase.h"
#include "admin/MainWindow.h"
#include "browser/RowGridModel.h"
#include "browser/SchemaBrowser.h"
#include "browser/SearchResults.h"
#include "browser/TablePage.h"
#include "profiles/EnvironmentBanner.h"
#include "query/QueryEditor.h"
#include "query/QueryPage.h"
#include "query/QueryResultModel.h"
#include "stationgraph/StationPage.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

constexpr int waitMs = 60'000;

} // namespace

class QueryViewTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<TestDatabase> m_db;

    QueryPage *openQuery(MainWindow &window, const ConnectionSettings &settings)
    {
        window.resize(1280, 800);
        window.show();
        ConnectRequest request;
        request.settings = settings;
        window.connectTo(request);
        if (!QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs))
            return nullptr;
        QueryPage *page = window.openQuery();
        if (!page)
            return nullptr;
        QSignalSpy opened(page, &QueryPage::opened);
        if (!opened.wait(waitMs))
            return nullptr;
        return page;
    }

    static bool run(QueryPage *page, const QString &sql, QString *error = nullptr)
    {
        QSignalSpy finished(page, &QueryPage::finished);
        page->setSql(sql);
        page->run();
        if (!finished.wait(waitMs))
            return false;
        if (error)
            *error = finished.first().at(1).toString();
        return finished.first().first().toBool();
    }

    static void saveScreenshot(QWidget *window, const QString &name)
    {
        const QString folder = qEnvironmentVariable("FUELSYNC_SCREENSHOTS");
        if (!folder.isEmpty())
            window->grab().save(folder + u'/' + name);
    }

    int scalar(const QString &sql) const { return m_db->connect()->scalar(sql).toInt(); }

private slots:
    void initTestCase()
    {
        qputenv("FUELSYNC_ADMIN_SETTINGS", m_home.filePath(QStringLiteral("s.ini")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        m_db = std::make_unique<TestDatabase>(QStringLiteral("gui_query"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_queryview")),
                 qPrintable(m_db->errorString()));
    }

    // Pages as one scrolls, at most pagesKept of them kept; back at the top the first page is
    // read again; several statements give several results; the history keeps the run.
    void rowsArriveAPageAtATime()
    {
        MainWindow window;
        QueryPage *page = openQuery(window, m_db->settings());
        QVERIFY(page);
        QVERIFY(!page->writesAllowed());
        QString error;
        QVERIFY2(run(page,
                     QStringLiteral("SELECT g AS n, repeat('x', 20) AS pad FROM "
                                    "generate_series(1, 20000) g;\nSELECT 'two' AS second"),
                     &error),
                 qPrintable(error));
        QueryResultModel *model = page->resultModel(0);
        QVERIFY(model);
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     model);
        QCOMPARE(model->rowCount(), 500);
        QVERIFY(!model->atEnd());
        QCOMPARE(page->resultModel(1)->rowCount(), 1);
        QCOMPARE(page->resultModel(1)->data(page->resultModel(1)->index(0, 0)).toString(),
                 QStringLiteral("two"));

        QTableView *view = page->resultView(0);
        QVERIFY(view);
        page->results()->setCurrentWidget(view);
        int maxPages = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                view->scrollToBottom();
                maxPages = std::max(maxPages, model->loadedPages());
                return model->atEnd();
            },
            waitMs));
        QCOMPARE(model->rowCount(), 20000);
        QVERIFY2(maxPages <= QueryResultModel::pagesKept, qPrintable(QString::number(maxPages)));
        // A page in the middle was let go, and is read again when the view goes back to it.
        QVERIFY(!model->isLoaded(10'000));
        view->scrollTo(model->index(10'000, 0), QAbstractItemView::PositionAtTop);
        QVERIFY(QTest::qWaitFor([&] { return model->isLoaded(10'000); }, waitMs));
        QCOMPARE(model->data(model->index(10'000, 0)).toString(), QStringLiteral("10001"));
        QVERIFY(model->loadedPages() <= QueryResultModel::pagesKept);
        saveScreenshot(&window, QStringLiteral("query-console.png"));
    }

    // The server refuses a write on a read-only console; the position of an error is where the
    // editor's cursor goes; nothing changed.
    void aReadOnlyConsoleWritesNothing()
    {
        const QString count = QStringLiteral("SELECT count(*) FROM basic_demo_1.stations");
        const int before = scalar(count);
        MainWindow window;
        QueryPage *page = openQuery(window, m_db->settings());
        QVERIFY(page);
        QString error;
        for (const QString &sql :
             { QStringLiteral("DELETE FROM basic_demo_1.stations"),
               QStringLiteral("COMMIT; DELETE FROM basic_demo_1.stations"),
               QStringLiteral("SELECT 1;\nCOMMIT;\nDELETE FROM basic_demo_1.stations") }) {
            QVERIFY(!run(page, sql, &error));
            QVERIFY2(error.contains(QStringLiteral("read-only"))
                         || error.contains(QStringLiteral("never commits"))
                         || error.contains(QStringLiteral("multiple commands")),
                     qPrintable(error));
        }
        QCOMPARE(scalar(count), before);
        QVERIFY(!run(page, QStringLiteral("SELECT name,\n       nope FROM basic_demo_1.stations"),
                     &error));
        QVERIFY(page->messages().contains(QStringLiteral("column \"nope\" does not exist")));
        QCOMPARE(page->editor()->textCursor().blockNumber(), 1);
        QVERIFY(page->statusText().startsWith(QStringLiteral("Failed")));
    }

    // Stop cancels the statement on the server: a long sleep ends at once, the console goes on.
    void stopCancelsOnTheServer()
    {
        MainWindow window;
        QueryPage *page = openQuery(window, m_db->settings());
        QVERIFY(page);
        QSignalSpy finished(page, &QueryPage::finished);
        page->setSql(QStringLiteral("SELECT pg_sleep(60)"));
        QElapsedTimer timer;
        timer.start();
        page->run();
        QTest::qWait(300);
        QVERIFY(page->isRunning());
        page->stop();
        QVERIFY(finished.wait(10'000));
        QVERIFY(timer.elapsed() < 10'000);
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(finished.first().at(1).toString().contains(QStringLiteral("cancel")),
                 qPrintable(finished.first().at(1).toString()));
        QString error;
        QVERIFY2(run(page, QStringLiteral("SELECT 1"), &error), qPrintable(error));
    }

    // EXPLAIN ANALYZE: a tree of nodes with actual rows and the costliest node in bold.
    void explainShowsATree()
    {
        MainWindow window;
        QueryPage *page = openQuery(window, m_db->settings());
        QVERIFY(page);
        page->setSql(QStringLiteral("SELECT s.name, count(*) FROM basic_demo_1.sales x JOIN "
                                    "basic_demo_1.stations s ON s.id = x.station_id GROUP BY "
                                    "s.name ORDER BY 2 DESC"));
        QSignalSpy finished(page, &QueryPage::finished);
        page->explain(true);
        QVERIFY(finished.wait(waitMs));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().at(1).toString()));
        QTreeWidget *tree = page->planTree();
        QCOMPARE(tree->topLevelItemCount(), 1);
        QVERIFY(tree->topLevelItem(0)->childCount() >= 1);
        int bold = 0;
        int scans = 0;
        QTreeWidgetItemIterator it(tree);
        for (; *it; ++it) {
            bold += (*it)->font(0).bold() ? 1 : 0;
            scans += (*it)->text(1) == u"sales x" ? 1 : 0;
            if ((*it)->text(1) == u"sales x")
                QVERIFY((*it)->text(3).toInt() > 0);
        }
        QCOMPARE(bold, 1);
        QCOMPARE(scans, 1);
        QVERIFY(page->statusText().startsWith(QStringLiteral("Executed in")));
        saveScreenshot(&window, QStringLiteral("query-plan.png"));
    }

    // One statement to every tenant: basic_demo_2 lacks the column, is listed, and the other
    // tenant's rows show with a tenant column.
    void everyTenantAnswersOrIsListed()
    {
        auto admin = m_db->connect();
        admin->exec(QStringLiteral("ALTER TABLE basic_demo_2.stations RENAME COLUMN city TO town"));
        MainWindow window;
        QueryPage *page = openQuery(window, m_db->settings());
        QVERIFY(page);
        page->setSql(QStringLiteral("SELECT name, city FROM stations ORDER BY name"));
        QSignalSpy finished(page, &QueryPage::finished);
        page->runInTenants();
        QVERIFY(finished.wait(waitMs));
        admin->exec(QStringLiteral("ALTER TABLE basic_demo_2.stations RENAME COLUMN town TO city"));
        QueryResultModel *model = page->resultModel(0);
        QVERIFY(model);
        QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("tenant"));
        QVERIFY(model->rowCount() > 0);
        for (int r = 0; r < model->rowCount(); ++r)
            QCOMPARE(model->data(model->index(r, 0)).toString(), QStringLiteral("basic_demo_1"));
        auto *errors = page->findChild<QTableWidget *>();
        QVERIFY(errors);
        QCOMPARE(errors->rowCount(), 1);
        QCOMPARE(errors->item(0, 0)->text(), QStringLiteral("basic_demo_2"));
        QVERIFY(errors->item(0, 2)->text().contains(QStringLiteral("city")));
        saveScreenshot(&window, QStringLiteral("query-every-tenant.png"));
    }

    // A result read through its cursor exports whole, in each format.
    void resultsExportWhole()
    {
        MainWindow window;
        QueryPage *page = openQuery(window, m_db->settings());
        QVERIFY(page);
        QVERIFY(run(page,
                    QStringLiteral("SELECT g AS n, CASE WHEN g % 2 = 0 THEN NULL ELSE "
                                   "'it''s' END AS t FROM generate_series(1, 1234) g")));
        page->results()->setCurrentWidget(page->resultView(0));
        QTemporaryDir dir;
        for (const QString &format :
             { QStringLiteral("csv"), QStringLiteral("json"), QStringLiteral("sql") }) {
            const QString path = dir.filePath(QStringLiteral("out.") + format);
            QSignalSpy finished(page, &QueryPage::finished);
            page->exportResult(path, format);
            QVERIFY(finished.wait(waitMs));
            QVERIFY2(finished.first().first().toBool(),
                     qPrintable(finished.first().at(1).toString()));
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray text = file.readAll();
            if (format == u"csv") {
                QCOMPARE(text.count('\n'), 1235);
                QVERIFY(text.contains("1,it's\r\n2,\r\n"));
            } else if (format == u"json") {
                const QJsonArray rows = QJsonDocument::fromJson(text).array();
                QCOMPARE(rows.size(), 1234);
                QCOMPARE(rows.at(1).toObject().value(QStringLiteral("t")), QJsonValue::Null);
                QCOMPARE(rows.at(0).toObject().value(QStringLiteral("n")).toInt(), 1);
            } else {
                QCOMPARE(text.count('\n'), 1234);
                QVERIFY(text.contains(
                    "INSERT INTO \"query_result\" (\"n\", \"t\") VALUES (1, 'it''s');\n"));
                QVERIFY(text.contains("VALUES (2, NULL);"));
            }
        }
    }

    // Writes allowed: nothing is kept until Commit; Rollback undoes; a commit on production
    // asks, Cancel keeps nothing, Yes commits and the audit has it.
    void writesWaitForCommit()
    {
        const QString count = QStringLiteral("SELECT count(*) FROM basic_demo_1.alerts");
        auto admin = m_db->connect();
        admin->exec(QStringLiteral("INSERT INTO basic_demo_1.alerts (station_id, alert_type, "
                                   "severity, message) SELECT id, 'low_stock', 'info', 'console' "
                                   "FROM basic_demo_1.stations LIMIT 1"));
        const int before = scalar(count);
        QVERIFY(before > 0);
        MainWindow window;
        QueryPage *page = openQuery(window, m_db->settings());
        QVERIFY(page);
        auto *allow = page->findChild<QCheckBox *>();
        QVERIFY(allow && allow->isVisible());
        QSignalSpy opened(page, &QueryPage::opened);
        allow->setChecked(true);
        QVERIFY(opened.wait(waitMs));
        QVERIFY(page->writesAllowed());
        QString error;
        QVERIFY2(run(page, QStringLiteral("DELETE FROM basic_demo_1.alerts"), &error),
                 qPrintable(error));
        QVERIFY(page->hasUncommittedWork());
        QCOMPARE(scalar(count), before);
        // A statement may not end the transaction behind the buttons.
        QVERIFY(!run(page, QStringLiteral("COMMIT"), &error));
        QCOMPARE(scalar(count), before);
        page->rollback();
        QVERIFY(QTest::qWaitFor([&] { return !page->hasUncommittedWork(); }, waitMs));
        QCOMPARE(scalar(count), before);

        // On production the commit asks first.
        auto *banner = window.banner();
        banner->showConnected(DeploymentEnvironment::Production, QStringLiteral("test"),
                              QStringLiteral("test"), QString(), false, QString());
        window.openQuery();
        QueryPage *production =
            qobject_cast<QueryPage *>(window.findChildren<QueryPage *>().last());
        QVERIFY(production && production != page);
        QSignalSpy productionOpened(production, &QueryPage::opened);
        QVERIFY(productionOpened.wait(waitMs));
        production->findChild<QCheckBox *>()->setChecked(true);
        QVERIFY(productionOpened.wait(waitMs));
        QVERIFY(run(production, QStringLiteral("DELETE FROM basic_demo_1.alerts")));
        for (const auto answer : { QMessageBox::Cancel, QMessageBox::Yes }) {
            QString asked;
            QTimer::singleShot(200, [&asked, answer] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                if (!box)
                    return;
                asked = box->text();
                box->button(answer)->click();
            });
            production->commit();
            QVERIFY(QTest::qWaitFor([&] { return !asked.isEmpty(); }, 5000));
            QVERIFY2(asked.contains(QStringLiteral("DELETE")) && asked.contains(m_db->name()),
                     qPrintable(asked));
            if (answer == QMessageBox::Cancel) {
                QTest::qWait(300);
                QCOMPARE(scalar(count), before);
                QVERIFY(production->hasUncommittedWork());
            }
        }
        QVERIFY(QTest::qWaitFor([&] { return !production->hasUncommittedWork(); }, waitMs));
        QCOMPARE(scalar(count), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM public.fuelsync_audit WHERE kind = "
                                       "'query commit' AND what->'kinds' ? 'DELETE'")),
                 1);
    }

    // The box above the tree finds as one types: a station by part of its name (Enter opens its
    // graph), a credit customer (Enter opens its row in the grid), "No match" for nothing.
    void theSearchBoxFindsAndOpens()
    {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        ConnectRequest request;
        request.settings = m_db->settings();
        window.connectTo(request);
        QVERIFY(QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs));
        SearchResults *results = window.schemaBrowser()->searchResults();
        QLineEdit *box = window.schemaBrowser()->filterEdit();
        QSignalSpy searched(results, &SearchResults::searched);
        box->setFocus();
        QTest::keyClicks(box, QStringLiteral("highw"));
        QVERIFY(searched.wait(waitMs));
        QVERIFY(results->isVisible());
        QStringList found;
        for (const SearchHit &hit : results->hits())
            found.append(hit.label + u'/' + hit.schema);
        // The basic seed gives both tenants this station.
        QVERIFY2(results->hits().size() == 2, qPrintable(found.join(u", ")));
        QCOMPARE(results->hits().first().kind, SearchHit::Kind::Station);
        QCOMPARE(results->hits().first().label, QStringLiteral("NH48 Highway Fuel Station"));
        saveScreenshot(&window, QStringLiteral("search-box.png"));
        QTest::keyClick(box, Qt::Key_Return);
        QVERIFY(QTest::qWaitFor(
            [&] { return qobject_cast<StationPage *>(window.findChild<StationPage *>()); }, 5000));

        const QString customer = m_db->connect()
                                     ->scalar(QStringLiteral("SELECT name FROM "
                                                             "basic_demo_2.creditors LIMIT 1"))
                                     .toString();
        QVERIFY(!customer.isEmpty());
        box->clear();
        searched.clear();
        QTest::keyClicks(box, customer.left(8).toLower());
        QVERIFY(searched.wait(waitMs));
        QVERIFY(!results->hits().isEmpty());
        QTest::keyClick(box, Qt::Key_Down);
        QVERIFY(results->hasFocus());
        // The first hit of a kind after tenants: pick the customer's.
        for (QTreeWidgetItemIterator it(results); *it; ++it) {
            if ((*it)->text(0).startsWith(customer)) {
                results->setCurrentItem(*it);
                break;
            }
        }
        QTest::keyClick(results, Qt::Key_Return);
        TablePage *table = nullptr;
        QVERIFY(QTest::qWaitFor(
            [&] {
                table = window.currentTable();
                return table && table->isReady();
            },
            waitMs));
        QCOMPARE(table->table(), QStringLiteral("creditors"));
        QCOMPARE(table->model()->rowCount(), 1);

        box->clear();
        searched.clear();
        QTest::keyClicks(box, QStringLiteral("zzqq-nothing"));
        QVERIFY(searched.wait(waitMs));
        QVERIFY(results->hits().isEmpty());
        QCOMPARE(results->topLevelItem(0)->text(0), QStringLiteral("No match in any tenant"));
    }

    // Keys you can read: the sales grid shows each station's name beside its key; a double-click
    // opens the station's row; the menu of a station's key offers the sales that point at it.
    void keysShowTheRowTheyPointAt()
    {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        ConnectRequest request;
        request.settings = m_db->settings();
        window.connectTo(request);
        QVERIFY(QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs));
        TablePage *sales =
            window.openTable(QStringLiteral("basic_demo_1"), QStringLiteral("sales"));
        QVERIFY(QTest::qWaitFor([&] { return sales->isReady(); }, waitMs));
        const int column = sales->definition().columnIndex(QStringLiteral("station_id"));
        RowGridModel *model = sales->model();
        const QString key = *model->valueAt(0, column);
        const QString name = m_db->connect()
                                 ->scalar(QStringLiteral("SELECT name FROM basic_demo_1.stations "
                                                         "WHERE id = ?::uuid"),
                                          { key })
                                 .toString();
        QCOMPARE(model->data(model->index(0, column)).toString(),
                 QStringLiteral("%1 · %2").arg(name, key));
        saveScreenshot(&window, QStringLiteral("keys-labelled.png"));
        emit sales->view()->doubleClicked(model->index(0, column));
        TablePage *stations = nullptr;
        QVERIFY(QTest::qWaitFor(
            [&] {
                stations = window.currentTable();
                return stations && stations != sales && stations->isReady();
            },
            waitMs));
        QCOMPARE(stations->table(), QStringLiteral("stations"));
        QCOMPARE(stations->model()->rowCount(), 1);
        QCOMPARE(*stations->model()->valueAt(0, 0), key);
    }
};

QTEST_MAIN(QueryViewTest)
#include "tst_queryview.moc"
