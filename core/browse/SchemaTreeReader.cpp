#include "SchemaTreeReader.h"

#include "db/DbConnection.h"
#include "db/SqlArray.h"
#include "db/SqlIdentifier.h"
#include "migrationfiles/MigrationVersion.h"

#include <QSqlQuery>

#include <algorithm>
#include <optional>

namespace fuelsync {

QList<SchemaEntry> SchemaTreeReader::schemas(DbConnection &connection)
{
    QList<SchemaEntry> result;
    result.append({ QStringLiteral("public"), QString(), SchemaEntry::Kind::Platform, true });
    const bool registry =
        connection.scalar(QStringLiteral("SELECT to_regclass('public.tenants') IS NOT NULL"))
            .toBool();
    // to_jsonb(t)->>'name': the column may not exist in an old platform schema.
    const QString tenants = registry
        ? QStringLiteral("SELECT t.schema_name::text AS schema, to_jsonb(t)->>'name' AS name "
                         "FROM public.tenants t WHERE t.schema_name IS NOT NULL")
        : QStringLiteral("SELECT NULL::text AS schema, NULL::text AS name WHERE false");
    QSqlQuery query = connection.exec(
        QStringLiteral("WITH tenant AS (%1) "
                       "SELECT 1 AS part, t.schema, t.name, n.oid IS NOT NULL FROM tenant t "
                       "  LEFT JOIN pg_namespace n ON n.nspname = t.schema "
                       "UNION ALL "
                       "SELECT 2, n.nspname::text, NULL, true FROM pg_namespace n "
                       // fuelsync_guard holds only what keeps the audit (roles setup).
                       " WHERE n.nspname NOT IN ('public', 'information_schema', 'fuelsync_guard') "
                       "   AND n.nspname NOT LIKE 'pg\\_%' "
                       "   AND NOT EXISTS (SELECT 1 FROM tenant t WHERE t.schema = n.nspname) "
                       "ORDER BY 1, 2")
            .arg(tenants));
    while (query.next()) {
        SchemaEntry entry;
        entry.schema = query.value(1).toString();
        entry.displayName = query.value(2).toString();
        entry.kind =
            query.value(0).toInt() == 1 ? SchemaEntry::Kind::Tenant : SchemaEntry::Kind::Other;
        entry.exists = query.value(3).toBool();
        result.append(entry);
    }
    return result;
}

QHash<QString, QString> SchemaTreeReader::highestVersions(DbConnection &connection,
                                                          const QStringList &schemas, int chunk)
{
    QHash<QString, QString> result;
    if (schemas.isEmpty())
        return result;
    // Only the schemas that have the table; names come back from the catalog, and are quoted.
    QStringList withTable;
    QSqlQuery present = connection.exec(
        QStringLiteral("SELECT n.nspname::text FROM pg_namespace n "
                       "JOIN pg_class c ON c.relnamespace = n.oid "
                       "  AND c.relname = 'schema_migrations' AND c.relkind IN ('r', 'p') "
                       "JOIN unnest(?::text[]) AS wanted(name) ON wanted.name = n.nspname"),
        { SqlArray::textLiteral(schemas) });
    while (present.next())
        withTable.append(present.value(0).toString());

    chunk = std::max(1, chunk);
    for (qsizetype start = 0; start < withTable.size(); start += chunk) {
        QStringList parts;
        const qsizetype end = std::min(withTable.size(), start + chunk);
        for (qsizetype i = start; i < end; ++i) {
            parts.append(QStringLiteral("SELECT %1 AS i, string_agg(version::text, ' ') FROM %2")
                             .arg(i)
                             .arg(SqlIdentifier::quote(withTable.at(i))
                                  + QStringLiteral(".schema_migrations")));
        }
        QSqlQuery query = connection.exec(parts.join(QStringLiteral(" UNION ALL ")));
        while (query.next()) {
            const QString &schema = withTable.at(query.value(0).toInt());
            std::optional<MigrationVersion> highest;
            const QStringList versions = query.value(1).toString().split(u' ', Qt::SkipEmptyParts);
            for (const QString &text : versions) {
                const auto version = MigrationVersion::parse(text);
                if (version && (!highest || *highest < *version))
                    highest = version;
            }
            if (highest)
                result.insert(schema, highest->text());
        }
    }
    return result;
}

QList<TableEntry> SchemaTreeReader::tables(DbConnection &connection, const QString &schema)
{
    QSqlQuery query = connection.exec(
        QStringLiteral(
            "SELECT c.relname::text, c.relkind::text, c.reltuples::float8, "
            "  CASE WHEN c.relkind IN ('r', 'm', 'p') THEN pg_total_relation_size(c.oid) END, "
            "  obj_description(c.oid, 'pg_class') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "  AND NOT c.relispartition "
            "ORDER BY c.relname"),
        { schema });
    QList<TableEntry> result;
    while (query.next()) {
        TableEntry entry;
        entry.name = query.value(0).toString();
        const QString kind = query.value(1).toString();
        entry.kind = kind.isEmpty() ? 'r' : kind.at(0).toLatin1();
        entry.estimatedRows = query.value(2).toDouble();
        entry.totalBytes = query.isNull(3) ? -1 : query.value(3).toLongLong();
        entry.comment = query.value(4).toString();
        result.append(entry);
    }
    return result;
}

} // namespace fuelsync
