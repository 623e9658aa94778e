#include "SchemaValidator.h"

#include "HealthCheck.h"
#include "IndexCheck.h"
#include "ReferenceSchema.h"
#include "RowRuleCheck.h"
#include "ValidationChecks.h"
#include "ValidationHistory.h"
#include "backup/BackupLocation.h"
#include "catalog/SchemaSnapshot.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ExitStatus.h"
#include "db/SessionOptions.h"
#include "db/SqlArray.h"
#include "db/SqlIdentifier.h"
#include "environment/EnvironmentResolver.h"
#include "migrate/MigrationState.h"
#include "migrate/MigrationStateReader.h"
#include "migrationfiles/MigrationSet.h"
#include "tenancy/TenantFanOut.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QMap>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <atomic>
#include <limits>
#include <map>
#include <utility>

namespace fuelsync {

namespace {

using Severity = ValidationFinding::Severity;

const QString &versionsCheck = ValidationChecks::versions;
const QString &driftCheck = ValidationChecks::drift;
const QString &relationshipsCheck = ValidationChecks::relationships;
const QString &indexesCheck = ValidationChecks::indexes;
const QString &commentsCheck = ValidationChecks::comments;
const QString &orphansCheck = ValidationChecks::orphans;
const QString &healthCheck = ValidationChecks::health;
using ValidationChecks::toolOwned;

// " (definition)", or nothing for an object whose kind says it all (a table, a sequence).
QString inParentheses(const QString &definition)
{
    return definition.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(definition);
}

// Kinds whose definition is a body (a view's query, a function's source): a difference is said,
// not printed.
bool opaque(const QString &kind)
{
    return kind == u"view" || kind == u"materialized-view" || kind == u"function";
}

// At most how many tenant schemas are digested in one query. Each query scans pg_class,
// pg_constraint and pg_index whole (they have no index by schema), so the schemas are split in
// as few queries as the parallel sessions need, and no more than this in one (its sort).
constexpr qsizetype fingerprintChunkMax = 500;

class Validation
{
    Q_DECLARE_TR_FUNCTIONS(SchemaValidator)

public:
    Validation(const ConnectionSettings &settings, const MigrationSet &set,
               const SchemaValidator::Options &options, JobControl &control)
        : m_settings(settings)
        , m_set(set)
        , m_options(options)
        , m_control(control)
    { }

    // The run, recorded in the history when it reached the server (a run that fails after that
    // is recorded with why, then rethrown).
    SchemaValidator::Report runAndRecord()
    {
        try {
            SchemaValidator::Report report = run();
            record(report, QString());
            return report;
        } catch (const ValidationRequestError &) {
            throw; // bad usage: nothing ran
        } catch (const JobCancelled &) {
            recordFailure(tr("cancelled"));
            throw;
        } catch (const RequestError &e) {
            recordFailure(e.message());
            throw;
        } catch (const DbError &e) {
            recordFailure(e.text());
            throw;
        }
    }

private:
    void recordFailure(const QString &error)
    {
        m_report.finishedAt = QDateTime::currentDateTimeUtc();
        record(m_report, error);
    }

    void record(SchemaValidator::Report &report, const QString &error)
    {
        if (m_options.historyRoot.isEmpty() || !m_connection)
            return;
        try {
            const BackupLocation::Identity identity = BackupLocation::identify(*m_connection);
            const ValidationHistory history(
                ValidationHistory::folderFor(m_options.historyRoot, identity.database,
                                             identity.systemIdentifier, identity.place));
            ValidationHistory::Entry entry = ValidationHistory::Entry::of(report);
            entry.error = error;
            if (history.record(entry))
                report.historyFolder = history.folder();
        } catch (const DbError &) {
            // The server went with the run: what it came to is on the terminal.
        }
    }

public:
    SchemaValidator::Report run()
    {
        m_report.startedAt = QDateTime::currentDateTimeUtc();
        m_report.runner = m_options.runner;
        const QStringList known = SchemaValidator::checkNames();
        QStringList checks = m_options.checks.isEmpty() ? known : m_options.checks;
        for (const QString &check : std::as_const(checks)) {
            if (!known.contains(check)) {
                throw ValidationRequestError(tr("there is no check named '%1'; the checks are: %2")
                                                 .arg(check, known.join(QStringLiteral(", "))));
            }
        }
        SessionOptions session;
        session.readOnly = true;
        session.statementTimeoutMs = m_options.statementTimeoutMs;
        m_sessionSettings = session.applyTo(m_settings);
        m_connection = DbConnection::open(m_sessionSettings, QStringLiteral("validate"));
        const JobControl::CancelHook hook = m_connection->cancelWith(m_control);
        m_deadline = m_options.maxSeconds > 0 ? QDeadlineTimer(qint64(m_options.maxSeconds) * 1000)
                                              : QDeadlineTimer(QDeadlineTimer::Forever);
        m_report.database = m_settings.displayName();
        m_report.checks = checks;

        m_environment = EnvironmentResolver::declared(*m_connection)
                            .value_or(DeploymentEnvironment::Development);
        m_control.setStep(tr("reading what each schema has applied"));
        try {
            m_state = MigrationStateReader::read(*m_connection, m_options.tenants);
        } catch (const RequestError &e) {
            throw ValidationRequestError(e.message()); // a tenant that is not registered
        }
        for (const SchemaState &tenant : std::as_const(m_state.tenants)) {
            if (tenant.problem.isEmpty())
                ++m_report.tenantsChecked;
        }
        // A registered tenant that cannot be read (its schema is gone) is the versions check's
        // finding; every other check says it did not check it.
        // One this login may not read is not checked at all: nothing is known of it.
        QStringList others = checks;
        others.removeAll(versionsCheck);
        for (const SchemaState &tenant : std::as_const(m_state.tenants)) {
            const QStringList &unchecked = tenant.accessDenied ? checks : others;
            if (!tenant.problem.isEmpty() && !unchecked.isEmpty())
                m_report.notChecked.append(
                    { tenant.schema, unchecked.join(QStringLiteral(", ")), tenant.problem });
        }
        if (checks.contains(versionsCheck))
            versions();
        if (checks.contains(driftCheck))
            drift();
        if (checks.contains(relationshipsCheck))
            relationships();
        if (checks.contains(indexesCheck))
            indexes();
        if (checks.contains(orphansCheck))
            orphans();
        if (checks.contains(healthCheck))
            health();
        if (checks.contains(commentsCheck))
            comments();
        m_report.finishedAt = QDateTime::currentDateTimeUtc();
        return m_report;
    }

private:
    void add(Severity severity, const QString &check, const QString &schema, const QString &object,
             const QString &problem, const QString &why, const QString &fix = {},
             bool outsideTransaction = false)
    {
        m_report.add(check, severity, schema, object, problem, why, fix, outsideTransaction,
                     std::exchange(m_pendingRows, {}));
    }

