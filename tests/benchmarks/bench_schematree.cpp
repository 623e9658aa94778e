// Benchmark of the desktop app's schema tree on a database of 5,000 tenants (see README, "Speed"):
//
//   tree ready   from asking the window to connect to the tree listing every tenant (the
//                window's own session thread, connection included), target under 1 s;
//   versions     until every tenant's migration version is shown (read in chunks afterwards);
//   filtering    one keystroke in the filter box over all tenants, target "instant" (a frame,
//                16 ms);
//   expand       a tenant's tables read when it is first expanded.
//
// Baseline in the same run: the plain query a hand-made tree would start with, listing
// public.tenants through QSqlQuery (no window), so the window's overhead shows.
//
// Every tenant is registered in public.tenants and has a schema with a schema_migrations table
// of five applied versions; the first one is a full FuelSync tenant, so its tables are real.
//
// Usage: bench_schematree [--tenants 5000] [--repeat 5]

#include "BenchmarkSupport.h"
#include "admin/MainWindow.h"
#include "browser/SchemaBrowser.h"
#include "db/DbConnection.h"
#include "sandbox/LocalCluster.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>

using namespace fuelsync;
using namespace fuelsync::bench;

namespace {

QTextStream out(stdout);

bool waitFor(const std::function<bool()> &done, int ms = 60'000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("FUELSYNC_NO_KEYCHAIN", "1");
    QApplication app(argc, argv);
    setProgramName(QStringLiteral("bench_schematree"));
    QCommandLineParser parser;
    parser.addOption({ QStringLiteral("tenants"), QStringLiteral("tenants"), QStringLiteral("N"),
                       QStringLiteral("5000") });
    parser.addOption({ QStringLiteral("repeat"), QStringLiteral("repetitions"), QStringLiteral("N"),
                       QStringLiteral("5") });
    parser.addHelpOption();
    parser.process(app);
    const int tenants = parser.value(QStringLiteral("tenants")).toInt();
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    const QString cli = fuelsyncCli();
    const QString migrations = migrationsDirectory();

    const auto work = workDirectory();
    auto started = startCluster({ work->filePath(QStringLiteral("cluster")), {} });
    LocalCluster &cluster = *started;
    const ConnectionSettings admin = cluster.connectionSettings(QStringLiteral("postgres"));
    {
        auto c = DbConnection::open(admin, QStringLiteral("bench"));
        c->exec(QStringLiteral("CREATE DATABASE tree"));
    }
    const ConnectionSettings settings = cluster.connectionSettings(QStringLiteral("tree"));

    QElapsedTimer setup;
    setup.start();
    const QStringList cliBase { QStringLiteral("--db"), settings.conninfoWithoutPassword(),
                                QStringLiteral("--migrations"), migrations,
                                QStringLiteral("--quiet") };
    for (const QStringList &command :
         { QStringList { QStringLiteral("migrate"), QStringLiteral("up") },
           QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                         QStringLiteral("tenant_00000"), QStringLiteral("--name=First Fuels") } }) {
        const Timed run = runProcess(cli, cliBase + command);
        if (run.exitCode != 0)
            die(QStringLiteral("fuelsync-db %1 failed:\n%2").arg(command.join(u' '), run.output));
    }
    {
        auto c = DbConnection::open(settings, QStringLiteral("bench"));
        // In batches of 250 tenants a transaction, so the lock table never fills.
        for (int start = 1; start < tenants; start += 250) {
            c->exec(QStringLiteral(
                        "DO $$ DECLARE s text; BEGIN FOR i IN %1..%2 LOOP "
                        "  s := format('tenant_%s', lpad(i::text, 5, '0')); "
                        "  INSERT INTO public.tenants (name, schema_name) "
                        "    VALUES (format('Station group %s', i), s); "
                        "  EXECUTE format('CREATE SCHEMA %I', s); "
                        "  EXECUTE format('CREATE TABLE %I.schema_migrations (id serial PRIMARY "
                        "KEY, version varchar(50) NOT NULL UNIQUE)', s); "
                        "  EXECUTE format('INSERT INTO %I.schema_migrations (version) VALUES "
                        "(''001''), (''002''), (''003''), (''004''), (''005'')', s); "
                        "END LOOP; END $$")
                        .arg(start)
                        .arg(std::min(tenants - 1, start + 249)));
        }
        c->exec(QStringLiteral("ANALYZE"));
    }
    out << "FuelSync Admin schema tree benchmark — " << tenants << " tenants, "
        << QThread::idealThreadCount() << " CPU cores" << Qt::endl
        << "set-up: " << setup.elapsed() / 1000.0 << " s" << Qt::endl
        << Qt::endl;

