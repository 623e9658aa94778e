#include "TenantFanOut.h"

#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QThread>

#include <algorithm>
#include <memory>

namespace fuelsync {

int TenantFanOut::defaultJobs()
{
    return std::clamp(QThread::idealThreadCount(), 1, 4);
}

TenantFanOut::TenantFanOut(Options options)
    : m_options(std::move(options))
{ }

void TenantFanOut::run(int count, const Work &work, const std::function<void()> &tick)
{
    m_next = 0;
    if (count == 0)
        return;
    const int threads = std::max(1, std::min(m_options.jobs, count));
    QList<QThread *> workers;
    for (int i = 0; i < threads; ++i) {
        QThread *thread = QThread::create([this, count, &work] { workerLoop(count, work); });
        thread->setObjectName(QStringLiteral("fanout-%1").arg(i));
        workers.append(thread);
        thread->start();
    }
    for (QThread *thread : workers) {
        while (!thread->wait(QDeadlineTimer(m_options.tickMs))) {
            if (tick)
                tick();
        }
        // wait() hands the worker's writes (the callers' results) over to this thread, but it
        // synchronises inside Qt, out of ThreadSanitizer's sight. The worker's last act takes
        // m_mutex (unregister), so taking it here states the same order where TSan sees it.
        {
            std::lock_guard lock(m_mutex);
        }
        delete thread;
    }
}

void TenantFanOut::workerLoop(int count, const Work &work)
{
    std::unique_ptr<DbConnection> connection;
    auto unregister = [this, &connection] {
        std::lock_guard lock(m_mutex);
        m_active.removeAll(connection.get());
    };
    while (!m_cancelled) {
        const int item = m_next.fetch_add(1);
        if (item >= count)
            break;
        QString connectError;
        if (connection && !connection->isUsable()) {
            unregister();
            connection.reset();
        }
        if (!connection) {
            try {
                connection = DbConnection::open(m_options.settings, m_options.purpose);
                std::lock_guard lock(m_mutex);
                m_active.append(connection.get());
            } catch (const DbError &error) {
                connectError = error.text();
            }
        }
        work(connection.get(), item, connectError);
        if (!connection)
            break; // the server is out of reach: leave the rest unstarted rather than retry each
    }
    unregister();
}

void TenantFanOut::cancel()
{
    m_cancelled = true;
    std::lock_guard lock(m_mutex);
    for (DbConnection *connection : std::as_const(m_active))
        connection->cancel();
}

QList<int> TenantFanOut::activeBackendPids() const
{
    std::lock_guard lock(m_mutex);
    QList<int> pids;
    for (const DbConnection *connection : m_active)
        pids.append(connection->backendPid());
    return pids;
}

} // namespace fuelsync