    // --- versions -------------------------------------------------------------------------

    void versions()
    {
        m_control.setStep(tr("checking versions"));
        const auto newestTenantFile = m_set.latest(MigrationScope::Tenant);
        QList<const SchemaState *> schemas { &m_state.publicSchema };
        for (const SchemaState &tenant : std::as_const(m_state.tenants)) {
            if (tenant.accessDenied)
                continue; // not checked (said in run())
            if (!tenant.problem.isEmpty()) {
                add(Severity::Error, versionsCheck, tenant.schema, QStringLiteral("schema"),
                    tenant.problem,
                    tr("a registered tenant that cannot be read is neither migrated, backed up "
                       "nor validated"));
                continue;
            }
            schemas.append(&tenant);
        }
        for (const SchemaState *schema : std::as_const(schemas)) {
            const bool isPublic = schema == &m_state.publicSchema;
            const MigrationScope scope = isPublic ? MigrationScope::Public : MigrationScope::Tenant;
            for (const AppliedMigration &applied : schema->applied) {
                const MigrationFile *file =
                    applied.version ? m_set.find(*applied.version) : nullptr;
                if (!file) {
                    add(Severity::Error, versionsCheck, schema->schema,
                        QStringLiteral("version %1").arg(applied.versionText),
                        tr("version %1 is applied but there is no migration file for it")
                            .arg(applied.versionText),
                        tr("what the schema holds cannot be traced to a file: nobody can review "
                           "it, roll it back or build it again elsewhere"));
                } else if (!applied.checksum.isEmpty() && applied.checksum != file->checksum) {
                    add(Severity::Error, versionsCheck, schema->schema,
                        QStringLiteral("version %1").arg(applied.versionText),
                        tr("the file of %1 changed after it was applied here (recorded checksum "
                           "%2…, the file's %3…)")
                            .arg(applied.versionText, applied.checksum.left(12),
                                 file->checksum.left(12)),
                        tr("the schema no longer matches what its file says; other schemas "
                           "migrated later get something else"));
                }
            }
            QStringList pending;
            for (const MigrationFile &file : m_set.migrations()) {
                if (file.scope == scope && file.appliesIn(m_environment)
                    && !schema->isApplied(file.version))
                    pending.append(file.version.text());
            }
            if (!pending.isEmpty() && !(isPublic && !schema->hasTable)) {
                add(Severity::Warning, versionsCheck, schema->schema, QStringLiteral("schema"),
                    tr("%n migration(s) not applied: %1", nullptr, int(pending.size()))
                        .arg(pending.join(QStringLiteral(", "))),
                    isPublic ? tr("public is behind the migration files")
                             : tr("this tenant is behind the files (they reach %1): it differs "
                                  "from the tenants that are up to date")
                                   .arg(newestTenantFile ? newestTenantFile->text() : QString()));
            }
        }

        // Schemas that keep the bookkeeping table of a tenant but are not registered.
        QSqlQuery query = m_connection->exec(QStringLiteral(
            "SELECT n.nspname::text FROM pg_namespace n "
            "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'schema_migrations' "
            "  AND c.relkind IN ('r', 'p') "
            "WHERE n.nspname <> 'public' AND n.nspname NOT LIKE 'pg\\_%' "
            "ORDER BY 1"));
        QStringList candidates;
        while (query.next())
            candidates.append(query.value(0).toString());
        QSet<QString> registered;
        for (const SchemaState &tenant : std::as_const(m_state.tenants))
            registered.insert(tenant.schema);
        for (const SchemaState &tenant : std::as_const(m_state.otherTenants))
            registered.insert(tenant.schema);
        for (const QString &schema : std::as_const(candidates)) {
            if (registered.contains(schema))
                continue;
            add(Severity::Warning, versionsCheck, schema, QStringLiteral("schema"),
                tr("%1 keeps schema_migrations like a tenant but is not registered in "
                   "public.tenants")
                    .arg(schema),
                tr("an unregistered tenant is never migrated or validated with the others; "
                   "register it or drop it"));
        }
    }

    // --- catalog checks over every schema at once ----------------------------------------

    // public and the tenants asked for that can be read, as a name[] literal.
    QString schemasLiteral() const
    {
        QStringList schemas { QStringLiteral("public") };
        for (const SchemaState &tenant : std::as_const(m_state.tenants)) {
            if (tenant.problem.isEmpty())
                schemas.append(tenant.schema);
        }
        return SqlArray::textLiteral(schemas);
    }

