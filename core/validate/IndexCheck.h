#pragma once

#include "SchemaValidator.h"

namespace fuelsync {

class DbConnection;

// The validator's `indexes` check, over every schema asked for in a few catalog queries:
//   invalid indexes (a failed CREATE INDEX CONCURRENTLY); foreign keys no index leads with a
//   column of; exact copies and redundant prefixes of another index, with the space they take;
//   indexes no query used since the statistics were reset, above the size threshold (never one a
//   constraint or a foreign key needs); tables above it read mostly by sequential scans.
class IndexCheck
{
public:
    // `schemas`: a name[] literal of the schemas to look at (public and the tenants).
    static void run(DbConnection &connection, const QString &schemas,
                    const SchemaValidator::Options &options, SchemaValidator::Report &report);
};

} // namespace fuelsync
