#pragma once

#include "SchemaGraph.h"

namespace fuelsync {

class DbConnection;

// Reads a schema's SchemaGraph from the catalog in three queries, whatever the number of tables:
// tables (not partitions) with their columns, primary keys, and foreign keys with what their
// cardinality is (a nullable key: 0..1 at the parent; key columns unique in the child: 0..1 at
// the child). Tables in other schemas that a key references come along, marked external.
class SchemaGraphReader
{
public:
    static SchemaGraph read(DbConnection &connection, const QString &schema);
};

} // namespace fuelsync
