#include "LockedSession.h"

#include "db/DbConnection.h"

#include <QCoreApplication>

namespace fuelsync {

RunLockBusy::RunLockBusy(QString holder)
    : RequestError(QCoreApplication::translate(
                       "LockedSession",
                       "another run holds the run lock of this database (%1); nothing was "
                       "changed. Wait for it to finish, or, if it is stuck, end that session with "
                       "pg_terminate_backend()")
                       .arg(holder))
    , m_holder(std::move(holder))
{ }

std::unique_ptr<LockedSession> LockedSession::open(const ConnectionSettings &settings,
                                                   const QString &applicationName,
                                                   std::optional<DeploymentEnvironment> requested)
{
    std::unique_ptr<LockedSession> session(new LockedSession);
    session->m_connection =
        DbConnection::open(settings.withApplicationName(applicationName), QStringLiteral("run"));
    session->m_environment = EnvironmentResolver::resolve(*session->m_connection, requested);
    session->m_lock = std::make_unique<RunLock>(*session->m_connection);
    if (!session->m_lock->tryAcquire())
        throw RunLockBusy(session->m_lock->holderDescription());
    return session;
}

LockedSession::~LockedSession()
{
    m_lock.reset(); // before the connection it uses
}

} // namespace fuelsync
