#pragma once

namespace fuelsync {

class DbConnection;

// A read that sees one snapshot of the database: a READ ONLY, REPEATABLE READ transaction for its
// lifetime (rolled back at the end: it changes nothing). When the connection is already in a
// transaction, that one is used as it is.
class ReadSnapshot
{
public:
    explicit ReadSnapshot(DbConnection &connection);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    DbConnection &m_connection;
    bool m_own = false;
};

} // namespace fuelsync
