#pragma once

#include <QBitArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

// Where a page starts or ends in a KeysetPager's order: the ordering values of one row, as the
// server wrote them as text, and which part of the order (the rows with a NULL sort value form
// a part of their own). Only meaningful to the pager that made it.
struct PageCursor
{
    int segment = 0;
    QStringList values;

    bool isValid() const { return !values.isEmpty(); }
    bool operator==(const PageCursor &) const = default;
};

// One row as text, the way PostgreSQL writes each value; NULL is told apart from ''.
struct PageRow
{
    QStringList cells;
    QBitArray nulls; // bit i: cell i is NULL
    QBitArray truncated; // bit i: cell i was cut at the pager's cell limit
    PageCursor cursor; // this row's place in the order

    bool isNull(int column) const { return nulls.testBit(column); }
};

// A page of rows in the pager's order, and whether there are rows before and after it.
struct RowPage
{
    QList<PageRow> rows;
    bool hasBefore = false;
    bool hasAfter = false;

    bool isEmpty() const { return rows.isEmpty(); }
    PageCursor firstCursor() const { return rows.isEmpty() ? PageCursor() : rows.first().cursor; }
    PageCursor lastCursor() const { return rows.isEmpty() ? PageCursor() : rows.last().cursor; }
};

} // namespace fuelsync