    void relationships()
    {
        m_control.setStep(tr("checking relationships"));
        QSqlQuery query = m_connection->exec(
            QStringLiteral(
                "SELECT n.nspname::text, cl.relname::text, con.conname::text, con.contype = 'f', "
                "       con.condeferrable, con.convalidated, "
                // The definition as in any schema (no "demo_001." before its own tables), so
                // that the same finding in many tenants groups.
                "       replace(pg_get_constraintdef(con.oid), quote_ident(n.nspname) || '.', '') "
                "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
                "JOIN pg_namespace n ON n.oid = cl.relnamespace "
                "WHERE n.nspname = ANY(?::name[]) "
                "  AND ((con.contype = 'f' AND NOT con.condeferrable) OR NOT con.convalidated) "
                "ORDER BY 1, 2, 3"),
            { schemasLiteral() });
        while (query.next()) {
            const QString schema = query.value(0).toString();
            const QString table = query.value(1).toString();
            if (toolOwned(table))
                continue;
            const QString constraint = query.value(2).toString();
            const bool foreignKey = query.value(3).toBool();
            const QString object = QStringLiteral("constraint %1.%2").arg(table, constraint);
            if (foreignKey && !query.value(4).toBool()) {
                add(Severity::Warning, relationshipsCheck, schema, object,
                    tr("the foreign key is not DEFERRABLE (%1)").arg(query.value(6).toString()),
                    tr("FuelSync's rule: every foreign key is deferrable, so that rows that "
                       "refer to each other can be loaded and restored in one transaction in "
                       "any order"),
                    QStringLiteral("ALTER TABLE %1 ALTER CONSTRAINT %2 DEFERRABLE INITIALLY "
                                   "IMMEDIATE;")
                        .arg(SqlIdentifier::qualified(schema, table),
                             SqlIdentifier::quote(constraint)));
            }
            if (!query.value(5).toBool()) {
                add(Severity::Warning, relationshipsCheck, schema, object,
                    tr("the constraint was added NOT VALID and never validated (%1)")
                        .arg(query.value(6).toString()),
                    tr("rows from before it was added were never checked: some may break it"),
                    QStringLiteral("ALTER TABLE %1 VALIDATE CONSTRAINT %2;")
                        .arg(SqlIdentifier::qualified(schema, table),
                             SqlIdentifier::quote(constraint)));
            }
        }
    }

    void indexes()
    {
        m_control.setStep(tr("checking indexes"));
        IndexCheck::run(*m_connection, schemasLiteral(), m_options, m_report);
    }

    void health()
    {
        HealthCheck::run(*m_connection, schemasLiteral(), m_options, m_report, m_control);
    }

    void comments()
    {
        m_control.setStep(tr("checking comments"));
        QSqlQuery query = m_connection->exec(
            QStringLiteral(
                "WITH ns AS (SELECT oid, nspname FROM pg_namespace "
                "            WHERE nspname = ANY(?::name[])) "
                "SELECT ns.nspname::text, 'table', c.relname::text "
                "FROM pg_class c JOIN ns ON ns.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND obj_description(c.oid, 'pg_class') IS NULL "
                "UNION ALL "
                "SELECT ns.nspname, 'column', c.relname || '.' || a.attname "
                "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "JOIN ns ON ns.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
                "  AND col_description(c.oid, a.attnum) IS NULL "
                "UNION ALL "
                "SELECT ns.nspname, 'constraint', c.relname || '.' || con.conname "
                "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
                "JOIN ns ON ns.oid = c.relnamespace "
                "WHERE con.contype = 'c' AND obj_description(con.oid, 'pg_constraint') IS NULL "
                "ORDER BY 1, 2, 3"),
            { schemasLiteral() });
        while (query.next()) {
            const QString schema = query.value(0).toString();
            const QString kind = query.value(1).toString();
            const QString name = query.value(2).toString();
            if (toolOwned(name))
                continue;
            add(Severity::Info, commentsCheck, schema, kind + u' ' + name, tr("no comment"),
                tr("FuelSync's rule: business rules are documented in comments, so that whoever "
                   "reads the schema (support, a new maintainer) knows what a value means"));
        }
    }

    // True once the run's time limit has passed: `schemas` are then not checked by `check`.
    bool outOfTime(const QStringList &schemas, const QString &check)
    {
        if (!m_deadline.hasExpired())
            return false;
        for (const QString &schema : schemas) {
            m_report.notChecked.append(
                { schema, check,
                  tr("not reached within the run's time limit (%1 s)").arg(m_options.maxSeconds) });
        }
        return true;
    }

    // The tenants asked for, grouped by the version they record; one with none applied is not
    // checked by `check`.
    std::map<MigrationVersion, QStringList> tenantsByVersion(const QString &check)
    {
        std::map<MigrationVersion, QStringList> byVersion;
        for (const SchemaState &tenant : std::as_const(m_state.tenants)) {
            if (!tenant.problem.isEmpty())
                continue;
            const auto at = tenant.highestApplied();
            if (!at) {
                m_report.notChecked.append(
                    { tenant.schema, check, tr("no migration is applied to this tenant") });
                continue;
            }
            byVersion[*at].append(tenant.schema);
        }
        return byVersion;
    }

    // --- orphans --------------------------------------------------------------------------

