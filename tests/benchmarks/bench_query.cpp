// Benchmark of the support desk (issue 19), each figure next to its baseline measured in the
// same run on the same cluster (see README, "Speed"):
//
//   set-up    a PostgreSQL cluster of its own (kept with --cluster-dir): a database with
//             --tenants tenants (1,000) of 10 stations and 50 credit customers each, seeded by
//             fuelsync-db; another with one tenant whose nozzle_readings holds --rows readings
//             (10,000,000).
//   search    core's TenantSearch over every tenant, as the box above the tree runs it: a
//             station by part of its name in the 300th tenant, a customer's phone digits, a
//             user's e-mail, a text nobody has. Target: 300 ms each.
//   every     `fuelsync-db query --all-tenants` of SELECT count(*) FROM sales WHERE sold_at >
//   tenant    now() - interval '1 day', against one psql session looping SET search_path over
//             the same tenants. Target: no slower than psql.
//   console   the window's SQL console (QueryPage, in a child process of its own so that its
//             peak memory is its own): SELECT * FROM nozzle_readings, time to the first rows,
//             then scrolled to the end of the 10,000,000 rows; peak memory. Baseline: psql
//             reading the same statement (whole, as psql does by default; and with
//             FETCH_COUNT=500). Targets: first rows under 200 ms, under 150 MB.
//
// Usage: bench_query [--tenants 1000] [--rows 10000000] [--repeat 3] [--cluster-dir DIR]
//                    [--scroll-rows N]

#include "BenchmarkSupport.h"
#include "db/DbConnection.h"
#include "query/QueryEditor.h"
#include "query/QueryPage.h"
#include "query/QueryResultModel.h"
#include "query/TenantSearch.h"
#include "sandbox/PostgresTools.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTextStream>
#include <QThread>
#include <QTimer>

using namespace fuelsync;
using namespace fuelsync::bench;

