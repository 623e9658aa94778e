#pragma once

#include "RunLock.h"
#include "common/RequestError.h"
#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"
#include "environment/EnvironmentResolver.h"

#include <memory>

namespace fuelsync {

class DbConnection;

// Thrown when another run holds the run lock. Nothing has been changed.
class RunLockBusy : public RequestError
{
public:
    explicit RunLockBusy(QString holder);
    const QString &holder() const { return m_holder; }
    int exitStatus() const override { return 4; }

private:
    QString m_holder;
};

// Thrown when the session cannot write (default_transaction_read_only is on). Nothing has been
// changed.
class ReadOnlySession : public RequestError
{
public:
    ReadOnlySession();
};

// A session that may change the database: connected, its environment checked against what was
// asked for, and holding the run lock for as long as it lives. Every command that writes (migrate,
// seed, tenant create) starts with one.
//
// Every statement of the session (and of the sessions opened from its settings) runs under
// `lock_timeout`, so a lock held on the tracking tables or the registry ends in an error that
// names its holder (describeLockTimeout) instead of an endless wait; and the server checks that
// the client is still there while a statement runs (client_connection_check_interval), so a
// killed runner's session, and the run lock with it, does not outlive it.
class LockedSession
{
public:
    // Throws DbError (cannot connect), RequestError (environment mismatch), RunLockBusy.
    static std::unique_ptr<LockedSession>
    open(const ConnectionSettings &settings, const QString &applicationName,
         std::optional<DeploymentEnvironment> requested,
         int lockTimeoutMs = SessionOptions::defaultChangeLockTimeoutMs);
    ~LockedSession();

    // Asks the server to cancel what the session is running. Safe from any thread while the
    // session lives.
    void cancel();

    // After a lock_timeout error on `connection`: the sessions holding strong locks on the
    // tracking tables and the registry (schema_migrations, tenants, migration_approvals), in
    // words, so the error names who to wait for. Empty when none is seen any more.
    static QString describeLockHolders(DbConnection &connection);
    // The error's text, with the holders added when it is a lock_timeout.
    static QString describeError(DbConnection &connection, const class DbError &error,
                                 int lockTimeoutMs);

    DbConnection &connection() { return *m_connection; }
    const EnvironmentResolver::Resolved &environment() const { return m_environment; }

private:
    LockedSession() = default;
    std::unique_ptr<DbConnection> m_connection;
    std::unique_ptr<RunLock> m_lock;
    EnvironmentResolver::Resolved m_environment;
};

} // namespace fuelsync
