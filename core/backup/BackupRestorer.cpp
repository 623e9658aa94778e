#include "BackupRestorer.h"

#include "BackupStore.h"
#include "DurableFiles.h"
#include "PgDumpTool.h"
#include "TableRowCounts.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"
#include "migrate/RunLock.h"
#include "migrate/SchemaMigrationsTable.h"
#include "tenants/TenantRegistry.h"
#include "tenants/TenantSchemaName.h"

#include <QDir>
#include <QElapsedTimer>
#include <QLocale>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>

namespace fuelsync {

namespace {

qint64 rowsOf(const QList<BackupManifest::Table> &tables)
{
    qint64 sum = 0;
    for (const BackupManifest::Table &t : tables)
        sum += t.rows;
    return sum;
}

void runTool(const QString &program, const QStringList &arguments,
             const QProcessEnvironment &environment, const QString &what)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, arguments);
    process.waitForFinished(-1);
    if (process.error() == QProcess::FailedToStart || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        QString why = QString::fromUtf8(process.readAllStandardError()).trimmed();
        if (why.isEmpty())
            why = process.errorString();
        throw RequestError(
            QCoreApplication::translate("BackupRestorer", "%1 failed: %2").arg(what, why));
    }
}

// The rows restored into `schema`, compared with the manifest's; throws when they differ.
qint64 checkRows(DbConnection &c, const QString &schema, const BackupManifest::Schema &expected)
{
    const QList<BackupManifest::Table> counts = TableRowCounts::read(c, schema);
    for (const BackupManifest::Table &t : expected.tables) {
        const auto found =
            std::find_if(counts.cbegin(), counts.cend(),
                         [&t](const BackupManifest::Table &x) { return x.name == t.name; });
        if (found == counts.cend() || found->rows != t.rows)
            throw RequestError(QCoreApplication::translate("BackupRestorer",
                                                           "the restored %1.%2 does not hold "
                                                           "the manifest's %3 rows")
                                   .arg(schema, t.name)
                                   .arg(t.rows));
    }
    return rowsOf(counts);
}

} // namespace

QString BackupRestorer::Plan::describe() const
{
    const QLocale locale;
    QString text = tr("Restore %1 from backup %2 (version %3, %4 rows)")
                       .arg(schema, backupId, backupVersion.isEmpty() ? tr("none") : backupVersion,
                            locale.toString(backupRows));
    if (target != schema)
        text += tr(" side by side as the new schema %1; %2 is not touched").arg(target, schema);
    else if (replaces)
        text += tr(", REPLACING the schema %1 as it is now (version %2, %3 rows)")
                    .arg(target, currentVersion.isEmpty() ? tr("none") : currentVersion,
                         locale.toString(currentRows));
    else
        text += tr(" into the schema %1, which does not exist now").arg(target);
    return text + u'.';
}

