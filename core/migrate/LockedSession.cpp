#include "LockedSession.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SessionOptions.h"

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

ReadOnlySession::ReadOnlySession()
    : RequestError(QCoreApplication::translate(
        "LockedSession",
        "this session is read-only (default_transaction_read_only is on: a read-only profile, "
        "a setting of the role or database, or a standby), so the server refuses every change; "
        "nothing was changed"))
{ }

std::unique_ptr<LockedSession> LockedSession::open(const ConnectionSettings &settings,
                                                   const QString &applicationName,
                                                   std::optional<DeploymentEnvironment> requested,
                                                   int lockTimeoutMs)
{
    std::unique_ptr<LockedSession> session(new LockedSession);
    SessionOptions limits;
    limits.lockTimeoutMs = lockTimeoutMs;
    session->m_connection = DbConnection::open(
        limits.applyTo(settings.withApplicationName(applicationName)), QStringLiteral("run"));
    DbConnection &connection = *session->m_connection;
    if (connection.serverVersionNumber() >= 140000) {
        connection.exec(
            QStringLiteral("SELECT set_config('client_connection_check_interval', '2s', false)"));
    }
    // A read-only session (a read-only profile, a role or a standby that makes every session
    // so) would fail at its first write: refused before anything starts, saying why.
    if (connection.scalar(QStringLiteral("SELECT current_setting('transaction_read_only')"))
            .toString()
        == u"on") {
        throw ReadOnlySession();
    }
    session->m_environment = EnvironmentResolver::resolve(connection, requested);
    session->m_lock = std::make_unique<RunLock>(connection);
    if (!session->m_lock->tryAcquire())
        throw RunLockBusy(session->m_lock->holderDescription());
    return session;
}

void LockedSession::cancel()
{
    if (m_connection)
        m_connection->cancel();
}

QString LockedSession::describeLockHolders(DbConnection &connection)
{
    QSqlQuery query = connection.exec(QStringLiteral(
        "SELECT l.mode, c.oid::regclass::text, a.pid, coalesce(a.usename::text, ''), "
        "  coalesce(a.application_name, ''), coalesce(a.state, ''), "
        "  to_char(now() - coalesce(a.xact_start, a.backend_start), 'HH24:MI:SS'), "
        "  left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 120) "
        "FROM pg_locks l "
        "JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.granted AND l.pid <> pg_backend_pid() "
        "  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "  AND c.relname IN ('schema_migrations', 'tenants', 'migration_approvals') "
        "  AND l.mode NOT IN ('AccessShareLock', 'RowShareLock', 'RowExclusiveLock') "
        "ORDER BY a.pid, 2 LIMIT 5"));
    QStringList holders;
    while (query.next()) {
        holders.append(QCoreApplication::translate(
                           "LockedSession",
                           "%1 on table %2, held by pid %3 (user %4, application '%5', %6 for "
                           "%7: %8)")
                           .arg(query.value(0).toString(), query.value(1).toString(),
                                query.value(2).toString(), query.value(3).toString(),
                                query.value(4).toString(), query.value(5).toString(),
                                query.value(6).toString(), query.value(7).toString()));
    }
    return holders.join(QStringLiteral("; "));
}

QString LockedSession::describeError(DbConnection &connection, const DbError &error,
                                     int lockTimeoutMs)
{
    if (error.kind() != DbError::Kind::LockTimeout || !connection.isUsable())
        return error.text();
    QString holders;
    try {
        holders = describeLockHolders(connection);
    } catch (const DbError &) {
        // Only the description is lost.
    }
    return QCoreApplication::translate(
               "LockedSession",
               "waited longer than lock_timeout (%1 ms) for a lock on the migration tracking "
               "tables or the tenant registry%2; nothing was changed. Try again when that "
               "session has finished, or end it with pg_terminate_backend()")
        .arg(lockTimeoutMs)
        .arg(holders.isEmpty() ? QString() : QStringLiteral(": ") + holders);
}

LockedSession::~LockedSession()
{
    m_lock.reset(); // before the connection it uses
}

} // namespace fuelsync
