#include "SchemaMigrator.h"

#include "MigrationProgress.h"
#include "catalog/SchemaSnapshot.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"
#include "migrationfiles/SchemaMigrationsTable.h"
#include "roles/SchemaGrants.h"
#include "sql/ScriptExecutor.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>

namespace fuelsync {

namespace {

// A statement that changes rows, whose count the dry run reports.
bool changesRows(const SqlStatement &statement)
{
    const QStringList words = statement.leadingWords(1);
    const QString first = words.value(0);
    return first == u"INSERT" || first == u"UPDATE" || first == u"DELETE" || first == u"MERGE";
}

// Whether a migration may have changed the session settings the runner relies on.
bool touchesSessionSettings(const QString &sql)
{
    static const QRegularExpression pattern(
        QStringLiteral(
            "search_path|lock_timeout|statement_timeout|\\brole\\b|session\\s+authorization"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(sql).hasMatch();
}

} // namespace

QString SchemaMigrator::searchPathFor(const QString &schema)
{
    if (schema == u"public")
        return QStringLiteral("public");
    return SqlIdentifier::quote(schema) + QStringLiteral(", public");
}

SchemaMigrator::SchemaMigrator(DbConnection &connection, const SchemaWork &work,
                               const Options &options)
    : m_connection(connection)
    , m_work(work)
    , m_options(options)
{
    m_outcome.schema = work.schema;
    m_outcome.displayName = work.displayName;
    m_outcome.isPublic = work.isPublic;
    for (const MigrationFile *migration : work.migrations) {
        StepOutcome step;
        step.schema = work.schema;
        step.version = migration->version.text();
        step.description = migration->description;
        m_outcome.steps.append(step);
    }
    for (const AppliedMigration &row : work.rollbacks) {
        StepOutcome step;
        step.schema = work.schema;
        step.version = row.versionText;
        step.description = row.description;
        m_outcome.steps.append(step);
    }
}

SchemaOutcome SchemaMigrator::run()
{
    QElapsedTimer timer;
    timer.start();
    if (m_options.progress)
        m_options.progress->schemaStarted(m_work.schema);
    try {
        prepareSession();
        if (m_options.direction == MigrationPlan::Direction::Up)
            applyAll();
        else
            rollBackAll();
    } catch (const DbError &error) {
        // Failed before any step started (the session could not be prepared).
        if (!m_outcome.steps.isEmpty()
            && m_outcome.steps.first().status == StepStatus::NotStarted) {
            StepOutcome &first = m_outcome.steps.first();
            fail(first, error, QString(), 0);
            finishStep(first);
            markRest(1, StepStatus::Skipped,
                     QCoreApplication::translate("SchemaMigrator",
                                                 "not run: the schema could not be prepared"));
        } else {
            m_outcome.error = error.text();
        }
    }
    m_outcome.durationMs = timer.elapsed();
    if (m_options.progress)
        m_options.progress->schemaFinished(m_outcome);
    return m_outcome;
}

void SchemaMigrator::prepareSession()
{
    // Values go through set_config() as bound parameters; the lock timeout keeps a migration from
    // queueing behind production traffic for ever.
    m_connection.exec(
        QStringLiteral("SELECT set_config('search_path', ?, false), "
                       "set_config('lock_timeout', ?, false)"),
        { searchPathFor(m_work.schema), QStringLiteral("%1ms").arg(m_options.lockTimeoutMs) });
    if (m_connection.serverVersionNumber() >= 140000) {
        // Lets the server notice a killed runner promptly and roll its transaction back.
        m_connection.exec(
            QStringLiteral("SELECT set_config('client_connection_check_interval', '2s', false)"));
    }
}

qint64 SchemaMigrator::registeredTenants()
{
    if (m_connection.scalar(QStringLiteral("SELECT to_regclass('public.tenants') IS NULL"))
            .toBool())
        return -1;
    return m_connection.scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toLongLong();
}

void SchemaMigrator::throwIfCancelled() const
{
    if (m_options.control && m_options.control->isCancelled())
        throw DbError(DbError::Kind::Cancelled,
                      QCoreApplication::translate("SchemaMigrator", "cancelled"));
}

void SchemaMigrator::runStatements(const SqlScript &script, const QString &file, StepOutcome &step)
{
    m_connection.takeNotices();
    // Collected even when a statement fails, so the report shows what the server warned about.
    struct WarningCollector
    {
        DbConnection &connection;
        StepOutcome &step;
        ~WarningCollector()
        {
            for (const QString &notice : connection.takeNotices()) {
                if (notice.startsWith(u"WARNING"))
                    step.warnings.append(notice);
            }
        }
    } collector { m_connection, step };
    ScriptExecutor::run(m_connection, script, file, m_options.control,
                        [this, &step](const SqlStatement &statement, QSqlQuery &query) {
                            if (m_options.dryRun && changesRows(statement)) {
                                step.changes.append(QCoreApplication::translate(
                                                        "SchemaMigrator", "line %1: %2 %3 rows")
                                                        .arg(statement.line)
                                                        .arg(statement.leadingWords(1).value(0))
                                                        .arg(query.numRowsAffected()));
                            }
                        });
}

QStringList SchemaMigrator::snapshotChanges(const SchemaSnapshot &before)
{
    const SchemaSnapshot after = SchemaSnapshot::capture(m_connection, { m_work.schema });
    return before.changesTo(after, { QStringLiteral("schema_migrations") });
}

void SchemaMigrator::fail(StepOutcome &step, const std::exception &error, const QString &file,
                          int line)
{
    step.status = StepStatus::Failed;
    step.file = file;
    step.line = line;
    if (const auto *db = dynamic_cast<const DbError *>(&error)) {
        step.sqlState = db->sqlState();
        step.error = db->text();
        if (db->kind() == DbError::Kind::Cancelled && m_options.control
            && m_options.control->isCancelled()) {
            step.status = StepStatus::Cancelled;
            step.error = QCoreApplication::translate("SchemaMigrator", "cancelled; rolled back");
        } else if (db->kind() == DbError::Kind::LockTimeout) {
            const QString lock = m_options.lockWaitFor
                ? m_options.lockWaitFor(m_connection.backendPid())
                : QString();
            step.error = QCoreApplication::translate(
                             "SchemaMigrator",
                             "waited longer than lock_timeout (%1 ms) for %2; nothing was changed. "
                             "Try again when the database is quieter, or raise --lock-timeout")
                             .arg(m_options.lockTimeoutMs)
                             .arg(lock.isEmpty() ? QCoreApplication::translate(
                                      "SchemaMigrator", "a lock held by another session")
                                                 : lock);
        }
    } else {
        step.error = QString::fromUtf8(error.what());
    }
}

void SchemaMigrator::finishStep(const StepOutcome &step)
{
    if (m_options.progress)
        m_options.progress->stepFinished(step);
}

void SchemaMigrator::markRest(qsizetype from, StepStatus status, const QString &note)
{
    for (qsizetype i = from; i < m_outcome.steps.size(); ++i) {
        if (m_outcome.steps[i].status != StepStatus::NotStarted)
            continue;
        m_outcome.steps[i].status = status;
        m_outcome.steps[i].note = note;
    }
}

void SchemaMigrator::applyAll()
{
    bool ensureTable = m_work.ensureTable;
    bool refreshSession = false;
    if (m_options.dryRun)
        m_connection.begin();
    for (qsizetype i = 0; i < m_work.migrations.size(); ++i) {
        const MigrationFile &migration = *m_work.migrations.at(i);
        StepOutcome &step = m_outcome.steps[i];
        const bool transactional = migration.transaction == TransactionMode::PerMigration;
        if (m_options.dryRun && !transactional) {
            step.status = StepStatus::Skipped;
            step.note = QCoreApplication::translate(
                "SchemaMigrator",
                "runs outside a transaction, so a dry run cannot try it; migrations after "
                "it were tried without its effects");
            finishStep(step);
            continue;
        }
        QElapsedTimer timer;
        timer.start();
        try {
            throwIfCancelled();
            if (refreshSession)
                prepareSession();
            if (!transactional && ensureTable) {
                Transaction bookkeeping(m_connection);
                SchemaMigrationsTable::ensure(m_connection, m_work.schema, m_work.tableExists);
                bookkeeping.commit();
                ensureTable = false;
            }
            if (transactional && !m_options.dryRun)
                m_connection.begin();
            if (ensureTable)
                SchemaMigrationsTable::ensure(m_connection, m_work.schema, m_work.tableExists);
            const SchemaSnapshot before = m_options.dryRun
                ? SchemaSnapshot::capture(m_connection, { m_work.schema })
                : SchemaSnapshot();
            runStatements(migration.script, migration.displayPath, step);
            step.durationMs = timer.elapsed();
            SchemaMigrationsTable::record(m_connection, m_work.schema, migration, step.durationMs,
                                          m_options.runner);
            // What the migration made belongs to fuelsync_owner and is readable by support,
            // committed with it.
            if (!m_options.dryRun)
                SchemaGrants::apply(m_connection, { m_work.schema });
            if (m_options.dryRun) {
                step.changes = snapshotChanges(before) + step.changes;
                step.status = StepStatus::Tried;
            } else {
                if (transactional)
                    m_connection.commit();
                step.status = StepStatus::Applied;
            }
            ensureTable = false;
            refreshSession = touchesSessionSettings(migration.sql);
        } catch (const ScriptFailure &failure) {
            step.durationMs = timer.elapsed();
            fail(step, failure.error, failure.file, failure.line);
            if (!transactional && step.status == StepStatus::Failed) {
                step.note =
                    QCoreApplication::translate(
                        "SchemaMigrator",
                        "this migration runs without a transaction: the statements before "
                        "line %1 were committed and stay. Make it safe to run again (IF NOT "
                        "EXISTS ...) before the next run")
                        .arg(failure.line);
            }
        } catch (const DbError &error) {
            step.durationMs = timer.elapsed();
            fail(step, error, migration.displayPath, 0);
        }
        if (step.status == StepStatus::Failed || step.status == StepStatus::Cancelled) {
            if (m_connection.inTransaction()) {
                try {
                    m_connection.rollback();
                } catch (const DbError &) {
                    // The session is gone; the server rolls the transaction back itself.
                }
            }
            finishStep(step);
            markRest(i + 1,
                     step.status == StepStatus::Cancelled ? StepStatus::NotStarted
                                                          : StepStatus::Skipped,
                     QCoreApplication::translate("SchemaMigrator",
                                                 "not run: %1 did not complete in this schema")
                         .arg(step.version));
            return;
        }
        finishStep(step);
    }
    if (m_options.dryRun && m_connection.inTransaction())
        m_connection.rollback();
}

void SchemaMigrator::rollBackAll()
{
    if (m_options.dryRun)
        m_connection.begin();
    for (qsizetype i = 0; i < m_work.rollbacks.size(); ++i) {
        const AppliedMigration &row = m_work.rollbacks.at(i);
        StepOutcome &step = m_outcome.steps[i];
        const QString label =
            QCoreApplication::translate("SchemaMigrator", "rollback SQL recorded for %1")
                .arg(row.versionText);
        const bool transactional = row.transactional;
        if (m_options.dryRun && !transactional) {
            step.status = StepStatus::Skipped;
            step.note = QCoreApplication::translate(
                "SchemaMigrator", "runs outside a transaction, so a dry run cannot try it");
            finishStep(step);
            continue;
        }
        QElapsedTimer timer;
        timer.start();
        try {
            throwIfCancelled();
            if (transactional && !m_options.dryRun)
                m_connection.begin();
            bool found = false;
            const QString sql = SchemaMigrationsTable::recordedRollbackSql(
                m_connection, m_work.schema, row.versionText, &found);
            if (!found)
                throw DbError(DbError::Kind::Statement,
                              QCoreApplication::translate(
                                  "SchemaMigrator", "%1 is no longer recorded as applied in %2")
                                  .arg(row.versionText, m_work.schema));
            const SqlScript script = SqlScript::parse(sql);
            if (!script.isValid())
                throw ScriptFailure { DbError(DbError::Kind::Statement,
                                              script.problems().first().message),
                                      label, script.problems().first().line };
            const SchemaSnapshot before = m_options.dryRun
                ? SchemaSnapshot::capture(m_connection, { m_work.schema })
                : SchemaSnapshot();
            const qint64 registered = m_work.isPublic && transactional ? registeredTenants() : 0;
            runStatements(script, label, step);
            // The plan refuses a rollback of public that drops the tenant registry while
            // tenants are registered, by reading its SQL; this catches what the reading misses
            // (a DROP inside a DO block, say) before it commits.
            if (registered > 0 && registeredTenants() < 0)
                throw DbError(DbError::Kind::Statement,
                              QCoreApplication::translate(
                                  "SchemaMigrator",
                                  "this rollback drops the tenant registry public.tenants, where "
                                  "%n tenants are registered: it was undone. Roll back the "
                                  "tenants (--tenant), remove them from public.tenants, then "
                                  "roll public back",
                                  nullptr, int(registered)));
            SchemaMigrationsTable::remove(m_connection, m_work.schema, row.versionText);
            step.durationMs = timer.elapsed();
            if (m_options.dryRun) {
                step.changes = snapshotChanges(before) + step.changes;
                step.status = StepStatus::Tried;
            } else {
                if (transactional)
                    m_connection.commit();
                step.status = StepStatus::RolledBack;
            }
            if (touchesSessionSettings(sql))
                prepareSession();
        } catch (const ScriptFailure &failure) {
            step.durationMs = timer.elapsed();
            fail(step, failure.error, failure.file, failure.line);
        } catch (const DbError &error) {
            step.durationMs = timer.elapsed();
            fail(step, error, label, 0);
        }
        if (step.status == StepStatus::Failed || step.status == StepStatus::Cancelled) {
            if (m_connection.inTransaction()) {
                try {
                    m_connection.rollback();
                } catch (const DbError &) { }
            }
            finishStep(step);
            markRest(
                i + 1,
                step.status == StepStatus::Cancelled ? StepStatus::NotStarted : StepStatus::Skipped,
                QCoreApplication::translate("SchemaMigrator",
                                            "not rolled back: %1 did not complete in this schema")
                    .arg(step.version));
            return;
        }
        finishStep(step);
    }
    if (m_options.dryRun && m_connection.inTransaction())
        m_connection.rollback();
}

} // namespace fuelsync
