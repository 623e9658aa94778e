// Benchmark of backups (issue 6; see README, "Speed"):
//
//   set-up    a throwaway PostgreSQL cluster (kept and reused with --cluster-dir); public and
//             --tenants tenants (200) migrated and filled by fuelsync-db's comprehensive seed
//             (3 stations of 4 pumps of 2 nozzles each, --days of readings and sales);
//             VACUUM ANALYZE and a checkpoint. Not a figure, but its time is printed.
//   measured  `fuelsync-db backup run --jobs=2` (public's archive and the tenants packed into
//             4 x jobs archives, all from one snapshot, with the manifest's row counts and
//             checksums) against the baseline, one plain `pg_dump -Fc` of the whole database,
//             in the same run, alternating, --repeat times each (median): time and size.
//             Target: no slower than the baseline.
//   also      (not figures with a target) one tenant restored side by side from the last
//             backup, out of the archive it shares; and with --per-schema, the same backup
//             with an archive for every schema (--schemas-per-archive=1), once.
//
// Usage: bench_backup [--tenants 200] [--days 90] [--repeat 3] [--cluster-dir DIR]
//                     [--per-schema]

#include "BenchmarkSupport.h"
#include "backup/BackupStore.h"
#include "backup/PgDumpTool.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

using namespace fuelsync;
using namespace fuelsync::bench;

