#include "BackupRestorer.h"

#include "BackupSchemaSelection.h"
#include "BackupStore.h"
#include "DurableFiles.h"
#include "PgDumpTool.h"
#include "TableRowCounts.h"
#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ScratchDatabase.h"
#include "db/SqlIdentifier.h"
#include "migrate/LockedSession.h"
#include "migrate/MigrationRunner.h"
#include "migrate/RunLock.h"
#include "migrationfiles/SchemaMigrationsTable.h"
#include "roles/SchemaGrants.h"
#include "tenancy/TenantSchemaName.h"
#include "tenants/TenantRegistry.h"

#include <QDir>
#include <QElapsedTimer>
#include <QLocale>
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
             const QProcessEnvironment &environment, const QString &what, const JobControl &control)
{
    const PgDumpTool::Run run = PgDumpTool::run(program, arguments, environment, &control);
    if (run.cancelled)
        throw JobCancelled(QCoreApplication::translate(
            "BackupRestorer", "the restore was cancelled; nothing was changed"));
    if (!run.ok)
        throw RequestError(
            QCoreApplication::translate("BackupRestorer", "%1 failed: %2").arg(what, run.error));
}

// The rows restored into `schema`, compared with the manifest's; throws when they differ.
qint64 checkRows(DbConnection &c, const QString &schema, const BackupManifest::Schema &expected)
{
    const QStringList differ = TableRowCounts::differences(c, schema, expected.tables);
    if (!differ.isEmpty())
        throw RequestError(QCoreApplication::translate("BackupRestorer",
                                                       "the restored %1 does not hold the "
                                                       "manifest's rows: %2")
                               .arg(schema, differ.join(QStringLiteral("; "))));
    return expected.rows();
}

// GRANT statements that give the schema `to` the privileges `schema` has in `c`.
QStringList schemaGrants(DbConnection &c, const QString &schema, const QString &to)
{
    QSqlQuery rows = c.exec(QStringLiteral("SELECT a.grantee = 0, r.rolname::text, "
                                           "a.privilege_type, a.is_grantable FROM pg_namespace "
                                           "n CROSS JOIN aclexplode(n.nspacl) a LEFT JOIN "
                                           "pg_roles r ON r.oid = a.grantee WHERE n.nspname = ? "
                                           "ORDER BY a.grantee <> n.nspowner, 2, 3"),
                            { schema });
    QStringList grants;
    while (rows.next()) {
        const QString privilege = rows.value(2).toString();
        if (privilege != u"USAGE" && privilege != u"CREATE")
            continue;
        const QString grantee = rows.value(0).toBool()
            ? QStringLiteral("PUBLIC")
            : SqlIdentifier::quote(rows.value(1).toString());
        grants.append(
            QStringLiteral("GRANT ") + privilege + QStringLiteral(" ON SCHEMA ")
            + SqlIdentifier::quote(to) + QStringLiteral(" TO ") + grantee
            + (rows.value(3).toBool() ? QStringLiteral(" WITH GRANT OPTION") : QString()));
    }
    return grants;
}

