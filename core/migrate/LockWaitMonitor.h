#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <chrono>
#include <mutex>

namespace fuelsync {

class DbConnection;

// Watches, from the coordinating session, which lock each worker session is waiting for and who
// holds it. When lock_timeout ends a worker's statement, the server only says "canceling
// statement due to lock timeout"; the monitor's last observation names the lock and its holder.
class LockWaitMonitor
{
public:
    // Reads pg_locks for the given backends. Called periodically by the coordinator.
    void poll(DbConnection &coordinator, const QList<int> &backendPids);
    // The last wait seen for `backendPid` within the last `withinMs`, in words; empty when none was
    // seen. Thread-safe.
    QString lastWait(int backendPid, int withinMs) const;

private:
    struct Observation
    {
        QString text;
        std::chrono::steady_clock::time_point at;
    };
    mutable std::mutex m_mutex;
    QHash<int, Observation> m_waits;
};

} // namespace fuelsync
