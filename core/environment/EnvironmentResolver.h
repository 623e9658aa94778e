#pragma once

#include "DeploymentEnvironment.h"
#include "common/ChangeConfirmation.h"

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
        // Only from forProfile(): the two sides, when the profile disagrees with the database.
        struct Disagreement
        {
            DeploymentEnvironment declared;
            DeploymentEnvironment profile;
        };
        std::optional<Disagreement> disagreement;
        QString describe() const; // "production (declared by the database)"
    };

    // Throws RequestError when the requested environment contradicts the declared one, or the
    // declared value is not an environment.
    static Resolved resolve(DbConnection &connection,
                            std::optional<DeploymentEnvironment> requested);

    // For a connection opened from a profile that names an environment (the desktop app): unlike
    // resolve(), a disagreement stops nothing, since opening is not a change; the stricter of the
    // two is the environment (a profile cannot make a production database look like staging, nor
    // the other way round), and the disagreement is kept to be shown. Throws RequestError when the
    // declared value is not an environment.
    static Resolved forProfile(DbConnection &connection,
                               std::optional<DeploymentEnvironment> profile);

    // Declares the environment of the connected database (takes effect for new sessions).
    static void declare(DbConnection &connection, DeploymentEnvironment environment);
    static std::optional<DeploymentEnvironment> declared(DbConnection &connection);
    // What declaring `next` must be confirmed with: leaving production lifts its gates
    // (approvals, typed confirmations), so it takes the database's name; anything else nothing.
    static ChangeConfirmation declareConfirmation(std::optional<DeploymentEnvironment> current,
                                                  DeploymentEnvironment next,
                                                  const QString &database);

    static constexpr const char *settingName = "fuelsync.environment";
};

} // namespace fuelsync