    void orphans()
    {
        if (const auto at = m_state.publicSchema.highestApplied()) {
            m_control.setStep(tr("looking for orphaned rows in public"));
            const ReferenceSchema *reference =
                referenceFor(*at, { QStringLiteral("public") }, orphansCheck);
            for (const ReferenceSchema::ForeignKey &key :
                 reference ? reference->publicForeignKeys : QList<ReferenceSchema::ForeignKey>()) {
                if (!orphansOf(QStringLiteral("public"), key))
                    break;
            }
        }
        const std::map<MigrationVersion, QStringList> byVersion = tenantsByVersion(orphansCheck);
        qint64 total = 0;
        for (const auto &[version, schemas] : byVersion)
            total += schemas.size();
        m_control.setStep(tr("looking for orphaned rows"), total);
        qint64 done = 0;
        for (const auto &[version, schemas] : byVersion) {
            if (outOfTime(schemas, orphansCheck))
                continue;
            const ReferenceSchema *reference = referenceFor(version, schemas, orphansCheck);
            if (!reference) {
                done += schemas.size();
                continue;
            }
            for (qsizetype i = 0; i < schemas.size(); ++i) {
                m_control.throwIfCancelled();
                if (outOfTime(schemas.mid(i), orphansCheck))
                    break;
                const QString &schema = schemas.at(i);
                bool read = true;
                for (const ReferenceSchema::ForeignKey &key : reference->tenantForeignKeys) {
                    if (!orphansOf(schema, key)) {
                        read = false;
                        break; // not checked: said so once
                    }
                }
                if (read) {
                    try {
                        RowRuleCheck::run(*m_connection, schema, reference->tenantSchema, m_report);
                    } catch (const DbError &e) {
                        if (m_control.isCancelled())
                            throw;
                        m_report.notChecked.append({ schema, orphansCheck, e.text() });
                    }
                }
                m_control.setProgress(++done, total);
            }
        }
    }

    // The rows of `key`'s table in `schema` whose parent is missing, whether or not the
    // constraint is still there. False when the schema could not be read to the end (a
    // timeout, a lock): it is then reported as not checked.
    bool orphansOf(const QString &schema, const ReferenceSchema::ForeignKey &key)
    {
        const QString parentSchema = key.parentInPublic ? QStringLiteral("public") : schema;
        try {
            // A table that is not there is drift's to name.
            if (!m_connection->relationExists(schema, key.table)
                || !m_connection->relationExists(parentSchema, key.parentTable))
                return true;
            QStringList present;
            QStringList matches;
            QStringList shown;
            for (qsizetype i = 0; i < key.columns.size() && i < key.parentColumns.size(); ++i) {
                const QString child = u"c." + SqlIdentifier::quote(key.columns.at(i));
                present.append(child + QStringLiteral(" IS NOT NULL"));
                matches.append(u"p." + SqlIdentifier::quote(key.parentColumns.at(i)) + u" = "
                               + child);
                shown.append(child + QStringLiteral("::text"));
            }
            // MATCH SIMPLE: a key with a NULL in it refers to nothing and is no orphan.
            QSqlQuery query = m_connection->exec(
                QStringLiteral(
                    "WITH orphans AS (SELECT concat_ws(', ', %1) AS k FROM %2 c WHERE %3 "
                    "  AND NOT EXISTS (SELECT 1 FROM %4 p WHERE %5)) "
                    "SELECT (SELECT count(*) FROM orphans), "
                    "       (SELECT string_agg(k, '; ') FROM (SELECT k FROM orphans LIMIT 10) e)")
                    .arg(shown.join(QStringLiteral(", ")),
                         SqlIdentifier::qualified(schema, key.table),
                         present.join(QStringLiteral(" AND ")),
                         SqlIdentifier::qualified(parentSchema, key.parentTable),
                         matches.join(QStringLiteral(" AND "))));
            query.next();
            const qint64 count = query.value(0).toLongLong();
            const QString examples = query.value(1).toString();
            if (count == 0)
                return true;
            QSqlQuery state = m_connection->exec(
                QStringLiteral("SELECT convalidated FROM pg_constraint WHERE contype = 'f' "
                               "AND conrelid = to_regclass(?) AND conname = ?"),
                { SqlIdentifier::qualified(schema, key.table), key.name });
            const bool exists = state.next();
            const QString constraint = !exists
                ? tr("the constraint %1 is not there: it was dropped").arg(key.name)
                : !state.value(0).toBool()
                ? tr("the constraint %1 is NOT VALID: rows from before it were never checked")
                      .arg(key.name)
                : tr("the constraint %1 is there: the rows were written with its trigger off "
                     "(session_replication_role, a restore without it)")
                      .arg(key.name);
            const int shownCount = int(std::min<qint64>(count, std::numeric_limits<int>::max()));
            const QString parent =
                (key.parentInPublic ? QStringLiteral("public.") : QString()) + key.parentTable;
            if (!key.columns.isEmpty() && key.columns.size() == key.parentColumns.size()) {
                RowFilter rows;
                rows.column = key.columns.first();
                rows.otherKeyColumns = key.columns.mid(1);
                rows.op = RowFilter::Op::HasNoParent;
                rows.parentSchema = parentSchema;
                rows.parentTable = key.parentTable;
                rows.parentColumns = key.parentColumns;
                m_pendingRows = { rows };
            }
            add(Severity::Error, orphansCheck, schema,
                QStringLiteral("constraint %1.%2").arg(key.table, key.name),
                tr("%n rows of %1 refer to no row of %2 (%3), e.g. (%4); %5", nullptr, shownCount)
                    .arg(key.table, parent, key.columns.join(QStringLiteral(", ")), examples,
                         constraint),
                tr("a row that points at nothing is left out of every join that follows the key: "
                   "reports, totals and the station graph miss it"));
            return true;
        } catch (const DbError &e) {
            if (m_control.isCancelled())
                throw;
            m_report.notChecked.append({ schema, orphansCheck, e.text() });
            return false;
        }
    }

    // --- drift ----------------------------------------------------------------------------

