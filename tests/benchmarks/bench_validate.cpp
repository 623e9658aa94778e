// Benchmark of the schema validator (issue 17; see README, "Speed"):
//
//   set-up    a throwaway PostgreSQL cluster (kept and reused with --cluster-dir) with two
//             databases. The catalog database: public and --tenants tenants (1,000) migrated and
//             given a little data by fuelsync-db's comprehensive seed. The orphans database: one
//             tenant whose nozzle_readings holds --rows rows (10,000,000), 1,000 of them orphans
//             (their nozzle was deleted with the foreign key's trigger off). VACUUM ANALYZE. Not
//             figures, but their time is printed.
//   measured  each side --repeat times, alternating, median; the validator as the command a
//             maintainer runs (`fuelsync-db validate`, its own process):
//     drift + versions over every tenant (`validate --check=drift --check=versions`, the
//             references already cached; the first run, which builds them, is printed too)
//             against `pg_dump --schema-only` of the same database. Target: under 3 s.
//     peak memory of that validate (its own ru_maxrss). Target: under 200 MB.
//     orphans on the big tenant (`validate --check=orphans --tenant=...`) against the same
//             anti-joins written by hand, one per foreign key of the tenant, and the same
//             business-rule queries (readings that go down, readings with no sale, creditors over
//             their limit, stock below zero), run by psql.
//             Target: no slower than 1.5 x the baseline.
//
// Usage: bench_validate [--tenants 1000] [--rows 10000000] [--repeat 3] [--cluster-dir DIR]

#include "BenchmarkSupport.h"
#include "backup/PgDumpTool.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTextStream>
#include <QThread>

using namespace fuelsync;
using namespace fuelsync::bench;

namespace {

QTextStream out(stdout);
const QString catalogDatabase = QStringLiteral("fuelsync_bench_validate");
const QString orphansDatabase = QStringLiteral("fuelsync_bench_validate_orphans");
const QString bigTenant = QStringLiteral("readings");
constexpr qint64 plantedOrphans = 1000;

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
                .arg(QFileInfo(program).fileName(), arguments.join(u' '), run.output));
    out << "  " << arguments.mid(4).join(u' ') << ": " << seconds(double(run.ms)) << Qt::endl;
}

// A validate run as a maintainer starts it; dies unless it ends with 0 (no error finding), so
// that what is timed is a clean, complete run.
ChildRun validate(const QString &cli, const QStringList &arguments)
{
    ChildRun run = runChild(cli, arguments, 1800);
    if (run.timedOut || run.exitCode != 0)
        die(QStringLiteral("fuelsync-db %1 ended with %2:\n%3")
                .arg(arguments.mid(4).join(u' '))
                .arg(run.timedOut ? QStringLiteral("a timeout") : QString::number(run.exitCode))
                .arg(run.otherOutput.left(4000)));
    return run;
}

