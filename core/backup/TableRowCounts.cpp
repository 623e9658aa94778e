#include "TableRowCounts.h"

#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QSqlQuery>

#include <algorithm>

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

QStringList TableRowCounts::differences(DbConnection &connection, const QString &schema,
                                        const QList<BackupManifest::Table> &expected)
{
    const QList<BackupManifest::Table> counts = read(connection, schema);
    QStringList differ;
    for (const BackupManifest::Table &t : expected) {
        const auto found =
            std::find_if(counts.cbegin(), counts.cend(),
                         [&t](const BackupManifest::Table &c) { return c.name == t.name; });
        if (found == counts.cend())
            differ.append(tr("%1 is missing").arg(t.name));
        else if (found->rows != t.rows)
            differ.append(
                tr("%1 has %2 rows, the manifest %3").arg(t.name).arg(found->rows).arg(t.rows));
    }
    // A table the manifest does not know of is a difference too: it was not in the backup as
    // recorded.
    for (const BackupManifest::Table &c : counts) {
        const bool known =
            std::any_of(expected.cbegin(), expected.cend(),
                        [&c](const BackupManifest::Table &t) { return t.name == c.name; });
        if (!known)
            differ.append(tr("%1 (%2 rows) is not in the manifest").arg(c.name).arg(c.rows));
    }
    return differ;
}

} // namespace fuelsync
