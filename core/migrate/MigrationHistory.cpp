#include "MigrationHistory.h"

#include "migrationfiles/SchemaMigrationsTable.h"
#include "db/DbConnection.h"
#include "db/SqlArray.h"

#include <QSqlQuery>

#include <algorithm>

namespace fuelsync {

QList<MigrationHistory::Entry> MigrationHistory::recent(DbConnection &connection,
                                                        const QStringList &schemas, int limit)
{
    QList<Entry> entries;
    if (schemas.isEmpty() || limit <= 0)
        return entries;
    // Only schemas whose schema_migrations exists, as the catalog names them.
    QStringList present;
    QSqlQuery tables =
        connection.exec(QStringLiteral("SELECT n.nspname::text FROM pg_class c "
                                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                       "WHERE c.relname = 'schema_migrations' AND c.relkind = 'r' "
                                       "AND n.nspname = ANY (?::text[]) ORDER BY 1"),
                        { SqlArray::textLiteral(schemas) });
    while (tables.next())
        present.append(tables.value(0).toString());

    // to_jsonb(m) reads tables of the seed's older shape, which lack some columns.
    SchemaMigrationsTable::queryInChunks(
        connection, present,
        QStringLiteral("SELECT ?::text, version::text, description, executed_at, "
                       "to_jsonb(m)->>'executed_by', to_jsonb(m)->>'runner', "
                       "(to_jsonb(m)->>'execution_ms')::bigint FROM %1 m"),
        [](const QString &schema) { return QVariantList { schema }; },
        QStringLiteral("%1 ORDER BY 4 DESC LIMIT ?"), { limit },
        [&entries](const QSqlQuery &q) {
            Entry e;
            e.schema = q.value(0).toString();
            e.version = q.value(1).toString();
            e.description = q.value(2).toString();
            e.executedAt = q.value(3).toDateTime();
            e.executedBy = q.value(4).toString();
            e.runner = q.value(5).toString();
            e.executionMs = q.value(6).isNull() ? -1 : q.value(6).toLongLong();
            entries.append(e);
            return true;
        });
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry &a, const Entry &b) { return a.executedAt > b.executedAt; });
    if (entries.size() > limit)
        entries.resize(limit);
    return entries;
}

} // namespace fuelsync
