// fuelsync-admin: the desktop front door over core/.

#include "MainWindow.h"
#include "browser/RowGridModel.h"
#include "browser/SchemaBrowser.h"
#include "browser/TablePage.h"
#include "connect/ConnectionProfileStore.h"
#include "db/ConnectionSettings.h"
#include "erd/DiagramPage.h"
#include "fuelsync_version.h"
#include "health/HealthPage.h"
#include "migrations/MigrationsPage.h"
#include "profiles/EnvironmentBanner.h"
#include "query/QueryPage.h"
#include "query/QueryResultModel.h"
#include "stationgraph/StationDetailView.h"
#include "stationgraph/StationPage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QLibraryInfo>
#include <QScreen>
#include <QTableView>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

using namespace fuelsync;

namespace {

// --open-table SCHEMA.TABLE, with either part in double quotes when it holds a dot.
bool splitTableName(const QString &text, QString *schema, QString *table)
{
    QStringList parts;
    QString current;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'"') {
            if (quoted && i + 1 < text.size() && text.at(i + 1) == u'"') {
                current += u'"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (c == u'.' && !quoted) {
            parts.append(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.append(current);
    if (quoted || parts.size() != 2 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return false;
    *schema = parts.at(0);
    *table = parts.at(1);
    return true;
}

void report(const QString &line)
{
    QTextStream(stdout) << line << Qt::endl;
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FuelSync"));
    QApplication::setApplicationName(QStringLiteral("FuelSync Admin"));
    QApplication::setApplicationVersion(QStringLiteral(FUELSYNC_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("fuelsync-admin"));

    QTranslator translator;
    // The user's language, else English (whose plural forms turn "%n sale(s)" into words).
    if (translator.load(QLocale(), QStringLiteral("fuelsync"), QStringLiteral("_"),
                        QStringLiteral(":/i18n"))
        || translator.load(QStringLiteral(":/i18n/fuelsync_en.qm")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "fuelsync-admin", "Browse and maintain FuelSync Hub's multi-tenant PostgreSQL database."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandboxOption(
        QStringLiteral("sandbox"),
        QApplication::translate("fuelsync-admin",
                                "Start (or reuse) the built-in sandbox database and connect."));
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QApplication::translate("fuelsync-admin",
                                "Connect to this database (libpq URI or key=value string)."),
        QStringLiteral("URI"));
    const QCommandLineOption profileOption(
        QStringLiteral("profile"),
        QApplication::translate("fuelsync-admin", "Connect with the saved profile NAME."),
        QStringLiteral("NAME"));
    const QCommandLineOption openTableOption(
        QStringLiteral("open-table"),
        QApplication::translate("fuelsync-admin", "Open that table's grid once connected."),
        QStringLiteral("SCHEMA.TABLE"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QApplication::translate("fuelsync-admin",
                                "Write a PNG of the main window once the view has loaded, then "
                                "exit (1 if it did not load)."),
        QStringLiteral("FILE"));
    const QCommandLineOption filterOption(
        QStringLiteral("filter-tree"),
        QApplication::translate("fuelsync-admin", "Type TEXT into the tree's filter box."),
        QStringLiteral("TEXT"));
    const QCommandLineOption structureOption(
        QStringLiteral("show-structure"),
        QApplication::translate("fuelsync-admin",
                                "With --open-table: show the table's structure page."));
    const QCommandLineOption timeoutOption(
        QStringLiteral("statement-timeout"),
        QApplication::translate("fuelsync-admin",
                                "Cancel any query of the browser that runs longer (default 30)."),
        QStringLiteral("SECONDS"), QStringLiteral("30"));
    const QCommandLineOption timingsOption(
        QStringLiteral("report-timings"),
        QApplication::translate("fuelsync-admin",
                                "Print when the tree and the first rows were ready (for the "
                                "benchmarks)."));
    const QCommandLineOption viewOption(
        QStringLiteral("view"),
        QApplication::translate("fuelsync-admin",
                                "Open a view once connected: migrations (the Migrations tab), "
                                "erd (a schema's relationship diagram; with --schema), station "
                                "(a station's live graph; with --tenant and --station), backups, "
                                "health (runs every check, or only --tenant's), query (the SQL "
                                "console; with --sql, and --tenant for its search_path)."),
        QStringLiteral("VIEW"));
    const QCommandLineOption sqlOption(
        QStringLiteral("sql"),
        QApplication::translate("fuelsync-admin",
                                "With --view query: the SQL to put in the editor and run."),
        QStringLiteral("TEXT"));
    const QCommandLineOption schemaOption(
        QStringLiteral("schema"),
        QApplication::translate("fuelsync-admin", "With --view erd: the schema (default public)."),
        QStringLiteral("SCHEMA"), QStringLiteral("public"));
    const QCommandLineOption tenantOption(
        QStringLiteral("tenant"),
        QApplication::translate("fuelsync-admin", "With --view station: the tenant's schema."),
        QStringLiteral("SCHEMA"));
    const QCommandLineOption stationOption(
        QStringLiteral("station"),
        QApplication::translate("fuelsync-admin",
                                "With --view station: the station's id or name (default the "
                                "tenant's first)."),
        QStringLiteral("ID"));
    const QCommandLineOption nozzleOption(
        QStringLiteral("nozzle"),
        QApplication::translate("fuelsync-admin",
                                "With --view station: select that nozzle and show its chart."),
        QStringLiteral("ID"));
    const QCommandLineOption dayOption(
        QStringLiteral("day"),
        QApplication::translate("fuelsync-admin",
                                "With --view station: whose sales to count (default today)."),
        QStringLiteral("YYYY-MM-DD"));
    parser.addOptions({ sandboxOption, dbOption, profileOption, openTableOption, screenshotOption,
                        filterOption, structureOption, timeoutOption, timingsOption, viewOption,
                        schemaOption, tenantOption, stationOption, nozzleOption, dayOption,
                        sqlOption });
    parser.process(app);

    auto fail = [](const QString &message) {
        QTextStream(stderr) << "fuelsync-admin: " << message << Qt::endl;
        return 2;
    };
    const int given = int(parser.isSet(sandboxOption)) + int(parser.isSet(dbOption))
        + int(parser.isSet(profileOption));
    if (given > 1)
        return fail(QApplication::translate("fuelsync-admin",
                                            "give only one of --sandbox, --db and --profile"));
    bool timeoutOk = false;
    const int timeout = parser.value(timeoutOption).toInt(&timeoutOk);
    if (!timeoutOk || timeout < 1)
        return fail(QApplication::translate("fuelsync-admin",
                                            "--statement-timeout takes a number of seconds"));
    QString openSchema;
    QString openTable;
    if (parser.isSet(openTableOption)
        && !splitTableName(parser.value(openTableOption), &openSchema, &openTable))
        return fail(QApplication::translate("fuelsync-admin",
                                            "--open-table takes SCHEMA.TABLE, e.g. "
                                            "tenant_acme.nozzle_readings")
                        .arg(parser.value(openTableOption)));
    const QString viewName = parser.value(viewOption);
    if (!viewName.isEmpty() && viewName != u"migrations" && viewName != u"erd"
        && viewName != u"station" && viewName != u"backups" && viewName != u"health"
        && viewName != u"query")
        return fail(QApplication::translate(
            "fuelsync-admin", "--view takes: migrations, erd, station, backups, health, query"));
    if (viewName == u"station" && !parser.isSet(tenantOption))
        return fail(
            QApplication::translate("fuelsync-admin", "--view station needs --tenant SCHEMA"));
    const QDate day = QDate::fromString(parser.value(dayOption), Qt::ISODate);
    if (parser.isSet(dayOption) && !day.isValid())
        return fail(QApplication::translate("fuelsync-admin", "--day takes a date: YYYY-MM-DD"));
    if ((parser.isSet(openTableOption) || !viewName.isEmpty()) && given == 0)
        return fail(QApplication::translate("fuelsync-admin",
                                            "--open-table needs --sandbox, --db or --profile"));

    MainWindow window(timeout);
    const bool timings = parser.isSet(timingsOption);
    const QString screenshot = parser.value(screenshotOption);
    const QString filterText = parser.value(filterOption);

    auto finish = [&window, screenshot, &app](bool ok, const QString &why) {
        if (screenshot.isEmpty())
            return;
        // Let layouts and the last repaint settle before grabbing.
        QTimer::singleShot(150, &window, [&window, screenshot, ok, why, &app] {
            const bool saved = window.grab().save(screenshot, "PNG");
            if (!saved)
                QTextStream(stderr) << "fuelsync-admin: cannot write " << screenshot << Qt::endl;
            if (!ok)
                QTextStream(stderr) << "fuelsync-admin: " << why << Qt::endl;
            app.exit(saved && ok ? 0 : 1);
        });
    };

    QObject::connect(&window, &MainWindow::connectionFailed, &window,
                     [finish](const QString &message) { finish(false, message); });
    QObject::connect(
        window.schemaBrowser(), &SchemaBrowser::loaded, &window,
        [&, openSchema, openTable](int schemas, qint64 ms) {
            if (timings)
                report(QStringLiteral("tree-ready %1 ms (%2 schemas, query %3 ms)")
                           .arg(sinceStart.elapsed())
                           .arg(schemas)
                           .arg(ms));
            if (!filterText.isEmpty())
                window.schemaBrowser()->setFilterText(filterText);
            if (viewName == u"erd") {
                DiagramPage *page = window.openDiagram(parser.value(schemaOption));
                if (!page) {
                    finish(false, QApplication::translate("fuelsync-admin", "not connected"));
                    return;
                }
                QObject::connect(page, &DiagramPage::loaded, &window,
                                 [finish] { finish(true, QString()); });
                QObject::connect(page, &DiagramPage::failed, &window,
                                 [finish](const QString &error) { finish(false, error); });
                return;
            }
            if (viewName == u"station") {
                StationPage *page = window.openStation(parser.value(tenantOption),
                                                       parser.value(stationOption), day);
                if (!page) {
                    finish(false, QApplication::translate("fuelsync-admin", "not connected"));
                    return;
                }
                const QString nozzle = parser.value(nozzleOption);
                QObject::connect(page, &StationPage::loaded, &window, [finish, page, nozzle] {
                    if (nozzle.isEmpty()) {
                        finish(true, QString());
                        return;
                    }
                    QObject::connect(page->detail(), &StationDetailView::ready, page,
                                     [finish] { finish(true, QString()); });
                    QObject::connect(page->detail(), &StationDetailView::failed, page,
                                     [finish](const QString &error) { finish(false, error); });
                    if (!page->selectNode(StationGraphScene::Node::Kind::Nozzle, nozzle))
                        finish(false,
                               QApplication::translate("fuelsync-admin",
                                                       "the station has no nozzle %1")
                                   .arg(nozzle));
                });
                QObject::connect(page, &StationPage::failed, &window,
                                 [finish](const QString &error) { finish(false, error); });
                return;
            }
            if (viewName == u"backups") {
                if (!window.openBackups())
                    finish(false, QApplication::translate("fuelsync-admin", "not connected"));
                else
                    finish(true, QString());
                return;
            }
            if (viewName == u"health") {
                HealthPage *page = window.openHealth();
                if (!page) {
                    finish(false, QApplication::translate("fuelsync-admin", "not connected"));
                    return;
                }
                QObject::connect(page, &HealthPage::finished, &window,
                                 [finish](bool ok, const QString &message) {
                                     finish(ok, ok ? QString() : message);
                                 });
                const QString only = parser.value(tenantOption);
                page->runChecks(SchemaValidator::checkNames(),
                                only.isEmpty() ? QStringList() : QStringList { only });
                return;
            }
            if (viewName == u"query") {
                QueryPage *page = window.openQuery(parser.value(sqlOption));
                if (!page) {
                    finish(false, QApplication::translate("fuelsync-admin", "not connected"));
                    return;
                }
                const QString tenant = parser.value(tenantOption);
                const QString sql = parser.value(sqlOption);
                QObject::connect(page, &QueryPage::opened, page, [=] {
                    if (!tenant.isEmpty())
                        page->setTenant(tenant);
                    if (sql.isEmpty()) {
                        finish(true, QString());
                        return;
                    }
                    QObject::connect(
                        page, &QueryPage::finished, page, [=](bool ok, const QString &error) {
                            if (timings && ok) {
                                if (QTableView *grid = page->resultView(0))
                                    grid->viewport()->repaint();
                                report(
                                    QStringLiteral("first-rows %1 ms").arg(sinceStart.elapsed()));
                            }
                            finish(ok, error);
                        });
                    QTimer::singleShot(0, page, [page] { page->run(); });
                });
                return;
            }
            if (viewName == u"migrations") {
                MigrationsPage *page = window.openMigrations();
                if (!page) {
                    finish(false, QApplication::translate("fuelsync-admin", "not connected"));
                    return;
                }
                QObject::connect(page, &MigrationsPage::loaded, &window,
                                 [finish] { finish(true, QString()); });
                QObject::connect(page, &MigrationsPage::failed, &window,
                                 [finish](const QString &error) { finish(false, error); });
                return;
            }
            if (openTable.isEmpty()) {
                finish(true, QString());
                return;
            }
            const qint64 openedAt = sinceStart.elapsed();
            TablePage *page = window.openTable(openSchema, openTable);
            if (!page) {
                finish(false, QApplication::translate("fuelsync-admin", "not connected"));
                return;
            }
            if (parser.isSet(structureOption))
                page->showStructure();
            QObject::connect(page, &TablePage::ready, &window, [&, page, openedAt] {
                const QString error = page->errorText();
                if (timings && error.isEmpty()) {
                    // On screen: the grid has painted the rows it read.
                    page->view()->viewport()->repaint();
                    report(QStringLiteral("first-rows %1 ms (opened %2 ms, page %3 ms)")
                               .arg(sinceStart.elapsed())
                               .arg(sinceStart.elapsed() - openedAt)
                               .arg(page->model()->lastPageMs()));
                }
                finish(error.isEmpty(), error);
            });
        });
    QObject::connect(window.schemaBrowser(), &SchemaBrowser::failed, &window,
                     [finish](const QString &message) { finish(false, message); });

    window.show();
    if (parser.isSet(sandboxOption)) {
        window.connectToSandbox();
    } else if (parser.isSet(dbOption)) {
        ConnectRequest request;
        QString error;
        if (!ConnectionSettings::parse(parser.value(dbOption), &request.settings, &error))
            return fail(error);
        window.connectTo(request);
    } else if (parser.isSet(profileOption)) {
        ConnectionProfileStore store;
        const auto profile = store.find(parser.value(profileOption));
        if (!profile)
            return fail(QApplication::translate("fuelsync-admin",
                                                "there is no profile named %1 (profiles are in %2)")
                            .arg(parser.value(profileOption), store.location()));
        window.connectToProfile(*profile);
    } else if (screenshot.isEmpty()) {
        QTimer::singleShot(0, &window, &MainWindow::showConnectionDialog);
    } else {
        finish(true, QString());
    }
    return app.exec();
}
