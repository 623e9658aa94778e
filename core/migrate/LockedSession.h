#pragma once

#include "RunLock.h"
#include "common/RequestError.h"
#include "db/ConnectionSettings.h"
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

private:
    QString m_holder;
};

// A session that may change the database: connected, its environment checked against what was
// asked for, and holding the run lock for as long as it lives. Every command that writes (migrate,
// seed, tenant create) starts with one.
class LockedSession
{
public:
    // Throws DbError (cannot connect), RequestError (environment mismatch), RunLockBusy.
    static std::unique_ptr<LockedSession> open(const ConnectionSettings &settings,
                                               const QString &applicationName,
                                               std::optional<DeploymentEnvironment> requested);
    ~LockedSession();

    DbConnection &connection() { return *m_connection; }
    const EnvironmentResolver::Resolved &environment() const { return m_environment; }

private:
    LockedSession() = default;
    std::unique_ptr<DbConnection> m_connection;
    std::unique_ptr<RunLock> m_lock;
    EnvironmentResolver::Resolved m_environment;
};

} // namespace fuelsync
