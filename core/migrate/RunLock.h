#pragma once

#include <QString>

namespace fuelsync {

class DbConnection;

// The database-wide advisory lock that lets one fuelsync-db run at a time change a database
// (migrations, rollbacks, seeds, tenant creation). It is a session lock: it is released when the
// run ends, and also when the runner dies, because its session ends with it.
class RunLock
{
public:
    explicit RunLock(DbConnection &connection);
    ~RunLock();
    RunLock(const RunLock &) = delete;
    RunLock &operator=(const RunLock &) = delete;

    // Takes the lock without waiting. On false, holderDescription() says who has it.
    bool tryAcquire();
    void release();
    // "pid 4242, user alice, application 'fuelsync-db migrate up (alice@ws1)', from 10.0.0.7,
    // connected since 2026-11-25 10:02:11 UTC, running for 00:03:12"
    const QString &holderDescription() const { return m_holder; }

    // The two keys of pg_advisory_lock(int, int): 'FSDB' and 1 (the run lock).
    static constexpr int classKey = 0x46534442;
    static constexpr int objectKey = 1;

private:
    DbConnection &m_connection;
    bool m_held = false;
    QString m_holder;
};

} // namespace fuelsync
