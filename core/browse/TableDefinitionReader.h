#pragma once

#include "TableDefinition.h"

namespace fuelsync {

class DbConnection;

// Reads a table's definition from the catalog in a few queries, whatever the number of schemas
// in the database. Names are passed as values, never spliced into SQL.
namespace TableDefinitionReader {

// Throws RequestError when schema.table is not a table, view or materialized view the session
// can see, DbError when the server fails.
TableDefinition read(DbConnection &connection, const QString &schema, const QString &table);

} // namespace TableDefinitionReader

} // namespace fuelsync
