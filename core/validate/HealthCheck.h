#pragma once

#include "SchemaValidator.h"

namespace fuelsync {

class DbConnection;

// The validator's `health` check: what the server's own statistics say about the database, read
// in a few catalog queries however many tenants there are.
//   sequences more than 75 % used (the fix widens them to bigint); tables without a primary key;
//   transaction-ID age against autovacuum_freeze_max_age, of the database and its oldest tables;
//   estimated table and index bloat; long-running and idle-in-transaction sessions; sessions
//   waiting on a lock and who holds it; the cache hit ratio; connections against
//   max_connections; the largest tables and indexes; the slowest statements from
//   pg_stat_statements when it is installed (and how to install it when it is not).
// Sessions are the current database's. A login that cannot see other roles' sessions or read a
// sequence is told so; nothing it cannot see is called healthy.
class HealthCheck
{
public:
    // `schemas`: a name[] literal of the schemas to look at (public and the tenants).
    static void run(DbConnection &connection, const QString &schemas,
                    const SchemaValidator::Options &options, SchemaValidator::Report &report,
                    JobControl &control);
};

} // namespace fuelsync
