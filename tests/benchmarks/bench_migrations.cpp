// Benchmark of the migration engine against its baselines, measured in the same run on the same
// throwaway cluster (see README, "Speed"):
//
//   fan-out  300 empty tenant schemas to the latest version with `fuelsync-db migrate up --jobs=N`
//            vs. one psql session applying the same tenant files to 300 fresh schemas, one
//            transaction per tenant (and the two resulting schemas are compared);
//   no-op    `migrate up` on 1,000 up-to-date tenants (target: under 1 s), next to a hand-written
//            check that asks each tenant's schema_migrations in turn from one psql session;
//   status   `migrate status` on 1,000 tenants (target: under 1 s).
//
// Usage: bench_migrations [--tenants 300] [--noop-tenants 1000] [--jobs 2] [--repeat 3]

#include "BenchmarkSupport.h"
#include "catalog/SchemaSnapshot.h"
#include "db/DbConnection.h"
#include "sandbox/LocalCluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>

using namespace fuelsync;
using namespace fuelsync::bench;

namespace {

QTextStream out(stdout);

QString tenantName(int i)
{
    return QStringLiteral("t%1").arg(i, 4, 10, QLatin1Char('0'));
}

class Bench
{
public:
    Bench(LocalCluster &cluster, QString cli, QString psql, QString migrations)
        : m_cluster(cluster)
        , m_cli(std::move(cli))
        , m_psql(std::move(psql))
        , m_migrations(std::move(migrations))
    {
        m_admin = DbConnection::open(cluster.connectionSettings(QStringLiteral("postgres")),
                                     QStringLiteral("bench"));
    }

    void recreate(const QString &database)
    {
        m_admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(database));
        m_admin->exec(QStringLiteral("CREATE DATABASE %1").arg(database));
    }

    QString conninfo(const QString &database) const
    {
        return m_cluster.connectionSettings(database).conninfoWithoutPassword();
    }

    Timed cli(const QString &database, const QStringList &arguments) const
    {
        return runProcess(m_cli,
                          QStringList { QStringLiteral("--db"), conninfo(database),
                                        QStringLiteral("--migrations"), m_migrations,
                                        QStringLiteral("--quiet") }
                              + arguments);
    }

    Timed psql(const QString &database, const QString &file) const
    {
        return runProcess(m_psql,
                          { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
                            QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"),
                            conninfo(database), QStringLiteral("-f"), file });
    }

    // public migrated by fuelsync-db, `count` tenants registered with empty schemas.
    void prepareTenants(const QString &database, int count)
    {
        recreate(database);
        const Timed up = cli(database, { QStringLiteral("migrate"), QStringLiteral("up") });
        if (up.exitCode != 0)
            die(QStringLiteral("migrating public failed:\n") + up.output);
        auto c =
            DbConnection::open(m_cluster.connectionSettings(database), QStringLiteral("bench"));
        c->exec(QStringLiteral("BEGIN"));
        c->exec(QStringLiteral("INSERT INTO public.tenants (name, schema_name) "
                               "SELECT 'Tenant ' || i, 't' || lpad(i::text, 4, '0') "
                               "FROM generate_series(1, ?) AS i"),
                { count });
        for (int i = 1; i <= count; ++i)
            c->exec(QStringLiteral("CREATE SCHEMA %1").arg(tenantName(i)));
        c->exec(QStringLiteral("COMMIT"));
    }