    const ReferenceSchema *referenceAt(const MigrationVersion &version)
    {
        const QString &key = version.key();
        const auto it = m_references.find(key);
        if (it != m_references.end())
            return &it->second;
        const QString cacheDir =
            m_options.cacheDir.isEmpty() ? ReferenceSchema::defaultCacheDir() : m_options.cacheDir;
        ReferenceSchema built = ReferenceSchema::obtain(m_settings, m_set, version,
                                                        m_connection->serverVersionNumber() / 10000,
                                                        cacheDir, m_control);
        return &m_references.emplace(key, std::move(built)).first->second;
    }

    // The reference at `version`, or null when it cannot be built (a version with no file, a
    // file that fails, a login that may not build it): then the schemas that need it are not
    // checked by `check`, said with the reason, and the run goes on with the others.
    const ReferenceSchema *referenceFor(const MigrationVersion &version, const QStringList &schemas,
                                        const QString &check)
    {
        QString reason = m_referenceFailures.value(version.key());
        if (reason.isEmpty()) {
            if (!m_set.find(version)) {
                reason = tr("version %1 is applied but has no migration file, so there is no "
                            "reference to compare with")
                             .arg(version.text());
            } else {
                try {
                    return referenceAt(version);
                } catch (const JobCancelled &) {
                    throw;
                } catch (const RequestError &e) {
                    reason = e.message();
                }
            }
            m_referenceFailures.insert(version.key(), reason);
        }
        for (const QString &schema : schemas)
            m_report.notChecked.append({ schema, check, reason });
        return nullptr;
    }

    void compare(const QString &schema, const SchemaSnapshot &live, const SchemaSnapshot &reference,
                 const QString &version, int *differing)
    {
        bool differs = false;
        const QList<SchemaSnapshot::Difference> differences = live.differencesFrom(reference);
        // An object missing or extra as a whole brings its comment along, and a relation its
        // columns, constraints, indexes and triggers: one finding, which counts them.
        QSet<QString> wholeObjects;
        QSet<QString> wholeRelations;
        static const QStringList relationKinds {
            QStringLiteral("table"), QStringLiteral("partitioned-table"), QStringLiteral("view"),
            QStringLiteral("materialized-view"), QStringLiteral("foreign-table")
        };
        for (const SchemaSnapshot::Difference &d : differences) {
            if (d.kind == u"comment" || d.change == SchemaSnapshot::Difference::Change::Different)
                continue;
            wholeObjects.insert(d.name);
            if (relationKinds.contains(d.kind))
                wholeRelations.insert(d.name);
        }
        QHash<QString, int> partsOf; // relation -> parts folded into its finding
        const auto relationOf = [&wholeRelations](const SchemaSnapshot::Difference &d) {
            const QString owner = d.name.section(u'.', 0, 0);
            return d.name.contains(u'.') && wholeRelations.contains(owner) ? owner : QString();
        };
        for (const SchemaSnapshot::Difference &d : differences) {
            if (d.change != SchemaSnapshot::Difference::Change::Different && d.kind != u"comment"
                && !relationOf(d).isEmpty())
                ++partsOf[relationOf(d)];
        }
        for (const SchemaSnapshot::Difference &d : differences) {
            if (toolOwned(d.name) || (d.kind == u"comment" && wholeObjects.contains(d.name))
                || (d.change != SchemaSnapshot::Difference::Change::Different
                    && !relationOf(d).isEmpty()))
                continue;
            const int parts = partsOf.value(d.name);
            const QString with = parts > 0 && wholeRelations.contains(d.name)
                ? tr(", with %n of its columns, constraints, indexes and triggers", nullptr, parts)
                : QString();
            differs = true;
            const QString object = d.kind + u' ' + d.name;
            const bool comment = d.kind == u"comment";
            switch (d.change) {
            case SchemaSnapshot::Difference::Change::Missing:
                add(comment ? Severity::Info : Severity::Error, driftCheck, schema, object,
                    tr("missing: the reference of %1 has %2%3%4")
                        .arg(version, object, inParentheses(d.expected), with),
                    comment ? tr("the comment documents the object's rules for whoever reads the "
                                 "schema; the files wrote it")
                            : tr("the files say it is there; code and queries written for them "
                                 "may fail or run slowly here"),
                    fixForMissing(schema, d, reference), d.kind == u"index");
                break;
            case SchemaSnapshot::Difference::Change::Extra:
                add(comment ? Severity::Info : Severity::Warning, driftCheck, schema, object,
                    tr("extra: not in the reference of %1%2%3")
                        .arg(version, inParentheses(d.actual), with),
                    tr("no migration file made it: it was changed by hand, and the next migration "
                       "or a rebuild from the files loses or trips over it"));
                break;
            case SchemaSnapshot::Difference::Change::Different:
                add(comment ? Severity::Info : Severity::Error, driftCheck, schema, object,
                    opaque(d.kind)
                        ? tr("different: its definition is not the one in the reference of %1")
                              .arg(version)
                        : tr("different: %1 here, %2 in the reference of %3")
                              .arg(d.actual, d.expected, version),
                    tr("the schema was changed by hand after its migrations ran; it behaves "
                       "unlike the tenants built from the files"),
                    fixForDifferent(schema, d, reference));
                break;
            }
        }
        if (differs && differing)
            ++*differing;
    }

