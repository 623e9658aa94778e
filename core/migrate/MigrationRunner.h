#pragma once

#include "MigrationPlan.h"
#include "MigrationRunReport.h"
#include "db/ConnectionSettings.h"
#include "environment/EnvironmentResolver.h"

#include <atomic>
#include <functional>

namespace fuelsync {

class MigrationProgress;

struct MigrationRunOptions
{
    MigrationPlan::Direction direction = MigrationPlan::Direction::Up;
    std::optional<MigrationVersion> target;
    QStringList tenants; // empty: every registered tenant
    int jobs = 4;
    bool dryRun = false;
    int lockTimeoutMs = 5000;
    std::optional<DeploymentEnvironment> environment; // asked for; checked against the database
    QString runner; // who runs it, e.g. RunnerIdentity::describe("fuelsync-db")
    // Asked with the lock held, after planning, before anything changes; false cancels the run.
    std::function<bool(const MigrationPlan &, const EnvironmentResolver::Resolved &)> confirm;
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

    void setProgress(MigrationProgress *progress) { m_progress = progress; }
    // Connects, checks the environment, takes the run lock, then runs.
    MigrationRunReport run();
    // For callers that already hold the RunLock on `coordinator` (seeds, tenant creation).
    MigrationRunReport runLocked(class DbConnection &coordinator,
                                 const EnvironmentResolver::Resolved &environment);

    // No new schemas start; running statements are cancelled on the server and roll back. Only
    // stores a flag, so it is safe from any thread and from a signal handler.
    void requestCancel() { m_cancel.store(true); }

private:
    MigrationRunReport emptyReport() const;
    static void recordFailure(MigrationRunReport &report, const std::exception &error);
    void planAndExecute(class DbConnection &coordinator,
                        const EnvironmentResolver::Resolved &environment,
                        MigrationRunReport &report);
    void execute(class DbConnection &coordinator, const MigrationPlan &plan,
                 MigrationRunReport &report);

    ConnectionSettings m_settings;
    const MigrationSet &m_set;
    MigrationRunOptions m_options;
    MigrationProgress *m_progress = nullptr;
    std::atomic<bool> m_cancel { false };
};

} // namespace fuelsync