BackupRestorer::Plan BackupRestorer::plan(DbConnection &connection, const QString &backupFolder,
                                          const Options &options)
{
    const QDir dir(backupFolder);
    const auto entry = BackupStore(dir.absoluteFilePath(QStringLiteral(".."))).find(dir.dirName());
    if (!entry || !entry->manifest)
        throw RequestError(
            tr("%1 is not a usable backup%2")
                .arg(backupFolder, entry ? QStringLiteral(": ") + entry->problem : QString()));
    const BackupManifest &m = *entry->manifest;
    const BackupManifest::Schema *s = m.schema(options.schema);
    if (!s)
        throw RequestError(tr("backup %1 holds no schema %2").arg(m.id, options.schema));
    if (options.schema == u"public" && !options.allowPublic)
        throw RequestError(tr("restoring public needs --public: it holds every tenant's "
                              "registry and the migration history"));
    if (options.schema == u"public" && options.as.isEmpty())
        throw RequestError(tr("public can only be restored side by side (--as NEWSCHEMA) by "
                              "this version: tenant schemas depend on its functions"));
    Plan plan;
    plan.backupId = m.id;
    plan.schema = options.schema;
    plan.target = options.as.isEmpty() ? options.schema : options.as;
    if (!options.as.isEmpty()) {
        const QString why = TenantSchemaName::check(options.as);
        if (!why.isEmpty())
            throw RequestError(tr("%1 cannot be the new schema's name: %2").arg(options.as, why));
        if (TenantRegistry::schemaExists(connection, options.as))
            throw RequestError(tr("the schema %1 exists already: restoring side by side needs a "
                                  "new name")
                                   .arg(options.as));
    }
    plan.backupVersion = s->version;
    plan.backupRows = s->rows();
    plan.replaces =
        plan.target == plan.schema && TenantRegistry::schemaExists(connection, plan.target);
    if (plan.replaces) {
        // Dropping the schema as it was must not reach into another one: a view or a foreign
        // key elsewhere that depends on it stops the restore before it starts.
        const QString dependent =
            connection
                .scalar(QStringLiteral(
                            "SELECT string_agg(DISTINCT o.nspname || '.' || o.relname, ', ') "
                            "FROM (SELECT vn.nspname, v.relname FROM pg_depend d "
                            "  JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass "
                            "  AND d.objid = r.oid JOIN pg_class v ON v.oid = r.ev_class "
                            "  JOIN pg_namespace vn ON vn.oid = v.relnamespace "
                            "  JOIN pg_class t ON d.refclassid = 'pg_class'::regclass "
                            "  AND d.refobjid = t.oid JOIN pg_namespace tn ON tn.oid = "
                            "  t.relnamespace WHERE tn.nspname = ? AND vn.nspname <> ? "
                            "  UNION ALL SELECT cn.nspname, c.relname FROM pg_constraint k "
                            "  JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON "
                            "  cn.oid = c.relnamespace JOIN pg_class f ON f.oid = k.confrelid "
                            "  JOIN pg_namespace fn ON fn.oid = f.relnamespace WHERE k.contype = "
                            "  'f' AND fn.nspname = ? AND cn.nspname <> ?) AS o"),
                        { plan.target, plan.target, plan.target, plan.target })
                .toString();
        if (!dependent.isEmpty())
            throw RequestError(tr("%1 cannot be replaced: %2 in other schemas depend on it; "
                                  "restore it side by side (--as) instead")
                                   .arg(plan.target, dependent));
        plan.currentVersion = SchemaMigrationsTable::newestVersion(connection, plan.target);
        plan.currentRows = rowsOf(TableRowCounts::read(connection, plan.target));
    }
    return plan;
}

