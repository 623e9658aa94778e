#include "CompletionNames.h"

#include "db/DbConnection.h"

#include <QSqlQuery>

namespace fuelsync::CompletionNames {

QStringList read(DbConnection &connection, const QStringList &schemas)
{
    QSqlQuery query = connection.exec(
        QStringLiteral(
            "SELECT nspname::text FROM pg_namespace WHERE nspname !~ '^(pg_|information_schema)' "
            "UNION SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = "
            "  c.relnamespace WHERE n.nspname = ANY (string_to_array(?::text, ',')) "
            "  AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "UNION SELECT a.attname::text FROM pg_attribute a JOIN pg_class c ON c.oid = "
            "  a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY "
            "  (string_to_array(?::text, ',')) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "  AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY 1 LIMIT 20000"),
        { schemas.join(u','), schemas.join(u',') });
    QStringList names;
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

} // namespace fuelsync::CompletionNames
