#include "TableDefinitionReader.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace fuelsync {

namespace {

QStringList jsonStrings(const QString &json)
{
    QStringList strings;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue value : array)
        strings.append(value.toString());
    return strings;
}

TableForeignKey foreignKeyFrom(const QSqlQuery &query)
{
    TableForeignKey key;
    key.name = query.value(0).toString();
    key.schema = query.value(1).toString();
    key.table = query.value(2).toString();
    key.columns = jsonStrings(query.value(3).toString());
    key.referencedSchema = query.value(4).toString();
    key.referencedTable = query.value(5).toString();
    key.referencedColumns = jsonStrings(query.value(6).toString());
    key.definition = query.value(7).toString();
    key.comment = query.value(8).toString();
    return key;
}

// Foreign keys with their columns by name; `side` picks conrelid (out) or confrelid (in).
QString foreignKeyQuery(const char *side)
{
    return QStringLiteral(
               "SELECT c.conname, sn.nspname, s.relname, "
               "(SELECT to_json(array_agg(a.attname ORDER BY k.n)) FROM unnest(c.conkey) WITH "
               "ORDINALITY "
               "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = "
               "k.attnum), "
               "tn.nspname, t.relname, "
               "(SELECT to_json(array_agg(a.attname ORDER BY k.n)) FROM unnest(c.confkey) WITH "
               "ORDINALITY "
               "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = "
               "k.attnum), "
               "pg_get_constraintdef(c.oid), coalesce(obj_description(c.oid, 'pg_constraint'), '') "
               "FROM pg_constraint c "
               "JOIN pg_class s ON s.oid = c.conrelid JOIN pg_namespace sn ON sn.oid = "
               "s.relnamespace "
               "JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = "
               "t.relnamespace "
               "WHERE c.contype = 'f' AND c.%1 = ?::oid ORDER BY sn.nspname, s.relname, c.conname")
        .arg(QLatin1StringView(side));
}

} // namespace

TableDefinition TableDefinitionReader::read(DbConnection &connection, const QString &schema,
                                            const QString &table)
{
    TableDefinition definition;
    QSqlQuery head = connection.exec(
        QStringLiteral("SELECT c.oid, c.relkind, coalesce(obj_description(c.oid, 'pg_class'), ''), "
                       "c.reltuples, pg_total_relation_size(c.oid) "
                       "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', "
                       "'m', 'f')"),
        { schema, table });
    if (!head.next()) {
        throw RequestError(
            QCoreApplication::translate("TableDefinitionReader", "there is no table %1.%2")
                .arg(schema, table));
    }
    const QString oid = head.value(0).toString();
    definition.schema = schema;
    definition.table = table;
    const QString kind = head.value(1).toString();
    definition.kind = kind.isEmpty() ? 'r' : char(kind.at(0).toLatin1());
    definition.comment = head.value(2).toString();
    definition.estimatedRows = head.value(3).toDouble();
    definition.totalBytes = head.value(4).toLongLong();

    QSqlQuery columns = connection.exec(
        QStringLiteral("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                       "coalesce(pg_get_expr(d.adbin, d.adrelid), ''), "
                       "coalesce(col_description(a.attrelid, a.attnum), '') "
                       "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND "
                       "d.adnum = a.attnum "
                       "WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped "
                       "ORDER BY a.attnum"),
        { oid });
    while (columns.next()) {
        definition.columns.append({ columns.value(0).toString(), columns.value(1).toString(),
                                    columns.value(2).toBool(), columns.value(3).toString(),
                                    columns.value(4).toString() });
    }

    QSqlQuery key = connection.exec(
        QStringLiteral("SELECT a.attname FROM pg_constraint c, unnest(c.conkey) WITH ORDINALITY "
                       "AS k(attnum, n) JOIN pg_attribute a ON a.attnum = k.attnum "
                       "WHERE c.conrelid = ?::oid AND c.contype = 'p' AND a.attrelid = c.conrelid "
                       "ORDER BY k.n"),
        { oid });
    while (key.next())
        definition.primaryKey.append(key.value(0).toString());

    // The key columns of plain (not partial, not expression) indexes, in index order, through
    // to_json so names with commas or quotes survive.
    QSqlQuery indexes = connection.exec(
        QStringLiteral(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indisprimary, x.indisunique, "
            "  CASE WHEN x.indpred IS NULL AND x.indexprs IS NULL THEN "
            "    (SELECT to_json(array_agg(a.attname::text ORDER BY k.ord)) "
            "       FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
            "       JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum "
            "      WHERE k.ord <= x.indnkeyatts) "
            "  END::text "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = ?::oid AND x.indisvalid ORDER BY NOT x.indisprimary, i.relname"),
        { oid });
    while (indexes.next()) {
        TableIndex index { indexes.value(0).toString(),
                           indexes.value(1).toString(),
                           indexes.value(2).toBool(),
                           indexes.value(3).toBool(),
                           {} };
        const QJsonArray keyColumns =
            QJsonDocument::fromJson(indexes.value(4).toString().toUtf8()).array();
        for (const QJsonValue column : keyColumns)
            index.columns.append(column.toString());
        definition.indexes.append(index);
    }

    QSqlQuery out = connection.exec(foreignKeyQuery("conrelid"), { oid });
    while (out.next())
        definition.references.append(foreignKeyFrom(out));
    QSqlQuery in = connection.exec(foreignKeyQuery("confrelid"), { oid });
    while (in.next())
        definition.referencedBy.append(foreignKeyFrom(in));

    QSqlQuery rules = connection.exec(
        QStringLiteral("SELECT conname, pg_get_constraintdef(oid), "
                       "coalesce(obj_description(oid, 'pg_constraint'), '') FROM pg_constraint "
                       "WHERE conrelid = ?::oid AND contype = 'c' ORDER BY conname"),
        { oid });
    while (rules.next()) {
        definition.rules.append(
            { rules.value(0).toString(), rules.value(1).toString(), rules.value(2).toString() });
    }
    return definition;
}

} // namespace fuelsync
