#include "KeysetPager.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QSqlQuery>

#include <algorithm>

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
        m_keyNames = m_table.primaryKey;
    } else if (m_table.kind == 'r' || m_table.kind == 'm') {
        keyExpressions = { QStringLiteral("t.ctid") };
        keyTypes = { QStringLiteral("tid") };
        m_keyNames = { QStringLiteral("ctid") };
    } else if (m_table.kind == 'p') {
        // ctid is unique only within one partition.
        keyExpressions = { QStringLiteral("t.tableoid"), QStringLiteral("t.ctid") };
        keyTypes = { QStringLiteral("oid"), QStringLiteral("tid") };
        m_keyNames = { QStringLiteral("tableoid"), QStringLiteral("ctid") };
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
    if (sortByKey) {
        m_segments.append({ QString(), keyExpressions, keyTypes });
    } else {
        const TableColumn *sortColumn = m_table.column(sortName);
        if (!sortColumn)
            throw unknownColumn(sortName);
        const QString sort = columnOf(sortName);
        Segment values { QStringLiteral("%1 IS NOT NULL").arg(sort),
                         QStringList { sort } + keyExpressions,
                         QStringList { sortColumn->type } + keyTypes };
        if (sortColumn->notNull) {
            values.predicate.clear();
            m_segments.append(values);
        } else {
            // ORDER BY's default: NULLs last ascending, first descending.
            const Segment nulls { QStringLiteral("%1 IS NULL").arg(sort), keyExpressions,
                                  keyTypes };
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
    m_from = SqlIdentifier::quote(m_table.schema) + u'.' + SqlIdentifier::quote(m_table.table)
        + QStringLiteral(" AS t");

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
                                  const QStringList &from, bool reverse, int limit) const
{
    const Segment &segment = m_segments.at(segmentIndex);
    // Reading backwards flips the direction of every column of the tuple.
    const bool descending = m_descending != reverse;
    QString where = QStringLiteral("true") + m_filterSql;
    QVariantList values = m_filterValues;
    if (!segment.predicate.isEmpty())
        where += QStringLiteral(" AND ") + segment.predicate;
    if (!from.isEmpty()) {
        QStringList placeholders;
        for (const QString &type : segment.types)
            placeholders.append(QStringLiteral("CAST(? AS %1)").arg(type));
        where += QStringLiteral(" AND (%1) %2 (%3)")
                     .arg(segment.tuple.join(QStringLiteral(", ")),
                          descending ? QStringLiteral("<") : QStringLiteral(">"),
                          placeholders.join(QStringLiteral(", ")));
        for (const QString &value : from)
            values.append(value);
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

RowPage KeysetPager::forward(DbConnection &connection, int segment, const QStringList &from) const
{
    RowPage page;
    page.hasBefore = !from.isEmpty() || segment > 0;
    QStringList start = from;
    for (int s = segment; s < m_segments.size() && page.rows.size() <= m_pageSize; ++s) {
        page.rows += fetch(connection, s, start, false, m_pageSize + 1 - int(page.rows.size()));
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

} // namespace fuelsync
