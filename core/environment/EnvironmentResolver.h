#pragma once

#include "DeploymentEnvironment.h"

#include <QString>

#include <optional>

namespace fuelsync {

class DbConnection;

// Which environment a database is. A database can declare it itself (the database-level setting
// `fuelsync.environment`, set with `fuelsync-db env set`), so a production database is protected
// even when a maintainer forgets a flag. An `--env` given on the command line must agree with the
// declaration; without either, the database is taken as development and the run says so.
class EnvironmentResolver
{
public:
    struct Resolved
    {
        DeploymentEnvironment environment = DeploymentEnvironment::Development;
        bool declaredInDatabase = false;
        bool assumed = false; // neither declared nor requested
        QString describe() const; // "production (declared by the database)"
    };

    // Throws RequestError when the requested environment contradicts the declared one, or the
    // declared value is not an environment.
    static Resolved resolve(DbConnection &connection,
                            std::optional<DeploymentEnvironment> requested);

    // Declares the environment of the connected database (takes effect for new sessions).
    static void declare(DbConnection &connection, DeploymentEnvironment environment);
    static std::optional<DeploymentEnvironment> declared(DbConnection &connection);

    static constexpr const char *settingName = "fuelsync.environment";
};

} // namespace fuelsync
