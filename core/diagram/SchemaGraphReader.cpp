#include "SchemaGraphReader.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace fuelsync {

namespace {

QStringList namesFromJson(const QString &json)
{
    QStringList names;
    for (const QJsonValue value : QJsonDocument::fromJson(json.toUtf8()).array())
        names.append(value.toString());
    return names;
}

} // namespace

SchemaGraph SchemaGraphReader::read(DbConnection &connection, const QString &schema)
{
    SchemaGraph graph;
    graph.schema = schema;

    // Tables (partitions are drawn as their parent) with their columns and key marks.
    QSqlQuery tables = connection.exec(
        QStringLiteral(
            "SELECT c.relname::text, coalesce(obj_description(c.oid, 'pg_class'), ''), "
            "a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p' "
            "        AND a.attnum = ANY (k.conkey)), "
            "EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f' "
            "        AND a.attnum = ANY (k.conkey)) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "ORDER BY c.relname, a.attnum"),
        { schema });
    while (tables.next()) {
        const QString name = tables.value(0).toString();
        if (graph.tables.isEmpty() || graph.tables.last().name != name) {
            SchemaGraph::Table table;
            table.schema = schema;
            table.name = name;
            table.comment = tables.value(1).toString();
            graph.tables.append(table);
        }
        graph.tables.last().columns.append({ tables.value(2).toString(), tables.value(3).toString(),
                                             tables.value(4).toBool(), tables.value(5).toBool(),
                                             tables.value(6).toBool() });
    }

    // Foreign keys, with what decides their cardinality: whether every key column is NOT NULL,
    // and whether a unique index (not partial, no expression) of the child has only key columns.
    QSqlQuery keys = connection.exec(
        QStringLiteral(
            "SELECT k.conname::text, s.relname::text, tn.nspname::text, t.relname::text, "
            "(SELECT json_agg(a.attname ORDER BY u.n) FROM unnest(k.conkey) WITH ORDINALITY "
            "   AS u(attnum, n) JOIN pg_attribute a ON a.attrelid = k.conrelid "
            "   AND a.attnum = u.attnum)::text, "
            "(SELECT json_agg(a.attname ORDER BY u.n) FROM unnest(k.confkey) WITH ORDINALITY "
            "   AS u(attnum, n) JOIN pg_attribute a ON a.attrelid = k.confrelid "
            "   AND a.attnum = u.attnum)::text, "
            "(SELECT bool_and(a.attnotnull) FROM pg_attribute a "
            "   WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)), "
            "EXISTS (SELECT FROM pg_index x WHERE x.indrelid = k.conrelid AND x.indisunique "
            "   AND x.indpred IS NULL AND x.indexprs IS NULL "
            "   AND NOT EXISTS (SELECT FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS v(attnum, "
            "n) "
            "                   WHERE v.n <= x.indnkeyatts AND v.attnum <> ALL (k.conkey))), "
            "k.condeferrable "
            "FROM pg_constraint k "
            "JOIN pg_class s ON s.oid = k.conrelid JOIN pg_namespace sn ON sn.oid = s.relnamespace "
            "JOIN pg_class t ON t.oid = k.confrelid JOIN pg_namespace tn ON tn.oid = "
            "t.relnamespace "
            "WHERE k.contype = 'f' AND sn.nspname = ? AND NOT s.relispartition "
            "ORDER BY s.relname, k.conname"),
        { schema });
    while (keys.next()) {
        SchemaGraph::Relationship r;
        r.name = keys.value(0).toString();
        r.child = graph.indexOf(schema, keys.value(1).toString());
        const QString parentSchema = keys.value(2).toString();
        const QString parentTable = keys.value(3).toString();
        r.childColumns = namesFromJson(keys.value(4).toString());
        r.parentColumns = namesFromJson(keys.value(5).toString());
        r.parentEnd = keys.value(6).toBool() ? SchemaGraph::End::One : SchemaGraph::End::ZeroOrOne;
        r.childEnd = keys.value(7).toBool() ? SchemaGraph::End::ZeroOrOne : SchemaGraph::End::Many;
        r.deferrable = keys.value(8).toBool();
        r.parent = graph.indexOf(parentSchema, parentTable);
        if (r.parent < 0) {
            // A table of another schema: drawn with the columns the key points at.
            SchemaGraph::Table external;
            external.schema = parentSchema;
            external.name = parentTable;
            external.external = true;
            for (const QString &column : r.parentColumns)
                external.columns.append({ column, QString(), true, false, false });
            graph.tables.append(external);
            r.parent = int(graph.tables.size()) - 1;
        }
        if (r.child >= 0)
            graph.relationships.append(r);
    }
    if (graph.tables.isEmpty()
        && !connection.scalar(QStringLiteral("SELECT to_regnamespace(?) IS NOT NULL"), { schema })
                .toBool()) {
        throw RequestError(
            QCoreApplication::translate("SchemaGraphReader", "there is no schema %1").arg(schema));
    }
    return graph;
}

} // namespace fuelsync