    QList<double> baseline, ready, versions, expand;
    QList<double> keystrokes;
    for (int r = 0; r < repeat; ++r) {
        {
            QElapsedTimer timer;
            timer.start();
            auto c = DbConnection::open(settings, QStringLiteral("baseline"));
            QSqlQuery q = c->exec(QStringLiteral(
                "SELECT schema_name, name FROM public.tenants ORDER BY schema_name"));
            int rows = 0;
            while (q.next())
                ++rows;
            if (rows != tenants)
                die(QStringLiteral("baseline read %1 tenants").arg(rows));
            baseline.append(timer.nsecsElapsed() / 1e6);
        }
        MainWindow window;
        window.show();
        ConnectRequest request;
        request.settings = settings;
        SchemaBrowser *tree = window.schemaBrowser();
        QElapsedTimer timer;
        timer.start();
        window.connectTo(request);
        if (!waitFor([&] { return tree->isLoaded(); }))
            die(QStringLiteral("the tree did not load: %1").arg(window.lastError()));
        ready.append(timer.nsecsElapsed() / 1e6);
        if (tree->schemaCount() != tenants + 1)
            die(QStringLiteral("the tree lists %1 schemas").arg(tree->schemaCount()));
        if (!waitFor([&] { return tree->versionsLoaded(); }))
            die(QStringLiteral("versions did not load"));
        versions.append(timer.nsecsElapsed() / 1e6);

        // Typing "group 4217" one key at a time, then clearing.
        const QString typed = QStringLiteral("group 4217");
        for (int k = 1; k <= typed.size(); ++k) {
            QElapsedTimer key;
            key.start();
            tree->setFilterText(typed.left(k));
            QCoreApplication::processEvents();
            keystrokes.append(key.nsecsElapsed() / 1e6);
        }
        QElapsedTimer clear;
        clear.start();
        tree->setFilterText(QString());
        QCoreApplication::processEvents();
        keystrokes.append(clear.nsecsElapsed() / 1e6);

        QSignalSpy tables(tree, &SchemaBrowser::tablesLoaded);
        QElapsedTimer expandTimer;
        expandTimer.start();
        tree->reveal(QStringLiteral("tenant_00000"));
        if (!tables.wait(30'000))
            die(QStringLiteral("tables did not load"));
        expand.append(expandTimer.nsecsElapsed() / 1e6);
    }
    const double maxKey = *std::max_element(keystrokes.begin(), keystrokes.end());

    out << QStringLiteral("%1 | %2 | %3 | %4")
               .arg(QStringLiteral("Figure"), -58)
               .arg(QStringLiteral("FuelSync"), 12)
               .arg(QStringLiteral("Baseline"), 12)
               .arg(QStringLiteral("Target"))
        << Qt::endl;
    auto row = [](const QString &figure, double ms, const QString &base, const QString &target) {
        out << QStringLiteral("%1 | %2 | %3 | %4")
                   .arg(figure, -58)
                   .arg(QStringLiteral("%1 ms").arg(ms, 0, 'f', 1), 12)
                   .arg(base, 12)
                   .arg(target)
            << Qt::endl;
    };
    row(QStringLiteral("tree ready, %1 tenants (connect + list, median of %2)")
            .arg(tenants)
            .arg(repeat),
        median(ready), QStringLiteral("%1 ms").arg(median(baseline), 0, 'f', 1),
        QStringLiteral("under 1,000 ms"));
    row(QStringLiteral("every tenant's version shown (median)"), median(versions),
        QStringLiteral("—"), QStringLiteral("none"));
    row(QStringLiteral("one keystroke in the filter box (median of %1)").arg(keystrokes.size()),
        median(keystrokes), QStringLiteral("—"), QStringLiteral("instant (< 16 ms)"));
    row(QStringLiteral("slowest keystroke"), maxKey, QStringLiteral("—"),
        QStringLiteral("instant (< 16 ms)"));
    row(QStringLiteral("expand a tenant: its tables listed (median)"), median(expand),
        QStringLiteral("—"), QStringLiteral("none"));
    out << "peak memory of the process: " << fixed(peakRssMb(), 0) << " MB" << Qt::endl;
    out << "baseline: open a connection and read public.tenants with QSqlQuery, no window"
        << Qt::endl;
    finishCluster(std::move(started));
    const bool met = median(ready) < 1000 && median(keystrokes) < 16;
    out << (met ? "All targets met." : "A target was missed.") << Qt::endl;
    return met ? 0 : 1;
}
