#pragma once

#include "common/ChangeConfirmation.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"
#include "environment/EnvironmentResolver.h"
#include "migrate/MigrationRunReport.h"
#include "migrationfiles/MigrationVersion.h"

#include <functional>
#include <optional>

namespace fuelsync {

class MigrationSet;

struct DatabaseMigrationState;

// `tenant create`: registers a tenant in public.tenants, creates its schema and migrates it to
// the version the registered tenants are at (a new tenant never runs ahead of the others: a
// version that is approved but not rolled out yet reaches it with the rollout). If migrating
// fails, the new tenant is removed again, so a failed creation leaves nothing behind.
class TenantProvisioner
{
public:
    struct Options
    {
        QString schema;
        QString name;
        bool migrate = true;
        // The version to migrate to; empty: the version the registered tenants are at.
        std::optional<MigrationVersion> target;
        std::optional<DeploymentEnvironment> environment;
        QString runner;
        int lockTimeoutMs = SessionOptions::defaultChangeLockTimeoutMs;
        // Asked with the run lock held, once the version is chosen and before anything changes,
        // when the creation must be confirmed (confirmation(): on production); false: nothing
        // is done.
        std::function<bool(const ChangeConfirmation &asked, const QString &versionChoice,
                           const EnvironmentResolver::Resolved &environment)>
            confirm;
    };
    struct Report
    {
        bool created = false;
        bool removedAgain = false;
        QString error; // why it failed, or empty
        int exitCode = 0;
        std::optional<MigrationRunReport> migration;
        QString environment;
        // Which version the tenant is migrated to, and why ("006, the version the 3 registered
        // tenants are at").
        QString versionChoice;
        bool refused = false; // stopped by a check before anything changed
    };

    // What creating a tenant must be confirmed with: on production, the database's name (a
    // new tenant is a change to production, confirmed like a migration); elsewhere nothing.
    static ChangeConfirmation confirmation(DeploymentEnvironment environment,
                                           const QString &database);

    // Creates it and records the outcome in the audit (kind "tenant create"), refusals and
    // failures included.
    static Report create(const ConnectionSettings &settings, const MigrationSet &set,
                         const Options &options, JobControl &control);

    struct TargetChoice
    {
        std::optional<MigrationVersion> target; // empty: the newest version
        QString reason;
    };
    // The version a new tenant is migrated to: `asked` when given; else the version every
    // registered tenant has reached (the lowest of their versions, said so when they disagree);
    // the newest when no tenant has a migration applied.
    static TargetChoice chooseTarget(const MigrationSet &set, const DatabaseMigrationState &state,
                                     DeploymentEnvironment environment,
                                     const std::optional<MigrationVersion> &asked);

private:
    static Report createUnrecorded(const ConnectionSettings &settings, const MigrationSet &set,
                                   const Options &options, JobControl &control);
};

} // namespace fuelsync
