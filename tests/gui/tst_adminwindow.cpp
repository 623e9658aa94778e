// The desktop app, driven as a person would, offscreen, against a real FuelSync database: connect
// (and fail to, with a message one can act on), find a tenant among hundreds, open a table, page to
// its end, sort, filter, follow a foreign key, export, and be refused when writing through a
// read-only session. The app itself is also run with --open-table and --screenshot.

#include "CliRunner.h"
#include "MigrationDir.h"
#include "TestDatabase.h"
#include "admin/MainWindow.h"
#include "browser/RowGridModel.h"
#include "browser/SchemaBrowser.h"
#include "browser/TablePage.h"
#include "browser/TableStructureHtml.h"
#include "connect/ConnectionProfileStore.h"
#include "db/DbConnection.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"
#include "profiles/EnvironmentBanner.h"
#include "profiles/PasswordDialog.h"
#include "session/DatabaseSession.h"
#include "tenants/TenantProvisioner.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

constexpr int waitMs = 20'000;

// Every row the grid shows, read by scrolling through the model from the top.
QString cell(RowGridModel *model, int row, int column)
{
    const QModelIndex index = model->index(row, column);
    return model->data(index, RowGridModel::IsNullRole).toBool() ? QStringLiteral("<null>")
                                                                 : model->data(index).toString();
}

// Checks every change the model announces, from before its first page on: a broken one (rows
// that do not add up, an index out of range, a row whose data moves when it should not) fails the
// test that made it.
void testModel(QAbstractItemModel *model)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 model);
}

// As a person scrolling there: the view asks the model for what it shows.
bool waitLoaded(TablePage *page, int row)
{
    RowGridModel *model = page->model();
    page->view()->scrollTo(model->index(row, 0));
    model->ensureLoaded(row);
    return QTest::qWaitFor([&] { return !model->isBusy() && model->isLoaded(row); }, waitMs);
}

} // namespace

class AdminWindowTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void wrongPasswordIsSaidAndNothingBreaks();
    void serverNotRunningIsSaid();
    void profileShowsEnvironmentAndReadOnly();
    void readOnlySessionRefusesWrites();
    void treeFindsATenantAmongHundreds();
    void gridPagesToTheEndAndBack();
    void gridSortsAndFiltersOnTheServer();
    void gridPastItsRowLimitStandsForFractions();
    void badFilterValueIsAnErrorNotAnInjection();
    void structureLinksOpenTheOtherTable();
    void exportWritesTheFilteredRows();
    void appWritesAScreenshotOfATable();
    void appFailsClearlyOnAMissingTable();
    void openingTheSandboxNeverMigrates();

private:
    MainWindow *connectedWindow();
    TablePage *openAndWait(MainWindow &window, const QString &schema, const QString &table);

    std::unique_ptr<TestDatabase> m_db;
    QTemporaryDir m_settingsDir;
};

