#pragma once

#include "db/ConnectionSettings.h"
#include "environment/DeploymentEnvironment.h"
#include "migrate/MigrationRunReport.h"

#include <optional>

namespace fuelsync {

class MigrationSet;

// `tenant create`: registers a tenant in public.tenants, creates its schema and migrates it to
// the latest version. If migrating fails, the new tenant is removed again, so a failed creation
// leaves nothing behind.
class TenantProvisioner
{
public:
    struct Options
    {
        QString schema;
        QString name;
        bool migrate = true;
        std::optional<DeploymentEnvironment> environment;
        QString runner;
        int lockTimeoutMs = 5000;
    };
    struct Report
    {
        bool created = false;
        bool removedAgain = false;
        QString error; // why it failed, or empty
        int exitCode = 0;
        std::optional<MigrationRunReport> migration;
        QString environment;
    };

    static Report create(const ConnectionSettings &settings, const MigrationSet &set,
                         const Options &options);
};

} // namespace fuelsync