namespace {

QTextStream out(stdout);
const QString databaseName = QStringLiteral("fuelsync_bench_backup");

qint64 bytesUnder(const QString &path)
{
    qint64 total = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        total += QFileInfo(it.next()).size();
    return total;
}

QString megabytes(qint64 bytes)
{
    return fixed(double(bytes) / (1024.0 * 1024.0)) + QStringLiteral(" MB");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setProgramName(QStringLiteral("bench_backup"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchmarks fuelsync-db backup run against one pg_dump -Fc."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("tenants"), QStringLiteral("Tenants."), QStringLiteral("n"),
                       QStringLiteral("200") });
    parser.addOption({ QStringLiteral("days"), QStringLiteral("Days of readings per tenant."),
                       QStringLiteral("n"), QStringLiteral("90") });
    parser.addOption({ QStringLiteral("repeat"), QStringLiteral("Runs of each (median)."),
                       QStringLiteral("n"), QStringLiteral("3") });
    parser.addOption({ QStringLiteral("per-schema"),
                       QStringLiteral("Also time a backup with an archive for every schema.") });
    parser.addOption({ QStringLiteral("cluster-dir"),
                       QStringLiteral("Keep the cluster in DIR and reuse it when it already "
                                      "holds the tenants."),
                       QStringLiteral("dir") });
    parser.process(app);
    const int tenants = std::max(1, parser.value(QStringLiteral("tenants")).toInt());
    const int days = std::max(1, parser.value(QStringLiteral("days")).toInt());
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    const QString cli = fuelsyncCli();

    QElapsedTimer setupTimer;
    setupTimer.start();
    const auto work = workDirectory();
    auto started =
        startCluster(bigTableClusterOptions(*work, parser.value(QStringLiteral("cluster-dir"))));
    LocalCluster &cluster = *started;
    const ConnectionSettings settings = cluster.connectionSettings(databaseName);
    const bool reused =
        reuseOrCreateDatabase(cluster, databaseName, QStringLiteral("public.tenants"), tenants);
    const QStringList base { QStringLiteral("--db"), settings.conninfoWithoutPassword(),
                             QStringLiteral("--migrations"), migrationsDirectory(),
                             QStringLiteral("--quiet") };
    if (!reused) {
        for (const QStringList &command :
             { QStringList { QStringLiteral("migrate"), QStringLiteral("up") },
               QStringList { QStringLiteral("seed"), QStringLiteral("--set=comprehensive"),
                             QStringLiteral("--param"), QStringLiteral("tenants=%1").arg(tenants),
                             QStringLiteral("--param"), QStringLiteral("days=%1").arg(days),
                             QStringLiteral("--jobs=2") } }) {
            const Timed run = runProcess(cli, base + command);
            if (run.exitCode != 0)
                die(QStringLiteral("fuelsync-db %1 failed:\n%2")
                        .arg(command.join(u' '), run.output));
            out << "  " << command.join(u' ') << ": " << seconds(double(run.ms)) << Qt::endl;
        }
        auto c = DbConnection::open(settings, QStringLiteral("bench"));
        c->exec(QStringLiteral("VACUUM ANALYZE"));
        c->exec(QStringLiteral("CHECKPOINT"));
    }
    const qint64 setupMs = setupTimer.elapsed();
    QString databaseSize;
    qint64 rows = 0;
    {
        auto c = DbConnection::open(settings, QStringLiteral("bench"));
        databaseSize = c->scalar(QStringLiteral("SELECT pg_size_pretty(pg_database_size("
                                                "current_database()))"))
                           .toString();
        rows = c->scalar(QStringLiteral("SELECT sum(n_live_tup) FROM pg_stat_user_tables"))
                   .toLongLong();
        if (c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt() != tenants)
            die(QStringLiteral("the database does not hold %1 tenants").arg(tenants));
    }

    const PgDumpTool tool = PgDumpTool::locate(15);
    QList<double> baselineMs;
    QList<double> backupMs;
    qint64 baselineBytes = 0;
    qint64 backupBytes = 0;
    qsizetype archives = 0;
    QString restoreFigure;
    const QString dest = work->filePath(QStringLiteral("backups"));
    for (int r = 0; r < repeat; ++r) {
        const QString dump = work->filePath(QStringLiteral("whole.dump"));
        QFile::remove(dump);
        const Timed baseline =
            runProcess(tool.pgDump,
                       { QStringLiteral("--format=custom"), QStringLiteral("--file=") + dump,
                         QStringLiteral("--dbname=") + settings.conninfoWithoutPassword() });
        if (baseline.exitCode != 0)
            die(QStringLiteral("pg_dump failed:\n%1").arg(baseline.output));
        baselineMs.append(double(baseline.ms));
        baselineBytes = QFileInfo(dump).size();
        QFile::remove(dump);

        QDir(dest).removeRecursively();
        const Timed ours = runProcess(
            cli,
            base
                + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                QStringLiteral("--jobs=2"), QStringLiteral("--dest"), dest });
        if (ours.exitCode != 0)
            die(QStringLiteral("fuelsync-db backup run failed:\n%1").arg(ours.output));
        backupMs.append(double(ours.ms));
        backupBytes = bytesUnder(dest);
        const BackupStore store(dest);
        const QList<BackupStore::Entry> taken = store.list();
        if (taken.size() != 1 || !taken.first().manifest)
            die(QStringLiteral("backup run left no usable backup in %1").arg(dest));
        const BackupManifest &manifest = *taken.first().manifest;
        archives = manifest.archives.size();
        out << "  run " << (r + 1) << ": pg_dump -Fc " << seconds(double(baseline.ms))
            << ", backup run --jobs=2 " << seconds(double(ours.ms)) << " (" << archives
            << " archives)" << Qt::endl;
        if (r + 1 < repeat)
            continue;

        // One tenant back, side by side, out of the archive it shares with others.
        const QString tenant = manifest.schemas.at(manifest.schemas.size() / 2).name;
        const QString copy = tenant + QStringLiteral("_bench_copy");
        const Timed restore = runProcess(
            cli,
            base
                + QStringList { QStringLiteral("backup"), QStringLiteral("restore"), manifest.id,
                                QStringLiteral("--tenant"), tenant, QStringLiteral("--as"), copy,
                                QStringLiteral("--yes"), QStringLiteral("--dest"), dest });
        if (restore.exitCode != 0)
            die(QStringLiteral("fuelsync-db backup restore failed:\n%1").arg(restore.output));
        const BackupManifest::Archive *shared = manifest.archiveOf(tenant);
        restoreFigure = QStringLiteral("%1 (out of %2, which holds %3 schemas)")
                            .arg(seconds(double(restore.ms)), shared->file)
                            .arg(shared->schemas.size());
        out << "  restore of " << tenant << " side by side: " << restoreFigure << Qt::endl;
        DbConnection::open(settings, QStringLiteral("bench"))
            ->exec(QStringLiteral("DROP SCHEMA %1 CASCADE").arg(SqlIdentifier::quote(copy)));
    }
    QDir(dest).removeRecursively();
    QString perSchemaFigure;
    if (parser.isSet(QStringLiteral("per-schema"))) {
        const Timed perSchema =
            runProcess(cli,
                       base
                           + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                           QStringLiteral("--jobs=2"),
                                           QStringLiteral("--schemas-per-archive=1"),
                                           QStringLiteral("--dest"), dest });
        if (perSchema.exitCode != 0)
            die(QStringLiteral("fuelsync-db backup run failed:\n%1").arg(perSchema.output));
        perSchemaFigure = seconds(double(perSchema.ms));
        out << "  backup run --jobs=2 --schemas-per-archive=1: " << perSchemaFigure << Qt::endl;
        QDir(dest).removeRecursively();
    }

    out << Qt::endl
        << "FuelSync Admin backup benchmark: " << tenants << " tenants, " << count(rows)
        << " rows, " << databaseSize << " on disk" << Qt::endl
        << Qt::endl
        << "| Figure | fuelsync-db backup run --jobs=2 | pg_dump -Fc (whole database) |" << Qt::endl
        << "|---|---|---|" << Qt::endl
        << "| Time (median of " << repeat << ") | " << seconds(median(backupMs)) << " | "
        << seconds(median(baselineMs)) << " |" << Qt::endl
        << "| Size | " << megabytes(backupBytes) << " (" << archives
        << " archives and the manifest) | " << megabytes(baselineBytes) << " |" << Qt::endl
        << Qt::endl
        << "Not against a target: one tenant restored side by side from the last backup, "
        << restoreFigure << "." << Qt::endl;
    if (!perSchemaFigure.isEmpty())
        out << "An archive for every schema (--schemas-per-archive=1, " << (tenants + 1)
            << " archives), once: " << perSchemaFigure << "." << Qt::endl;
    out << Qt::endl
        << "Set-up: " << seconds(double(setupMs)) << (reused ? " (cluster reused)" : "")
        << Qt::endl;
    finishCluster(std::move(started));
    const bool met = median(backupMs) <= median(baselineMs);
    out << (met ? "All targets met." : "A target was missed.") << Qt::endl;
    return met ? 0 : 1;
}