void AdminWindowTest::initTestCase()
{
    qputenv("FUELSYNC_ADMIN_SETTINGS", m_settingsDir.filePath(QStringLiteral("s.ini")).toUtf8());
    m_db = std::make_unique<TestDatabase>(QStringLiteral("gui"));
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    const MigrationSet set = MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
    MigrationRunOptions options;
    options.runner = QStringLiteral("tst_adminwindow");
    QCOMPARE(MigrationRunner(m_db->settings(), set, options).run(unwatched()).exitCode(), 0);
    for (const auto &[schema, name] : { std::pair { "tenant_acme", "Acme Fuels" },
                                        std::pair { "tenant_obrien", "O'Brien & Sons" } }) {
        TenantProvisioner::Options tenant;
        tenant.schema = QString::fromLatin1(schema);
        tenant.name = QString::fromUtf8(name);
        tenant.runner = QStringLiteral("tst_adminwindow");
        QVERIFY(TenantProvisioner::create(m_db->settings(), set, tenant, unwatched()).created);
    }
    auto c = m_db->connect();
    // Hundreds more tenants, registered with empty schemas: enough to filter among.
    c->exec(QStringLiteral(
        "DO $$ BEGIN FOR i IN 1..300 LOOP "
        "  INSERT INTO public.tenants (name, schema_name) "
        "    VALUES ('Station group ' || i, format('tenant_g%s', lpad(i::text, 3, '0'))); "
        "  EXECUTE format('CREATE SCHEMA tenant_g%s', lpad(i::text, 3, '0')); "
        "END LOOP; END $$"));
    // A table to page through: a key, a nullable sort column with repeats, text.
    c->exec(QStringLiteral("CREATE TABLE tenant_acme.meter_log (id int PRIMARY KEY, "
                           "shift int, note text)"));
    c->exec(QStringLiteral("CREATE INDEX ON tenant_acme.meter_log (shift)"));
    c->exec(QStringLiteral(
        "INSERT INTO tenant_acme.meter_log SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 7 "
        "END, CASE WHEN i % 5 = 0 THEN '' ELSE 'reading ' || i END "
        "FROM generate_series(1, 3000) i"));
    c->exec(QStringLiteral("ANALYZE tenant_acme.meter_log"));
    c->exec(QStringLiteral("DROP ROLE IF EXISTS gui_support"));
    c->exec(QStringLiteral("CREATE ROLE gui_support LOGIN PASSWORD 'right horse'"));
    c->exec(QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA public TO gui_support"));
}

void AdminWindowTest::cleanupTestCase()
{
    if (m_db) {
        {
            auto c = m_db->connect();
            c->exec(QStringLiteral("DROP OWNED BY gui_support"));
            c->exec(QStringLiteral("DROP ROLE gui_support"));
        }
        m_db.reset();
    }
}

MainWindow *AdminWindowTest::connectedWindow()
{
    auto *window = new MainWindow(30);
    // The schema tree: the filter proxy the view shows and the tree model under it, loaded lazily.
    auto *tree = qobject_cast<QSortFilterProxyModel *>(window->schemaBrowser()->view()->model());
    testModel(tree);
    testModel(tree->sourceModel());
    window->show();
    ConnectRequest request;
    request.settings = m_db->settings();
    window->connectTo(request);
    if (!QTest::qWaitFor([&] { return window->schemaBrowser()->isLoaded(); }, waitMs))
        qWarning() << "tree not loaded:" << window->lastError();
    return window;
}

TablePage *AdminWindowTest::openAndWait(MainWindow &window, const QString &schema,
                                        const QString &table)
{
    TablePage *page = window.openTable(schema, table);
    if (page)
        testModel(page->model());
    if (page && !QTest::qWaitFor([&] { return page->isReady(); }, waitMs))
        qWarning() << "table not ready";
    return page;
}

void AdminWindowTest::wrongPasswordIsSaidAndNothingBreaks()
{
    MainWindow window;
    window.show();
    QString problemShown;
    // The password prompt says why it asks again; cancelling it leaves the window usable.
    QTimer poll;
    connect(&poll, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<PasswordDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        QStringList texts;
        for (QLabel *label : dialog->findChildren<QLabel *>())
            texts.append(label->text());
        problemShown = texts.join(u'\n');
        dialog->reject();
    });
    poll.start(20);
    ConnectRequest request;
    request.settings = m_db->tcpSettings(QStringLiteral("gui_support"), QStringLiteral("wrong"));
    QSignalSpy failed(&window, &MainWindow::connectionFailed);
    window.connectTo(request);
    QVERIFY(failed.wait(waitMs));
    QVERIFY2(problemShown.contains(QStringLiteral("wrong password for user gui_support")),
             qPrintable(problemShown));
    QVERIFY(!window.isConnected());
    QVERIFY2(window.banner()->text().contains(QStringLiteral("NOT CONNECTED")),
             qPrintable(window.banner()->text()));

    // The right password then works in the same window.
    request.settings =
        m_db->tcpSettings(QStringLiteral("gui_support"), QStringLiteral("right horse"));
    window.connectTo(request);
    QVERIFY2(QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs),
             qPrintable(window.lastError()));
    QVERIFY(window.isConnected());
    QVERIFY(window.banner()->text().contains(QStringLiteral("gui_support@")));
}