BackupRestorer::Result BackupRestorer::restore(const ConnectionSettings &settings,
                                               const QString &backupFolder, const Options &options,
                                               const Plan &confirmed)
{
    QElapsedTimer timer;
    timer.start();
    const auto step = [&options](const QString &text) {
        if (options.progress)
            options.progress(text);
    };
    auto coordinator = DbConnection::open(settings, QStringLiteral("backup restore"));
    RunLock lock(*coordinator);
    if (!lock.tryAcquire())
        throw RequestError(tr("another run holds the lock (%1); nothing was restored")
                               .arg(lock.holderDescription()));
    Result result;
    result.plan = plan(*coordinator, backupFolder, options);
    if (result.plan.describe() != confirmed.describe())
        throw RequestError(tr("the database changed since the restore was confirmed; nothing "
                              "was restored. Now: %1")
                               .arg(result.plan.describe()));
    const QDir dir(backupFolder);
    const BackupManifest manifest =
        *BackupStore(dir.absoluteFilePath(QStringLiteral(".."))).find(dir.dirName())->manifest;
    const BackupManifest::Schema &archive = *manifest.schema(options.schema);
    const QString file = dir.filePath(archive.file);
    step(tr("checking %1").arg(archive.file));
    if (DurableFiles::sha256(file) != archive.sha256)
        throw RequestError(tr("%1 changed since the backup (its SHA-256 is not the manifest's); "
                              "nothing was restored")
                               .arg(archive.file));
    const PgDumpTool tool =
        PgDumpTool::locate(coordinator->serverVersionNumber() / 10000, options.pgBin);
    const QProcessEnvironment environment =
        PgDumpTool::environmentFor(settings, QStringLiteral("fuelsync-db backup restore"));
    const QString target = result.plan.target;
    const QString dbname = QStringLiteral("--dbname=") + settings.conninfoWithoutPassword();

    if (target != options.schema) {
        // Side by side: renamed in a scratch database, then brought over under the new name.
        const QString scratch = QStringLiteral("fuelsync_restore_%1_%2")
                                    .arg(QCoreApplication::applicationPid())
                                    .arg(QRandomGenerator::global()->bounded(1'000'000));
        const ConnectionSettings scratchSettings = settings.withDatabase(scratch);
        coordinator->exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0")
                              .arg(SqlIdentifier::quote(scratch)));
        QTemporaryDir work;
        try {
            step(tr("restoring %1 into a scratch database").arg(options.schema));
            {
                auto c = DbConnection::open(scratchSettings, QStringLiteral("backup restore"));
                if (options.schema == u"public")
                    c->exec(QStringLiteral("DROP SCHEMA public"));
            }
            runTool(tool.pgRestore,
                    { QStringLiteral("--exit-on-error"), QStringLiteral("--single-transaction"),
                      QStringLiteral("--no-password"),
                      QStringLiteral("--dbname=") + scratchSettings.conninfoWithoutPassword(),
                      file },
                    environment, tr("pg_restore into the scratch database"));
            {
                auto c = DbConnection::open(scratchSettings, QStringLiteral("backup restore"));
                c->exec(
                    QStringLiteral("ALTER SCHEMA %1 RENAME TO %2")
                        .arg(SqlIdentifier::quote(options.schema), SqlIdentifier::quote(target)));
            }
            const QString renamed = work.filePath(QStringLiteral("renamed.dump"));
            runTool(tool.pgDump,
                    { QStringLiteral("--format=custom"),
                      QStringLiteral("--schema=\"%1\"").arg(target),
                      QStringLiteral("--no-password"), QStringLiteral("--file=") + renamed,
                      QStringLiteral("--dbname=") + scratchSettings.conninfoWithoutPassword() },
                    environment, tr("pg_dump of the renamed schema"));
            step(tr("restoring it as %1").arg(target));
            runTool(tool.pgRestore,
                    { QStringLiteral("--exit-on-error"), QStringLiteral("--single-transaction"),
                      QStringLiteral("--no-password"), dbname, renamed },
                    environment, tr("pg_restore as %1").arg(target));
        } catch (...) {
            coordinator->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                                  .arg(SqlIdentifier::quote(scratch)));
            throw;
        }
        coordinator->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                              .arg(SqlIdentifier::quote(scratch)));
        try {
            result.restoredRows = checkRows(*coordinator, target, archive);
        } catch (...) {
            coordinator->exec(
                QStringLiteral("DROP SCHEMA %1 CASCADE").arg(SqlIdentifier::quote(target)));
            throw;
        }
        result.durationMs = timer.elapsed();
        return result;
    }

    // In place: the schema as it is now is kept aside until the restore is complete and checked.
    const QString aside =
        QStringLiteral("fuelsync_restore_aside_%1").arg(QCoreApplication::applicationPid());
    if (result.plan.replaces) {
        step(tr("setting %1 aside").arg(target));
        coordinator->exec(QStringLiteral("ALTER SCHEMA %1 RENAME TO %2")
                              .arg(SqlIdentifier::quote(target), SqlIdentifier::quote(aside)));
    }
    try {
        step(tr("restoring %1").arg(target));
        runTool(tool.pgRestore,
                { QStringLiteral("--exit-on-error"), QStringLiteral("--single-transaction"),
                  QStringLiteral("--no-password"), dbname, file },
                environment, tr("pg_restore of %1").arg(target));
        result.restoredRows = checkRows(*coordinator, target, archive);
    } catch (...) {
        // As it was: the restored schema (if any) goes, the old one comes back.
        coordinator->exec(
            QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(SqlIdentifier::quote(target)));
        if (result.plan.replaces)
            coordinator->exec(QStringLiteral("ALTER SCHEMA %1 RENAME TO %2")
                                  .arg(SqlIdentifier::quote(aside), SqlIdentifier::quote(target)));
        throw;
    }
    if (result.plan.replaces) {
        step(tr("dropping %1 as it was").arg(target));
        coordinator->exec(
            QStringLiteral("DROP SCHEMA %1 CASCADE").arg(SqlIdentifier::quote(aside)));
    }
    result.durationMs = timer.elapsed();
    return result;
}

} // namespace fuelsync
