#include "TableRowCounts.h"

#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QSqlQuery>

namespace fuelsync {

QList<BackupManifest::Table> TableRowCounts::read(DbConnection &connection, const QString &schema)
{
    QSqlQuery names = connection.exec(QStringLiteral("SELECT c.relname::text FROM pg_class c "
                                                     "JOIN pg_namespace n ON n.oid = "
                                                     "c.relnamespace WHERE n.nspname = ? AND "
                                                     "c.relkind IN ('r', 'p') AND NOT "
                                                     "c.relispartition ORDER BY 1"),
                                      { schema });
    QStringList tables;
    while (names.next())
        tables.append(names.value(0).toString());
    QList<BackupManifest::Table> counted;
    if (tables.isEmpty())
        return counted;
    QStringList parts;
    QVariantList values;
    for (const QString &table : std::as_const(tables)) {
        parts.append(QStringLiteral("SELECT ?::text, count(*) FROM %1.%2")
                         .arg(SqlIdentifier::quote(schema), SqlIdentifier::quote(table)));
        values.append(table);
    }
    QSqlQuery counts = connection.exec(parts.join(QStringLiteral(" UNION ALL ")), values);
    while (counts.next())
        counted.append({ counts.value(0).toString(), counts.value(1).toLongLong() });
    return counted;
}

} // namespace fuelsync
