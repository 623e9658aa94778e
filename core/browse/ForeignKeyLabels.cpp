#include "ForeignKeyLabels.h"

#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>

namespace fuelsync {
namespace {

// A type name from the catalog, safe to put after :: (letters, digits, spaces, parentheses,
// commas, dots, quotes of a quoted name, brackets).
bool isTypeName(const QString &type)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_ .,()\\[\\]\"]+$"));
    return pattern.match(type).hasMatch();
}

QString pickLabel(const QStringList &columns, const QString &keyColumn, QString *detail)
{
    for (const char *name : { "name", "label", "title", "email", "number" }) {
        if (columns.contains(QLatin1StringView(name)) && keyColumn != QLatin1StringView(name))
            return QString::fromLatin1(name);
    }
    for (const QString &column : columns) {
        if (column.endsWith(u"_number") && column != keyColumn) {
            for (const char *beside : { "fuel_type", "type", "kind" }) {
                if (columns.contains(QLatin1StringView(beside))) {
                    *detail = QString::fromLatin1(beside);
                    break;
                }
            }
            return column;
        }
    }
    return {};
}

} // namespace

QList<ForeignKeyLabels::Key> ForeignKeyLabels::choose(DbConnection &connection,
                                                      const TableDefinition &table,
                                                      const QHash<QString, QString> &chosen)
{
    QJsonArray parents;
    for (const TableForeignKey &fk : table.references)
        parents.append(SqlIdentifier::qualified(fk.referencedSchema, fk.referencedTable));
    if (parents.isEmpty())
        return {};
    // The parents' columns this session may read, each column's type, and whether it alone is
    // a key of its table (a unique index on it and nothing else).
    QHash<QString, QStringList> columnsOf;
    QHash<QString, QString> typeOf;
    QSet<QString> uniqueAlone;
    QSqlQuery query = connection.exec(
        QStringLiteral("SELECT n.nspname::text, c.relname::text, a.attname::text, "
                       "format_type(a.atttypid, a.atttypmod), EXISTS (SELECT 1 FROM pg_index i "
                       "  WHERE i.indrelid = c.oid AND i.indisunique AND i.indnkeyatts = 1 "
                       "  AND i.indkey[0] = a.attnum AND i.indpred IS NULL) "
                       "FROM pg_attribute a "
                       "JOIN pg_class c ON c.oid = a.attrelid "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE a.attrelid IN (SELECT to_regclass(p)::oid FROM "
                       "  jsonb_array_elements_text(?::jsonb) p) "
                       "AND a.attnum > 0 AND NOT a.attisdropped "
                       "AND has_column_privilege(a.attrelid, a.attnum, 'SELECT') "
                       "ORDER BY c.oid, a.attnum"),
        { QString::fromUtf8(QJsonDocument(parents).toJson(QJsonDocument::Compact)) });
    while (query.next()) {
        const QString parent = query.value(0).toString() + u'.' + query.value(1).toString();
        const QString column = parent + u'.' + query.value(2).toString();
        columnsOf[parent].append(query.value(2).toString());
        typeOf.insert(column, query.value(3).toString());
        if (query.value(4).toBool())
            uniqueAlone.insert(column);
    }
    QList<Key> labelled;
    QSet<QString> done;
    for (const TableForeignKey &fk : table.references) {
        const QString parent = fk.referencedSchema + u'.' + fk.referencedTable;
        // The pair of the key that finds one parent row by itself: the key's own column for a
        // one-column key; for (nozzle_id, station_id) -> (id, station_id), nozzle_id -> id.
        for (qsizetype i = 0; i < fk.columns.size() && i < fk.referencedColumns.size(); ++i) {
            const QString parentColumn = fk.referencedColumns.at(i);
            if (fk.columns.size() > 1 && !uniqueAlone.contains(parent + u'.' + parentColumn))
                continue;
            Key key;
            key.columnName = fk.columns.at(i);
            key.column = table.columnIndex(key.columnName);
            if (key.column < 0 || done.contains(key.columnName))
                continue;
            key.parentSchema = fk.referencedSchema;
            key.parentTable = fk.referencedTable;
            key.parentColumn = parentColumn;
            key.parentColumns = columnsOf.value(parent);
            key.parentType = typeOf.value(parent + u'.' + parentColumn);
            if (!key.parentColumns.contains(key.parentColumn) || !isTypeName(key.parentType))
                continue;
            const QString wanted = chosen.value(key.columnName);
            if (!wanted.isEmpty() && key.parentColumns.contains(wanted))
                key.labelColumn = wanted;
            else
                key.labelColumn = pickLabel(key.parentColumns, key.parentColumn, &key.detailColumn);
            if (key.labelColumn.isEmpty())
                continue;
            done.insert(key.columnName);
            labelled.append(key);
            break;
        }
    }
    return labelled;
}

ForeignKeyLabels::Labels ForeignKeyLabels::read(DbConnection &connection, const QList<Key> &keys,
                                                const QList<PageRow> &rows)
{
    Labels labels;
    QJsonObject values;
    QStringList branches;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const Key &key = keys.at(i);
        QSet<QString> seen;
        QJsonArray list;
        for (const PageRow &row : rows) {
            if (key.column >= row.cells.size() || row.isNull(key.column))
                continue;
            const QString &value = row.cells.at(key.column);
            if (!seen.contains(value)) {
                seen.insert(value);
                list.append(value);
            }
        }
        if (list.isEmpty())
            continue;
        values.insert(QString::number(i), list);
        const QString label = key.detailColumn.isEmpty()
            ? QStringLiteral("p.%1::text").arg(SqlIdentifier::quote(key.labelColumn))
            : QStringLiteral("concat_ws(' ', p.%1::text, p.%2::text)")
                  .arg(SqlIdentifier::quote(key.labelColumn),
                       SqlIdentifier::quote(key.detailColumn));
        // The keys are bound (one JSON value for all), cast to the parent column's type so its
        // index is used.
        branches.append(QStringLiteral("SELECT %1, p.%2::text, %3 FROM %4 p WHERE p.%2 = ANY "
                                       "(ARRAY(SELECT jsonb_array_elements_text(v.keys -> '%1'))"
                                       "::%5[])")
                            .arg(QString::number(i), SqlIdentifier::quote(key.parentColumn), label,
                                 SqlIdentifier::qualified(key.parentSchema, key.parentTable),
                                 key.parentType));
    }
    if (branches.isEmpty())
        return labels;
    QStringList joined;
    for (const QString &branch : std::as_const(branches))
        joined.append(QStringLiteral("(") + branch + QStringLiteral(")"));
    QSqlQuery query = connection.exec(
        QStringLiteral("WITH v AS (SELECT ?::jsonb AS keys) SELECT l.i, l.k, l.label FROM v, "
                       "LATERAL (")
            + joined.join(QStringLiteral(" UNION ALL ")) + QStringLiteral(") AS l (i, k, label)"),
        { QString::fromUtf8(QJsonDocument(values).toJson(QJsonDocument::Compact)) });
    while (query.next()) {
        const int key = query.value(0).toInt();
        labels[keys.at(key).column].insert(query.value(1).toString(), query.value(2).toString());
    }
    return labels;
}

} // namespace fuelsync
