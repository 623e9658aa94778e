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
    // A scrollbar jump: the page that starts about `fraction` (0 to 1) of the way through the
    // order, with its filters. Nothing is counted or skipped over: the place comes from the
    // planner's statistics (pg_stats: null_frac, most common values, histogram), or else from
    // the first and last values of the order, or from the table's size in blocks when rows are
    // read by their address, so a jump costs about what first() costs. The page is full unless
    // the whole order is shorter (a jump near the end gives last()); hasBefore and hasAfter
    // are exact. 0 or less gives first(), 1 or more last().
    RowPage seek(DbConnection &connection, double fraction) const;
    // The planner's estimate of the rows the filters leave (EXPLAIN, nothing is counted); the
    // table's estimate when there are no filters. -1 when the table was never analyzed.
    double estimatedRows(DbConnection &connection) const;

    const TableDefinition &table() const { return m_table; }
    const BrowseOrder &order() const { return m_order; }
    int pageSize() const { return m_pageSize; }
    // Whether a row is told apart by its address (ctid, and tableoid for a partitioned table)
    // because the table has no primary key.
    bool keyIsRowAddress() const { return m_table.primaryKey.isEmpty(); }

private:
    // A run of the order with one predicate ("sort IS NULL" or its opposite, or none) and one
    // tuple of columns compared as a row.
    struct Segment
    {
        QString predicate;
        QStringList tuple; // SQL expressions
        QStringList types; // their types, for casting the cursor's text back
        QString leadColumn; // the table column that tuple.first() is; empty for ctid, tableoid
        bool nulls = false; // the rows whose sort value is NULL
    };

    RowPage forward(DbConnection &connection, int segment, const QStringList &from,
                    bool fromIncluded = false) const;
    RowPage backward(DbConnection &connection, int segment, const QStringList &from) const;
    // The rows after `from` (before it when `reverse`), or from it on when `fromIncluded`.
    // `from` may hold fewer values than the segment's tuple: then only that prefix is compared
    // (seek() starts at the first row with a sort value, included).
    QList<PageRow> fetch(DbConnection &connection, int segment, const QStringList &from,
                         bool reverse, int limit, bool fromIncluded = false) const;
    // For seek(): where `within` (0 to 1) of the way through one segment is, as a cursor prefix
    // (empty when it cannot be told), and the page from there.
    QStringList seekPoint(DbConnection &connection, int segment, double within) const;
    RowPage pageFrom(DbConnection &connection, int segment, const QStringList &from) const;
    bool hasRowBefore(DbConnection &connection, const PageCursor &cursor) const;

    TableDefinition m_table;
    BrowseOrder m_order;
    int m_pageSize;
    int m_cellLimit;
    QList<Segment> m_segments;
    bool m_descending = false;
    QString m_selectList;
    QString m_from;
    QString m_filterSql; // "" or "AND ..." conditions
    QVariantList m_filterValues;
};

} // namespace fuelsync
