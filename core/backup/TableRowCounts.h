#pragma once

#include "BackupManifest.h"

namespace fuelsync {

class DbConnection;

// The rows of each table of a schema (partitioned tables counted once, with their partitions),
// in one query, as the connection's transaction sees them: what a backup's manifest records and
// what a restore is compared with.
class TableRowCounts
{
public:
    static QList<BackupManifest::Table> read(DbConnection &connection, const QString &schema);
};

} // namespace fuelsync