    QString fixForMissing(const QString &schema, const SchemaSnapshot::Difference &d,
                          const SchemaSnapshot &reference) const
    {
        if (d.kind == u"index")
            return fixForMissingIndex(schema, d);
        // The reference's definitions name the schema's own objects without it: the fix runs
        // with the schema first on the search path (SET LOCAL: until the script's COMMIT).
        const QString path = QStringLiteral("SET LOCAL search_path = %1, public;\n")
                                 .arg(SqlIdentifier::quote(schema));
        const QString table = d.name.section(u'.', 0, 0);
        const QString name = d.name.section(u'.', 1);
        if (d.kind == u"constraint" && !name.isEmpty() && !d.expected.isEmpty()) {
            const QString qualified = SqlIdentifier::qualified(schema, table);
            const bool checked = d.expected.startsWith(QStringLiteral("FOREIGN KEY"))
                || d.expected.startsWith(QStringLiteral("CHECK"));
            if (!checked || d.expected.endsWith(QStringLiteral("NOT VALID")))
                return path
                    + QStringLiteral("ALTER TABLE %1 ADD CONSTRAINT %2 %3;")
                          .arg(qualified, SqlIdentifier::quote(name), d.expected);
            // Added NOT VALID, then validated: rows that break it make the script stop, with
            // nothing changed; the orphans check names them.
            return path
                + QStringLiteral("ALTER TABLE %1 ADD CONSTRAINT %2 %3 NOT VALID;\n"
                                 "ALTER TABLE %1 VALIDATE CONSTRAINT %2;")
                      .arg(qualified, SqlIdentifier::quote(name), d.expected);
        }
        if (d.kind == u"comment" && !d.expected.isEmpty()) {
            // What the comment is on: the reference says which kind of object has the name.
            const QString text =
                u'\'' + QString(d.expected).replace(u'\'', QStringLiteral("''")) + u'\'';
            if (reference.contains(QStringLiteral("table"), d.name))
                return QStringLiteral("COMMENT ON TABLE %1 IS %2;")
                    .arg(SqlIdentifier::qualified(schema, d.name), text);
            if (reference.contains(QStringLiteral("column"), d.name))
                return QStringLiteral("COMMENT ON COLUMN %1.%2 IS %3;")
                    .arg(SqlIdentifier::qualified(schema, table), SqlIdentifier::quote(name), text);
            if (reference.contains(QStringLiteral("constraint"), d.name))
                return QStringLiteral("COMMENT ON CONSTRAINT %1 ON %2 IS %3;")
                    .arg(SqlIdentifier::quote(name), SqlIdentifier::qualified(schema, table), text);
            if (reference.contains(QStringLiteral("index"), d.name))
                return QStringLiteral("COMMENT ON INDEX %1 IS %2;")
                    .arg(SqlIdentifier::qualified(schema, name), text);
        }
        return {};
    }

    // A foreign key or check that differs is dropped and added again as the reference has it
    // (checked as a missing one is), with its comment; other kinds are left to the maintainer
    // (a primary or unique key may have foreign keys that depend on it).
    QString fixForDifferent(const QString &schema, const SchemaSnapshot::Difference &d,
                            const SchemaSnapshot &reference) const
    {
        const QString name = d.name.section(u'.', 1);
        if (d.kind != u"constraint" || name.isEmpty()
            || !(d.expected.startsWith(QStringLiteral("FOREIGN KEY"))
                 || d.expected.startsWith(QStringLiteral("CHECK"))))
            return {};
        const QString table = SqlIdentifier::qualified(schema, d.name.section(u'.', 0, 0));
        // The same, never validated: validating it is enough, under a lock that lets reads
        // and writes go on.
        if (d.actual == d.expected + QStringLiteral(" NOT VALID"))
            return QStringLiteral("ALTER TABLE %1 VALIDATE CONSTRAINT %2;")
                .arg(table, SqlIdentifier::quote(name));
        // Dropped and added again in the script's transaction: the table stays locked (ACCESS
        // EXCLUSIVE) until its rows are checked, as README says: on a big table, a quiet hour.
        QString fix = QStringLiteral("ALTER TABLE %1 DROP CONSTRAINT %2;\n")
                          .arg(table, SqlIdentifier::quote(name))
            + fixForMissing(schema, d, reference);
        const QMap<QString, QString> comments = reference.objectsOf(QStringLiteral("comment"));
        const auto comment = comments.constFind(d.name);
        if (comment != comments.cend()) {
            SchemaSnapshot::Difference lost = d;
            lost.kind = QStringLiteral("comment");
            lost.expected = comment.value();
            fix += u'\n' + fixForMissing(schema, lost, reference);
        }
        return fix;
    }

    static QString fixForMissingIndex(const QString &schema, const SchemaSnapshot::Difference &d)
    {
        if (!d.expected.startsWith(QStringLiteral("CREATE ")))
            return {};
        // "CREATE [UNIQUE] INDEX name ON table USING ..." -> concurrently, in the live schema.
        QString sql = d.expected;
        const qsizetype index = sql.indexOf(QStringLiteral(" INDEX "));
        const qsizetype on = sql.indexOf(QStringLiteral(" ON "));
        if (index < 0 || on < 0)
            return {};
        sql.insert(on + 4, SqlIdentifier::quote(schema) + u'.');
        sql.insert(index + 7, QStringLiteral("CONCURRENTLY "));
        return sql + u';';
    }

    void drift()
    {
        // public
        if (const auto at = m_state.publicSchema.highestApplied()) {
            m_control.setStep(tr("comparing public with the reference of %1").arg(at->text()));
            const ReferenceSchema *reference =
                referenceFor(*at, { QStringLiteral("public") }, driftCheck);
            if (reference)
                comparePublic(*reference, at->text());
        } else {
            m_report.notChecked.append(
                { QStringLiteral("public"), driftCheck, tr("no migration is applied to public") });
        }
        driftOfTenants();
    }

