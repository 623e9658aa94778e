#pragma once

#include "LocalCluster.h"
#include "common/JobControl.h"
#include "migrate/MigrationRunReport.h"
#include "seeds/SeedRunner.h"

#include <functional>
#include <optional>

namespace fuelsync {

class MigrationSet;

// The built-in sandbox: a local PostgreSQL cluster under the user's data directory with a
// FuelSync database that is migrated and seeded on first start, for trying things safely. It
// declares itself a development database.
class Sandbox
{
public:
    static constexpr const char *databaseName = "fuelsync_hub";
    static constexpr const char *superuser = "fuelsync";

    // FUELSYNC_SANDBOX_DIR, else <user data dir>/fuelsync-admin/sandbox; for root
    // /var/lib/fuelsync-admin/sandbox, since the server runs as the postgres user, who cannot
    // enter root's home.
    static QString defaultDirectory();

    explicit Sandbox(QString directory = defaultDirectory());

    struct StartReport
    {
        bool ok = false;
        bool created = false; // first start: cluster created, migrated and seeded
        QString error;
        std::optional<MigrationRunReport> migration;
        std::optional<SeedRunner::Report> seed;
        // OpenOnly: the versions the files have and the sandbox has not applied.
        QStringList pending;
    };
    enum class StartMode {
        // `fuelsync-db sandbox start`: migrates it to the latest version every time.
        BringUpToDate,
        // The desktop app: starts the server, and never changes a schema of an existing sandbox
        // (what is pending is said, and shown in the Migrations tab). A sandbox that does not exist
        // yet is still created, migrated and seeded: there is nothing there to change.
        OpenOnly,
    };
    // Creates the cluster on first start, starts it, migrates it to the latest version (only
    // the first time with OpenOnly), and seeds it (comprehensive set) the first time. Each
    // stage is a step of the job, for the user.
    StartReport start(const MigrationSet &set, const QString &runner, JobControl &control,
                      StartMode mode = StartMode::BringUpToDate);
    bool stop(QString *error);
    bool destroy(QString *error);

    bool exists() const;
    bool isRunning() const;
    const QString &directory() const { return m_directory; }
    ConnectionSettings connectionSettings() const;
    // postgresql:///fuelsync_hub?host=<socket dir>&port=<port>&user=fuelsync
    QString uri() const;

private:
    bool isPrepared() const;
    void markPrepared() const;

    QString m_directory;
    LocalCluster m_cluster;
};

} // namespace fuelsync