// public in place puts the tenant registry back as it was: a tenant registered since (its schema
// there, its row in public.tenants now but not in the backup's) would be cut off from the
// platform. That is refused, naming them.
void refuseToUnregisterTenants(DbConnection &c, const QString &staged)
{
    if (!c.relationExists(QStringLiteral("public"), QStringLiteral("tenants")))
        return;
    // A backup whose public has no registry would unregister every tenant.
    const QString missing = c.relationExists(staged, QStringLiteral("tenants"))
        ? QStringLiteral("NOT EXISTS (SELECT FROM %1.tenants b WHERE b.schema_name = "
                         "t.schema_name)")
              .arg(SqlIdentifier::quote(staged))
        : QStringLiteral("true");
    const QString lost =
        c.scalar(QStringLiteral("SELECT string_agg(t.schema_name, ', ' ORDER BY t.schema_name) "
                                "FROM public.tenants t JOIN pg_namespace n ON n.nspname = "
                                "t.schema_name WHERE ")
                 + missing)
            .toString();
    if (!lost.isEmpty())
        throw RequestError(QCoreApplication::translate("BackupRestorer",
                                                       "public cannot be put back as the "
                                                       "backup has it: the tenants %1 were "
                                                       "registered since and would no longer "
                                                       "be; nothing was changed. Restore it "
                                                       "side by side (--as) and copy back the "
                                                       "rows you need")
                               .arg(lost));
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
    else if (replaces) {
        text += tr(", REPLACING the schema %1 as it is now (version %2, %3 rows)")
                    .arg(target, currentVersion.isEmpty() ? tr("none") : currentVersion,
                         locale.toString(currentRows));
        if (target == u"public")
            text += tr("; the tenant registry, the platform's users and public's migration "
                       "history go back to the backup's, and every tenant schema stays as it is "
                       "now");
    } else
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
        // Dropping the schema as it was must not reach into another one: anything elsewhere
        // that depends on an object in it (a view, a key, a column of its type, a default
        // calling its sequence or function, a trigger) stops the restore before it starts.
        const QString dependent =
            connection
                .scalar(QStringLiteral(
                            "SELECT string_agg(DISTINCT (pg_identify_object(p.classid, p.objid, "
                            "0)).identity, ', ') FROM pg_depend p WHERE p.deptype IN ('n', 'a') "
                            "AND ((pg_identify_object(p.refclassid, p.refobjid, 0)).schema = ? "
                            // Or on the schema itself: an extension installed in it (which
                            // dropping the old schema would take away), a publication of it;
                            // default privileges set in it are its own.
                            "OR (p.refclassid = 'pg_namespace'::regclass AND p.refobjid = "
                            "(SELECT oid FROM pg_namespace WHERE nspname = ?) AND p.classid <> "
                            "'pg_default_acl'::regclass)) "
                            "AND coalesce((pg_identify_object(p.classid, p.objid, 0)).schema, "
                            // Objects of a table have its schema.
                            "CASE p.classid WHEN 'pg_trigger'::regclass THEN (SELECT "
                            "c.relnamespace::regnamespace::text FROM pg_trigger x JOIN pg_class "
                            "c ON c.oid = x.tgrelid WHERE x.oid = p.objid) "
                            "WHEN 'pg_rewrite'::regclass THEN (SELECT "
                            "c.relnamespace::regnamespace::text FROM pg_rewrite x JOIN pg_class "
                            "c ON c.oid = x.ev_class WHERE x.oid = p.objid) "
                            "WHEN 'pg_attrdef'::regclass THEN (SELECT "
                            "c.relnamespace::regnamespace::text FROM pg_attrdef x JOIN pg_class "
                            "c ON c.oid = x.adrelid WHERE x.oid = p.objid) "
                            "WHEN 'pg_constraint'::regclass THEN (SELECT "
                            "x.connamespace::regnamespace::text FROM pg_constraint x WHERE "
                            "x.oid = p.objid) "
                            "WHEN 'pg_policy'::regclass THEN (SELECT "
                            "c.relnamespace::regnamespace::text FROM pg_policy x JOIN pg_class "
                            "c ON c.oid = x.polrelid WHERE x.oid = p.objid) END) "
                            "IS DISTINCT FROM ?"),
                        { plan.target, plan.target, plan.target })
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
                                               const Plan &confirmed, JobControl &control)
{
    QElapsedTimer timer;
    timer.start();
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::restore);
    entry.what = { { QStringLiteral("backup"), confirmed.backupId },
                   { QStringLiteral("schema"), confirmed.schema },
                   { QStringLiteral("as"), confirmed.target },
                   { QStringLiteral("replaces"), confirmed.replaces },
                   { QStringLiteral("folder"), QDir(backupFolder).absolutePath() } };
    try {
        Result result = restoreUnrecorded(settings, backupFolder, options, confirmed, control);
        entry.what.insert(QStringLiteral("rows"), double(result.restoredRows));
        entry.durationMs = timer.elapsed();
        AuditLog::recordAlone(settings, entry);
        return result;
    } catch (const RunLockBusy &) {
        throw; // another run holds the lock: nothing was tried
    } catch (const std::exception &error) {
        entry.outcome = AuditLog::outcomeOf(error, control.isCancelled());
        if (const auto *request = dynamic_cast<const RequestError *>(&error))
            entry.error = request->message();
        else if (const auto *db = dynamic_cast<const DbError *>(&error))
            entry.error = db->text();
        else
            entry.error = QString::fromUtf8(error.what());
        entry.durationMs = timer.elapsed();
        AuditLog::recordAlone(settings, entry);
        throw;
    }
}