    void comparePublic(const ReferenceSchema &reference, const QString &version)
    {
        const QHash<QString, SchemaSnapshot> live =
            SchemaSnapshot::captureEach(*m_connection, { QStringLiteral("public") });
        int differing = 0;
        compare(QStringLiteral("public"), live.value(QStringLiteral("public")),
                reference.publicSchema, version, &differing);
        m_report.summary.append(differing == 0
                                    ? tr("public matches the reference of %1").arg(version)
                                    : tr("public differs from the reference of %1").arg(version));
    }

    // Each tenant's digest against its reference's, in parallel sessions and one short row a
    // schema; only a tenant whose digest differs is read object by object and compared.
    void driftOfTenants()
    {
        const std::map<MigrationVersion, QStringList> byVersion = tenantsByVersion(driftCheck);
        qint64 done = 0;
        qint64 total = 0;
        for (const auto &[version, schemas] : byVersion)
            total += schemas.size();
        for (const auto &[version, schemas] : byVersion) {
            m_control.throwIfCancelled();
            if (outOfTime(schemas, driftCheck))
                continue;
            const ReferenceSchema *reference = referenceFor(version, schemas, driftCheck);
            if (!reference) {
                done += schemas.size();
                continue;
            }
            m_control.setStep(
                tr("comparing %n tenants with the reference of %1", nullptr, int(schemas.size()))
                    .arg(version.text()),
                total);
            // Tool-owned tables count here: a tenant whose differ only from the reference's is read
            // in full and then found to match.
            const QString &expected = reference->tenantDigest;

            QList<QStringList> chunks;
            const qsizetype jobs = std::max(1, m_options.jobs);
            const qsizetype chunkSize =
                std::clamp<qsizetype>((schemas.size() + jobs - 1) / jobs, 1, fingerprintChunkMax);
            for (qsizetype start = 0; start < schemas.size(); start += chunkSize)
                chunks.append(schemas.mid(start, chunkSize));
            struct Chunk
            {
                QHash<QString, QString> digests;
                QString error;
                bool outOfTime = false;
                bool unread = false;
            };
            std::vector<Chunk> results(size_t(chunks.size()));
            std::atomic<qint64> digested { 0 };
            {
                TenantFanOut::Options fan;
                fan.settings = m_sessionSettings;
                fan.purpose = QStringLiteral("validate");
                fan.jobs = std::max(1, m_options.jobs);
                TenantFanOut fanOut(fan);
                const JobControl::CancelHook hook =
                    m_control.onCancel([&fanOut] { fanOut.cancel(); });
                fanOut.run(
                    int(chunks.size()),
                    [&](DbConnection *session, int item, const QString &connectError) {
                        Chunk &chunk = results[size_t(item)];
                        if (m_deadline.hasExpired()) {
                            chunk.outOfTime = true;
                            return;
                        }
                        if (!session) {
                            // The server refused another session: read on the run's own,
                            // afterwards (a session belongs to the thread that opened it).
                            Q_UNUSED(connectError);
                            chunk.unread = true;
                            return;
                        }
                        try {
                            chunk.digests =
                                SchemaSnapshot::fingerprintEach(*session, chunks.at(item));
                        } catch (const DbError &e) {
                            chunk.error = e.text();
                        }
                        digested += chunks.at(item).size();
                    },
                    [&] { m_control.setProgress(done + digested.load(), total); });
            }
            m_control.throwIfCancelled();

            int differing = 0;
            QStringList differ;
            int checked = 0;
            for (qsizetype i = 0; i < chunks.size(); ++i) {
                const QStringList &chunk = chunks.at(i);
                Chunk &result = results[size_t(i)];
                done += chunk.size();
                if (result.unread) {
                    m_control.throwIfCancelled();
                    try {
                        result.digests = SchemaSnapshot::fingerprintEach(*m_connection, chunk);
                    } catch (const DbError &e) {
                        if (m_control.isCancelled())
                            throw;
                        result.error = e.text();
                    }
                }
                if (result.outOfTime) {
                    for (const QString &schema : chunk)
                        m_report.notChecked.append(
                            { schema, driftCheck,
                              tr("not reached within the run's time limit (%1 s)")
                                  .arg(m_options.maxSeconds) });
                    continue;
                }
                if (!result.error.isEmpty()) {
                    for (const QString &schema : chunk)
                        m_report.notChecked.append({ schema, driftCheck, result.error });
                    continue;
                }
                QStringList suspects;
                for (const QString &schema : chunk) {
                    if (result.digests.value(schema) != expected)
                        suspects.append(schema);
                }
                checked += int(chunk.size() - suspects.size());
                if (suspects.isEmpty())
                    continue;
                QHash<QString, SchemaSnapshot> live;
                try {
                    live = SchemaSnapshot::captureEach(*m_connection, suspects);
                } catch (const DbError &e) {
                    if (m_control.isCancelled())
                        throw;
                    for (const QString &schema : std::as_const(suspects))
                        m_report.notChecked.append({ schema, driftCheck, e.text() });
                    continue;
                }
                for (const QString &schema : std::as_const(suspects)) {
                    ++checked;
                    const int before = differing;
                    compare(schema, live.value(schema), reference->tenantSchema, version.text(),
                            &differing);
                    if (differing != before)
                        differ.append(schema);
                }
                m_control.setProgress(done, total);
            }
            const int matching = checked - differing;
            QString line =
                tr("%n tenants match the reference of %1", nullptr, matching).arg(version.text());
            if (differing > 0) {
                line += QStringLiteral("; ") + tr("%n differ", nullptr, differing)
                    + QStringLiteral(" (")
                    + QStringList(differ.mid(0, 10)).join(QStringLiteral(", "))
                    + (differ.size() > 10 ? QStringLiteral(", …") : QString()) + u')';
            }
            m_report.summary.append(line);
        }
    }