    // The baseline's database: public from the same file through psql, empty tenant schemas, and
    // a script that applies the tenant files to each schema in one transaction per tenant.
    QString prepareBaseline(const QString &database, int count, const QTemporaryDir &work)
    {
        recreate(database);
        const QDir schema(m_migrations + QStringLiteral("/schema"));
        QStringList publicFiles;
        QStringList tenantFiles;
        for (const QString &name :
             schema.entryList({ QStringLiteral("*.sql") }, QDir::Files, QDir::Name)) {
            QFile file(schema.filePath(name));
            file.open(QIODevice::ReadOnly);
            (QString::fromUtf8(file.readAll()).contains(QStringLiteral("-- scope: public"))
                 ? publicFiles
                 : tenantFiles)
                .append(schema.filePath(name));
        }
        const QString setup = work.filePath(QStringLiteral("baseline-setup.sql"));
        {
            QFile file(setup);
            file.open(QIODevice::WriteOnly);
            QTextStream s(&file);
            s << "BEGIN;\nSET search_path TO public;\n";
            for (const QString &f : publicFiles)
                s << "\\i " << f << "\n";
            s << "COMMIT;\n";
            for (int i = 1; i <= count; ++i)
                s << "CREATE SCHEMA " << tenantName(i) << ";\n";
        }
        const Timed prepared = psql(database, setup);
        if (prepared.exitCode != 0)
            die(QStringLiteral("baseline setup failed:\n") + prepared.output);
        const QString script = work.filePath(QStringLiteral("baseline.sql"));
        QFile file(script);
        file.open(QIODevice::WriteOnly);
        QTextStream s(&file);
        for (int i = 1; i <= count; ++i) {
            s << "BEGIN;\nSET LOCAL search_path TO " << tenantName(i) << ", public;\n";
            for (const QString &f : tenantFiles)
                s << "\\i " << f << "\n";
            s << "COMMIT;\n";
        }
        return script;
    }