void AdminWindowTest::serverNotRunningIsSaid()
{
    MainWindow window;
    window.show();
    ConnectRequest request;
    ConnectionSettings::parse(
        QStringLiteral("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=5"),
        &request.settings, nullptr);
    QSignalSpy failed(&window, &MainWindow::connectionFailed);
    window.connectTo(request);
    QVERIFY(failed.wait(waitMs));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("is the server running")), qPrintable(message));
    QVERIFY(window.banner()->text().contains(message));
    QVERIFY(!window.isConnected());
}

void AdminWindowTest::profileShowsEnvironmentAndReadOnly()
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("acme staging");
    profile.uri = m_db->uri();
    profile.environment = DeploymentEnvironment::Staging;
    profile.readOnly = true;
    ConnectionProfileStore store;
    QString error;
    QVERIFY2(store.save(profile, QString(), &error), qPrintable(error));

    MainWindow window;
    window.show();
    window.connectToProfile(*store.find(profile.name));
    QVERIFY(QTest::qWaitFor([&] { return window.banner()->isConnected(); }, waitMs));
    QVERIFY(QTest::qWaitFor(
        [&] { return window.banner()->text().contains(QStringLiteral("STAGING")); }, waitMs));
    const QString banner = window.banner()->text();
    QVERIFY2(banner.contains(QStringLiteral("READ-ONLY")), qPrintable(banner));
    QVERIFY2(banner.contains(QStringLiteral("acme staging")), qPrintable(banner));
    QVERIFY(window.isReadOnly());
    QCOMPARE(window.banner()->environment(), DeploymentEnvironment::Staging);
}

void AdminWindowTest::readOnlySessionRefusesWrites()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    QVERIFY(window->isConnected());
    QString error;
    bool done = false;
    window->session()->run<int>(
        this,
        [](DbConnection &c) {
            c.exec(QStringLiteral("DELETE FROM tenant_acme.meter_log WHERE id = 1"));
            return 0;
        },
        [&](int) { done = true; },
        [&](QString message) {
            error = message;
            done = true;
        });
    QVERIFY(QTest::qWaitFor([&] { return done; }, waitMs));
    QVERIFY2(error.contains(QStringLiteral("read-only transaction")), qPrintable(error));
    auto c = m_db->connect();
    QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM tenant_acme.meter_log")).toInt(), 3000);
}

void AdminWindowTest::treeFindsATenantAmongHundreds()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    SchemaBrowser *tree = window->schemaBrowser();
    QCOMPARE(tree->schemaCount(), 1 + 2 + 300);
    QVERIFY(QTest::qWaitFor([&] { return tree->versionsLoaded(); }, waitMs));

    QTest::keyClicks(tree->filterEdit(), QStringLiteral("brien"));
    QCOMPARE(tree->visibleSchemaCount(), 1);
    tree->setFilterText(QStringLiteral("GROUP 12")); // display names, any case: 12, 120-129
    QCOMPARE(tree->visibleSchemaCount(), 11);
    tree->setFilterText(QStringLiteral("tenant_g29")); // schema names
    QCOMPARE(tree->visibleSchemaCount(), 10);
    QVERIFY(tree->noMatchText().isEmpty());
    tree->setFilterText(QStringLiteral("Andheri")); // a station, not a tenant
    QCOMPARE(tree->visibleSchemaCount(), 0);
    // Issue 15, item 26: an empty tree says why.
    QVERIFY2(tree->noMatchText().contains(QStringLiteral("No tenant or schema matches “Andheri”")),
             qPrintable(tree->noMatchText()));
    tree->setFilterText(QString());
    QCOMPARE(tree->visibleSchemaCount(), 303);
    QVERIFY(tree->noMatchText().isEmpty());

    // Tables are read when a schema is expanded, and only then.
    QVERIFY(tree->loadedTables(QStringLiteral("tenant_acme")).isEmpty());
    QSignalSpy tables(tree, &SchemaBrowser::tablesLoaded);
    tree->reveal(QStringLiteral("tenant_acme"), QStringLiteral("meter_log"));
    QVERIFY(tables.wait(waitMs));
    const QStringList loaded = tree->loadedTables(QStringLiteral("tenant_acme"));
    QVERIFY(loaded.contains(QStringLiteral("meter_log")));
    QVERIFY(loaded.contains(QStringLiteral("nozzle_readings")));
    QVERIFY(tree->loadedTables(QStringLiteral("tenant_obrien")).isEmpty());
}

