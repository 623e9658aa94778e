#pragma once

#include <QStringList>

namespace fuelsync {

class DbConnection;

// The names the console's editor offers as one types: the database's schemas, and the tables,
// views and columns of the schemas given (public and the current tenant), sorted, each once.
namespace CompletionNames {

QStringList read(DbConnection &connection, const QStringList &schemas);

} // namespace CompletionNames
} // namespace fuelsync
