#include "MigrationRunner.h"

#include "LockWaitMonitor.h"
#include "LockedSession.h"
#include "MigrationPreview.h"
#include "MigrationProgress.h"
#include "MigrationStateReader.h"
#include "SchemaMigrator.h"
#include "approve/ApprovalStore.h"
#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "tenancy/TenantFanOut.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>

#include <thread>
#include <vector>

namespace fuelsync {

namespace {

SchemaOutcome notStarted(const SchemaWork &work, const QString &note)
{
    SchemaOutcome outcome;
    outcome.schema = work.schema;
    outcome.displayName = work.displayName;
    outcome.isPublic = work.isPublic;
    auto add = [&](const QString &version, const QString &description) {
        StepOutcome step;
        step.schema = work.schema;
        step.version = version;
        step.description = description;
        step.status = StepStatus::NotStarted;
        step.note = note;
        outcome.steps.append(step);
    };
    for (const MigrationFile *m : work.migrations)
        add(m->version.text(), m->description);
    for (const AppliedMigration &row : work.rollbacks)
        add(row.versionText, row.description);
    return outcome;
}

void merge(MigrationRunReport &report, QHash<QString, qsizetype> &index,
           const SchemaOutcome &outcome)
{
    const auto found = index.constFind(outcome.schema);
    if (found == index.cend()) {
        index.insert(outcome.schema, report.schemas.size());
        report.schemas.append(outcome);
        return;
    }
    SchemaOutcome &existing = report.schemas[*found];
    existing.steps.append(outcome.steps);
    existing.durationMs += outcome.durationMs;
    if (existing.error.isEmpty())
        existing.error = outcome.error;
}

} // namespace

// The runner's events, to the caller's MigrationProgress (if any) and to the job's progress: the
// plan and each phase as a step, each schema as an item. Called from worker threads.
class MigrationRunner::Reporter : public MigrationProgress
{
public:
    Reporter(JobControl &control, MigrationProgress *next)
        : m_control(control)
        , m_next(next)
    { }