void AdminWindowTest::gridPagesToTheEndAndBack()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    TablePage *page =
        openAndWait(*window, QStringLiteral("tenant_acme"), QStringLiteral("meter_log"));
    QVERIFY(page);
    QVERIFY2(page->errorText().isEmpty(), qPrintable(page->errorText()));
    RowGridModel *model = page->model();
    QCOMPARE(model->rowCount(), 3000); // the planner's estimate, exact here after ANALYZE
    QCOMPARE(cell(model, 0, 0), QStringLiteral("1"));
    QCOMPARE(cell(model, 9, 1), QStringLiteral("<null>")); // id 10: NULL shift
    QCOMPARE(cell(model, 4, 2), QString()); // id 5: '' (not NULL)
    QVERIFY(!model->data(model->index(4, 2), RowGridModel::IsNullRole).toBool());

    page->showLastRows();
    QVERIFY(QTest::qWaitFor([&] { return !model->isBusy() && model->isLoaded(2999); }, waitMs));
    QCOMPARE(cell(model, model->rowCount() - 1, 0), QStringLiteral("3000"));
    QVERIFY(model->loadedRows() <= 1000); // bounded, whatever the table
    // Reading a row off screen fetches nothing (only drawing a cell asks for its page), so the
    // window stays where the view is.
    QVERIFY(!model->data(model->index(0, 0)).isValid());
    QVERIFY(!model->isBusy());

    // Backwards from the end, page by page, to the start: every id once, in order.
    int expected = 3000;
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        QVERIFY2(waitLoaded(page, row), qPrintable(QString::number(row)));
        QCOMPARE(cell(model, row, 0), QString::number(expected));
        --expected;
    }
    QCOMPARE(expected, 0);
    QVERIFY2(model->countIsExact(), qPrintable(model->describeState()));
    QVERIFY(model->loadedRows() <= 1000);

    // A jump into the middle lands there, without reading what lies before it.
    page->showFirstRows();
    QVERIFY(QTest::qWaitFor([&] { return !model->isBusy() && model->isLoaded(0); }, waitMs));
    QVERIFY(waitLoaded(page, 1500));
    const int middle = cell(model, 1500, 0).toInt();
    QVERIFY2(middle > 1200 && middle < 1800, qPrintable(QString::number(middle)));
}

void AdminWindowTest::gridSortsAndFiltersOnTheServer()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    TablePage *page =
        openAndWait(*window, QStringLiteral("tenant_acme"), QStringLiteral("meter_log"));
    RowGridModel *model = page->model();

    // Descending: NULLs first (as ORDER BY puts them), then 6, 5, ...
    QSignalSpy loaded(model, &RowGridModel::pageLoaded);
    page->sortBy(QStringLiteral("shift"), true);
    QVERIFY(loaded.wait(waitMs));
    QCOMPARE(cell(model, 0, 1), QStringLiteral("<null>"));
    QCOMPARE(cell(model, 0, 0), QStringLiteral("3000")); // ties by key, descending too
    QVERIFY(waitLoaded(page, 400));
    QCOMPARE(cell(model, 400, 1), QStringLiteral("6"));

    page->sortBy(QStringLiteral("shift"), false);
    QVERIFY(loaded.wait(waitMs));
    QCOMPARE(cell(model, 0, 1), QStringLiteral("0"));
    QCOMPARE(cell(model, 0, 0), QStringLiteral("7"));

    // A filter: only shift 3, to the last row (typed in the filter bar).
    page->filterValueEdit()->setText(QStringLiteral("3"));
    page->addFilter({ QStringLiteral("shift"), RowFilter::Op::Equals, QStringLiteral("3") });
    QVERIFY(loaded.wait(waitMs));
    auto c = m_db->connect();
    const int expected =
        c->scalar(QStringLiteral("SELECT count(*) FROM tenant_acme.meter_log WHERE shift = 3"))
            .toInt();
    int seen = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        QVERIFY(waitLoaded(page, row));
        QCOMPARE(cell(model, row, 1), QStringLiteral("3"));
        ++seen;
    }
    QCOMPARE(seen, expected);
    QVERIFY(model->countIsExact());
    QCOMPARE(model->rowCount(), expected);
    QVERIFY2(page->statusText().contains(QStringLiteral("%1 rows").arg(expected)),
             qPrintable(page->statusText()));

    page->clearFilters();
    QVERIFY(loaded.wait(waitMs));
    QCOMPARE(page->order().filters.size(), 0);
    // Issue 15, item 28: the bar no longer shows the old value as if it were in force.
    QVERIFY(page->filterValueEdit()->text().isEmpty());
}

