#pragma once

#include "MigrationPlan.h"
#include "MigrationRunReport.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"
#include "environment/EnvironmentResolver.h"
#include "tenancy/TenantFanOut.h"

#include <functional>

namespace fuelsync {

class DbConnection;
class MigrationProgress;

struct MigrationRunOptions
{
    MigrationPlan::Direction direction = MigrationPlan::Direction::Up;
    std::optional<MigrationVersion> target;
    QStringList tenants; // empty: every registered tenant
    int jobs = TenantFanOut::defaultJobs();
    bool dryRun = false;
    int lockTimeoutMs = SessionOptions::defaultChangeLockTimeoutMs;
    std::optional<DeploymentEnvironment> environment; // asked for; checked against the database
    QString runner; // who runs it, e.g. RunnerIdentity::describe("fuelsync-db")
    // Asked with the lock held, after planning, before anything changes; false cancels the run.
    // `dataLoss` says what a rollback destroys (MigrationPreview::dataLossSentences), one
    // sentence each; empty for `up`.
    std::function<bool(const MigrationPlan &, const EnvironmentResolver::Resolved &,
                       const QStringList &dataLoss)>
        confirm;
    // Asked with the lock held, after planning and the approvals, before confirming: what it
    // returns refuses the run with nothing changed (validate: schemas that drifted from their
    // reference); what it adds to `notes` goes into the report.
    using Gate = std::function<QList<MigrationProblem>(const MigrationPlan &, QStringList &notes,
                                                       JobControl &)>;
    Gate gate;
};

// Runs `migrate up` or `migrate down` against one database: takes the run lock, reads what is
// applied in public and in every tenant, plans, refuses a plan that fails its checks before
// anything runs, then runs the plan's phases with schemas in parallel on their own sessions.
// Blocks the calling thread (the window calls it from a worker thread).
class MigrationRunner
{
public:
    MigrationRunner(ConnectionSettings settings, const MigrationSet &set,
                    MigrationRunOptions options);

    // Each schema's events as they happen (the window's progress list), besides the job's
    // progress: the plan, each phase as a step, each schema as an item.
    void setProgress(MigrationProgress *progress) { m_progress = progress; }
    // Connects, checks the environment, takes the run lock, then runs. Cancelling the job: no
    // new schemas start; running statements are cancelled on the server and roll back, the
    // coordinating session's too (while it reads what is applied, say, behind a lock).
    MigrationRunReport run(JobControl &control);
    // For callers that already hold the RunLock on `coordinator` (seeds, tenant creation).
    MigrationRunReport runLocked(DbConnection &coordinator,
                                 const EnvironmentResolver::Resolved &environment,
                                 JobControl &control);

private:
    class Reporter;
    MigrationRunReport emptyReport() const;
    // One row in public.fuelsync_audit for the run (nothing when nothing ran or was refused).
    void recordAudit(DbConnection &coordinator, MigrationRunReport &report) const;
    void recordFailure(MigrationRunReport &report, const std::exception &error,
                       DbConnection *coordinator) const;
    void planAndExecute(DbConnection &coordinator, const EnvironmentResolver::Resolved &environment,
                        MigrationRunReport &report);
    void execute(DbConnection &coordinator, const MigrationPlan &plan, MigrationRunReport &report);

    ConnectionSettings m_settings;
    const MigrationSet &m_set;
    MigrationRunOptions m_options;
    MigrationProgress *m_progress = nullptr;
    JobControl *m_control = nullptr; // while a run goes on
};

} // namespace fuelsync
