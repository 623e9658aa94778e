#pragma once

#include "browse/RowPage.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace fuelsync {

// The data grid's window onto a table of any size, as arithmetic on rows and pages: no Qt model,
// no database. It holds one run of consecutive rows (the block: at most pagesKept pages) at its
// place among a row count, says which page to fetch for a row the view wants (the next or the
// previous page when the row adjoins the block, else a jump: the first page, the last page, or a
// seek to that fraction of the order), and places a fetched page, evicting the pages furthest
// from it.
//
// The row count is the planner's estimate until the ends are reached through adjoining pages,
// then it is exact; it is never counted. A wrong estimate is put right as pages show it: rows
// are removed from the front when the first row turns out to be nearer the top, added when there
// is more before the block than the estimate left room for, and a page is added after the block
// while its end is not reached.
//
// The estimate is capped (virtualRowLimit()): a view keeps a header entry per row, and ten million
// of them cost a quarter of a second and 80 MB before the first row shows. Past the cap, a row
// stands for a fraction of the order rather than for one row: a jump to row r of n seeks to r/n,
// and pages that adjoin the block still follow it row by row (the count grows as they pass the
// cap).
//
// RowGridModel is its Qt face; tests/gui/tst_rowwindow drives it with pages made up in memory.
class RowWindow
{
public:
    // Pages kept in the block: enough for a few screens in either direction.
    static constexpr int pagesKept = 5;

    enum class Fetch { First, Last, After, Before, Seek };
    // A page to fetch. `row` is where the page should start: First 0, Last the row count, After
    // the block's end, Before the block's start, Seek the row whose fraction of the count is the
    // place to seek to.
    struct Request
    {
        Fetch kind;
        int row;

        bool operator==(const Request &) const = default;
    };

    // A change of the row count: rows first..last are inserted (numbered as they will be) or
    // removed (numbered as they were). The owner is told before and after each, as a Qt model
    // announces them.
    struct CountChange
    {
        enum Kind { Insert, Remove };
        Kind kind;
        int first;
        int last;

        bool operator==(const CountChange &) const = default;
    };
    using CountHook = std::function<void(const CountChange &)>;

    // `before` is called while count() is still the old count, `after` once it is the new one.
    void setCountHooks(CountHook before, CountHook after);

    // Starts over, holding no rows, with pages of `pageSize` rows and a count from the planner's
    // estimate (-1: unknown). The hooks are not called: the owner resets as a whole.
    void reset(int pageSize, double estimate);
    // The most rows an estimate may give the count; applies from the next reset() or
    // refineEstimate().
    void setVirtualRowLimit(int rows);
    int virtualRowLimit() const { return m_virtualRowLimit; }
    // A better estimate (the planner's, for the filters): taken until the end is known, never
    // below the rows already read.
    void refineEstimate(double estimate);

    int count() const { return m_count; }
    bool isLoaded(int row) const { return row >= m_blockStart && row < blockEnd(); }
    // A loaded row (isLoaded(row)).
    const PageRow &rowAt(int row) const { return m_rows.at(row - m_blockStart); }
    int loadedRows() const { return int(m_rows.size()); }
    int blockStart() const { return m_blockStart; }
    int blockEnd() const { return m_blockStart + int(m_rows.size()); }
    // Whether the count is exact (both ends seen through adjoining pages), or an estimate.
    bool countIsExact() const { return m_startKnown && m_endKnown; }
    // Whether the block holds the order's first rows at row 0, or its last rows at the end.
    bool showsFirst() const { return m_atStart && m_blockStart == 0 && !m_rows.isEmpty(); }
    bool showsLast() const { return m_atEnd && !m_rows.isEmpty(); }

    // The page to fetch so that the row is loaded; none when it is loaded or not a row.
    std::optional<Request> fetchFor(int row) const;
    Request firstPage() const { return { Fetch::First, 0 }; }
    Request lastPage() const { return { Fetch::Last, m_count }; }
    // Where a seek to the row goes: its fraction of the count (0 to 1).
    double fractionOf(int row) const;
    // The block's first and last rows' places in the order, for fetching the pages around it.
    PageCursor firstCursor() const
    {
        return m_rows.isEmpty() ? PageCursor() : m_rows.first().cursor;
    }
    PageCursor lastCursor() const { return m_rows.isEmpty() ? PageCursor() : m_rows.last().cursor; }

    // Puts a page fetched for the request in its place, keeping at most pagesKept pages, and
    // fits the count to what the page shows about the ends.
    void place(const Request &request, RowPage page);

    // For diagnostics: the count, the block, and what is known of the ends.
    QString describe() const;

private:
    void setBlock(int start, QList<PageRow> rows, bool atStart, bool atEnd);
    int rowsFor(double estimate) const;
    void setCount(int count);
    void insertFront(int rows);
    void removeFront(int rows);
    void change(const CountChange &change, int count, int blockShift);

    CountHook m_before;
    CountHook m_after;
    int m_pageSize = 0;
    int m_virtualRowLimit = 200'000;
    QList<PageRow> m_rows;
    int m_blockStart = 0;
    int m_count = 0;
    bool m_atStart = false; // the block's first row is the order's first row
    bool m_atEnd = false; // the block's last row is the order's last row
    // Whether row 0 is the order's first row, and m_count - 1 its last: both hold once the two
    // ends have been reached through adjoining pages, and then the count is exact.
    bool m_startKnown = false;
    bool m_endKnown = false;
};

} // namespace fuelsync