// The orphans database: one tenant, its readings, and planted orphans.
void fillOrphans(const ConnectionSettings &settings, const QString &cli, qint64 rows)
{
    runOrDie(cli,
             cliBase(settings) + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
    runOrDie(cli,
             cliBase(settings)
                 + QStringList { QStringLiteral("tenant"), QStringLiteral("create"), bigTenant,
                                 QStringLiteral("--name=Validate benchmark") });
    auto c = DbConnection::open(settings, QStringLiteral("bench"));
    fillNozzleReadings(*c, bigTenant, rows - plantedOrphans);
    // A nozzle of its own whose readings stay when it goes: its row is deleted with the
    // foreign keys' triggers off, as a careless restore or a hand fix would.
    c->exec(QStringLiteral("INSERT INTO %1.nozzles (pump_id, nozzle_number, fuel_type) "
                           "SELECT id, 9, 'diesel' FROM %1.pumps ORDER BY id LIMIT 1")
                .arg(bigTenant));
    c->exec(
        QStringLiteral(
            "INSERT INTO %1.nozzle_readings (nozzle_id, reading, recorded_at) "
            "SELECT n.id, 1000 + g, timestamptz '2020-01-01 06:00+05:30' + g * interval '1 hour' "
            "FROM %1.nozzles n CROSS JOIN generate_series(1, ?) AS g "
            "WHERE n.nozzle_number = 9")
            .arg(bigTenant),
        { plantedOrphans });
    c->exec(QStringLiteral("SET session_replication_role = replica"));
    c->exec(QStringLiteral("DELETE FROM %1.nozzles WHERE nozzle_number = 9").arg(bigTenant));
    c->exec(QStringLiteral("RESET session_replication_role"));
    c->exec(QStringLiteral("VACUUM ANALYZE"));
}

// The baseline of the orphans figure: for every foreign key of the tenant, the anti-join a
// maintainer would type in psql (the child rows with a key whose parent row is missing), counted.
QString handWrittenAntiJoins(const ConnectionSettings &settings)
{
    auto c = DbConnection::open(settings, QStringLiteral("bench"));
    QSqlQuery query = c->exec(
        QStringLiteral(
            "SELECT format('SELECT %L AS foreign_key, count(*) FROM %I.%I c WHERE %s AND NOT "
            "EXISTS (SELECT 1 FROM %I.%I p WHERE %s);', con.conname, n.nspname, cl.relname, "
            "  (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ') "
            "     FROM unnest(con.conkey) AS k(attnum) JOIN pg_attribute a "
            "       ON a.attrelid = con.conrelid AND a.attnum = k.attnum), "
            "  pn.nspname, pc.relname, "
            "  (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ') "
            "     FROM unnest(con.confkey, con.conkey) AS k(pnum, cnum) "
            "     JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.pnum "
            "     JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.cnum)) "
            "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
            "JOIN pg_namespace n ON n.oid = cl.relnamespace "
            "JOIN pg_class pc ON pc.oid = con.confrelid "
            "JOIN pg_namespace pn ON pn.oid = pc.relnamespace "
            "WHERE con.contype = 'f' AND n.nspname = ? AND cl.relname <> 'schema_migrations' "
            "ORDER BY cl.relname, con.conname"),
        { bigTenant });
    QStringList statements;
    while (query.next())
        statements.append(query.value(0).toString());
    // The business rules the orphans check also applies, as a maintainer would type them.
    const QString t = bigTenant;
    statements << QStringLiteral("SELECT 'readings-go-down', count(*) FROM (SELECT reading < "
                                 "lag(reading) OVER (PARTITION BY nozzle_id ORDER BY recorded_at) "
                                 "AS down FROM %1.nozzle_readings) r WHERE down;")
                      .arg(t)
               << QStringLiteral("SELECT 'reading-without-sale', count(*) FROM (SELECT id, "
                                 "row_number() OVER (PARTITION BY nozzle_id ORDER BY recorded_at) "
                                 "AS n FROM %1.nozzle_readings) r WHERE n > 1 AND NOT EXISTS "
                                 "(SELECT 1 FROM %1.sales s WHERE s.reading_id = r.id);")
                      .arg(t)
               << QStringLiteral("SELECT 'creditor-over-limit', count(*) FROM %1.creditors WHERE "
                                 "outstanding_balance > credit_limit;")
                      .arg(t)
               << QStringLiteral("SELECT 'stock-below-zero', count(*) FROM %1.fuel_inventory "
                                 "WHERE current_stock < 0;")
                      .arg(t);
    return statements.join(u'\n');
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setProgramName(QStringLiteral("bench_validate"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchmarks fuelsync-db validate against pg_dump --schema-only and "
                       "hand-written anti-joins."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("tenants"), QStringLiteral("Tenants."), QStringLiteral("n"),
                       QStringLiteral("1000") });
    parser.addOption({ QStringLiteral("rows"), QStringLiteral("Rows of the big nozzle_readings."),
                       QStringLiteral("n"), QStringLiteral("10000000") });
    parser.addOption({ QStringLiteral("repeat"), QStringLiteral("Runs of each (median)."),
                       QStringLiteral("n"), QStringLiteral("3") });
    parser.addOption({ QStringLiteral("cluster-dir"),
                       QStringLiteral("Keep the cluster in DIR and reuse its databases when they "
                                      "already hold the data."),
                       QStringLiteral("dir") });
    parser.process(app);
    const int tenants = std::max(1, parser.value(QStringLiteral("tenants")).toInt());
    const qint64 rows =
        std::max<qint64>(plantedOrphans * 2, parser.value(QStringLiteral("rows")).toLongLong());
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    const QString cli = fuelsyncCli();

    // ---- Set-up ----
    QElapsedTimer setupTimer;
    setupTimer.start();
    const auto work = workDirectory();
    // The references are cached here, not in the user's cache: the first run builds them.
    qputenv("XDG_CACHE_HOME", QFile::encodeName(work->filePath(QStringLiteral("cache"))));
    ClusterOptions clusterOptions =
        bigTableClusterOptions(*work, parser.value(QStringLiteral("cluster-dir")));
    // pg_dump locks every table of the 1,000 tenants in one transaction.
    clusterOptions.settings.append(QStringLiteral("max_locks_per_transaction=256"));
    auto started = startCluster(clusterOptions);
    LocalCluster &cluster = *started;
    {
        auto admin = DbConnection::open(cluster.connectionSettings(QStringLiteral("postgres")),
                                        QStringLiteral("bench-admin"));
        if (admin
                ->scalar(QStringLiteral("SELECT current_setting('max_locks_per_transaction')::int"))
                .toInt()
            < 256) {
            // A kept cluster initialized before this setting was asked for.
            admin->exec(QStringLiteral("ALTER SYSTEM SET max_locks_per_transaction = 256"));
            admin.reset();
            QString error;
            if (!cluster.stop(&error, LocalCluster::StopMode::Fast) || !cluster.start(&error))
                die(error);
        }
    }
    const ConnectionSettings catalog = cluster.connectionSettings(catalogDatabase);
    const ConnectionSettings orphans = cluster.connectionSettings(orphansDatabase);
    out << "Set-up" << Qt::endl;
    const bool catalogReused =
        reuseOrCreateDatabase(cluster, catalogDatabase, QStringLiteral("public.tenants"), tenants);
    if (!catalogReused) {
        runOrDie(cli,
                 cliBase(catalog)
                     + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        runOrDie(cli,
                 cliBase(catalog)
                     + QStringList {
                         QStringLiteral("seed"), QStringLiteral("--set=comprehensive"),
                         QStringLiteral("--param"), QStringLiteral("tenants=%1").arg(tenants),
                         QStringLiteral("--param"), QStringLiteral("days=2"),
                         QStringLiteral("--param"), QStringLiteral("stations_per_tenant=1"),
                         QStringLiteral("--param"), QStringLiteral("start_date=2025-01-01"),
                         QStringLiteral("--jobs=2") });
        DbConnection::open(catalog, QStringLiteral("bench"))
            ->exec(QStringLiteral("VACUUM ANALYZE"));
    }
    const bool orphansReused = reuseOrCreateDatabase(
        cluster, orphansDatabase, bigTenant + QStringLiteral(".nozzle_readings"), rows);
    if (!orphansReused)
        fillOrphans(orphans, cli, rows);
    const qint64 setupMs = setupTimer.elapsed();
    QString serverVersion;
    QString readingsSize;
    {
        auto c = DbConnection::open(orphans, QStringLiteral("bench"));
        serverVersion = c->serverVersion();
        readingsSize = c->scalar(QStringLiteral("SELECT pg_size_pretty(pg_total_relation_size(?))"),
                                 { QString(bigTenant + QStringLiteral(".nozzle_readings")) })
                           .toString();
    }

    // ---- Drift and versions over every tenant, against pg_dump --schema-only ----
    const QStringList driftArguments = cliBase(catalog)
        + QStringList { QStringLiteral("validate"), QStringLiteral("--check=drift"),
                        QStringLiteral("--check=versions"), QStringLiteral("--json"),
                        QStringLiteral("--quiet") };
    out << "Drift and versions over " << tenants << " tenants" << Qt::endl;
    const ChildRun cold = validate(cli, driftArguments);
    const QJsonObject report = QJsonDocument::fromJson(cold.otherOutput.toUtf8()).object();
    const int checkedTenants = report.value(QStringLiteral("tenantsChecked")).toInt();
    if (checkedTenants != tenants)
        die(QStringLiteral("validate checked %1 tenants, not %2:\n%3")
                .arg(checkedTenants)
                .arg(tenants)
                .arg(cold.otherOutput.left(2000)));
    out << "  first run, building the references: " << seconds(cold.wallMs) << Qt::endl;
    const PgDumpTool dumpTool = PgDumpTool::locate(15);
    QList<double> driftMs;
    QList<double> dumpMs;
    double driftRssMb = cold.peakRssMb;
    for (int r = 0; r < repeat; ++r) {
        const QString dump = work->filePath(QStringLiteral("schema.sql"));
        const Timed baseline =
            runProcess(dumpTool.pgDump,
                       { QStringLiteral("--schema-only"), QStringLiteral("--file=") + dump,
                         QStringLiteral("--dbname=") + catalog.conninfoWithoutPassword() });
        if (baseline.exitCode != 0)
            die(QStringLiteral("pg_dump failed:\n%1").arg(baseline.output));
        dumpMs.append(double(baseline.ms));
        QFile::remove(dump);
        const ChildRun ours = validate(cli, driftArguments);
        driftMs.append(ours.wallMs);
        driftRssMb = std::max(driftRssMb, ours.peakRssMb);
        out << "  run " << (r + 1) << ": pg_dump --schema-only " << seconds(double(baseline.ms))
            << ", validate " << seconds(ours.wallMs) << " (" << fixed(ours.peakRssMb) << " MB)"
            << Qt::endl;
    }

    // ---- Orphans on the big tenant, against the anti-joins by hand ----
    const QString antiJoins = handWrittenAntiJoins(orphans);
    const QString script = work->filePath(QStringLiteral("anti-joins.sql"));
    {
        QFile file(script);
        if (!file.open(QIODevice::WriteOnly) || file.write(antiJoins.toUtf8()) < 0)
            die(QStringLiteral("cannot write %1").arg(script));
    }
    const qsizetype foreignKeys = antiJoins.count(u'\n') + 1 - 4;
    const QStringList orphanArguments = cliBase(orphans)
        + QStringList { QStringLiteral("validate"), QStringLiteral("--check=orphans"),
                        QStringLiteral("--tenant=") + bigTenant, QStringLiteral("--json"),
                        QStringLiteral("--quiet") };
    out << "Orphans in " << bigTenant << " (" << count(rows) << " readings, " << foreignKeys
        << " foreign keys)" << Qt::endl;
    // The reference is built once, before the timed runs; this run must find the planted rows.
    {
        ChildRun first = runChild(cli, orphanArguments, 1800);
        if (first.exitCode != 1
            || !first.otherOutput.contains(
                QStringLiteral("%1 rows of nozzle_readings").arg(plantedOrphans)))
            die(QStringLiteral("validate did not find the %1 planted orphans:\n%2")
                    .arg(plantedOrphans)
                    .arg(first.otherOutput.left(4000)));
        out << "  first run, building the reference: " << seconds(first.wallMs) << Qt::endl;
    }
    QList<double> orphansMs;
    QList<double> antiJoinMs;
    const QString psql = QFileInfo(dumpTool.pgDump).dir().filePath(QStringLiteral("psql"));
    for (int r = 0; r < repeat; ++r) {
        const Timed baseline =
            runProcess(psql,
                       { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
                         QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-f"), script,
                         QStringLiteral("--dbname=") + orphans.conninfoWithoutPassword() });
        if (baseline.exitCode != 0)
            die(QStringLiteral("psql failed:\n%1").arg(baseline.output));
        if (!baseline.output.contains(QStringLiteral(" %1\n").arg(plantedOrphans)))
            die(QStringLiteral("the anti-joins did not count the %1 orphans:\n%2")
                    .arg(plantedOrphans)
                    .arg(baseline.output));
        antiJoinMs.append(double(baseline.ms));
        const ChildRun ours = runChild(cli, orphanArguments, 1800);
        if (ours.exitCode != 1)
            die(QStringLiteral("validate --check=orphans ended with %1:\n%2")
                    .arg(ours.exitCode)
                    .arg(ours.otherOutput.left(4000)));
        orphansMs.append(ours.wallMs);
        out << "  run " << (r + 1) << ": anti-joins in psql " << seconds(double(baseline.ms))
            << ", validate " << seconds(ours.wallMs) << Qt::endl;
    }

    const double drift = median(driftMs);
    const double orphanRatio = median(orphansMs) / median(antiJoinMs);
    const bool driftMet = drift < 3000.0;
    const bool memoryMet = driftRssMb < 200.0;
    const bool orphansMet = orphanRatio <= 1.5;
    out << Qt::endl
        << "FuelSync Admin validator benchmark: PostgreSQL " << serverVersion << ", "
        << QThread::idealThreadCount() << " CPU cores; " << tenants << " tenants; " << bigTenant
        << ".nozzle_readings " << count(rows) << " rows, " << readingsSize << Qt::endl
        << Qt::endl
        << "| Figure | fuelsync-db validate | Baseline, same run | Target |" << Qt::endl
        << "|---|---|---|---|" << Qt::endl
        << "| Drift + versions, " << tenants << " tenants (median of " << repeat << ") | "
        << seconds(drift) << " | " << seconds(median(dumpMs))
        << " (pg_dump --schema-only) | under 3 s: " << (driftMet ? "met" : "MISSED") << " |"
        << Qt::endl
        << "| Peak memory of that validate | " << fixed(driftRssMb)
        << " MB | | under 200 MB: " << (memoryMet ? "met" : "MISSED") << " |" << Qt::endl
        << "| Orphans, " << count(rows) << " readings (median of " << repeat << ") | "
        << seconds(median(orphansMs)) << " | " << seconds(median(antiJoinMs)) << " (" << foreignKeys
        << " anti-joins and 4 rule queries in psql) | at most 1.5x: " << fixed(orphanRatio, 2)
        << "x, " << (orphansMet ? "met" : "MISSED") << " |" << Qt::endl
        << Qt::endl
        << "Not against a target: the first drift run, building the references, "
        << seconds(cold.wallMs) << "." << Qt::endl
        << "Set-up: " << seconds(double(setupMs))
        << (catalogReused && orphansReused ? " (cluster reused)" : "") << Qt::endl;
    finishCluster(std::move(started));
    const bool met = driftMet && memoryMet && orphansMet;
    out << (met ? "All targets met." : "A target was missed.") << Qt::endl;
    return met ? 0 : 1;
}
