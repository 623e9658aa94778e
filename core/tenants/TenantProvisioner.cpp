#include "TenantProvisioner.h"

#include "TenantRegistry.h"
#include "approve/ApprovalStore.h"
#include "audit/AuditLog.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ExitStatus.h"
#include "migrate/LockedSession.h"
#include "migrate/MigrationRunner.h"
#include "migrate/MigrationStateReader.h"
#include "tenancy/TenantSchemaName.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QMap>

namespace fuelsync {

namespace {

// Public migrations up to `target` that apply here and are not applied yet.
QStringList pendingPublic(const DatabaseMigrationState &state, const MigrationSet &set,
                          DeploymentEnvironment environment,
                          const std::optional<MigrationVersion> &target)
{
    QStringList pending;
    for (const MigrationFile &migration : set.migrations()) {
        if (migration.scope == MigrationScope::Public && migration.appliesIn(environment)
            && (!target || !(*target < migration.version))
            && !state.publicSchema.isApplied(migration.version))
            pending.append(migration.version.text());
    }
    return pending;
}

// Tenant-scope versions above `version` that apply here, in order.
QStringList newerTenantVersions(const MigrationSet &set, DeploymentEnvironment environment,
                                const MigrationVersion &version)
{
    QStringList newer;
    for (const MigrationFile &migration : set.migrations()) {
        if (migration.scope == MigrationScope::Tenant && migration.appliesIn(environment)
            && version < migration.version)
            newer.append(migration.version.text());
    }
    return newer;
}

} // namespace

TenantProvisioner::TargetChoice
TenantProvisioner::chooseTarget(const MigrationSet &set, const DatabaseMigrationState &state,
                                DeploymentEnvironment environment,
                                const std::optional<MigrationVersion> &asked)
{
    TargetChoice choice;
    if (asked) {
        choice.target = asked;
        choice.reason =
            QCoreApplication::translate("TenantProvisioner", "version %1, as asked (--version)")
                .arg(asked->text());
        return choice;
    }
    // version -> how many tenants are at it
    QMap<MigrationVersion, int> atVersion;
    int withNothing = 0;
    for (const SchemaState *tenant : state.allTenants()) {
        if (const auto highest = tenant->highestApplied())
            ++atVersion[*highest];
        else
            ++withNothing;
    }
    const auto newest = set.latest(MigrationScope::Tenant);
    if (atVersion.isEmpty()) {
        choice.reason = withNothing == 0
            ? QCoreApplication::translate("TenantProvisioner",
                                          "the newest version (%1): there are no other tenants "
                                          "to keep in step with")
                  .arg(newest ? newest->text() : QStringLiteral("-"))
            : QCoreApplication::translate("TenantProvisioner",
                                          "the newest version (%1): no registered tenant has a "
                                          "migration applied yet")
                  .arg(newest ? newest->text() : QStringLiteral("-"));
        return choice;
    }
    const MigrationVersion lowest = atVersion.firstKey();
    int tenants = 0;
    for (const int count : std::as_const(atVersion))
        tenants += count;
    choice.target = lowest;
    if (atVersion.size() == 1) {
        choice.reason =
            QCoreApplication::translate("TenantProvisioner",
                                        "version %1, the version the %n registered tenants are at",
                                        nullptr, tenants)
                .arg(lowest.text());
    } else {
        QStringList counts;
        for (auto it = atVersion.cbegin(); it != atVersion.cend(); ++it)
            counts.append(
                QCoreApplication::translate("TenantProvisioner", "%n at %1", nullptr, it.value())
                    .arg(it.key().text()));
        choice.reason =
            QCoreApplication::translate(
                "TenantProvisioner",
                "version %1: the registered tenants disagree (%2), and %1 is the newest version "
                "every one of them has reached")
                .arg(lowest.text(), counts.join(QStringLiteral(", ")));
    }
    const QStringList newer = newerTenantVersions(set, environment, lowest);
    if (!newer.isEmpty()) {
        choice.reason += QCoreApplication::translate(
                             "TenantProvisioner",
                             "; %1 reach it with the other tenants ('migrate up' rolls them out, "
                             "or pass --version to take them now)")
                             .arg(newer.join(QStringLiteral(", ")));
    }
    return choice;
}

ChangeConfirmation TenantProvisioner::confirmation(DeploymentEnvironment environment,
                                                   const QString &database)
{
    if (environment != DeploymentEnvironment::Production)
        return ChangeConfirmation::none();
    return ChangeConfirmation::typeName(
        QCoreApplication::translate("TenantProvisioner",
                                    "Creating a tenant on a production database"),
        database);
}

TenantProvisioner::Report TenantProvisioner::create(const ConnectionSettings &settings,
                                                    const MigrationSet &set, const Options &options,
                                                    JobControl &control)
{
    QElapsedTimer timer;
    timer.start();
    Report report = createUnrecorded(settings, set, options, control);
    // A name refused before asking the server, or a server that cannot be reached: nothing to
    // record, nowhere to record it.
    if (report.exitCode == ExitStatus::Usage || report.exitCode == ExitStatus::Unreachable
        || report.exitCode == ExitStatus::Busy)
        return report;
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::tenantCreate);
    entry.what = { { QStringLiteral("schema"), options.schema } };
    if (!report.versionChoice.isEmpty())
        entry.what.insert(QStringLiteral("version"), report.versionChoice);
    if (report.migration)
        entry.what.insert(QStringLiteral("versions"),
                          QJsonArray::fromStringList(report.migration->versions));
    entry.outcome = report.exitCode == 0           ? AuditEntry::Outcome::Done
        : report.exitCode == ExitStatus::Cancelled ? AuditEntry::Outcome::Cancelled
        : report.refused                           ? AuditEntry::Outcome::Refused
                                                   : AuditEntry::Outcome::Failed;
    entry.error = report.error;
    entry.durationMs = timer.elapsed();
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("audit"));
        const QString notRecorded = AuditLog::recordAlone(*connection, entry);
        if (!notRecorded.isEmpty() && report.exitCode == 0)
            report.versionChoice +=
                QCoreApplication::translate("TenantProvisioner", " (not recorded in the audit: %1)")
                    .arg(notRecorded);
    } catch (const DbError &) {
        // The server went away after the work; the report says how the work ended.
    }
    return report;
}

