#pragma once

#include "RowFilter.h"
#include "RowPage.h"
#include "TableDefinition.h"

#include <QList>
#include <QString>
#include <QVariantList>

namespace fuelsync {

class DbConnection;

// How to browse a table: its order and filters.
struct BrowseOrder
{
    QString sortColumn; // empty: by the table's key
    bool descending = false;
    QList<RowFilter> filters; // all must hold
};

// Reads a table a page at a time with keyset pagination: every page is
//   WHERE <filters> AND (<order columns>) > (<the last row's values>) ORDER BY ... LIMIT n
// on the primary key (or the physical row address when there is none), so the first page, the
// last page and any page between cost the same, and nothing is ever counted or skipped over.
// Rows come back as PostgreSQL's own text for each value (exact for numeric, time zones, bytea,
// json), cut at cellLimit characters.
//
// Sorting by a column orders by (column, key); a nullable column's NULL rows form a part of
// their own after the others (before them when descending), as ORDER BY does by default.
//
// The pager holds no connection and no rows: any thread may call it with its own connection.
class KeysetPager
{
public:
    // Throws RequestError when the order or a filter names a column the table does not have, or
    // the table has neither a primary key nor a row address (a view).
    KeysetPager(TableDefinition table, BrowseOrder order, int pageSize = 200,
                int cellLimit = 10'000);

    RowPage first(DbConnection &connection) const;
    RowPage last(DbConnection &connection) const;
    RowPage after(DbConnection &connection, const PageCursor &cursor) const;
    RowPage before(DbConnection &connection, const PageCursor &cursor) const;

    const TableDefinition &table() const { return m_table; }
    const BrowseOrder &order() const { return m_order; }
    int pageSize() const { return m_pageSize; }
    // The columns that identify a row: the primary key, or ctid (and tableoid for a
    // partitioned table) when there is none.
    const QStringList &keyColumns() const { return m_keyNames; }
    bool keyIsRowAddress() const { return m_table.primaryKey.isEmpty(); }

private:
    // A run of the order with one predicate ("sort IS NULL" or its opposite, or none) and one
    // tuple of columns compared as a row.
    struct Segment
    {
        QString predicate;
        QStringList tuple; // SQL expressions
        QStringList types; // their types, for casting the cursor's text back
    };

    RowPage forward(DbConnection &connection, int segment, const QStringList &from) const;
    RowPage backward(DbConnection &connection, int segment, const QStringList &from) const;
    QList<PageRow> fetch(DbConnection &connection, int segment, const QStringList &from,
                         bool reverse, int limit) const;

    TableDefinition m_table;
    BrowseOrder m_order;
    int m_pageSize;
    int m_cellLimit;
    QStringList m_keyNames;
    QList<Segment> m_segments;
    bool m_descending = false;
    QString m_selectList;
    QString m_from;
    QString m_filterSql; // "" or "AND ..." conditions
    QVariantList m_filterValues;
};

} // namespace fuelsync
