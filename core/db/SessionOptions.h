#pragma once

#include "ConnectionSettings.h"

namespace fuelsync {

class DbConnection;

// Settings a session starts with, passed to the server in the startup packet (libpq's
// `options`), so they hold from the first statement and cannot be forgotten by a caller.
struct SessionOptions
{
    // default_transaction_read_only=on: the server refuses every write of the session.
    bool readOnly = false;
    // statement_timeout in milliseconds; 0 leaves the server's.
    int statementTimeoutMs = 0;
    // lock_timeout in milliseconds; 0 leaves the server's.
    int lockTimeoutMs = 0;
    // The lock_timeout of a session that changes schemas (a migration, a seed, a new tenant)
    // unless told otherwise: a busy table's short locks are waited out, while a long wait (and
    // the queue of sessions it would hold up behind it) is not.
    static constexpr int defaultChangeLockTimeoutMs = 5000;
    // client_connection_check_interval in milliseconds (PostgreSQL 14 and later; an older server
    // refuses the connection): while a statement runs, the server checks this often that the
    // client is still there, so a killed client's session does not go on. 0 leaves the server's.
    int clientCheckIntervalMs = 0;

    // The settings with these options added to any `options` they already carry.
    ConnectionSettings applyTo(const ConnectionSettings &settings) const;

    // What the server says holds for this session now.
    static SessionOptions inEffect(DbConnection &connection);
};

} // namespace fuelsync
