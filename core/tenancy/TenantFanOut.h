#pragma once

#include "db/ConnectionSettings.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <mutex>

namespace fuelsync {

class DbConnection;

// Runs one piece of work per schema on up to `jobs` threads, each with a session of its own
// opened in that thread (a QSqlDatabase connection belongs to the thread that opened it). The
// calling thread stays free to watch: it gets a tick every few hundred milliseconds while the
// workers run. Shared by migrations, seeds and backups.
class TenantFanOut
{
public:
    struct Options
    {
        ConnectionSettings settings;
        QString purpose; // names the sessions in pg_stat_activity
        int jobs = 1;
        int tickMs = 200;
    };

    // `connection` is null when the worker could not connect; `connectError` says why. Work must
    // not throw.
    using Work =
        std::function<void(DbConnection *connection, int item, const QString &connectError)>;

    explicit TenantFanOut(Options options);

    // Schemas at once when nobody says (migrations, seeds): the machine's cores, 1 to 4, so a
    // run neither idles on a big machine nor floods a small server with sessions.
    static int defaultJobs();

    // Blocks until every item has run, or until cancel() (then the items never handed out are
    // simply not run).
    void run(int count, const Work &work, const std::function<void()> &tick = {});

    // Thread-safe: hands out no more items and asks the server to cancel running statements.
    void cancel();
    bool isCancelled() const { return m_cancelled.load(); }
    QList<int> activeBackendPids() const;

private:
    void workerLoop(int count, const Work &work);

    Options m_options;
    std::atomic<bool> m_cancelled { false };
    std::atomic<int> m_next { 0 };
    mutable std::mutex m_mutex;
    QList<DbConnection *> m_active;
};

} // namespace fuelsync