TenantProvisioner::Report TenantProvisioner::createUnrecorded(const ConnectionSettings &settings,
                                                              const MigrationSet &set,
                                                              const Options &options,
                                                              JobControl &control)
{
    Report report;
    const QString nameProblem = TenantSchemaName::check(options.schema);
    if (!nameProblem.isEmpty()) {
        report.error = nameProblem;
        report.exitCode = ExitStatus::Usage;
        return report;
    }
    if (options.migrate && !set.isValid()) {
        report.error = QCoreApplication::translate(
            "TenantProvisioner",
            "the migration files have problems (see 'migrate status'); nothing was "
            "changed");
        report.exitCode = ExitStatus::Failed;
        return report;
    }
    std::unique_ptr<LockedSession> session;
    try {
        session = LockedSession::open(settings, options.runner + QStringLiteral(" tenant create"),
                                      options.environment, options.lockTimeoutMs);
        DbConnection &connection = session->connection();
        report.environment = session->environment().describe();
        TargetChoice choice;
        if (options.migrate) {
            const DatabaseMigrationState state = MigrationStateReader::read(connection, {});
            choice = chooseTarget(set, state, session->environment().environment, options.target);
            report.versionChoice = choice.reason;
            const QStringList pending =
                pendingPublic(state, set, session->environment().environment, choice.target);
            if (!pending.isEmpty()) {
                report.error = QCoreApplication::translate(
                                   "TenantProvisioner",
                                   "public has migrations that are not applied yet (%1): run "
                                   "'migrate up' first; nothing was changed")
                                   .arg(pending.join(QStringLiteral(", ")));
                report.refused = true;
                report.exitCode = ExitStatus::Failed;
                return report;
            }
            // On production, what the new tenant would run must be approved (or have run there
            // as it is now): refused before the tenant exists, not after.
            if (session->environment().environment == DeploymentEnvironment::Production) {
                QStringList versions;
                for (const MigrationFile &m : set.migrations()) {
                    if (m.scope == MigrationScope::Tenant
                        && m.appliesIn(session->environment().environment)
                        && (!choice.target || !(*choice.target < m.version)))
                        versions.append(m.version.text());
                }
                const QList<MigrationProblem> refusals =
                    ApprovalStore::refusalsFor(connection, set, versions);
                if (!refusals.isEmpty()) {
                    report.error = QCoreApplication::translate(
                                       "TenantProvisioner",
                                       "the new tenant would run migrations that are not "
                                       "approved for production; nothing was changed:\n%1")
                                       .arg(MigrationProblem::lines(refusals));
                    report.refused = true;
                    report.exitCode = ExitStatus::Failed;
                    return report;
                }
            }
        }
        const ChangeConfirmation asked =
            confirmation(session->environment().environment, connection.databaseName());
        if (asked.needed() && options.confirm
            && !options.confirm(asked, choice.reason, session->environment())) {
            report.error = QCoreApplication::translate("TenantProvisioner",
                                                       "not confirmed; nothing was changed");
            report.refused = true;
            report.exitCode = ExitStatus::Failed;
            return report;
        }
        control.throwIfCancelled(QCoreApplication::translate(
            "TenantProvisioner", "cancelled before the tenant was created; nothing was changed"));
        control.setStep(QCoreApplication::translate("TenantProvisioner", "Creating tenant %1")
                            .arg(options.schema));
        TenantRegistry::create(connection, options.schema, options.name);
        report.created = true;
        if (!options.migrate)
            return report;

        MigrationRunOptions runOptions;
        runOptions.tenants = { options.schema };
        runOptions.target = choice.target;
        runOptions.jobs = 1;
        runOptions.lockTimeoutMs = options.lockTimeoutMs;
        runOptions.runner = options.runner;
        MigrationRunner runner(settings, set, runOptions);
        report.migration = runner.runLocked(connection, session->environment(), control);
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
            report.exitCode = ExitStatus::Failed;
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
    return report;
}

} // namespace fuelsync