namespace {

QTextStream out(stdout);
const QString tenantsDatabase = QStringLiteral("fuelsync_bench_query");
const QString bigDatabase = QStringLiteral("fuelsync_bench_query_big");
const QString bigTenant = QStringLiteral("readings");
const QString countSql =
    QStringLiteral("SELECT count(*) FROM sales WHERE sold_at > now() - interval '1 day'");

QStringList cliBase(const ConnectionSettings &settings)
{
    return { QStringLiteral("--db"), settings.conninfoWithoutPassword(),
             QStringLiteral("--migrations"), migrationsDirectory() };
}

void runOrDie(const QString &program, const QStringList &arguments)
{
    const Timed run = runProcess(program, arguments);
    if (run.exitCode != 0)
        die(QStringLiteral("%1 %2 failed:\n%3")
                .arg(QFileInfo(program).fileName(), arguments.join(u' '), run.output.left(4000)));
    out << "  " << arguments.mid(4).join(u' ') << ": " << seconds(double(run.ms)) << Qt::endl;
}

void figure(const QString &key, const QString &value)
{
    QTextStream(stdout) << "FIGURE " << key << ' ' << value << Qt::endl;
}

// Child: the console, as the window has it, on the big tenant: Run, the first rows, then the
// grid scrolled to the end (or --scroll-rows), a page at a time as a person scrolling would.
int consoleChild(const QString &conninfo, qint64 scrollRows)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    int argc = 1;
    char name[] = "bench_query";
    char *argv[] = { name, nullptr };
    QApplication app(argc, argv);
    QueryPage::Setup setup;
    QString error;
    if (!ConnectionSettings::parse(conninfo, &setup.settings, &error)) {
        QTextStream(stderr) << error << Qt::endl;
        return 2;
    }
    setup.options.statementTimeoutMs = 0;
    setup.tenants = { bigTenant };
    setup.tenant = bigTenant;
    setup.historyKey = QStringLiteral("bench");
    QueryPage page(setup);
    page.resize(1200, 800);
    page.show();
    QSignalSpy opened(&page, &QueryPage::opened);
    if (!opened.wait(60'000))
        return 3;
    page.setSql(QStringLiteral("SELECT * FROM nozzle_readings"));
    QSignalSpy finished(&page, &QueryPage::finished);
    QElapsedTimer timer;
    timer.start();
    page.run();
    if (!finished.wait(60'000) || !finished.first().first().toBool()) {
        QTextStream(stderr) << "the run failed: " << page.statusText() << Qt::endl;
        return 4;
    }
    QTableView *view = page.resultView(0);
    view->viewport()->repaint();
    figure(QStringLiteral("firstRowsMs"), QString::number(elapsedMs(timer), 'f', 1));
    figure(QStringLiteral("firstRowsRssMb"), fixed(peakRssMb()));
    QueryResultModel *model = page.resultModel(0);
    QElapsedTimer scrolling;
    scrolling.start();
    while (!model->atEnd() && model->rowCount() < scrollRows && scrolling.elapsed() < 1'200'000) {
        view->scrollToBottom();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    figure(QStringLiteral("scrolledRows"), QString::number(model->rowCount()));
    figure(QStringLiteral("scrollMs"), QString::number(scrolling.elapsed()));
    figure(QStringLiteral("pagesKept"), QString::number(model->loadedPages()));
    return 0;
}

QString psqlProgram()
{
    QString error;
    const auto tools = PostgresTools::locate(&error);
    if (!tools)
        die(error);
    return tools->psql();
}

} // namespace

int main(int argc, char *argv[])
{
    for (int i = 1; i + 2 < argc; ++i) {
        if (qstrcmp(argv[i], "--child-console") == 0)
            return consoleChild(QString::fromLocal8Bit(argv[i + 1]),
                                QString::fromLocal8Bit(argv[i + 2]).toLongLong());
    }
    QCoreApplication app(argc, argv);
    setProgramName(QStringLiteral("bench_query"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchmarks the search box, one question to every tenant and the SQL "
                       "console against psql."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("tenants"), QStringLiteral("Tenants."), QStringLiteral("n"),
                       QStringLiteral("1000") });
    parser.addOption({ QStringLiteral("rows"), QStringLiteral("Readings of the big tenant."),
                       QStringLiteral("n"), QStringLiteral("10000000") });
    parser.addOption({ QStringLiteral("repeat"), QStringLiteral("Runs of each (median)."),
                       QStringLiteral("n"), QStringLiteral("3") });
    parser.addOption({ QStringLiteral("scroll-rows"),
                       QStringLiteral("How far the console's grid is scrolled (default: all)."),
                       QStringLiteral("n"), QStringLiteral("100000000") });
    parser.addOption({ QStringLiteral("cluster-dir"),
                       QStringLiteral("Keep the cluster in DIR and reuse its databases when they "
                                      "already hold the data."),
                       QStringLiteral("dir") });
    parser.process(app);
    const int tenants = std::max(1, parser.value(QStringLiteral("tenants")).toInt());
    const qint64 rows = std::max<qint64>(1000, parser.value(QStringLiteral("rows")).toLongLong());
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    const qint64 scrollRows = parser.value(QStringLiteral("scroll-rows")).toLongLong();
    const QString cli = fuelsyncCli();
    const QString psql = psqlProgram();

    // ---- Set-up ----
    QElapsedTimer setupTimer;
    setupTimer.start();
    const auto work = workDirectory();
    ClusterOptions clusterOptions =
        bigTableClusterOptions(*work, parser.value(QStringLiteral("cluster-dir")));
    clusterOptions.settings.append(QStringLiteral("max_connections=100"));
    auto started = startCluster(clusterOptions);
    LocalCluster &cluster = *started;
    const ConnectionSettings tenantsSettings = cluster.connectionSettings(tenantsDatabase);
    const ConnectionSettings bigSettings = cluster.connectionSettings(bigDatabase);
    out << "Set-up" << Qt::endl;
    if (!reuseOrCreateDatabase(cluster, tenantsDatabase, QStringLiteral("public.tenants"),
                               tenants)) {
        runOrDie(cli,
                 cliBase(tenantsSettings)
                     + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        runOrDie(cli,
                 cliBase(tenantsSettings)
                     + QStringList {
                         QStringLiteral("seed"), QStringLiteral("--set=comprehensive"),
                         QStringLiteral("--param"), QStringLiteral("tenants=%1").arg(tenants),
                         QStringLiteral("--param"), QStringLiteral("stations_per_tenant=10"),
                         QStringLiteral("--param"), QStringLiteral("creditors_per_station=5"),
                         QStringLiteral("--param"), QStringLiteral("pumps_per_station=1"),
                         QStringLiteral("--param"), QStringLiteral("nozzles_per_pump=1"),
                         QStringLiteral("--param"), QStringLiteral("attendants_per_station=1"),
                         QStringLiteral("--param"), QStringLiteral("days=2"),
                         QStringLiteral("--param"), QStringLiteral("readings_per_day=3"),
                         QStringLiteral("--jobs=2") });
        DbConnection::open(tenantsSettings, QStringLiteral("bench"))
            ->exec(QStringLiteral("VACUUM ANALYZE"));
    }
    if (!reuseOrCreateDatabase(cluster, bigDatabase, bigTenant + QStringLiteral(".nozzle_readings"),
                               rows)) {
        runOrDie(cli,
                 cliBase(bigSettings)
                     + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        runOrDie(cli,
                 cliBase(bigSettings)
                     + QStringList { QStringLiteral("tenant"), QStringLiteral("create"), bigTenant,
                                     QStringLiteral("--name=Query benchmark") });
        auto c = DbConnection::open(bigSettings, QStringLiteral("bench"));
        fillNozzleReadings(*c, bigTenant, rows);
        c->exec(QStringLiteral("VACUUM ANALYZE"));
    }
    out << "  set-up took " << seconds(double(setupTimer.elapsed())) << Qt::endl;

    // ---- Search ----
    auto c = DbConnection::open(tenantsSettings, QStringLiteral("bench"));
    QElapsedTimer planTimer;
    planTimer.start();
    const TenantSearch::Plan plan = TenantSearch::plan(*c);
    const double planMs = elapsedMs(planTimer);
    if (plan.schemas != tenants)
        die(QStringLiteral("the plan has %1 tenants, not %2").arg(plan.schemas).arg(tenants));
    // What a person would type: part of a station's name in the 300th tenant, a customer's phone
    // digits, part of a user's e-mail, a name nobody has.
    const QString tenant300 = plan.tenants.at(std::min(299, tenants - 1)).first;
    const QString stationPart =
        c->scalar(QStringLiteral("SELECT substr(name, 1, 9) FROM %1.stations ORDER BY name "
                                 "DESC LIMIT 1")
                      .arg(tenant300))
            .toString();
    const QString phonePart =
        c->scalar(QStringLiteral("SELECT right(phone, 6) FROM %1.creditors WHERE phone IS NOT "
                                 "NULL LIMIT 1")
                      .arg(tenant300))
            .toString();
    const QString emailPart =
        c->scalar(QStringLiteral("SELECT split_part(email, '@', 1) FROM %1.users LIMIT 1")
                      .arg(tenant300))
            .toString();
    const QStringList texts { stationPart, phonePart, emailPart, QStringLiteral("zz-nobody-zz") };
    const qint64 stations =
        c->scalar(QStringLiteral("SELECT count(*) FROM %1.stations").arg(tenant300)).toLongLong();
    const qint64 creditors =
        c->scalar(QStringLiteral("SELECT count(*) FROM %1.creditors").arg(tenant300)).toLongLong();
    out << Qt::endl
        << "Search over " << tenants << " tenants (" << stations << " stations, " << creditors
        << " customers each); catalog read once: " << duration(planMs) << Qt::endl;
    // The window's search box: a TenantSearcher on a session of its own, warmed up when the
    // window connects; then each text as typed.
    QElapsedTimer warmTimer;
    warmTimer.start();
    TenantSearcher searcher(*c, plan);
    searcher.warmUp();
    const double warmMs = elapsedMs(warmTimer);
    out << "  the box's searcher, prepared and planned once after connecting: " << duration(warmMs)
        << Qt::endl;
    QList<double> searchMedians;
    QList<double> oneShotMedians;
    for (const QString &text : texts) {
        QList<double> times;
        QList<double> oneShot;
        int hits = 0;
        for (int i = 0; i < repeat; ++i) {
            QElapsedTimer timer;
            timer.start();
            hits = int(searcher.search(text).size());
            times.append(elapsedMs(timer));
            timer.restart();
            TenantSearch::search(*c, plan, text, 20);
            oneShot.append(elapsedMs(timer));
        }
        searchMedians.append(median(times));
        oneShotMedians.append(median(oneShot));
        out << "  \"" << text << "\": " << duration(median(times)) << " (" << hits
            << " hits); planned each time, as fuelsync-db search: " << duration(median(oneShot))
            << Qt::endl;
    }
    c.reset();

    // ---- One question to every tenant ----
    out << Qt::endl << "One question to every tenant: " << countSql << Qt::endl;
    const QString loopScript = work->filePath(QStringLiteral("loop.sql"));
    {
        QFile file(loopScript);
        if (!file.open(QIODevice::WriteOnly))
            die(file.errorString());
        for (const auto &[schema, name] : plan.tenants) {
            Q_UNUSED(name);
            file.write(
                QStringLiteral("SET search_path TO %1;\n%2;\n").arg(schema, countSql).toUtf8());
        }
    }
    QList<double> ours;
    QList<double> theirs;
    for (int i = 0; i < repeat; ++i) {
        const Timed a =
            runProcess(cli,
                       cliBase(tenantsSettings)
                           + QStringList { QStringLiteral("--quiet"), QStringLiteral("query"),
                                           QStringLiteral("--all-tenants"),
                                           QStringLiteral("--format=csv"), countSql });
        if (a.exitCode != 0)
            die(QStringLiteral("fuelsync-db query failed:\n%1").arg(a.output.left(2000)));
        const Timed b = runProcess(
            psql,
            { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
              QStringLiteral("-t"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
              QStringLiteral("-d"), tenantsSettings.conninfoWithoutPassword(), QStringLiteral("-f"),
              loopScript });
        if (b.exitCode != 0)
            die(QStringLiteral("psql failed:\n%1").arg(b.output.left(2000)));
        if (a.output.count(u'\n') < tenants || b.output.count(u'\n') < tenants)
            die(QStringLiteral("an answer per tenant was expected"));
        ours.append(double(a.ms));
        theirs.append(double(b.ms));
        out << "  run " << i + 1 << ": fuelsync-db " << seconds(double(a.ms)) << ", psql loop "
            << seconds(double(b.ms)) << Qt::endl;
    }

    // ---- The console on 10,000,000 rows ----
    out << Qt::endl
        << "SQL console: SELECT * FROM nozzle_readings (" << count(rows) << " rows)" << Qt::endl;
    const QString self = QCoreApplication::applicationFilePath();
    QList<double> firstRows;
    ChildRun console;
    for (int i = 0; i < repeat; ++i) {
        console =
            runChild(self,
                     { QStringLiteral("--child-console"), bigSettings.conninfoWithoutPassword(),
                       QString::number(i == repeat - 1 ? scrollRows : 0) },
                     1800);
        if (console.timedOut || console.exitCode != 0)
            die(QStringLiteral("the console child failed:\n%1").arg(console.otherOutput));
        firstRows.append(console.figures.value(QStringLiteral("firstRowsMs")).toDouble());
        out << "  run " << i + 1 << ": first rows " << firstRows.last() << " ms; peak "
            << fixed(console.peakRssMb) << " MB";
        if (i == repeat - 1)
            out << "; scrolled "
                << count(console.figures.value(QStringLiteral("scrolledRows")).toLongLong())
                << " rows in "
                << seconds(console.figures.value(QStringLiteral("scrollMs")).toDouble()) << ", "
                << console.figures.value(QStringLiteral("pagesKept")) << " pages kept";
        out << Qt::endl;
    }
    // Two -c: psql reads through a cursor (FETCH_COUNT) only a single SELECT sent alone.
    const QString path = QStringLiteral("SET search_path TO %1").arg(bigTenant);
    const QString select = QStringLiteral("SELECT * FROM nozzle_readings");
    const ChildRun psqlWhole = runChild(
        psql,
        { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-d"),
          bigSettings.conninfoWithoutPassword(), QStringLiteral("-o"), QStringLiteral("/dev/null"),
          QStringLiteral("-c"), path, QStringLiteral("-c"), select },
        1800);
    const ChildRun psqlFetch = runChild(
        psql,
        { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
          QStringLiteral("FETCH_COUNT=500"), QStringLiteral("-d"),
          bigSettings.conninfoWithoutPassword(), QStringLiteral("-o"), QStringLiteral("/dev/null"),
          QStringLiteral("-c"), path, QStringLiteral("-c"), select },
        1800);
    for (const ChildRun *run : { &psqlWhole, &psqlFetch }) {
        if (run->timedOut || run->exitCode != 0)
            die(QStringLiteral("psql failed:\n%1").arg(run->otherOutput.left(2000)));
    }
    out << "  psql (whole result, its default): " << seconds(psqlWhole.wallMs) << ", peak "
        << fixed(psqlWhole.peakRssMb) << " MB" << Qt::endl;
    out << "  psql with FETCH_COUNT=500 (to the end): " << seconds(psqlFetch.wallMs) << ", peak "
        << fixed(psqlFetch.peakRssMb) << " MB" << Qt::endl;

    // ---- Table ----
    const double slowestSearch = *std::max_element(searchMedians.cbegin(), searchMedians.cend());
    const double slowestOneShot = *std::max_element(oneShotMedians.cbegin(), oneShotMedians.cend());
    out << Qt::endl
        << "Server " << QThread::idealThreadCount() << " CPU cores; " << tenants << " tenants; "
        << count(rows) << " readings; median of " << repeat << Qt::endl
        << Qt::endl
        << "| Figure | FuelSync Admin | Baseline, same run | Target |" << Qt::endl
        << "| --- | --- | --- | --- |" << Qt::endl
        << "| Search, slowest of " << texts.size() << " texts, " << tenants << " tenants | "
        << duration(slowestSearch)
        << " | the same queries planned each time (`fuelsync-db search`): "
        << duration(slowestOneShot)
        << " | under 300 ms: " << (slowestSearch < 300 ? "met" : "NOT met") << " |" << Qt::endl
        << "| `query --all-tenants`, count of a day's sales | " << seconds(median(ours))
        << " | psql looping `SET search_path`: " << seconds(median(theirs))
        << " | no slower: " << (median(ours) <= median(theirs) ? "met" : "NOT met") << " |"
        << Qt::endl
        << "| Console, first rows of `SELECT * FROM nozzle_readings` | "
        << duration(median(firstRows)) << " | psql: " << seconds(psqlWhole.wallMs)
        << " (whole result first) | under 200 ms: " << (median(firstRows) < 200 ? "met" : "NOT met")
        << " |" << Qt::endl
        << "| Console, peak memory scrolled to row "
        << count(console.figures.value(QStringLiteral("scrolledRows")).toLongLong()) << " | "
        << fixed(console.peakRssMb) << " MB | psql: " << fixed(psqlWhole.peakRssMb)
        << " MB; with FETCH_COUNT=500: " << fixed(psqlFetch.peakRssMb)
        << " MB | under 150 MB: " << (console.peakRssMb < 150 ? "met" : "NOT met") << " |"
        << Qt::endl;
    finishCluster(std::move(started));
    return 0;
}