// A table estimated above the model's row limit (ten million rows in real life; 3,000 rows
// against a limit of 1,000 here): the model holds no more rows than the limit, a jump lands at that
// fraction of the order, and adjoining pages still read every row, past the limit.
void AdminWindowTest::gridPastItsRowLimitStandsForFractions()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    TablePage *page =
        openAndWait(*window, QStringLiteral("tenant_acme"), QStringLiteral("meter_log"));
    RowGridModel *model = page->model();
    QSignalSpy loaded(model, &RowGridModel::pageLoaded);
    model->setVirtualRowLimit(1000);
    page->sortBy(QString(), false); // the same order again, under the new limit
    QVERIFY(loaded.wait(waitMs));
    QCOMPARE(model->rowCount(), 1000);
    QVERIFY(!model->countIsExact());
    QVERIFY2(page->statusText().contains(QStringLiteral("3,000 rows (planner's estimate)")),
             qPrintable(page->statusText()));

    // Row 600 of 1,000 is 60 % of the order: about id 1,800, not id 601.
    QVERIFY(waitLoaded(page, 600));
    const int jumped = cell(model, 600, 0).toInt();
    QVERIFY2(jumped > 1500 && jumped < 2100, qPrintable(QString::number(jumped)));

    // From the top, page after page: every id in order, and the rows grow past the limit.
    page->showFirstRows();
    QVERIFY(QTest::qWaitFor([&] { return !model->isBusy() && model->isLoaded(0); }, waitMs));
    for (int row = 0; row < 1300; ++row) {
        QVERIFY2(waitLoaded(page, row), qPrintable(model->describeState()));
        QCOMPARE(cell(model, row, 0), QString::number(row + 1));
    }
    QVERIFY(model->rowCount() > 1300);
    QVERIFY(model->loadedRows() <= 1000);

    // The last rows are the table's last rows.
    page->showLastRows();
    QVERIFY(QTest::qWaitFor(
        [&] { return !model->isBusy() && model->isLoaded(model->rowCount() - 1); }, waitMs));
    QCOMPARE(cell(model, model->rowCount() - 1, 0), QStringLiteral("3000"));
}

void AdminWindowTest::badFilterValueIsAnErrorNotAnInjection()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    TablePage *page =
        openAndWait(*window, QStringLiteral("tenant_acme"), QStringLiteral("meter_log"));
    RowGridModel *model = page->model();
    QSignalSpy loaded(model, &RowGridModel::pageLoaded);

    page->addFilter({ QStringLiteral("note"), RowFilter::Op::Equals,
                      QStringLiteral("x'; DROP TABLE tenant_acme.meter_log; --") });
    QVERIFY(loaded.wait(waitMs));
    QVERIFY2(page->errorText().isEmpty(), qPrintable(page->errorText()));
    QVERIFY(QTest::qWaitFor([&] { return model->countIsExact(); }, waitMs));
    QCOMPARE(model->rowCount(), 0);

    page->addFilter({ QStringLiteral("shift"), RowFilter::Op::Equals, QStringLiteral("three") });
    QVERIFY(loaded.wait(waitMs));
    QVERIFY2(page->errorText().contains(QStringLiteral("invalid input syntax for type integer")),
             qPrintable(page->errorText()));
    QVERIFY(page->statusText().contains(QStringLiteral("invalid input syntax")));

    auto c = m_db->connect();
    QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM tenant_acme.meter_log")).toInt(), 3000);
}

