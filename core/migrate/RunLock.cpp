#include "RunLock.h"

#include "db/DbConnection.h"

#include <QCoreApplication>

namespace fuelsync {

RunLock::RunLock(DbConnection &connection)
    : m_connection(connection)
{ }

RunLock::~RunLock()
{
    try {
        release();
    } catch (const std::exception &) {
        // The session is gone, and its locks with it.
    }
}

bool RunLock::tryAcquire()
{
    m_held =
        m_connection
            .scalar(QStringLiteral("SELECT pg_try_advisory_lock(?, ?)"), { classKey, objectKey })
            .toBool();
    if (m_held)
        return true;
    QSqlQuery holder = m_connection.exec(
        QStringLiteral(
            "SELECT a.pid, coalesce(a.usename::text, ''), coalesce(a.application_name, ''), "
            "  coalesce(host(a.client_addr), 'local socket'), "
            "  to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
            "  to_char(now() - a.backend_start, 'HH24:MI:SS') "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objid = ? "
            "  AND l.objsubid = 2 "
            "  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
        { uint(classKey), uint(objectKey) });
    if (holder.next()) {
        m_holder = QCoreApplication::translate(
                       "RunLock",
                       "pid %1, user %2, application '%3', from %4, connected since %5 UTC "
                       "(%6 ago)")
                       .arg(holder.value(0).toString(), holder.value(1).toString(),
                            holder.value(2).toString(), holder.value(3).toString(),
                            holder.value(4).toString(), holder.value(5).toString());
    } else {
        m_holder = QCoreApplication::translate("RunLock",
                                               "a session that has just ended or that this user "
                                               "may not see");
    }
    return false;
}

void RunLock::release()
{
    if (!m_held)
        return;
    m_held = false;
    if (m_connection.isUsable()) {
        m_connection.exec(QStringLiteral("SELECT pg_advisory_unlock(?, ?)"),
                          { classKey, objectKey });
    }
}

} // namespace fuelsync
