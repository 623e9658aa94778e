#include "SeedRunner.h"

#include "audit/AuditLog.h"
#include "db/DbConnection.h"
#include "db/ExitStatus.h"
#include "db/SqlIdentifier.h"
#include "migrate/LockedSession.h"
#include "migrate/MigrationRunner.h"
#include "migrate/MigrationStateReader.h"
#include "migrate/SchemaMigrator.h"
#include "migrationfiles/MigrationSet.h"
#include "sql/ScriptExecutor.h"
#include "tenancy/TenantFanOut.h"
#include "tenancy/TenantSchemaName.h"
#include "tenants/TenantRegistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>

namespace fuelsync {

namespace {

// Puts the seed's params and the schema's search_path into the session.
void prepareSession(DbConnection &connection, const QList<QPair<QString, QString>> &params,
                    const QString &schema, int lockTimeoutMs)
{
    for (const auto &param : params) {
        connection.exec(QStringLiteral("SELECT set_config(?, ?, false)"),
                        { QString(QStringLiteral("fuelsync.seed.") + param.first), param.second });
    }
    connection.exec(
        QStringLiteral("SELECT set_config('search_path', ?, false), "
                       "set_config('lock_timeout', ?, false)"),
        { SchemaMigrator::searchPathFor(schema), QStringLiteral("%1ms").arg(lockTimeoutMs) });
}

// Gathers the planner's statistics for the schema's tables after a seed filled them, as one
// does after a bulk load: estimates (the browser's row counts, the grid's scrollbar) and plans
// then reflect the data instead of an empty table. Inside the seed's transaction, whose own rows
// ANALYZE counts: the statistics commit with the data, or neither does.
void analyzeSchema(DbConnection &connection, const QString &schema)
{
    QSqlQuery tables = connection.exec(
        QStringLiteral("SELECT c.relname::text FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm') ORDER BY 1"),
        { schema });
    QStringList names;
    while (tables.next())
        names.append(SqlIdentifier::qualified(schema, tables.value(0).toString()));
    if (!names.isEmpty())
        connection.exec(QStringLiteral("ANALYZE ") + names.join(QStringLiteral(", ")));
}

QString failureText(const ScriptFailure &failure)
{
    return failure.error.text();
}

} // namespace

QString SeedRunner::seedsDirectory(const MigrationSet &set)
{
    return QDir(set.directory()).filePath(QStringLiteral("seeds"));
}

SeedRunner::Report SeedRunner::run(const ConnectionSettings &settings, const MigrationSet &set,
                                   const Options &options, JobControl &control)
{
    Report report = runUnrecorded(settings, set, options, control);
    // A request refused before the server was asked, or a server that cannot be reached:
    // nothing to record, nowhere to record it.
    if (report.exitCode == ExitStatus::Usage || report.exitCode == ExitStatus::Unreachable
        || report.exitCode == ExitStatus::Busy)
        return report;
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::seed);
    QStringList seeded;
    QStringList failed;
    for (const TenantResult &tenant : std::as_const(report.tenants))
        (tenant.ok ? seeded : failed).append(tenant.schema);
    entry.what = { { QStringLiteral("set"), options.set },
                   { QStringLiteral("tenants"), QJsonArray::fromStringList(seeded) } };
    if (!report.createdSchemas.isEmpty())
        entry.what.insert(QStringLiteral("created"),
                          QJsonArray::fromStringList(report.createdSchemas));
    if (!failed.isEmpty())
        entry.what.insert(QStringLiteral("failed"), QJsonArray::fromStringList(failed));
    entry.outcome = report.exitCode == 0           ? AuditEntry::Outcome::Done
        : report.exitCode == ExitStatus::Cancelled ? AuditEntry::Outcome::Cancelled
                                                   : AuditEntry::Outcome::Failed;
    QStringList errors;
    if (!report.error.isEmpty())
        errors.append(report.error);
    for (const TenantResult &tenant : std::as_const(report.tenants)) {
        if (!tenant.ok)
            errors.append(QStringLiteral("%1: %2").arg(tenant.schema, tenant.error));
    }
    entry.error = errors.mid(0, 20).join(u'\n');
    entry.durationMs = report.durationMs;
    AuditLog::recordAlone(settings, entry);
    return report;
}