void AdminWindowTest::structureLinksOpenTheOtherTable()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    TablePage *page =
        openAndWait(*window, QStringLiteral("tenant_acme"), QStringLiteral("nozzle_readings"));
    QVERIFY2(page->errorText().isEmpty(), qPrintable(page->errorText()));
    page->showStructure();
    auto *browser = page->findChild<QTextBrowser *>();
    QVERIFY(browser);
    const QString html = browser->toHtml();
    QVERIFY(html.contains(QStringLiteral("Meter readings of nozzles")));
    QVERIFY(html.contains(QStringLiteral("nozzle_readings_reading_check")));
    const QUrl link =
        TableStructureHtml::linkTo(QStringLiteral("tenant_acme"), QStringLiteral("nozzles"));
    QVERIFY(html.contains(QStringLiteral("fuelsync-table:")));
    QVERIFY(html.contains(QStringLiteral(">tenant_acme.nozzles<")));
    emit browser->anchorClicked(link);
    TablePage *nozzles = window->currentTable();
    QVERIFY(nozzles && nozzles != page);
    testModel(nozzles->model());
    QCOMPARE(nozzles->table(), QStringLiteral("nozzles"));
    QVERIFY(QTest::qWaitFor([&] { return nozzles->isReady(); }, waitMs));
    QVERIFY2(nozzles->errorText().isEmpty(), qPrintable(nozzles->errorText()));
}

void AdminWindowTest::exportWritesTheFilteredRows()
{
    std::unique_ptr<MainWindow> window(connectedWindow());
    TablePage *page =
        openAndWait(*window, QStringLiteral("tenant_acme"), QStringLiteral("meter_log"));
    QSignalSpy loaded(page->model(), &RowGridModel::pageLoaded);
    page->addFilter({ QStringLiteral("id"), RowFilter::Op::LessOrEqual, QStringLiteral("10") });
    QVERIFY(loaded.wait(waitMs));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("meter_log.csv"));
    page->exportCsv(path);
    QVERIFY(QTest::qWaitFor([&] { return QFile::exists(path); }, waitMs));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.first(), QByteArray("id,shift,note\r"));
    QCOMPARE(lines.at(5), QByteArray("5,5,\"\"\r")); // '' quoted
    QCOMPARE(lines.at(10), QByteArray("10,,\"\"\r")); // NULL shift: empty
    QCOMPARE(lines.size(), 12); // header, 10 rows, and the end
}

void AdminWindowTest::appWritesAScreenshotOfATable()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("grid.png"));
    QProcess app;
    app.start(qEnvironmentVariable("FUELSYNC_ADMIN"),
              { QStringLiteral("--db"), m_db->uri(), QStringLiteral("--open-table"),
                QStringLiteral("tenant_acme.meter_log"), QStringLiteral("--screenshot"), png,
                QStringLiteral("--report-timings") });
    QVERIFY(app.waitForFinished(60'000));
    const QString output = QString::fromUtf8(app.readAllStandardOutput());
    QVERIFY2(app.exitCode() == 0,
             qPrintable(output + QString::fromUtf8(app.readAllStandardError())));
    QVERIFY(output.contains(QStringLiteral("tree-ready")));
    QVERIFY(output.contains(QStringLiteral("first-rows")));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800);
}

