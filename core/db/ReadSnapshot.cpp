#include "ReadSnapshot.h"

#include "DbConnection.h"

namespace fuelsync {

ReadSnapshot::ReadSnapshot(DbConnection &connection)
    : m_connection(connection)
{
    if (m_connection.inTransaction())
        return;
    m_connection.begin();
    m_own = true;
    m_connection.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
}

ReadSnapshot::~ReadSnapshot()
{
    if (!m_own)
        return;
    try {
        m_connection.rollback();
    } catch (const std::exception &) {
        // The session is gone; the server ended the transaction itself.
    }
}

} // namespace fuelsync
