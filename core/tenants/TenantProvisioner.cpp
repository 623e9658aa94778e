#include "TenantProvisioner.h"

#include "TenantRegistry.h"
#include "TenantSchemaName.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "migrate/LockedSession.h"
#include "migrate/MigrationRunner.h"
#include "migrate/MigrationStateReader.h"

#include <QCoreApplication>

namespace fuelsync {

namespace {

// Public migrations that apply here and are not applied yet.
QStringList pendingPublic(DbConnection &connection, const MigrationSet &set,
                          DeploymentEnvironment environment)
{
    const DatabaseMigrationState state = MigrationStateReader::read(connection, {});
    QStringList pending;
    for (const MigrationFile &migration : set.migrations()) {
        if (migration.scope == MigrationScope::Public && migration.appliesIn(environment)
            && !state.publicSchema.isApplied(migration.version))
            pending.append(migration.version.text());
    }
    return pending;
}
} // namespace

TenantProvisioner::Report TenantProvisioner::create(const ConnectionSettings &settings,
                                                    const MigrationSet &set, const Options &options)
{
    Report report;
    const QString nameProblem = TenantSchemaName::check(options.schema);
    if (!nameProblem.isEmpty()) {
        report.error = nameProblem;
        report.exitCode = 2;
        return report;
    }
    if (options.migrate && !set.isValid()) {
        report.error = QCoreApplication::translate(
            "TenantProvisioner",
            "the migration files have problems (see 'migrate status'); nothing was "
            "changed");
        report.exitCode = 1;
        return report;
    }
    try {
        auto session = LockedSession::open(
            settings, options.runner + QStringLiteral(" tenant create"), options.environment);
        DbConnection &connection = session->connection();
        report.environment = session->environment().describe();
        if (options.migrate) {
            const QStringList pending =
                pendingPublic(connection, set, session->environment().environment);
            if (!pending.isEmpty()) {
                report.error = QCoreApplication::translate(
                                   "TenantProvisioner",
                                   "public has migrations that are not applied yet (%1): run "
                                   "'migrate up' first; nothing was changed")
                                   .arg(pending.join(QStringLiteral(", ")));
                report.exitCode = 1;
                return report;
            }
        }
        TenantRegistry::create(connection, options.schema, options.name);
        report.created = true;
        if (!options.migrate)
            return report;

        MigrationRunOptions runOptions;
        runOptions.tenants = { options.schema };
        runOptions.jobs = 1;
        runOptions.lockTimeoutMs = options.lockTimeoutMs;
        runOptions.runner = options.runner;
        MigrationRunner runner(settings, set, runOptions);
        report.migration = runner.runLocked(connection, session->environment());
        const auto result = report.migration->result;
        if (result != MigrationRunReport::Result::Succeeded
            && result != MigrationRunReport::Result::NothingToDo) {
            TenantRegistry::removeNew(connection, options.schema);
            report.created = false;
            report.removedAgain = true;
            report.error = QCoreApplication::translate(
                "TenantProvisioner",
                "migrating the new tenant failed, so it was removed again; nothing "
                "was changed");
            report.exitCode = 1;
        }
    } catch (const RequestError &error) {
        report.error = error.message();
        report.exitCode = dynamic_cast<const RunLockBusy *>(&error) ? 4 : 1;
    } catch (const DbError &error) {
        report.error = error.text();
        report.exitCode = error.kind() == DbError::Kind::Connect ? 3 : 1;
    }
    return report;
}

} // namespace fuelsync