BackupRestorer::Result BackupRestorer::restoreUnrecorded(const ConnectionSettings &settings,
                                                         const QString &backupFolder,
                                                         const Options &options,
                                                         const Plan &confirmed, JobControl &control)
{
    QElapsedTimer timer;
    timer.start();
    const auto step = [&control](const QString &text) {
        control.throwIfCancelled(tr("the restore was cancelled; nothing was changed"));
        control.setStep(text);
    };
    auto coordinator = DbConnection::open(settings, QStringLiteral("backup restore"));
    RunLock lock(*coordinator);
    if (!lock.tryAcquire())
        throw RunLockBusy(lock.holderDescription());
    Result result;
    result.plan = plan(*coordinator, backupFolder, options);
    if (!result.plan.sameAs(confirmed))
        throw RequestError(tr("the database changed since the restore was confirmed; nothing "
                              "was restored. Now: %1")
                               .arg(result.plan.describe()));
    const QDir dir(backupFolder);
    const BackupManifest manifest =
        *BackupStore(dir.absoluteFilePath(QStringLiteral(".."))).find(dir.dirName())->manifest;
    const BackupManifest::Schema &expected = *manifest.schema(options.schema);
    const BackupManifest::Archive &archive = *manifest.archiveOf(options.schema);
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
    const bool inPlace = target == options.schema;
    // The archive first comes back under a name of its own (for a side-by-side restore, the new
    // name; in place, a staging name), so the live schema is not touched until it is complete.
    const QString staged =
        inPlace ? stagingPrefix() + QString::number(QCoreApplication::applicationPid()) : target;
    if (TenantRegistry::schemaExists(*coordinator, staged))
        throw RequestError(tr("the schema %1 is left from an earlier restore that did not "
                              "finish; look at it and drop it, then restore again")
                               .arg(staged));

    // Restored into a scratch database (dropped when its block ends), renamed there, dumped
    // again and brought over.
    bool broughtOver = false;
    try {
        const ScratchDatabase scratch(settings, QStringLiteral("fuelsync_restore_"));
        const QString scratchDb =
            QStringLiteral("--dbname=") + scratch.settings().conninfoWithoutPassword();
        QTemporaryDir work;
        step(tr("restoring %1 into a scratch database").arg(options.schema));
        QStringList arguments { QStringLiteral("--exit-on-error"),
                                QStringLiteral("--single-transaction"),
                                QStringLiteral("--no-password"), scratchDb };
        QString publicOwner;
        QStringList publicGrants;
        if (options.schema == u"public") {
            // Into the scratch database's own public, as pg_dump means it to be restored: its
            // privileges are those of a new database changed by the archive's.
            const QString listFile = work.filePath(QStringLiteral("public.list"));
            publicOwner = BackupSchemaSelection::writeWithoutDefinition(tool, environment, file,
                                                                        options.schema, listFile);
            arguments.append(QStringLiteral("--use-list=") + listFile);
            // Its owner as the archive has it, before the archive's GRANTs and REVOKEs (as
            // pg_dump orders them).
            if (!publicOwner.isEmpty())
                DbConnection::open(scratch.settings(), QStringLiteral("backup restore"))
                    ->exec(QStringLiteral("ALTER SCHEMA public OWNER TO %1")
                               .arg(SqlIdentifier::quote(publicOwner)));
        } else if (archive.schemas.size() > 1) {
            // Only this schema comes out of an archive it shares with others.
            const QString list = work.filePath(QStringLiteral("selection.list"));
            BackupSchemaSelection::write(tool, environment, file, options.schema, list);
            arguments.append(QStringLiteral("--use-list=") + list);
        }
        runTool(tool.pgRestore, arguments + QStringList { file }, environment,
                tr("pg_restore into the scratch database"), control);
        {
            auto restored =
                DbConnection::open(scratch.settings(), QStringLiteral("backup restore"));
            // public keeps its initial privileges' record under its own oid, so pg_dump of it
            // renamed leaves them out: they are carried over by hand.
            if (options.schema == u"public")
                publicGrants = schemaGrants(*restored, options.schema, staged);
            restored->exec(
                QStringLiteral("ALTER SCHEMA %1 RENAME TO %2")
                    .arg(SqlIdentifier::quote(options.schema), SqlIdentifier::quote(staged)));
        }
        const QString renamed = work.filePath(QStringLiteral("renamed.dump"));
        runTool(tool.pgDump,
                { QStringLiteral("--format=custom"), QStringLiteral("--schema=\"%1\"").arg(staged),
                  QStringLiteral("--no-password"), QStringLiteral("--file=") + renamed, scratchDb },
                environment, tr("pg_dump of the restored schema"), control);
        step(tr("bringing it over as %1").arg(staged));
        runTool(tool.pgRestore,
                { QStringLiteral("--exit-on-error"), QStringLiteral("--single-transaction"),
                  QStringLiteral("--no-password"),
                  QStringLiteral("--dbname=") + settings.conninfoWithoutPassword(), renamed },
                environment, tr("pg_restore as %1").arg(staged), control);
        broughtOver = true;
        for (const QString &grant : std::as_const(publicGrants))
            coordinator->exec(grant);
        {
            // The counts may be long: a cancel stops them (never the clean-up below).
            const auto cancelsCount = coordinator->cancelWith(control);
            result.restoredRows = checkRows(*coordinator, staged, expected);
        }
    } catch (...) {
        if (broughtOver)
            coordinator->exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE")
                                  .arg(SqlIdentifier::quote(staged)));
        throw;
    }
    if (!inPlace) {
        // A copy side by side is FuelSync's like any tenant schema: fuelsync_owner's, readable by
        // support.
        // The copy is complete and committed: a grant that fails leaves it with pg_restore's
        // owners, and the restore stands.
        try {
            Transaction grants(*coordinator);
            SchemaGrants::apply(*coordinator, { staged });
            grants.commit();
        } catch (const DbError &) {
            // roles setup grants it again
        }
        result.durationMs = timer.elapsed();
        return result;
    }

    // In place: one transaction sets the live schema aside, puts the restored one in its place
    // and drops the old one; it either all happens or none of it does.
    step(tr("putting the restored %1 in place").arg(target));
    const QString aside = asidePrefix() + QString::number(QCoreApplication::applicationPid());
    try {
        Transaction swap(*coordinator);
        // A cancel while it waits for the tenant's tables rolls the swap back; it is released
        // before the clean-up below.
        const auto cancelsSwap = coordinator->cancelWith(control);
        coordinator->exec(
            QStringLiteral("SET LOCAL lock_timeout = '%1ms'").arg(options.lockTimeoutMs));
        if (result.plan.replaces) {
            // No write lands in the old tables once this holds; those in flight finish first.
            QSqlQuery tables = coordinator->exec(
                QStringLiteral("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                               "? AND c.relkind IN ('r', 'p') ORDER BY 1"),
                { target });
            QStringList names;
            while (tables.next())
                names.append(tables.value(0).toString());
            if (!names.isEmpty())
                coordinator->exec(QStringLiteral("LOCK TABLE %1 IN ACCESS EXCLUSIVE MODE")
                                      .arg(names.join(QStringLiteral(", "))));
            // No tenant registers while public.tenants is locked: what is registered now is
            // what would be lost.
            if (target == u"public")
                refuseToUnregisterTenants(*coordinator, staged);
            coordinator->exec(QStringLiteral("ALTER SCHEMA %1 RENAME TO %2")
                                  .arg(SqlIdentifier::quote(target), SqlIdentifier::quote(aside)));
        }
        coordinator->exec(QStringLiteral("ALTER SCHEMA %1 RENAME TO %2")
                              .arg(SqlIdentifier::quote(staged), SqlIdentifier::quote(target)));
        if (result.plan.replaces)
            coordinator->exec(
                QStringLiteral("DROP SCHEMA %1 CASCADE").arg(SqlIdentifier::quote(aside)));
        SchemaGrants::apply(*coordinator, { target });
        swap.commit();
    } catch (...) {
        try {
            coordinator->exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE")
                                  .arg(SqlIdentifier::quote(staged)));
        } catch (const std::exception &) {
            // The session is gone: the staged schema stays, under its own name (plan() names it).
        }
        throw;
    }
    result.durationMs = timer.elapsed();
    return result;
}

std::optional<MigrationVersion> BackupRestorer::migrationsAhead(const Plan &plan,
                                                                const MigrationSet &set)
{
    if (plan.target != plan.schema)
        return std::nullopt;
    const MigrationScope scope =
        plan.schema == u"public" ? MigrationScope::Public : MigrationScope::Tenant;
    std::optional<MigrationVersion> newest = set.latest(scope);
    const auto restored = MigrationVersion::parse(plan.backupVersion);
    if (!newest || (restored && !(*restored < *newest)))
        return std::nullopt;
    return newest;
}

QString BackupRestorer::stagingPrefix()
{
    return QStringLiteral("fuelsync_restore_staged_");
}

QString BackupRestorer::asidePrefix()
{
    return QStringLiteral("fuelsync_restore_aside_");
}

bool BackupRestorer::Plan::sameAs(const Plan &other) const
{
    return backupId == other.backupId && schema == other.schema && target == other.target
        && replaces == other.replaces && currentVersion == other.currentVersion;
}

} // namespace fuelsync
