#include "LockWaitMonitor.h"

#include "db/DbConnection.h"
#include "db/SqlArray.h"

#include <QCoreApplication>

namespace fuelsync {

void LockWaitMonitor::poll(DbConnection &coordinator, const QList<int> &backendPids)
{
    if (backendPids.isEmpty())
        return;
    QSqlQuery query = coordinator.exec(
        QStringLiteral("SELECT l.pid, l.mode, l.locktype, "
                       "  CASE WHEN l.relation IS NOT NULL THEN l.relation::regclass::text END, "
                       "  l.transactionid::text, "
                       "  b.pid, coalesce(b.usename::text, ''), coalesce(b.application_name, ''), "
                       "  coalesce(b.state, ''), "
                       "  to_char(now() - coalesce(b.xact_start, b.backend_start), 'HH24:MI:SS'), "
                       "  left(regexp_replace(coalesce(b.query, ''), '\\s+', ' ', 'g'), 120) "
                       "FROM pg_locks l "
                       "LEFT JOIN LATERAL unnest(pg_blocking_pids(l.pid)) AS blocker(pid) ON true "
                       "LEFT JOIN pg_stat_activity b ON b.pid = blocker.pid "
                       "WHERE NOT l.granted AND l.pid = ANY(?::int[])"),
        { SqlArray::intLiteral(backendPids) });
    QHash<int, QString> seen;
    while (query.next()) {
        const int pid = query.value(0).toInt();
        QString object;
        if (!query.value(3).isNull())
            object = QCoreApplication::translate("LockWaitMonitor", "table %1")
                         .arg(query.value(3).toString());
        else if (!query.value(4).isNull())
            object = QCoreApplication::translate("LockWaitMonitor", "rows locked by transaction %1")
                         .arg(query.value(4).toString());
        else
            object = query.value(2).toString();
        QString text = QCoreApplication::translate("LockWaitMonitor", "%1 on %2")
                           .arg(query.value(1).toString(), object);
        if (!query.value(5).isNull()) {
            text += QCoreApplication::translate(
                        "LockWaitMonitor",
                        ", held by pid %1 (user %2, application '%3', %4 for %5: %6)")
                        .arg(query.value(5).toString(), query.value(6).toString(),
                             query.value(7).toString(), query.value(8).toString(),
                             query.value(9).toString(), query.value(10).toString());
        }
        if (seen.contains(pid))
            continue; // one blocker is enough to act on
        seen.insert(pid, text);
    }
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        m_waits.insert(it.key(), { it.value(), now });
}

QString LockWaitMonitor::lastWait(int backendPid, int withinMs) const
{
    std::lock_guard lock(m_mutex);
    const auto found = m_waits.constFind(backendPid);
    if (found == m_waits.cend())
        return {};
    const auto age = std::chrono::steady_clock::now() - found->at;
    return age <= std::chrono::milliseconds(withinMs) ? found->text : QString();
}

} // namespace fuelsync