    void planned(const MigrationPlan &plan) override
    {
        const QString verb = plan.direction() == MigrationPlan::Direction::Up
            ? QCoreApplication::translate("MigrationRunner", "apply")
            : QCoreApplication::translate("MigrationRunner", "roll back");
        m_control.setStep(QCoreApplication::translate("MigrationRunner",
                                                      "Plan: %1 %2 in %n schemas", nullptr,
                                                      plan.schemaCount())
                              .arg(verb, plan.versions().join(QStringLiteral(", "))));
        if (m_next)
            m_next->planned(plan);
    }
    void phaseStarted(int index, int count, MigrationScope scope, int schemas) override
    {
        m_control.setStep(
            QCoreApplication::translate("MigrationRunner", "Phase %1 of %2: %3")
                .arg(index + 1)
                .arg(count)
                .arg(scope == MigrationScope::Public
                         ? QCoreApplication::translate("MigrationRunner", "public")
                         : QCoreApplication::translate("MigrationRunner", "%n tenant schemas",
                                                       nullptr, schemas)),
            schemas);
        if (m_next)
            m_next->phaseStarted(index, count, scope, schemas);
    }
    void schemaStarted(const QString &schema) override
    {
        if (m_next)
            m_next->schemaStarted(schema);
    }
    void stepFinished(const StepOutcome &step) override
    {
        if (m_next)
            m_next->stepFinished(step);
    }
    void schemaFinished(const SchemaOutcome &schema) override
    {
        m_control.itemDone(
            schema.failed(),
            schema.failed()
                ? QCoreApplication::translate("MigrationRunner", "%1: FAILED").arg(schema.schema)
                : QCoreApplication::translate("MigrationRunner", "%1: done in %2 ms")
                      .arg(schema.schema)
                      .arg(schema.durationMs));
        if (m_next)
            m_next->schemaFinished(schema);
    }

private:
    JobControl &m_control;
    MigrationProgress *m_next;
};

MigrationRunner::MigrationRunner(ConnectionSettings settings, const MigrationSet &set,
                                 MigrationRunOptions options)
    : m_settings(std::move(settings))
    , m_set(set)
    , m_options(std::move(options))
{
    m_options.jobs = std::max(1, m_options.jobs);
}

MigrationRunReport MigrationRunner::run(JobControl &control)
{
    QElapsedTimer timer;
    timer.start();
    MigrationRunReport report = emptyReport();
    const QString action = m_options.direction == MigrationPlan::Direction::Up
        ? QStringLiteral("migrate up")
        : QStringLiteral("migrate down");
    try {
        const auto session =
            LockedSession::open(m_settings, QStringLiteral("%1 %2").arg(m_options.runner, action),
                                m_options.environment, m_options.lockTimeoutMs);
        report = runLocked(session->connection(), session->environment(), control);
        report.durationMs = timer.elapsed();
        recordAudit(session->connection(), report);
    } catch (const std::exception &error) {
        recordFailure(report, error, nullptr);
    }
    if (control.isCancelled() && report.result == MigrationRunReport::Result::Failed)
        report.result = MigrationRunReport::Result::Cancelled;
    report.durationMs = timer.elapsed();
    return report;
}

void MigrationRunner::recordAudit(DbConnection &coordinator, MigrationRunReport &report) const
{
    using Result = MigrationRunReport::Result;
    if (report.result == Result::NothingToDo || report.result == Result::LockHeld
        || report.result == Result::ConnectionFailed)
        return; // nothing ran, and nothing was asked that was refused
    AuditEntry entry;
    entry.kind =
        QString::fromLatin1(report.dryRun ? AuditEntry::dryRun
                                          : (report.direction == MigrationPlan::Direction::Up
                                                 ? AuditEntry::migrateUp
                                                 : AuditEntry::migrateDown));
    QStringList changed;
    QStringList failed;
    for (const SchemaOutcome &schema : std::as_const(report.schemas)) {
        if (schema.failed())
            failed.append(schema.schema);
        else if (std::any_of(schema.steps.cbegin(), schema.steps.cend(), [](const StepOutcome &s) {
                     return s.status == StepStatus::Applied || s.status == StepStatus::RolledBack
                         || s.status == StepStatus::Tried;
                 }))
            changed.append(schema.schema);
    }
    entry.what = {
        { QStringLiteral("direction"),
          report.direction == MigrationPlan::Direction::Up ? QStringLiteral("up")
                                                           : QStringLiteral("down") },
        { QStringLiteral("versions"), QJsonArray::fromStringList(report.versions) },
        { QStringLiteral("schemas"), QJsonArray::fromStringList(changed) },
        { QStringLiteral("environment"), report.environment },
    };
    if (m_options.target)
        entry.what.insert(QStringLiteral("target"), m_options.target->text());
    if (!failed.isEmpty())
        entry.what.insert(QStringLiteral("failed"), QJsonArray::fromStringList(failed));
    // What a rollback destroys, as it was said before it ran.
    if (!report.dataLoss.isEmpty())
        entry.what.insert(QStringLiteral("destroys"), QJsonArray::fromStringList(report.dataLoss));
    switch (report.result) {
    case Result::Succeeded:
        entry.outcome = AuditEntry::Outcome::Done;
        break;
    case Result::Refused:
    case Result::InvalidRequest: {
        entry.outcome = AuditEntry::Outcome::Refused;
        QStringList why;
        for (const MigrationProblem &problem : std::as_const(report.refusals))
            why.append(problem.text());
        if (!report.error.isEmpty())
            why.append(report.error);
        entry.error = why.join(u'\n');
        break;
    }
    case Result::Cancelled:
        entry.outcome = AuditEntry::Outcome::Cancelled;
        entry.error = report.error;
        break;
    default: {
        entry.outcome = AuditEntry::Outcome::Failed;
        QStringList errors;
        if (!report.error.isEmpty())
            errors.append(report.error);
        for (const SchemaOutcome &schema : std::as_const(report.schemas)) {
            if (!schema.error.isEmpty())
                errors.append(QStringLiteral("%1: %2").arg(schema.schema, schema.error));
            for (const StepOutcome &step : schema.steps) {
                if (step.status == StepStatus::Failed)
                    errors.append(
                        QStringLiteral("%1 %2: %3").arg(schema.schema, step.version, step.error));
            }
        }
        entry.error = errors.mid(0, 20).join(u'\n');
        break;
    }
    }
    entry.durationMs = report.durationMs;
    const QString notRecorded = AuditLog::recordAlone(coordinator, entry);
    if (!notRecorded.isEmpty())
        report.notes.append(
            QCoreApplication::translate("MigrationRunner", "not recorded in the audit: %1")
                .arg(notRecorded));
}

MigrationRunReport MigrationRunner::emptyReport() const
{
    MigrationRunReport report;
    report.direction = m_options.direction;
    report.dryRun = m_options.dryRun;
    report.database = m_settings.displayName();
    return report;
}

void MigrationRunner::recordFailure(MigrationRunReport &report, const std::exception &error,
                                    DbConnection *coordinator) const
{
    if (const auto *busy = dynamic_cast<const RunLockBusy *>(&error)) {
        report.result = MigrationRunReport::Result::LockHeld;
        report.lockHolder = busy->holder();
        report.error = busy->message();
    } else if (const auto *readOnly = dynamic_cast<const ReadOnlySession *>(&error)) {
        report.result = MigrationRunReport::Result::Refused;
        report.refusals.append({ QString(), 0, readOnly->message() });
    } else if (dynamic_cast<const JobCancelled *>(&error)) {
        report.result = MigrationRunReport::Result::Cancelled;
        report.error = QCoreApplication::translate(
            "MigrationRunner", "cancelled before any migration ran; nothing was changed");
    } else if (const auto *request = dynamic_cast<const RequestError *>(&error)) {
        report.result = MigrationRunReport::Result::InvalidRequest;
        report.error = request->message();
    } else if (const auto *db = dynamic_cast<const DbError *>(&error)) {
        // The coordinating session failed (the workers' errors are reported per schema).
        report.result =
            db->kind() == DbError::Kind::Connect || db->kind() == DbError::Kind::ConnectionLost
            ? MigrationRunReport::Result::ConnectionFailed
            : MigrationRunReport::Result::Failed;
        report.error = coordinator
            ? LockedSession::describeError(*coordinator, *db, m_options.lockTimeoutMs)
            : db->text();
        if (db->kind() == DbError::Kind::Cancelled && m_control && m_control->isCancelled()) {
            report.result = MigrationRunReport::Result::Cancelled;
            report.error = QCoreApplication::translate(
                "MigrationRunner", "cancelled before any migration ran; nothing was changed");
        }
    } else {
        report.result = MigrationRunReport::Result::Failed;
        report.error = QString::fromUtf8(error.what());
    }
}

MigrationRunReport MigrationRunner::runLocked(DbConnection &coordinator,
                                              const EnvironmentResolver::Resolved &environment,
                                              JobControl &control)
{
    QElapsedTimer timer;
    timer.start();
    MigrationRunReport report = emptyReport();
    report.environment = environment.describe();
    m_control = &control;
    try {
        // A cancel reaches the coordinating session too (it may wait behind a lock); released
        // before the failure is described below.
        const auto cancelsCoordinator = coordinator.cancelWith(control);
        control.throwIfCancelled();
        planAndExecute(coordinator, environment, report);
    } catch (const std::exception &error) {
        recordFailure(report, error, &coordinator);
    }
    m_control = nullptr;
    report.durationMs = timer.elapsed();
    return report;
}

void MigrationRunner::planAndExecute(DbConnection &coordinator,
                                     const EnvironmentResolver::Resolved &environment,
                                     MigrationRunReport &report)
{
    const DatabaseMigrationState state = MigrationStateReader::read(coordinator, m_options.tenants);
    // A cancel that reached the session between two statements is seen here and below.
    m_control->throwIfCancelled();
    MigrationPlanOptions planOptions;
    planOptions.target = m_options.target;
    planOptions.environment = environment.environment;
    planOptions.tenantsOnly = !m_options.tenants.isEmpty();
    const MigrationPlan plan = m_options.direction == MigrationPlan::Direction::Up
        ? MigrationPlan::up(m_set, state, planOptions)
        : MigrationPlan::down(m_set, state, planOptions);
    report.notes = plan.notes();
    report.versions = plan.versions();
    if (plan.isRefused()) {
        report.result = MigrationRunReport::Result::Refused;
        report.refusals = plan.refusals();
        return;
    }
    Reporter reporter(*m_control, m_progress);
    reporter.planned(plan);

    for (const BlockedSchema &blocked : plan.blocked()) {
        SchemaOutcome outcome;
        outcome.schema = blocked.schema;
        outcome.error = blocked.reason;
        report.schemas.append(outcome);
        reporter.schemaFinished(outcome);
    }
    if (!plan.hasWork()) {
        report.result = plan.blocked().isEmpty() ? MigrationRunReport::Result::NothingToDo
                                                 : MigrationRunReport::Result::Failed;
        return;
    }
    // Production runs only what a release manager approved, as the files are now.
    if (m_options.direction == MigrationPlan::Direction::Up && !m_options.dryRun
        && environment.environment == DeploymentEnvironment::Production) {
        report.refusals = ApprovalStore::refusalsFor(coordinator, m_set, plan.versions());
        if (!report.refusals.isEmpty()) {
            report.result = MigrationRunReport::Result::Refused;
            return;
        }
    }
    m_control->throwIfCancelled();
    // What a rollback destroys is said before it runs, whoever confirms it, and kept in the
    // run's report.
    if (m_options.direction == MigrationPlan::Direction::Down) {
        const QList<MigrationPreview::Rollback> rollbacks =
            MigrationPreview::readRollbacks(coordinator, plan, m_set);
        report.refusals = MigrationPreview::registryRefusals(rollbacks, state);
        if (!report.refusals.isEmpty()) {
            report.result = MigrationRunReport::Result::Refused;
            return;
        }
        report.dataLoss = MigrationPreview::dataLossSentences(rollbacks);
    }
    if (m_options.gate) {
        report.refusals = m_options.gate(plan, report.notes, *m_control);
        if (!report.refusals.isEmpty()) {
            report.result = MigrationRunReport::Result::Refused;
            return;
        }
        m_control->throwIfCancelled();
    }
    if (m_options.confirm && !m_options.confirm(plan, environment, report.dataLoss)) {
        report.result = MigrationRunReport::Result::Refused;
        report.refusals.append(
            { QString(), 0, QCoreApplication::translate("MigrationRunner", "not confirmed") });
        return;
    }
    m_control->throwIfCancelled();
    if (m_options.dryRun && plan.phases().size() > 1) {
        report.notes.append(QCoreApplication::translate(
            "MigrationRunner",
            "dry run: each phase was rolled back before the next, so later "
            "phases were tried against the schema as it is now"));
    }

    execute(coordinator, plan, report);
}

void MigrationRunner::execute(DbConnection &coordinator, const MigrationPlan &plan,
                              MigrationRunReport &report)
{
    LockWaitMonitor monitor;
    SchemaMigrator::Options migratorOptions;
    migratorOptions.direction = m_options.direction;
    migratorOptions.dryRun = m_options.dryRun;
    migratorOptions.lockTimeoutMs = m_options.lockTimeoutMs;
    migratorOptions.runner = m_options.runner;
    Reporter reporter(*m_control, m_progress);
    migratorOptions.control = m_control;
    migratorOptions.progress = &reporter;
    const int lookback = m_options.lockTimeoutMs + 2000;
    migratorOptions.lockWaitFor = [&monitor, lookback](int pid) {
        return monitor.lastWait(pid, lookback);
    };

    const QString action = m_options.direction == MigrationPlan::Direction::Up
        ? QStringLiteral("migrate up")
        : QStringLiteral("migrate down");
    QHash<QString, qsizetype> index;
    for (const SchemaOutcome &blocked : std::as_const(report.schemas))
        index.insert(blocked.schema, index.size());

    bool stop = false;
    QString stopReason;
    const QList<PlanPhase> &phases = plan.phases();
    for (qsizetype p = 0; p < phases.size(); ++p) {
        const PlanPhase &phase = phases.at(p);
        if (stop) {
            for (const SchemaWork &work : phase.work)
                merge(report, index, notStarted(work, stopReason));
            continue;
        }
        reporter.phaseStarted(int(p), int(phases.size()), phase.scope, int(phase.work.size()));

        TenantFanOut::Options fanOutOptions;
        fanOutOptions.settings =
            m_settings.withApplicationName(QStringLiteral("%1 %2").arg(m_options.runner, action));
        fanOutOptions.purpose = QStringLiteral("migrate-worker");
        fanOutOptions.jobs = m_options.jobs;
        fanOutOptions.tickMs =
            m_options.lockTimeoutMs > 0 ? std::clamp(m_options.lockTimeoutMs / 4, 50, 200) : 200;
        TenantFanOut fanOut(fanOutOptions);
        // One slot per schema, each written by exactly one worker thread.
        std::vector<SchemaOutcome> outcomes(phase.work.size());
        std::vector<char> done(phase.work.size(), 0);

        fanOut.run(
            int(phase.work.size()),
            [&](DbConnection *connection, int item, const QString &connectError) {
                const SchemaWork &work = phase.work.at(item);
                if (!connection) {
                    SchemaOutcome outcome = notStarted(work, QString());
                    outcome.error = connectError;
                    outcomes[item] = outcome;
                } else {
                    SchemaMigrator migrator(*connection, work, migratorOptions);
                    outcomes[item] = migrator.run();
                }
                done[item] = 1;
            },
            [&] {
                if (m_control->isCancelled() && !fanOut.isCancelled())
                    fanOut.cancel();
                if (m_options.lockTimeoutMs > 0) {
                    try {
                        monitor.poll(coordinator, fanOut.activeBackendPids());
                    } catch (const DbError &) {
                        // Monitoring is best effort; the workers' own errors still arrive.
                    }
                }
            });

        bool phaseFailed = false;
        for (qsizetype i = 0; i < phase.work.size(); ++i) {
            if (!done[i]) {
                outcomes[i] =
                    notStarted(phase.work.at(i),
                               m_control->isCancelled()
                                   ? QCoreApplication::translate(
                                       "MigrationRunner", "not started: the run was cancelled")
                                   : QCoreApplication::translate("MigrationRunner",
                                                                 "not started: no connection"));
            }
            if (outcomes[i].failed())
                phaseFailed = true;
            merge(report, index, outcomes[i]);
        }
        if (m_control->isCancelled()) {
            stop = true;
            stopReason = QCoreApplication::translate("MigrationRunner",
                                                     "not started: the run was cancelled");
        } else if (phaseFailed) {
            stop = true;
            stopReason = QCoreApplication::translate(
                "MigrationRunner",
                "not started: an earlier phase failed, and this one may depend on it");
        }
    }

    if (m_control->isCancelled())
        report.result = MigrationRunReport::Result::Cancelled;
    else if (report.failedSchemaCount() > 0)
        report.result = MigrationRunReport::Result::Failed;
    else
        report.result = MigrationRunReport::Result::Succeeded;
}

} // namespace fuelsync
