#pragma once

#include "PostgresTools.h"
#include "db/ConnectionSettings.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace fuelsync {

struct LocalClusterOptions
{
    // The database superuser initdb creates (-U).
    QString superuser = QStringLiteral("postgres");
    // Also listen on 127.0.0.1 (password authentication, scram-sha-256). Without it the server
    // is reachable only through the unix socket in the cluster's private run/ directory.
    bool tcp = false;
    // The port to start with; 0 picks a free one. start() moves to another free port when the
    // saved one is taken.
    int port = 0;
    // fsync=off, synchronous_commit=off, full_page_writes=off and initdb --no-sync: for
    // throwaway clusters (tests) only, since a crash of the machine can corrupt the data.
    bool fastUnsafe = false;
    // Further server settings, each "name=value" (max_connections=200).
    QStringList settings;
    // cluster_name: shown in `ps` next to the server's processes.
    QString name = QStringLiteral("fuelsync");
    // The installation to use; by default PostgresTools::locate() decides.
    std::optional<PostgresTools> tools;
};

// A PostgreSQL cluster that the program creates and runs itself, in a folder of its own:
//
//   <root>/cluster.json   what this class remembers (port, superuser, tools, ...)
//   <root>/data/          PGDATA
//   <root>/run/           the server's unix socket, in a directory only the server's user can open
//   <root>/postgres.log   the server log
//
// Used for the throwaway cluster of a test run and for the per-user sandbox database.
// Run by root, initdb and the server run as the OS user "postgres" (PostgreSQL refuses to run
// as root), or as the owner of an existing data directory. Not thread-safe; one object per
// thread, although several objects (and processes) may look at the same folder.
class LocalCluster
{
public:
    enum class StopMode {
        Fast, // roll back open transactions, disconnect clients, shut down cleanly
        Immediate, // stop at once; the next start runs crash recovery
    };

    explicit LocalCluster(const QString &rootDir);

    const QString &rootDir() const { return m_rootDir; }
    QString dataDir() const;
    QString socketDir() const;
    QString logFile() const;
    QString stateFile() const;

    // Whether initialize() completed here (cluster.json says so and PGDATA exists).
    bool isInitialized() const;
    // Creates the cluster. The folder must be new, empty, or a cluster folder whose earlier
    // initialize() was interrupted.
    bool initialize(const LocalClusterOptions &options, QString *error);
    // Starts the server and waits until it accepts connections. Does nothing when it runs.
    bool start(QString *error);
    // Stops the server and waits until it is gone. Does nothing when it is not running.
    bool stop(QString *error, StopMode mode = StopMode::Fast);
    // Cheap: postmaster.pid and whether that process is alive.
    bool isRunning() const;
    // Stops the server (immediately) and removes the whole folder. Refuses a folder that has no
    // cluster.json, so that a wrong path cannot remove anybody's files. Succeeds when the folder
    // does not exist.
    bool destroy(QString *error);

    int port() const { return m_state.port; }
    QString superuser() const { return m_state.superuser; }
    bool tcpEnabled() const { return m_state.tcp; }
    int majorVersion() const { return m_state.majorVersion; }
    QString toolsDir() const { return m_state.toolsDir; }
    // The postmaster's process id while it runs.
    std::optional<qint64> serverPid() const;

    // Superuser settings through the unix socket: host = socket dir, port, user, dbname.
    ConnectionSettings connectionSettings(const QString &database) const;

    // The last lines of the server log, for messages.
    QStringList logTail(int lines = 20) const;

    // Whether dir holds a cluster.json written by this class.
    static bool looksLikeClusterRoot(const QString &dir);
    // A port that nothing listens on at 127.0.0.1 right now (the kernel's choice), or 0.
    static int findFreePort(QString *error = nullptr);
    // Whether a server could bind 127.0.0.1:port right now.
    static bool isPortFree(int port);

private:
    struct State
    {
        bool initialized = false;
        int port = 0;
        QString superuser;
        QString toolsDir;
        int majorVersion = 0;
        bool tcp = false;
        bool fastUnsafe = false;
        QStringList settings;
        QString name;
    };

    void loadState();
    bool saveState(QString *error) const;
    bool writeServerConfig(QString *error) const;
    std::optional<PostgresTools> resolveTools(QString *error) const;
    bool runningPortFromPidFile(int *port) const;
    bool stopBySignal(qint64 pid, StopMode mode, QString *error) const;

    QString m_rootDir;
    State m_state;
};

} // namespace fuelsync
