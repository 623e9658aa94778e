#include "KeysetPager.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>
#include <optional>

namespace fuelsync {

namespace {

// LIKE's wildcards and its escape character taken literally.
QString likeLiteral(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\"));
    escaped.replace(u'%', QStringLiteral("\\%"));
    escaped.replace(u'_', QStringLiteral("\\_"));
    return escaped;
}

QString comparison(RowFilter::Op op)
{
    switch (op) {
    case RowFilter::Op::Equals:
        return QStringLiteral("=");
    case RowFilter::Op::NotEquals:
        return QStringLiteral("<>");
    case RowFilter::Op::Less:
        return QStringLiteral("<");
    case RowFilter::Op::LessOrEqual:
        return QStringLiteral("<=");
    case RowFilter::Op::Greater:
        return QStringLiteral(">");
    case RowFilter::Op::GreaterOrEqual:
        return QStringLiteral(">=");
    default:
        return {};
    }
}

// A column of the browsed table, always through its alias: a bare name in ORDER BY would mean
// the output column of that name (the text of the value) instead.
QString columnOf(const QString &name)
{
    return QStringLiteral("t.") + SqlIdentifier::quote(name);
}

} // namespace

KeysetPager::KeysetPager(TableDefinition table, BrowseOrder order, int pageSize, int cellLimit)
    : m_table(std::move(table))
    , m_order(std::move(order))
    , m_pageSize(std::max(1, pageSize))
    , m_cellLimit(std::max(16, cellLimit))
{
    auto unknownColumn = [this](const QString &name) {
        return RequestError(QCoreApplication::translate("KeysetPager", "%1 has no column %2")
                                .arg(m_table.qualifiedName(), name));
    };

    // The key: what makes a row's place in the order unique.
    QStringList keyExpressions;
    QStringList keyTypes;
    if (!m_table.primaryKey.isEmpty()) {
        for (const QString &name : std::as_const(m_table.primaryKey)) {
            const TableColumn *column = m_table.column(name);
            if (!column)
                throw unknownColumn(name);
            keyExpressions.append(columnOf(name));
            keyTypes.append(column->type);
        }
    } else if (m_table.kind == 'r' || m_table.kind == 'm') {
        keyExpressions = { QStringLiteral("t.ctid") };
        keyTypes = { QStringLiteral("tid") };
    } else if (m_table.kind == 'p') {
        // ctid is unique only within one partition.
        keyExpressions = { QStringLiteral("t.tableoid"), QStringLiteral("t.ctid") };
        keyTypes = { QStringLiteral("oid"), QStringLiteral("tid") };
    } else {
        throw RequestError(
            QCoreApplication::translate("KeysetPager",
                                        "%1 has no primary key and no row address to read it "
                                        "by a page at a time")
                .arg(m_table.qualifiedName()));
    }

    m_descending = m_order.descending;
    const QString &sortName = m_order.sortColumn;
    const bool sortByKey = sortName.isEmpty()
        || (m_table.primaryKey.size() == 1 && m_table.primaryKey.first() == sortName);
    const QString keyLead = m_table.primaryKey.isEmpty() ? QString() : m_table.primaryKey.first();
    if (sortByKey) {
        m_segments.append({ QString(), keyExpressions, keyTypes, keyLead });
    } else {
        const TableColumn *sortColumn = m_table.column(sortName);
        if (!sortColumn)
            throw unknownColumn(sortName);
        const QString sort = columnOf(sortName);
        Segment values { QStringLiteral("%1 IS NOT NULL").arg(sort),
                         QStringList { sort } + keyExpressions,
                         QStringList { sortColumn->type } + keyTypes, sortName };
        // A unique index that starts with the sort column (its other columns NOT NULL) orders
        // the rows by itself: break ties with its columns instead of the primary key, so the
        // page is read straight from that index instead of sorting every row of a repeated value.
        for (const TableIndex &index : std::as_const(m_table.indexes)) {
            if (!index.unique || index.columns.isEmpty() || index.columns.first() != sortName)
                continue;
            QStringList tuple;
            QStringList types;
            bool usable = true;
            for (const QString &name : index.columns) {
                const TableColumn *column = m_table.column(name);
                if (!column || (name != sortName && !column->notNull)) {
                    usable = false;
                    break;
                }
                tuple.append(columnOf(name));
                types.append(column->type);
            }
            if (usable && tuple.size() > 1) {
                values.tuple = tuple;
                values.types = types;
                break;
            }
        }
        if (sortColumn->notNull) {
            values.predicate.clear();
            m_segments.append(values);
        } else {
            // ORDER BY's default: NULLs last ascending, first descending.
            const Segment nulls { QStringLiteral("%1 IS NULL").arg(sort), keyExpressions, keyTypes,
                                  keyLead, true };
            if (m_descending)
                m_segments = { nulls, values };
            else
                m_segments = { values, nulls };
        }
    }

    // Each value as text, cut at the cell limit (one more character tells a cut apart).
    QStringList select;
    for (const TableColumn &column : std::as_const(m_table.columns)) {
        select.append(
            QStringLiteral("left(%1::text, %2)").arg(columnOf(column.name)).arg(m_cellLimit + 1));
    }
    m_selectList = select.join(QStringLiteral(", "));
    m_from = SqlIdentifier::qualified(m_table.schema, m_table.table) + QStringLiteral(" AS t");

    for (const RowFilter &filter : std::as_const(m_order.filters)) {
        const TableColumn *column = m_table.column(filter.column);
        if (!column)
            throw unknownColumn(filter.column);
        const QString name = columnOf(filter.column);
        switch (filter.op) {
        case RowFilter::Op::IsNull:
            m_filterSql += QStringLiteral(" AND %1 IS NULL").arg(name);
            break;
        case RowFilter::Op::IsNotNull:
            m_filterSql += QStringLiteral(" AND %1 IS NOT NULL").arg(name);
            break;
        case RowFilter::Op::HasNoParent: {
            const QStringList key = QStringList { filter.column } + filter.otherKeyColumns;
            if (key.size() != filter.parentColumns.size())
                throw RequestError(QCoreApplication::translate(
                    "KeysetPager", "a key and its parent's columns do not pair up"));
            QStringList present;
            QStringList matches;
            for (qsizetype i = 0; i < key.size(); ++i) {
                if (!m_table.column(key.at(i)))
                    throw unknownColumn(key.at(i));
                present.append(columnOf(key.at(i)) + QStringLiteral(" IS NOT NULL"));
                matches.append(u"p." + SqlIdentifier::quote(filter.parentColumns.at(i)) + u" = "
                               + columnOf(key.at(i)));
            }
            m_filterSql +=
                QStringLiteral(" AND %1 AND NOT EXISTS (SELECT 1 FROM %2 AS p WHERE %3)")
                    .arg(present.join(QStringLiteral(" AND ")),
                         SqlIdentifier::qualified(filter.parentSchema, filter.parentTable),
                         matches.join(QStringLiteral(" AND ")));
            break;
        }
        case RowFilter::Op::Contains:
            m_filterSql += QStringLiteral(" AND %1::text ILIKE ?").arg(name);
            m_filterValues.append(QString(u'%' + likeLiteral(filter.value) + u'%'));
            break;
        case RowFilter::Op::StartsWith:
            m_filterSql += QStringLiteral(" AND %1::text LIKE ?").arg(name);
            m_filterValues.append(QString(likeLiteral(filter.value) + u'%'));
            break;
        default:
            m_filterSql += QStringLiteral(" AND %1 %2 CAST(? AS %3)")
                               .arg(name, comparison(filter.op), column->type);
            m_filterValues.append(filter.value);
            break;
        }
    }
}

QList<PageRow> KeysetPager::fetch(DbConnection &connection, int segmentIndex,
                                  const QStringList &from, bool reverse, int limit,
                                  bool fromIncluded) const
{
    const Segment &segment = m_segments.at(segmentIndex);
    // Reading backwards flips the direction of every column of the tuple.
    const bool descending = m_descending != reverse;
    QString where = QStringLiteral("true") + m_filterSql;
    QVariantList values = m_filterValues;
    if (!segment.predicate.isEmpty())
        where += QStringLiteral(" AND ") + segment.predicate;
    if (!from.isEmpty()) {
        const qsizetype compared = std::min(from.size(), segment.tuple.size());
        QStringList placeholders;
        for (qsizetype i = 0; i < compared; ++i)
            placeholders.append(QStringLiteral("CAST(? AS %1)").arg(segment.types.at(i)));
        QString op = descending ? QStringLiteral("<") : QStringLiteral(">");
        if (fromIncluded)
            op += u'=';
        where += QStringLiteral(" AND (%1) %2 (%3)")
                     .arg(segment.tuple.mid(0, compared).join(QStringLiteral(", ")), op,
                          placeholders.join(QStringLiteral(", ")));
        for (qsizetype i = 0; i < compared; ++i)
            values.append(from.at(i));
    }
    QStringList orderBy;
    QStringList cursorColumns;
    for (const QString &expression : segment.tuple) {
        orderBy.append(expression
                       + (descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC")));
        cursorColumns.append(
            QStringLiteral("%1::text AS cursor_%2").arg(expression).arg(cursorColumns.size()));
    }
    const QString sql = QStringLiteral("SELECT %1, %2 FROM %3 WHERE %4 ORDER BY %5 LIMIT %6")
                            .arg(m_selectList, cursorColumns.join(QStringLiteral(", ")), m_from,
                                 where, orderBy.join(QStringLiteral(", ")))
                            .arg(limit);
    QSqlQuery query = connection.exec(sql, values);
    const int columnCount = int(m_table.columns.size());
    const int tupleSize = int(segment.tuple.size());
    QList<PageRow> rows;
    while (query.next()) {
        PageRow row;
        row.cells.reserve(columnCount);
        row.nulls.resize(columnCount);
        row.truncated.resize(columnCount);
        for (int c = 0; c < columnCount; ++c) {
            if (query.isNull(c)) {
                row.nulls.setBit(c);
                row.cells.append(QString());
                continue;
            }
            QString text = query.value(c).toString();
            if (text.size() > m_cellLimit) {
                text.truncate(m_cellLimit);
                row.truncated.setBit(c);
            }
            row.cells.append(text);
        }
        row.cursor.segment = segmentIndex;
        for (int k = 0; k < tupleSize; ++k)
            row.cursor.values.append(query.value(columnCount + k).toString());
        rows.append(std::move(row));
    }
    return rows;
}

RowPage KeysetPager::forward(DbConnection &connection, int segment, const QStringList &from,
                             bool fromIncluded) const
{
    RowPage page;
    page.hasBefore = !from.isEmpty() || segment > 0;
    QStringList start = from;
    for (int s = segment; s < m_segments.size() && page.rows.size() <= m_pageSize; ++s) {
        page.rows += fetch(connection, s, start, false, m_pageSize + 1 - int(page.rows.size()),
                           fromIncluded);
        start.clear();
    }
    if (page.rows.size() > m_pageSize) {
        page.rows.resize(m_pageSize);
        page.hasAfter = true;
    }
    return page;
}

RowPage KeysetPager::backward(DbConnection &connection, int segment, const QStringList &from) const
{
    RowPage page;
    page.hasAfter = !from.isEmpty() || segment < m_segments.size() - 1;
    QList<PageRow> reversed;
    QStringList start = from;
    for (int s = segment; s >= 0 && reversed.size() <= m_pageSize; --s) {
        reversed += fetch(connection, s, start, true, m_pageSize + 1 - int(reversed.size()));
        start.clear();
    }
    if (reversed.size() > m_pageSize) {
        reversed.resize(m_pageSize);
        page.hasBefore = true;
    }
    std::reverse(reversed.begin(), reversed.end());
    page.rows = std::move(reversed);
    return page;
}

RowPage KeysetPager::first(DbConnection &connection) const
{
    RowPage page = forward(connection, 0, {});
    page.hasBefore = false;
    return page;
}

RowPage KeysetPager::last(DbConnection &connection) const
{
    RowPage page = backward(connection, int(m_segments.size()) - 1, {});
    page.hasAfter = false;
    return page;
}

RowPage KeysetPager::after(DbConnection &connection, const PageCursor &cursor) const
{
    if (!cursor.isValid() || cursor.segment < 0 || cursor.segment >= m_segments.size())
        return first(connection);
    return forward(connection, cursor.segment, cursor.values);
}

RowPage KeysetPager::before(DbConnection &connection, const PageCursor &cursor) const
{
    if (!cursor.isValid() || cursor.segment < 0 || cursor.segment >= m_segments.size())
        return last(connection);
    return backward(connection, cursor.segment, cursor.values);
}

namespace {

// The planner's statistics of one column, preferring those of the whole inheritance tree (what
// a query of the table reads) when there are both.
const char *const statisticsOf = "FROM pg_catalog.pg_stats WHERE schemaname = ? AND tablename = ? "
                                 "AND attname = ? ORDER BY inherited DESC LIMIT 1";

// The share of the column's values that are NULL; 0 when the table was never analyzed.
double nullFraction(DbConnection &connection, const TableDefinition &table, const QString &column)
{
    const QVariant value = connection.scalar(
        QStringLiteral("SELECT null_frac::float8 %1").arg(QLatin1StringView(statisticsOf)),
        { table.schema, table.table, column });
    return value.isNull() ? 0.0 : std::clamp(value.toDouble(), 0.0, 1.0);
}

// The value of a column with about `fraction` (0 to 1) of the table's non-NULL values below it,
// as text, from the most common values and the histogram of the rest: each of them is a
// candidate, and the share of rows below it is the frequencies of the common values below it
// plus the histogram's share times the buckets below it (half a bucket for a common value that
// falls inside one); the nearest wins. Nothing when the column has no statistics. Array types
// are left out: their bounds do not read back as one array.
std::optional<QString> statisticsValue(DbConnection &connection, const TableDefinition &table,
                                       const QString &column, const QString &type, double fraction)
{
    if (type.endsWith(QStringLiteral("[]")))
        return std::nullopt;
    // One pass over the values in order (a window, never a join of the lists: a statistics
    // target of 10,000 gives 20,000 candidates). `s` is read three times, so it is computed once.
    const QString sql =
        QStringLiteral("WITH s AS (SELECT coalesce(histogram_bounds::text::%1[], '{}') AS h, "
                       "coalesce(most_common_vals::text::%1[], '{}') AS m, "
                       "coalesce(most_common_freqs::float8[], '{}') AS f, null_frac::float8 AS nf, "
                       "coalesce(cardinality(histogram_bounds::text::%1[]), 0) - 1 AS buckets, "
                       "greatest(0::float8, 1 - null_frac - coalesce((SELECT sum(x) FROM "
                       "unnest(most_common_freqs) AS x), 0)) AS share %2), "
                       "items AS (SELECT u.v, u.freq, NULL::bigint AS i FROM s, unnest(s.m, s.f) "
                       "AS u(v, freq) "
                       "UNION ALL SELECT u.v, NULL::float8, u.i FROM s, unnest(s.h) WITH "
                       "ORDINALITY AS u(v, i)), "
                       "placed AS (SELECT v, i, coalesce(sum(freq) OVER w, 0) AS common_below, "
                       "count(i) OVER w AS bounds_below FROM items "
                       "WINDOW w AS (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) "
                       "SELECT placed.v::text FROM placed, s "
                       "ORDER BY abs(placed.common_below + CASE WHEN s.buckets <= 0 THEN 0 "
                       "WHEN placed.i IS NOT NULL THEN s.share * (placed.i - 1) / s.buckets "
                       "ELSE s.share * least(1::float8, greatest(0::float8, "
                       "(placed.bounds_below - 0.5::float8) / s.buckets)) END "
                       "- CAST(? AS float8) * (1 - s.nf)), placed.v LIMIT 1")
            .arg(type, QLatin1StringView(statisticsOf));
    QSqlQuery query = connection.exec(sql,
                                      { table.schema, table.table, column,
                                        QString::number(std::clamp(fraction, 0.0, 1.0), 'g', 17) });
    if (!query.next() || query.isNull(0))
        return std::nullopt;
    return query.value(0).toString();
}

// Types whose values lie on a line, so that a value a fraction of the way between two others can
// be computed.
enum class Scale { None, Number, Date, Timestamp };

Scale scaleOf(const QString &type)
{
    static const QStringList numbers {
        QStringLiteral("smallint"), QStringLiteral("integer"),          QStringLiteral("bigint"),
        QStringLiteral("real"),     QStringLiteral("double precision"), QStringLiteral("numeric")
    };
    if (numbers.contains(type) || type.startsWith(QStringLiteral("numeric(")))
        return Scale::Number;
    if (type == QStringLiteral("date"))
        return Scale::Date;
    if (type.startsWith(QStringLiteral("timestamp")))
        return Scale::Timestamp;
    return Scale::None;
}

// The value `fraction` of the way from `from` to `to`, as text of `type`; nothing for infinite
// or NaN ends.
std::optional<QString> interpolate(DbConnection &connection, const QString &type, Scale scale,
                                   const QString &from, const QString &to, double fraction)
{
    for (const QString &end : { from, to }) {
        bool ok = false;
        const double number = end.toDouble(&ok);
        if (scale == Scale::Number ? !ok || !std::isfinite(number)
                                   : end.contains(QStringLiteral("infinity"), Qt::CaseInsensitive))
            return std::nullopt;
    }
    QString sql;
    switch (scale) {
    case Scale::Number:
        sql = QStringLiteral("SELECT CAST(CAST(? AS numeric) + (CAST(? AS numeric) - CAST(? AS "
                             "numeric)) * CAST(? AS numeric) AS %1)::text")
                  .arg(type);
        break;
    case Scale::Date:
        sql = QStringLiteral("SELECT (CAST(? AS date) + round((CAST(? AS date) - CAST(? AS "
                             "date)) * CAST(? AS float8))::integer)::text");
        break;
    case Scale::Timestamp:
        sql = QStringLiteral("SELECT (CAST(? AS %1) + (CAST(? AS %1) - CAST(? AS %1)) * CAST(? AS "
                             "float8))::text")
                  .arg(type);
        break;
    case Scale::None:
        return std::nullopt;
    }
    const QVariant value = connection.scalar(
        sql, { from, to, from, QString::number(std::clamp(fraction, 0.0, 1.0), 'g', 17) });
    if (value.isNull())
        return std::nullopt;
    return value.toString();
}

} // namespace

QStringList KeysetPager::seekPoint(DbConnection &connection, int segmentIndex, double within) const
{
    const Segment &segment = m_segments.at(segmentIndex);
    // Statistics and the table's blocks run in ascending order.
    const double ascending = m_descending ? 1 - within : within;
    if (!segment.leadColumn.isEmpty()) {
        const QString &type = segment.types.first();
        // In the NULL part the lead column is the key's, whose statistics describe every row:
        // taken as they are, as if NULLs were spread evenly over the key.
        if (const auto value =
                statisticsValue(connection, m_table, segment.leadColumn, type, ascending))
            return { *value };
        // Not analyzed: between the first and last values of the segment (with the filters),
        // which an index on the column gives as cheaply as the first page.
        const Scale scale = scaleOf(type);
        if (scale == Scale::None)
            return {};
        const QList<PageRow> head = fetch(connection, segmentIndex, {}, false, 1);
        const QList<PageRow> tail = fetch(connection, segmentIndex, {}, true, 1);
        if (head.isEmpty() || tail.isEmpty())
            return {};
        if (const auto value =
                interpolate(connection, type, scale, head.first().cursor.values.first(),
                            tail.first().cursor.values.first(), within))
            return { *value };
        return {};
    }
    if (segment.tuple.first() == QStringLiteral("t.ctid")) {
        // The row address: the block that far into the table, whose size the file system knows
        // (pg_class.relpages is 0 until the table is vacuumed or analyzed).
        const QVariant blocks = connection.scalar(
            QStringLiteral("SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint "
                           "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                           "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?"),
            { m_table.schema, m_table.table });
        const qint64 count = blocks.toLongLong();
        if (count <= 0)
            return {};
        const qint64 block = std::clamp<qint64>(qint64(ascending * double(count)), 0, count);
        return { QStringLiteral("(%1,0)").arg(block) };
    }
    // (tableoid, ctid) of a partitioned table without a primary key: partitions are not in any
    // order the statistics describe, so the caller falls back to the segment's start or end.
    return {};
}

RowPage KeysetPager::pageFrom(DbConnection &connection, int segment, const QStringList &from) const
{
    RowPage page = forward(connection, segment, from, true);
    // Too near the end (or past it) for a whole page: the last page shows the same place.
    if (page.rows.size() < m_pageSize)
        return last(connection);
    page.hasBefore = hasRowBefore(connection, page.firstCursor());
    return page;
}

bool KeysetPager::hasRowBefore(DbConnection &connection, const PageCursor &cursor) const
{
    QStringList start = cursor.values;
    for (int s = cursor.segment; s >= 0; --s) {
        if (!fetch(connection, s, start, true, 1).isEmpty())
            return true;
        start.clear();
    }
    return false;
}

RowPage KeysetPager::seek(DbConnection &connection, double fraction) const
{
    if (!(fraction > 0)) // NaN too
        return first(connection);
    if (fraction >= 1)
        return last(connection);

    // Which part of the order: the NULL part's share is the sort column's null_frac.
    int segment = 0;
    double within = fraction;
    if (m_segments.size() > 1) {
        const double nulls = nullFraction(connection, m_table, m_order.sortColumn);
        double start = 0;
        for (segment = 0; segment < m_segments.size(); ++segment) {
            const double share = m_segments.at(segment).nulls ? nulls : 1 - nulls;
            if (segment == m_segments.size() - 1 || fraction < start + share) {
                within = share > 0 ? (fraction - start) / share : 0;
                break;
            }
            start += share;
        }
        within = std::clamp(within, 0.0, 1.0);
    }

    const QStringList from = seekPoint(connection, segment, within);
    if (!from.isEmpty())
        return pageFrom(connection, segment, from);
    // Nothing tells where in the segment the fraction falls: its start, or the next one's.
    if (within < 0.5)
        return pageFrom(connection, segment, {});
    if (segment + 1 < m_segments.size())
        return pageFrom(connection, segment + 1, {});
    return last(connection);
}

double KeysetPager::estimatedRows(DbConnection &connection) const
{
    if (m_filterSql.isEmpty())
        return m_table.estimatedRows;
    if (m_table.estimatedRows < 0)
        return -1;
    const QString plan =
        connection
            .scalar(QStringLiteral("EXPLAIN (FORMAT JSON) SELECT 1 FROM %1 WHERE true%2")
                        .arg(m_from, m_filterSql),
                    m_filterValues)
            .toString();
    const QJsonArray root = QJsonDocument::fromJson(plan.toUtf8()).array();
    if (root.isEmpty())
        return -1;
    return root.first()
        .toObject()
        .value(QStringLiteral("Plan"))
        .toObject()
        .value(QStringLiteral("Plan Rows"))
        .toDouble(-1);
}

} // namespace fuelsync