SeedRunner::Report SeedRunner::runUnrecorded(const ConnectionSettings &settings,
                                             const MigrationSet &set, const Options &options,
                                             JobControl &control)
{
    QElapsedTimer timer;
    timer.start();
    Report report;
    report.seed = options.set;

    const QString displayRoot = QDir(set.directory()).dirName();
    const QList<SeedFile> seeds = SeedFile::readAll(seedsDirectory(set), displayRoot);
    const SeedFile *seed = nullptr;
    QStringList available;
    for (const SeedFile &candidate : seeds) {
        available.append(candidate.name);
        if (candidate.name == options.set)
            seed = &candidate;
    }
    if (!seed) {
        report.error =
            QCoreApplication::translate("SeedRunner",
                                        "there is no seed set '%1' in %2 (available: %3)")
                .arg(options.set, seedsDirectory(set),
                     available.isEmpty() ? QCoreApplication::translate("SeedRunner", "none")
                                         : available.join(QStringLiteral(", ")));
        report.exitCode = ExitStatus::Usage;
        return report;
    }
    if (!seed->problems.isEmpty()) {
        QStringList lines;
        for (const SeedFile::Problem &p : seed->problems)
            lines.append(QStringLiteral("%1:%2: %3")
                             .arg(seed->displayPath, QString::number(p.line), p.message));
        report.error = QCoreApplication::translate(
                           "SeedRunner", "the seed file has problems; nothing was run:\n%1")
                           .arg(lines.join(u'\n'));
        report.exitCode = ExitStatus::Failed;
        return report;
    }
    QList<QPair<QString, QString>> params = seed->params;
    for (const auto &override : options.params) {
        auto it = std::find_if(params.begin(), params.end(),
                               [&](const auto &p) { return p.first == override.first; });
        if (it == params.end()) {
            QStringList names;
            for (const auto &p : params)
                names.append(p.first);
            report.error =
                QCoreApplication::translate("SeedRunner",
                                            "the seed set '%1' has no param '%2' (its params: %3)")
                    .arg(seed->name, override.first,
                         names.isEmpty() ? QCoreApplication::translate("SeedRunner", "none")
                                         : names.join(QStringLiteral(", ")));
            report.exitCode = ExitStatus::Usage;
            return report;
        }
        it->second = override.second;
    }

    std::unique_ptr<LockedSession> session;
    try {
        session = LockedSession::open(settings, options.runner + QStringLiteral(" seed"),
                                      options.environment, options.lockTimeoutMs);
        DbConnection &connection = session->connection();
        const auto environment = session->environment();
        report.environment = environment.describe();
        if (!seed->appliesIn(environment.environment)) {
            report.error =
                QCoreApplication::translate(
                    "SeedRunner",
                    "the seed set '%1' is for %2 only, and this database is %3: nothing "
                    "was run")
                    .arg(seed->name, DeploymentEnvironments::listName(seed->environments),
                         environment.describe());
            report.exitCode = ExitStatus::Failed;
            return report;
        }
        const DatabaseMigrationState state = MigrationStateReader::read(connection, {});
        // The seeded tenants are migrated below: what would make that refuse (a changed or
        // missing file, versions out of order) refuses the seed before anything runs.
        {
            MigrationPlanOptions planOptions;
            planOptions.environment = environment.environment;
            const MigrationPlan plan = MigrationPlan::up(set, state, planOptions);
            if (plan.isRefused()) {
                report.error =
                    QCoreApplication::translate(
                        "SeedRunner",
                        "the migrations are not in order, so the seeded tenants could "
                        "not be migrated; nothing was run:\n%1")
                        .arg(MigrationProblem::lines(plan.refusals(), QStringLiteral("  ")));
                report.exitCode = ExitStatus::Failed;
                return report;
            }
        }
        QStringList pending;
        for (const MigrationFile &m : set.migrations()) {
            if (m.scope == MigrationScope::Public && m.appliesIn(environment.environment)
                && !state.publicSchema.isApplied(m.version))
                pending.append(m.version.text());
        }
        if (!pending.isEmpty()) {
            report.error = QCoreApplication::translate(
                               "SeedRunner",
                               "public is not up to date (not applied: %1): run 'migrate up' "
                               "first; nothing was run")
                               .arg(pending.join(QStringLiteral(", ")));
            report.exitCode = ExitStatus::Failed;
            return report;
        }

        // The public section, in one transaction.
        control.setStep(
            QCoreApplication::translate("SeedRunner", "Seeding public (%1)").arg(seed->name));
        QElapsedTimer publicTimer;
        publicTimer.start();
        prepareSession(connection, params, QStringLiteral("public"), options.lockTimeoutMs);
        {
            Transaction transaction(connection);
            try {
                ScriptExecutor::run(connection, seed->publicSection, seed->displayPath);
            } catch (const ScriptFailure &failure) {
                report.error =
                    QStringLiteral("%1:%2: %3")
                        .arg(failure.file, QString::number(failure.line), failureText(failure));
                report.exitCode = ExitStatus::Failed;
                return report;
            }
            analyzeSchema(connection, QStringLiteral("public"));
            transaction.commit();
        }
        report.publicMs = publicTimer.elapsed();
        if (!seed->hasTenantSection) {
            report.durationMs = timer.elapsed();
            return report;
        }

        // The tenants this seed fills: create the schemas of new ones, then migrate them.
        QStringList tenants;
        QSqlQuery matching = connection.exec(
            QStringLiteral("SELECT schema_name::text FROM public.tenants WHERE schema_name LIKE ? "
                           "ORDER BY 1"),
            { seed->tenantPattern });
        while (matching.next())
            tenants.append(matching.value(0).toString());
        QStringList valid;
        for (const QString &schema : std::as_const(tenants)) {
            const QString problem = TenantSchemaName::check(schema);
            if (!problem.isEmpty()) {
                report.tenants.append({ schema, false, 0, problem, QString() });
                continue;
            }
            valid.append(schema);
            if (!TenantRegistry::schemaExists(connection, schema)) {
                connection.exec(
                    QStringLiteral("CREATE SCHEMA %1").arg(SqlIdentifier::quote(schema)));
                report.createdSchemas.append(schema);
            }
        }
        if (!valid.isEmpty()) {
            MigrationRunOptions migrate;
            migrate.tenants = valid;
            migrate.jobs = options.jobs;
            migrate.lockTimeoutMs = options.lockTimeoutMs;
            migrate.runner = options.runner;
            MigrationRunner runner(settings, set, migrate);
            report.migration = runner.runLocked(connection, environment, control);
            using Result = MigrationRunReport::Result;
            const Result result = report.migration->result;
            if (result != Result::Succeeded && result != Result::NothingToDo
                && result != Result::Failed) {
                // Nothing was migrated, so no tenant is seeded: one outcome, said once.
                QString reasons =
                    MigrationProblem::lines(report.migration->refusals, QStringLiteral("  "));
                if (!report.migration->error.isEmpty())
                    reasons += (reasons.isEmpty() ? QStringLiteral("  ") : QStringLiteral("\n  "))
                        + report.migration->error;
                report.error =
                    QCoreApplication::translate(
                        "SeedRunner",
                        "the public section was loaded (%1), but migrating the seeded tenants "
                        "was %2, so no tenant was seeded:\n%3")
                        .arg(seed->displayPath,
                             result == Result::Cancelled
                                 ? QCoreApplication::translate("SeedRunner", "cancelled")
                                 : QCoreApplication::translate("SeedRunner", "refused"),
                             reasons);
                report.exitCode = report.migration->exitCode();
                report.durationMs = timer.elapsed();
                return report;
            }
            for (const SchemaOutcome &outcome : report.migration->schemas) {
                if (outcome.failed()) {
                    valid.removeAll(outcome.schema);
                    report.tenants.append({ outcome.schema, false, 0,
                                            QCoreApplication::translate(
                                                "SeedRunner", "not seeded: migrating it failed"),
                                            QString() });
                }
            }
        }

        // The tenant section, one transaction per tenant, in parallel.
        TenantFanOut::Options fanOutOptions;
        fanOutOptions.settings =
            settings.withApplicationName(options.runner + QStringLiteral(" seed"));
        fanOutOptions.purpose = QStringLiteral("seed-worker");
        fanOutOptions.jobs = options.jobs;
        TenantFanOut fanOut(fanOutOptions);
        std::vector<TenantResult> results(valid.size());
        control.setStep(QCoreApplication::translate("SeedRunner", "Seeding %n tenants", nullptr,
                                                    int(valid.size())),
                        valid.size());
        fanOut.run(
            int(valid.size()),
            [&](DbConnection *worker, int item, const QString &connectError) {
                TenantResult &result = results[item];
                result.schema = valid.at(item);
                if (!worker) {
                    result.error = connectError;
                    return;
                }
                QElapsedTimer tenantTimer;
                tenantTimer.start();
                try {
                    prepareSession(*worker, params, result.schema, options.lockTimeoutMs);
                    Transaction transaction(*worker);
                    ScriptExecutor::run(*worker, seed->tenantSection, seed->displayPath, &control);
                    analyzeSchema(*worker, result.schema);
                    transaction.commit();
                    result.ok = true;
                } catch (const ScriptFailure &failure) {
                    result.error = failureText(failure);
                    result.location =
                        QStringLiteral("%1:%2").arg(failure.file, QString::number(failure.line));
                } catch (const DbError &error) {
                    result.error = error.text();
                }
                result.durationMs = tenantTimer.elapsed();
                control.itemDone(!result.ok, result.schema);
            },
            [&] {
                // No new tenant starts once cancelled; running ones are cancelled on the server.
                if (control.isCancelled() && !fanOut.isCancelled())
                    fanOut.cancel();
            });
        for (qsizetype i = 0; i < valid.size(); ++i) {
            TenantResult &result = results[size_t(i)];
            if (result.schema.isEmpty()) {
                // Never started: the seed was cancelled first.
                result.schema = valid.at(i);
                result.error =
                    QCoreApplication::translate("SeedRunner", "not seeded: the seed was cancelled");
            }
            report.tenants.append(result);
        }
        for (const TenantResult &result : std::as_const(report.tenants)) {
            if (!result.ok)
                report.exitCode = ExitStatus::Failed;
        }
        if (control.isCancelled()) {
            report.error = QCoreApplication::translate(
                "SeedRunner",
                "the seed was cancelled: the tenants seeded before stay seeded, the "
                "others were rolled back or not started");
            report.exitCode = ExitStatus::Cancelled;
        }
    } catch (const RequestError &error) {
        report.error = error.message();
        report.exitCode = ExitStatus::of(error, control.isCancelled());
    } catch (const DbError &error) {
        report.error = session
            ? LockedSession::describeError(session->connection(), error, options.lockTimeoutMs)
            : error.text();
        report.exitCode = ExitStatus::of(error, control.isCancelled());
    }
    report.durationMs = timer.elapsed();
    return report;
}

QJsonObject SeedRunner::Report::toJson() const
{
    QJsonArray tenantArray;
    for (const TenantResult &t : tenants) {
        QJsonObject o { { QStringLiteral("schema"), t.schema },
                        { QStringLiteral("ok"), t.ok },
                        { QStringLiteral("durationMs"), t.durationMs } };
        if (!t.error.isEmpty())
            o.insert(QStringLiteral("error"), t.error);
        if (!t.location.isEmpty())
            o.insert(QStringLiteral("location"), t.location);
        tenantArray.append(o);
    }
    QJsonObject root { { QStringLiteral("seed"), seed },
                       { QStringLiteral("environment"), environment },
                       { QStringLiteral("exitCode"), exitCode },
                       { QStringLiteral("publicMs"), publicMs },
                       { QStringLiteral("durationMs"), durationMs },
                       { QStringLiteral("createdSchemas"),
                         QJsonArray::fromStringList(createdSchemas) },
                       { QStringLiteral("tenants"), tenantArray } };
    if (!error.isEmpty())
        root.insert(QStringLiteral("error"), error);
    if (migration)
        root.insert(QStringLiteral("migration"), migration->toJson());
    return root;
}

} // namespace fuelsync