    const ConnectionSettings &m_settings;
    ConnectionSettings m_sessionSettings; // read-only, with the statement timeout
    const MigrationSet &m_set;
    const SchemaValidator::Options &m_options;
    JobControl &m_control;
    std::unique_ptr<DbConnection> m_connection;
    DatabaseMigrationState m_state;
    // The database's declared environment: a file written for another is not pending here.
    DeploymentEnvironment m_environment = DeploymentEnvironment::Development;
    std::map<QString, ReferenceSchema> m_references;
    QHash<QString, QString> m_referenceFailures; // by version key: why it cannot be built
    QDeadlineTimer m_deadline; // the run's time limit (Options::maxSeconds)
    SchemaValidator::Report m_report;
    QList<RowFilter> m_pendingRows; // the rows of the next finding added
};

} // namespace

int ValidationRequestError::exitStatus() const
{
    return ExitStatus::Usage;
}

QStringList SchemaValidator::checkNames()
{
    return { versionsCheck, driftCheck,  relationshipsCheck, indexesCheck,
             orphansCheck,  healthCheck, commentsCheck };
}

SchemaValidator::Report SchemaValidator::run(const ConnectionSettings &settings,
                                             const MigrationSet &set, const Options &options,
                                             JobControl &control)
{
    return Validation(settings, set, options, control).runAndRecord();
}

void SchemaValidator::Report::add(const QString &check, ValidationFinding::Severity severity,
                                  const QString &schema, const QString &object,
                                  const QString &problem, const QString &why, const QString &fixSql,
                                  bool fixOutsideTransaction, QList<RowFilter> rows)
{
    findings.append({ .check = check,
                      .severity = severity,
                      .schema = schema,
                      .object = object,
                      .problem = problem,
                      .why = why,
                      .fixSql = fixSql,
                      .fixOutsideTransaction = fixOutsideTransaction,
                      .rows = std::move(rows) });
}

QList<SchemaValidator::Report::Group> SchemaValidator::Report::grouped() const
{
    QList<Group> groups;
    QHash<QString, qsizetype> byKey;
    for (const ValidationFinding &f : findings) {
        const QString key = QStringList { ValidationFinding::severityName(f.severity), f.check,
                                          f.object, f.problem }
                                .join(QChar(1));
        const auto it = byKey.constFind(key);
        if (it != byKey.cend()) {
            groups[*it].schemas.append(f.schema);
            continue;
        }
        byKey.insert(key, groups.size());
        groups.append({ f, { f.schema } });
    }
    return groups;
}

QList<SchemaValidator::Report::NotCheckedGroup> SchemaValidator::Report::notCheckedGrouped() const
{
    QList<NotCheckedGroup> groups;
    for (const NotChecked &n : notChecked) {
        const auto group =
            std::find_if(groups.begin(), groups.end(), [&n](const NotCheckedGroup &g) {
                return g.check == n.check && g.reason == n.reason;
            });
        if (group == groups.end())
            groups.append({ n.check, n.reason, { n.schema } });
        else
            group->schemas.append(n.schema);
    }
    return groups;
}

QString SchemaValidator::Report::fixScript() const
{
    QStringList inTransaction;
    QStringList alone;
    for (const ValidationFinding &f : findings) {
        if (f.fixSql.isEmpty())
            continue;
        const QString entry = QStringLiteral("-- %1 %2 %3: %4\n%5\n")
                                  .arg(f.check, f.schema, f.object,
                                       QString(f.problem).replace(u'\n', u' '), f.fixSql);
        (f.fixOutsideTransaction ? alone : inTransaction).append(entry);
    }
    QString script = QStringLiteral("-- Written by fuelsync validate for %1. Review before "
                                    "running: nothing here has been run.\n")
                         .arg(database);
    script += QStringLiteral("\\set ON_ERROR_STOP on\nSET standard_conforming_strings = on;\n\n");
    if (!inTransaction.isEmpty())
        script += QStringLiteral("BEGIN;\n\n") + inTransaction.join(u'\n')
            + QStringLiteral("\nCOMMIT;\n\n");
    if (!alone.isEmpty()) {
        script +=
            QStringLiteral("-- Each of these runs outside a transaction.\n\n") + alone.join(u'\n');
    }
    return script;
}

int SchemaValidator::Report::count(ValidationFinding::Severity severity) const
{
    return int(
        std::count_if(findings.cbegin(), findings.cend(),
                      [severity](const ValidationFinding &f) { return f.severity == severity; }));
}

int SchemaValidator::Report::exitCode() const
{
    return count(Severity::Error) > 0 || !notChecked.isEmpty() ? 1 : 0;
}

QJsonObject SchemaValidator::Report::toJson() const
{
    QJsonArray findingList;
    for (const ValidationFinding &finding : findings)
        findingList.append(finding.toJson());
    QJsonArray notCheckedList;
    for (const NotChecked &n : notChecked) {
        notCheckedList.append(QJsonObject { { QStringLiteral("schema"), n.schema },
                                            { QStringLiteral("check"), n.check },
                                            { QStringLiteral("reason"), n.reason } });
    }
    return { { QStringLiteral("database"), database },
             { QStringLiteral("checks"), QJsonArray::fromStringList(checks) },
             { QStringLiteral("tenantsChecked"), tenantsChecked },
             { QStringLiteral("errors"), count(Severity::Error) },
             { QStringLiteral("warnings"), count(Severity::Warning) },
             { QStringLiteral("infos"), count(Severity::Info) },
             { QStringLiteral("summary"), QJsonArray::fromStringList(summary) },
             { QStringLiteral("findings"), findingList },
             { QStringLiteral("notChecked"), notCheckedList } };
}

} // namespace fuelsync
