#include "BackupRunner.h"

#include "BackupArchiveLayout.h"
#include "BackupLocation.h"
#include "BackupRunLog.h"
#include "DurableFiles.h"
#include "PgDumpTool.h"
#include "TableRowCounts.h"
#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"
#include "migrate/LockedSession.h"
#include "migrate/RunLock.h"
#include "migrationfiles/SchemaMigrationsTable.h"
#include "tenancy/TenantSchemaName.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlQuery>

#include <algorithm>
#include <fcntl.h>
#include <memory>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

namespace fuelsync {

namespace {

// The schemas to dump, as they are in the snapshot: public first, then the tenants by name.
// `registry` is given the tenants registered (with a schema) in the snapshot.
QStringList chooseSchemas(DbConnection &c, const QStringList &asked, QStringList *registry)
{
    QStringList &tenants = *registry;
    if (c.relationExists(QStringLiteral("public"), QStringLiteral("tenants"))) {
        QSqlQuery rows = c.exec(QStringLiteral("SELECT t.schema_name FROM public.tenants t "
                                               "JOIN pg_namespace n ON n.nspname = "
                                               "t.schema_name ORDER BY 1"));
        while (rows.next())
            tenants.append(rows.value(0).toString());
    }
    if (asked.isEmpty())
        return QStringList { QStringLiteral("public") } + tenants;
    QStringList chosen;
    for (const QString &schema : asked) {
        if (schema != u"public" && !tenants.contains(schema)) {
            const QString why = TenantSchemaName::check(schema);
            throw RequestError(
                why.isEmpty()
                    ? QCoreApplication::translate("BackupRunner",
                                                  "there is no tenant %1 (its schema is not in "
                                                  "public.tenants, or not there)")
                          .arg(schema)
                    : QCoreApplication::translate("BackupRunner", "%1 is not a tenant schema: %2")
                          .arg(schema, why));
        }
        if (!chosen.contains(schema))
            chosen.append(schema);
    }
    return chosen;
}

// How long the exporter's counts wait for a lock at a time.
constexpr int countLockStepMs = 500;

QString newId(const QDir &destination, const QDateTime &at)
{
    const QString base = at.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss'Z'"));
    QString id = base;
    for (int n = 2; destination.exists(id); ++n)
        id = base + u'-' + QString::number(n);
    return id;
}

// Each schema's tables' size on disk, from the planner's figures (which take no lock), to
// balance the archives.
QList<BackupArchiveLayout::SchemaSize> sizesOf(DbConnection &c, const QStringList &schemas)
{
    QSqlQuery rows = c.exec(QStringLiteral(
        "SELECT n.nspname::text, coalesce(sum(c.relpages::bigint + coalesce(t.relpages, 0)), 0) "
        "* current_setting('block_size')::bigint FROM pg_namespace n JOIN pg_class c ON "
        "c.relnamespace = n.oid AND c.relkind IN ('r', 'm', 'p') LEFT JOIN pg_class t ON t.oid = "
        "c.reltoastrelid GROUP BY 1"));
    QHash<QString, qint64> bytes;
    while (rows.next())
        bytes.insert(rows.value(0).toString(), rows.value(1).toLongLong());
    QList<BackupArchiveLayout::SchemaSize> sizes;
    for (const QString &schema : schemas)
        sizes.append({ schema, bytes.value(schema) });
    return sizes;
}

struct Dump
{
    qsizetype archive = 0; // in the manifest
    qint64 estimate = 0;
    std::unique_ptr<QProcess> process;
    QElapsedTimer timer;
};

} // namespace

BackupManifest BackupRunner::run(const ConnectionSettings &settings, const Options &options,
                                 JobControl &control)
{
    // Whatever it comes to is kept next to the backups (when their folder is there).
    BackupRunLog::Entry entry;
    entry.startedAt = QDateTime::currentDateTimeUtc();
    entry.target = settings.displayName();
    entry.runner = options.runner;
    const auto log = [&settings, &options, &entry, &control](const std::exception *error) {
        entry.finishedAt = QDateTime::currentDateTimeUtc();
        if (!options.destination.isEmpty())
            BackupRunLog(options.destination).record(entry);
        // And in the database's audit, unless the server could not be reached at all.
        const auto *db = dynamic_cast<const DbError *>(error);
        if (db && db->kind() == DbError::Kind::Connect)
            return;
        AuditEntry audit;
        audit.kind = QString::fromLatin1(AuditEntry::backupRun);
        audit.what = { { QStringLiteral("folder"), options.destination } };
        if (!entry.backupId.isEmpty())
            audit.what.insert(QStringLiteral("backup"), entry.backupId);
        if (!options.schemas.isEmpty())
            audit.what.insert(QStringLiteral("schemas"),
                              QJsonArray::fromStringList(options.schemas));
        audit.outcome =
            error ? AuditLog::outcomeOf(*error, control.isCancelled()) : AuditEntry::Outcome::Done;
        audit.error = entry.error;
        audit.durationMs = entry.startedAt.msecsTo(entry.finishedAt);
        AuditLog::recordAlone(settings, audit);
    };
    try {
        BackupManifest manifest = takeBackup(settings, options, control);
        entry.ok = true;
        entry.backupId = manifest.id;
        log(nullptr);
        return manifest;
    } catch (const RequestError &e) {
        entry.error = e.message();
        log(&e);
        throw;
    } catch (const std::exception &e) {
        entry.error = QString::fromUtf8(e.what());
        log(&e);
        throw;
    }
}

BackupManifest BackupRunner::takeBackup(const ConnectionSettings &settings, const Options &options,
                                        JobControl &control)
{
    QElapsedTimer total;
    total.start();
    BackupManifest manifest;
    manifest.startedAt = QDateTime::currentDateTimeUtc();
    manifest.jobs = std::clamp(options.jobs, 1, 64);

    // The snapshot every archive shows, kept open until each pg_dump has taken it.
    auto exporter = DbConnection::open(
        settings.withApplicationName(QStringLiteral("fuelsync-db backup")), options.runner);
    const auto cancelsExporter = exporter->cancelWith(control);
    const PgDumpTool tool =
        PgDumpTool::locate(exporter->serverVersionNumber() / 10000, options.pgBin);
    // No migration changes a schema while its archive is taken (pg_dump reads definitions from
    // the catalog as it is, not as the snapshot saw it); a migration waits, or is refused.
    RunLock lock(*exporter);
    if (!lock.tryAcquire())
        throw RunLockBusy(lock.holderDescription());
    exporter->begin();
    exporter->exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    // Idle in its transaction for the whole run: no server timeout may end it (every pg_dump
    // still to start needs its snapshot).
    exporter->exec(QStringLiteral("SET LOCAL idle_in_transaction_session_timeout = 0"));
    exporter->exec(QStringLiteral("SET LOCAL statement_timeout = 0"));
    QSqlQuery exported =
        exporter->exec(QStringLiteral("SELECT pg_export_snapshot(), now(), current_database(), "
                                      "current_setting('server_version')"));
    exported.next();
    const QString snapshot = exported.value(0).toString();
    manifest.snapshotAt = exported.value(1).toDateTime();
    manifest.database = exported.value(2).toString();
    manifest.serverVersion = exported.value(3).toString().section(u' ', 0, 0);
    manifest.target = settings.displayName();
    manifest.systemIdentifier = BackupLocation::identify(*exporter).systemIdentifier;
    manifest.pgDumpVersion = tool.versionText;
    manifest.allSchemas = options.schemas.isEmpty();
    const QStringList schemas = chooseSchemas(*exporter, options.schemas, &manifest.registry);
    if (options.snapshotTaken)
        options.snapshotTaken();

    if (options.destination.isEmpty())
        throw RequestError(tr("no folder to keep backups in was given"));
    QDir destination(options.destination);
    if (!DurableFiles::makePrivateFolder(destination.absolutePath()))
        throw RequestError(
            tr("cannot create the backup folder %1").arg(destination.absolutePath()));
    manifest.id = newId(destination, manifest.startedAt);
    const QString partial =
        destination.filePath(QLatin1String(partialPrefix) + manifest.id + u'-'
                             + QString::number(QCoreApplication::applicationPid()));
    if (!DurableFiles::makePrivateFolder(partial))
        throw RequestError(tr("cannot create %1").arg(partial));
    // Held while the run lives: a prune tells a run that died from one that goes on by it.
    const int lockFile =
        ::open(QFile::encodeName(QDir(partial).filePath(QLatin1String(runLockName))).constData(),
               O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (lockFile < 0 || ::flock(lockFile, LOCK_EX | LOCK_NB) != 0)
        throw RequestError(tr("cannot lock %1").arg(partial));
    const auto unlock = qScopeGuard([lockFile] { ::close(lockFile); });
    std::vector<Dump> dumps;
    const auto discard = [&] {
        for (Dump &d : dumps) {
            if (d.process && d.process->state() != QProcess::NotRunning) {
                d.process->kill();
                d.process->waitForFinished(5000);
            }
        }
        QDir(partial).removeRecursively();
    };

    try {
        const QProcessEnvironment environment =
            PgDumpTool::environmentFor(settings, QStringLiteral("fuelsync-db backup"));
        const ConnectionSettings dumpSettings =
            PgDumpTool::toolSettings(settings, exporter->serverVersionNumber());
        const QList<BackupArchiveLayout::Archive> layout = BackupArchiveLayout::plan(
            sizesOf(*exporter, schemas), manifest.jobs, options.schemasPerArchive);
        for (const QString &schema : schemas)
            manifest.schemas.append({ schema, QString(), QString(), {} });
        for (const BackupArchiveLayout::Archive &a : layout) {
            BackupManifest::Archive archive;
            archive.file = a.file;
            archive.schemas = a.schemas;
            for (const QString &schema : a.schemas)
                manifest.schemas[schemas.indexOf(schema)].archive = a.file;
            Dump d;
            d.archive = manifest.archives.size();
            d.estimate = a.bytes;
            manifest.archives.append(archive);
            dumps.push_back(std::move(d));
        }
        // The largest first, so no large one is left running alone at the end.
        std::stable_sort(dumps.begin(), dumps.end(),
                         [](const Dump &a, const Dump &b) { return a.estimate > b.estimate; });
        const auto describe = [&manifest](const Dump &d) {
            const BackupManifest::Archive &a = manifest.archives.at(d.archive);
            return a.schemas.size() == 1
                ? a.schemas.first()
                : tr("%1 (%n schema(s))", nullptr, int(a.schemas.size())).arg(a.file);
        };
        const auto start = [&](Dump &d) {
            d.process = std::make_unique<QProcess>();
            d.process->setProcessEnvironment(environment);
            d.process->setStandardInputFile(QProcess::nullDevice());
            d.process->setStandardOutputFile(QProcess::nullDevice());
            PgDumpTool::ownProcessGroup(*d.process);
            const BackupManifest::Archive &a = manifest.archives.at(d.archive);
            QStringList arguments { QStringLiteral("--format=custom") };
            for (QString pattern : a.schemas) {
                // A pattern in double quotes matches exactly that name.
                pattern.replace(u'"', QStringLiteral("\"\""));
                arguments.append(QStringLiteral("--schema=\"%1\"").arg(pattern));
            }
            arguments << QStringLiteral("--snapshot=") + snapshot
                      << QStringLiteral("--lock-wait-timeout=%1s").arg(options.lockWaitSeconds)
                      << QStringLiteral("--no-password")
                      << QStringLiteral("--file=") + QDir(partial).filePath(a.file)
                      << QStringLiteral("--dbname=") + dumpSettings.conninfoWithoutPassword();
            d.timer.start();
            d.process->start(tool.pgDump, arguments);
        };
        // The counts wait for a locked table in short steps, so a cancel is seen while they
        // wait.
        exporter->exec(QStringLiteral("SET LOCAL lock_timeout = '%1ms'").arg(countLockStepMs));
        const qsizetype count = qsizetype(dumps.size());
        qsizetype next = 0;
        int running = 0;
        int done = 0;
        // What the snapshot holds, one schema at a time, while archives are written.
        qsizetype counted = 0;
        const auto countNext = [&] {
            BackupManifest::Schema &entry = manifest.schemas[counted];
            QElapsedTimer waited;
            waited.start();
            for (;;) {
                exporter->exec(QStringLiteral("SAVEPOINT fuelsync_count"));
                try {
                    entry.version = SchemaMigrationsTable::newestVersion(*exporter, entry.name);
                    entry.tables = TableRowCounts::read(*exporter, entry.name);
                    exporter->exec(QStringLiteral("RELEASE SAVEPOINT fuelsync_count"));
                    break;
                } catch (const DbError &e) {
                    // A table locked by someone else (lock_not_available): the snapshot stays,
                    // and the count is tried again until the run's lock wait is over.
                    if (e.sqlState() != u"55P03")
                        throw;
                    exporter->exec(QStringLiteral("ROLLBACK TO SAVEPOINT fuelsync_count"));
                }
                control.throwIfCancelled(tr("the backup was cancelled; nothing was kept"));
                if (waited.elapsed() > qint64(options.lockWaitSeconds) * 1000)
                    throw RequestError(tr("a table of %1 stayed locked for more than %2 s; "
                                          "nothing was kept")
                                           .arg(entry.name)
                                           .arg(options.lockWaitSeconds));
            }
            ++counted;
        };
        control.setStep(tr("Backing up %n archive(s)", nullptr, int(count)), count);
        while (done < count) {
            control.throwIfCancelled(tr("the backup was cancelled; nothing was kept"));
            while (running < manifest.jobs && next < count) {
                start(dumps[size_t(next++)]);
                ++running;
            }
            if (counted < schemas.size())
                countNext();
            for (qsizetype i = 0; i < next; ++i) {
                Dump &d = dumps[size_t(i)];
                if (!d.process) // done with
                    continue;
                if (d.process->state() != QProcess::NotRunning
                    && !d.process->waitForFinished(running > 1 ? 20 : 200))
                    continue;
                --running;
                ++done;
                BackupManifest::Archive &archive = manifest.archives[d.archive];
                if (d.process->error() == QProcess::FailedToStart
                    || d.process->exitStatus() != QProcess::NormalExit
                    || d.process->exitCode() != 0) {
                    const QString why =
                        QString::fromUtf8(d.process->readAllStandardError()).trimmed();
                    throw RequestError(
                        tr("pg_dump of %1 failed: %2; nothing was kept")
                            .arg(describe(d), why.isEmpty() ? d.process->errorString() : why));
                }
                archive.dumpMs = d.timer.elapsed();
                const QString path = QDir(partial).filePath(archive.file);
                archive.sha256 = DurableFiles::sha256(path, &archive.bytes);
                if (archive.sha256.isEmpty() || !DurableFiles::syncFile(path))
                    throw RequestError(tr("cannot read back %1").arg(path));
                d.process.reset();
                control.itemDone(false, describe(d));
            }
        }
        while (counted < schemas.size())
            countNext();
        exporter->rollback();

        manifest.finishedAt = QDateTime::currentDateTimeUtc();
        manifest.durationMs = total.elapsed();
        if (!manifest.writeTo(partial))
            throw RequestError(tr("cannot write the manifest in %1").arg(partial));
        const QString complete = destination.filePath(manifest.id);
        // The lock file stays until the rename: a run killed before it leaves a partial folder
        // whose lock is free, which prune clears.
        if (!DurableFiles::syncDirectory(partial) || !QDir().rename(partial, complete))
            throw RequestError(tr("cannot put the backup in place as %1").arg(complete));
        QFile::remove(QDir(complete).filePath(QLatin1String(runLockName)));
    } catch (...) {
        discard();
        // Cancelled on the server (a count cancelled mid-statement): said as a cancel.
        if (control.isCancelled())
            throw JobCancelled(tr("the backup was cancelled; nothing was kept"));
        throw;
    }
    // The rename itself, on the disk.
    DurableFiles::syncDirectory(destination.absolutePath());
    return manifest;
}

} // namespace fuelsync