void AdminWindowTest::appFailsClearlyOnAMissingTable()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("missing.png"));
    QProcess app;
    app.start(qEnvironmentVariable("FUELSYNC_ADMIN"),
              { QStringLiteral("--db"), m_db->uri(), QStringLiteral("--open-table"),
                QStringLiteral("tenant_acme.no_such_table"), QStringLiteral("--screenshot"), png });
    QVERIFY(app.waitForFinished(60'000));
    QCOMPARE(app.exitCode(), 1);
    const QString error = QString::fromUtf8(app.readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("no_such_table")), qPrintable(error));

    QProcess bad;
    bad.start(qEnvironmentVariable("FUELSYNC_ADMIN"),
              { QStringLiteral("--open-table"), QStringLiteral("nodot") });
    QVERIFY(bad.waitForFinished(60'000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains(QStringLiteral("SCHEMA.TABLE")));
}

// Issue 15, item 3: the window shows what is pending on the sandbox and applies nothing;
// `fuelsync-db sandbox start` brings it up to date and says so.
void AdminWindowTest::openingTheSandboxNeverMigrates()
{
    QTemporaryDir home;
    // As root the server runs as the postgres user, who must be able to enter the folder.
    QFile::setPermissions(home.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                              | QFileDevice::ExeGroup | QFileDevice::ExeOther);
    const QString sandboxDir = home.path() + QStringLiteral("/sandbox");
    MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
    // The small basic set stands in for the comprehensive one the sandbox loads, to be quick.
    QFile basic(dir.path() + QStringLiteral("/seeds/001_basic_seed.sql"));
    QVERIFY(basic.open(QIODevice::ReadOnly));
    dir.write(QStringLiteral("seeds/002_comprehensive_seed.sql"),
              basic.readAll().replace("-- seed: basic", "-- seed: comprehensive"));
    dir.remove(QStringLiteral("seeds/001_basic_seed.sql"));
    const CliOptions env = CliOptions()
                               .withEnv(QStringLiteral("FUELSYNC_SANDBOX_DIR"), sandboxDir)
                               .withEnv(QStringLiteral("FUELSYNC_MIGRATIONS_DIR"), dir.path())
                               .withTimeout(300'000);
    const CliRunner cli;
    CliResult result = cli.run({ QStringLiteral("sandbox"), QStringLiteral("start") }, env);
    QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
    auto cleanUp = qScopeGuard([&] {
        cli.run({ QStringLiteral("sandbox"), QStringLiteral("destroy"), QStringLiteral("--yes") },
                env);
    });

    // A release adds 006; the window is opened on the sandbox.
    dir.add(QStringLiteral("006"), QStringLiteral("add_shift_notes"), QStringLiteral("tenant"),
            QStringLiteral("CREATE TABLE shift_notes (id int PRIMARY KEY);"),
            QStringLiteral("DROP TABLE shift_notes;"), QStringLiteral("005"));
    QProcess app;
    QProcessEnvironment appEnv = QProcessEnvironment::systemEnvironment();
    appEnv.insert(QStringLiteral("FUELSYNC_SANDBOX_DIR"), sandboxDir);
    appEnv.insert(QStringLiteral("FUELSYNC_MIGRATIONS_DIR"), dir.path());
    app.setProcessEnvironment(appEnv);
    app.start(qEnvironmentVariable("FUELSYNC_ADMIN"),
              { QStringLiteral("--sandbox"), QStringLiteral("--view"), QStringLiteral("migrations"),
                QStringLiteral("--screenshot"), home.filePath(QStringLiteral("sandbox.png")) });
    QVERIFY(app.waitForFinished(120'000));
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());

    result = cli.run({ QStringLiteral("--sandbox"), QStringLiteral("migrate"),
                       QStringLiteral("status"), QStringLiteral("--json") },
                     env);
    QJsonObject status = QJsonDocument::fromJson(result.stdOut.toUtf8()).object();
    QCOMPARE(status.value(QStringLiteral("pending")).toInt(), 1);
    QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));

    result = cli.run({ QStringLiteral("sandbox"), QStringLiteral("start") }, env);
    QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
    QVERIFY2(result.stdOut.contains(QStringLiteral("Applied 2 in 2 tenant schemas")),
             qPrintable(result.describe()));
    result = cli.run({ QStringLiteral("--sandbox"), QStringLiteral("migrate"),
                       QStringLiteral("status"), QStringLiteral("--json") },
                     env);
    status = QJsonDocument::fromJson(result.stdOut.toUtf8()).object();
    QVERIFY(status.value(QStringLiteral("upToDate")).toBool());
}

QTEST_MAIN(AdminWindowTest)
#include "tst_adminwindow.moc"
