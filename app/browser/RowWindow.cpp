#include "RowWindow.h"

#include <algorithm>

namespace fuelsync {

void RowWindow::setCountHooks(CountHook before, CountHook after)
{
    m_before = std::move(before);
    m_after = std::move(after);
}

void RowWindow::reset(int pageSize, double estimate)
{
    m_pageSize = pageSize;
    m_rows.clear();
    m_blockStart = 0;
    m_atStart = m_atEnd = false;
    m_startKnown = m_endKnown = false;
    m_count = rowsFor(estimate);
}

void RowWindow::setVirtualRowLimit(int rows)
{
    m_virtualRowLimit = std::max(1, rows);
}

void RowWindow::refineEstimate(double estimate)
{
    if (m_endKnown || estimate < 0)
        return;
    const int floor = blockEnd() + 1; // more rows than those read: the end was not reached
    setCount(std::max(floor, rowsFor(estimate)));
}

std::optional<RowWindow::Request> RowWindow::fetchFor(int row) const
{
    if (row < 0 || row >= m_count || isLoaded(row))
        return std::nullopt;
    // Adjoining pages first: they keep the rows' positions tied to the ends already seen.
    if (m_rows.isEmpty())
        return firstPage();
    if (row >= blockEnd() && row < blockEnd() + m_pageSize && !m_atEnd)
        return Request { Fetch::After, blockEnd() };
    if (row < m_blockStart && row >= m_blockStart - m_pageSize && !m_atStart)
        return Request { Fetch::Before, m_blockStart };
    if (row < m_pageSize)
        return firstPage();
    if (row >= m_count - m_pageSize)
        return lastPage();
    return Request { Fetch::Seek, row };
}

double RowWindow::fractionOf(int row) const
{
    return m_count > 0 ? double(row) / double(m_count) : 0.0;
}

void RowWindow::place(const Request &request, RowPage page)
{
    const int n = int(page.rows.size());
    // A jump loses the link between the rows' positions and whatever end was known.
    if (request.kind == Fetch::First || request.kind == Fetch::Seek)
        m_endKnown = false;
    if (request.kind == Fetch::Last || request.kind == Fetch::Seek)
        m_startKnown = false;
    const int maxBlock = m_pageSize * pagesKept;
    switch (request.kind) {
    case Fetch::First:
        setBlock(0, std::move(page.rows), true, !page.hasAfter);
        break;
    case Fetch::Last:
        setBlock(page.hasBefore ? m_count - n : 0, std::move(page.rows), !page.hasBefore, true);
        break;
    case Fetch::Seek:
        if (page.isEmpty()) { // the filters leave nothing there: start over from the top
            setBlock(0, {}, true, true);
            break;
        }
        setBlock(std::min(request.row, std::max(0, m_count - n)), std::move(page.rows),
                 !page.hasBefore, !page.hasAfter);
        break;
    case Fetch::After: {
        // The new page at the back; the pages furthest from it, at the front, go.
        QList<PageRow> rows = m_rows + page.rows;
        int start = m_blockStart;
        bool atStart = m_atStart;
        if (rows.size() > maxBlock) {
            const int drop = int(rows.size()) - maxBlock;
            rows.remove(0, drop);
            start += drop;
            atStart = false;
        }
        setBlock(start, std::move(rows), atStart, !page.hasAfter);
        break;
    }
    case Fetch::Before: {
        // The new page at the front; the pages at the back go.
        QList<PageRow> rows = page.rows + m_rows;
        const int start = m_blockStart - n;
        bool atEnd = m_atEnd;
        if (rows.size() > maxBlock) {
            rows.resize(maxBlock);
            atEnd = false;
        }
        setBlock(start, std::move(rows), !page.hasBefore, atEnd);
        break;
    }
    }
}

void RowWindow::setBlock(int start, QList<PageRow> rows, bool atStart, bool atEnd)
{
    m_rows = std::move(rows);
    m_blockStart = start;
    m_atStart = atStart;
    m_atEnd = atEnd;
    m_startKnown = m_startKnown || atStart;
    m_endKnown = m_endKnown || atEnd;
    // The rows must fit: at least up to the block's end.
    if (blockEnd() > m_count)
        setCount(blockEnd());
    if (m_atStart && m_blockStart > 0)
        removeFront(m_blockStart); // the estimate put the true first row too far down
    else if (m_atStart && m_blockStart < 0)
        insertFront(-m_blockStart);
    else if (!m_atStart && m_blockStart < m_pageSize)
        insertFront(m_pageSize - m_blockStart); // room for the rows before it
    if (m_atEnd)
        setCount(blockEnd()); // exact now
    else if (blockEnd() >= m_count)
        setCount(blockEnd() + m_pageSize); // there is more than the estimate said
}

QString RowWindow::describe() const
{
    return QStringLiteral("rows %1, block %2..%3, at start %4, at end %5, start known %6, end "
                          "known %7")
        .arg(m_count)
        .arg(m_blockStart)
        .arg(blockEnd())
        .arg(m_atStart)
        .arg(m_atEnd)
        .arg(m_startKnown)
        .arg(m_endKnown);
}

int RowWindow::rowsFor(double estimate) const
{
    return estimate > 0 ? int(std::min(estimate, double(m_virtualRowLimit))) : 0;
}

void RowWindow::setCount(int count)
{
    count = std::max(0, count);
    if (count > m_count)
        change({ CountChange::Insert, m_count, count - 1 }, count, 0);
    else if (count < m_count)
        change({ CountChange::Remove, count, m_count - 1 }, count, 0);
}

void RowWindow::insertFront(int rows)
{
    if (rows <= 0)
        return;
    change({ CountChange::Insert, 0, rows - 1 }, m_count + rows, rows);
}

void RowWindow::removeFront(int rows)
{
    rows = std::min(rows, m_count);
    if (rows <= 0)
        return;
    change({ CountChange::Remove, 0, rows - 1 }, m_count - rows, -rows);
}

// Rows added or removed at the front move the block with them, so each row keeps its content.
void RowWindow::change(const CountChange &change, int count, int blockShift)
{
    if (m_before)
        m_before(change);
    m_count = count;
    m_blockStart += blockShift;
    if (m_after)
        m_after(change);
}

} // namespace fuelsync