    SchemaSnapshot snapshot(const QString &database, const QString &schema) const
    {
        auto c =
            DbConnection::open(m_cluster.connectionSettings(database), QStringLiteral("bench"));
        return SchemaSnapshot::capture(*c, { schema });
    }

private:
    LocalCluster &m_cluster;
    QString m_cli;
    QString m_psql;
    QString m_migrations;
    std::unique_ptr<DbConnection> m_admin;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setProgramName(QStringLiteral("bench_migrations"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchmarks fuelsync-db migrate against its baselines."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("tenants"), QStringLiteral("Tenants for the fan-out."),
                       QStringLiteral("n"), QStringLiteral("300") });
    parser.addOption({ QStringLiteral("noop-tenants"),
                       QStringLiteral("Tenants for no-op and status."), QStringLiteral("n"),
                       QStringLiteral("1000") });
    parser.addOption({ QStringLiteral("jobs"), QStringLiteral("fuelsync-db --jobs."),
                       QStringLiteral("n"), QStringLiteral("2") });
    parser.addOption({ QStringLiteral("repeat"), QStringLiteral("Fan-out repetitions."),
                       QStringLiteral("n"), QStringLiteral("3") });
    parser.process(app);
    const int tenants = parser.value(QStringLiteral("tenants")).toInt();
    const int noopTenants = parser.value(QStringLiteral("noop-tenants")).toInt();
    const int jobs = parser.value(QStringLiteral("jobs")).toInt();
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());

    const QString cli = fuelsyncCli();
    const QString migrations = migrationsDirectory();

    const auto work = workDirectory();
    // A durable server with stock settings: both sides pay the same commit costs.
    auto started = startCluster(
        { work->filePath(QStringLiteral("cluster")), { QStringLiteral("max_connections=100") } });
    LocalCluster &cluster = *started;
    QString toolsError;
    const auto tools = PostgresTools::fromDirectory(cluster.toolsDir(), &toolsError);
    if (!tools || !tools->has(QStringLiteral("psql")))
        die(QStringLiteral("psql not found next to the server (install postgresql-client-15)"));

    Bench bench(cluster, cli, tools->psql(), migrations);
    out << "FuelSync Admin migration benchmark — PostgreSQL " << tools->majorVersion() << ", "
        << QThread::idealThreadCount() << " CPU cores, stock durable server settings" << Qt::endl
        << Qt::endl;

    // Fan-out: alternate the two sides so neither always runs on a warmer machine.
    QList<qint64> ours;
    QList<qint64> baseline;
    bool identical = true;
    for (int r = 0; r < repeat; ++r) {
        const QString script = bench.prepareBaseline(QStringLiteral("bench_psql"), tenants, *work);
        const Timed psqlRun = bench.psql(QStringLiteral("bench_psql"), script);
        if (psqlRun.exitCode != 0)
            die(QStringLiteral("the psql baseline failed:\n") + psqlRun.output);
        baseline.append(psqlRun.ms);

        bench.prepareTenants(QStringLiteral("bench_ours"), tenants);
        const Timed up = bench.cli(QStringLiteral("bench_ours"),
                                   { QStringLiteral("migrate"), QStringLiteral("up"),
                                     QStringLiteral("--jobs=%1").arg(jobs) });
        if (up.exitCode != 0)
            die(QStringLiteral("fuelsync-db migrate up failed:\n") + up.output);
        ours.append(up.ms);
        const QStringList changes =
            bench.snapshot(QStringLiteral("bench_psql"), tenantName(tenants))
                .changesTo(bench.snapshot(QStringLiteral("bench_ours"), tenantName(tenants)),
                           { QStringLiteral("schema_migrations") });
        identical = identical && changes.isEmpty();
        out << "  fan-out run " << r + 1 << ": fuelsync-db " << seconds(up.ms) << ", psql "
            << seconds(psqlRun.ms) << Qt::endl;
    }

    // No-op and status on many up-to-date tenants.
    bench.prepareTenants(QStringLiteral("bench_noop"), noopTenants);
    const Timed setup = bench.cli(
        QStringLiteral("bench_noop"),
        { QStringLiteral("migrate"), QStringLiteral("up"), QStringLiteral("--jobs=%1").arg(jobs) });
    if (setup.exitCode != 0)
        die(QStringLiteral("setting up %1 tenants failed:\n%2").arg(noopTenants).arg(setup.output));
    QList<qint64> noop;
    QList<qint64> status;
    for (int r = 0; r < 5; ++r) {
        const Timed up = bench.cli(QStringLiteral("bench_noop"),
                                   { QStringLiteral("migrate"), QStringLiteral("up") });
        if (up.exitCode != 0 || !up.output.contains(QStringLiteral("Nothing to do")))
            die(QStringLiteral("no-op run did not report nothing to do:\n") + up.output);
        noop.append(up.ms);
        const Timed st = bench.cli(QStringLiteral("bench_noop"),
                                   { QStringLiteral("migrate"), QStringLiteral("status") });
        if (st.exitCode != 0 || !st.output.contains(QStringLiteral("Up to date")))
            die(QStringLiteral("status did not report up to date:\n") + st.output);
        status.append(st.ms);
    }
    const QString loop = work->filePath(QStringLiteral("naive-check.sql"));
    {
        QFile file(loop);
        file.open(QIODevice::WriteOnly);
        QTextStream s(&file);
        for (int i = 1; i <= noopTenants; ++i)
            s << "SELECT version FROM " << tenantName(i)
              << ".schema_migrations ORDER BY version;\n";
    }
    QList<qint64> naive;
    for (int r = 0; r < 5; ++r)
        naive.append(bench.psql(QStringLiteral("bench_noop"), loop).ms);

    out << Qt::endl
        << "| Figure | fuelsync-db | Baseline (same run) | Target |" << Qt::endl
        << "|---|---|---|---|" << Qt::endl;
    out << "| " << tenants << " empty tenants to latest, `migrate up --jobs=" << jobs
        << "` (median of " << repeat << ") | " << seconds(median(ours))
        << " | psql, one session, one transaction per tenant: " << seconds(median(baseline))
        << " | no slower than psql ("
        << QString::number(double(median(baseline)) / double(median(ours)), 'f', 2)
        << "× its speed) |" << Qt::endl;
    out << "| No-op `migrate up` on " << noopTenants << " up-to-date tenants (median of 5) | "
        << seconds(median(noop))
        << " | psql asking each tenant's schema_migrations in turn: " << seconds(median(naive))
        << " | under 1 s |" << Qt::endl;
    out << "| `migrate status` on " << noopTenants << " tenants (median of 5) | "
        << seconds(median(status)) << " | — | under 1 s |" << Qt::endl;
    out << Qt::endl
        << "Tenant schema built by fuelsync-db identical to psql's: " << (identical ? "yes" : "NO")
        << Qt::endl
        << "Setting up " << noopTenants << " tenants (migrate up --jobs=" << jobs
        << "): " << seconds(setup.ms) << Qt::endl;

    finishCluster(std::move(started));
    const bool met = median(ours) <= median(baseline) && median(noop) < 1000
        && median(status) < 1000 && identical;
    out << (met ? "All targets met." : "A target was missed.") << Qt::endl;
    return met ? 0 : 1;
}
