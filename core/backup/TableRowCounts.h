#pragma once

#include "BackupManifest.h"

#include <QCoreApplication>

namespace fuelsync {

class DbConnection;

// The rows of each table of a schema (partitioned tables counted once, with their partitions),
// in one query, as the connection's transaction sees them: what a backup's manifest records and
// what a restore is compared with.
class TableRowCounts
{
    Q_DECLARE_TR_FUNCTIONS(TableRowCounts)

public:
    static QList<BackupManifest::Table> read(DbConnection &connection, const QString &schema);
    // How the schema's tables differ from the manifest's counts, for a person; empty when they
    // hold what it says.
    static QStringList differences(DbConnection &connection, const QString &schema,
                                   const QList<BackupManifest::Table> &expected);
};

} // namespace fuelsync
