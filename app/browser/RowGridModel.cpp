#include "RowGridModel.h"

#include "session/DatabaseSession.h"

#include <QBrush>
#include <QFont>
#include <QPalette>

#include <algorithm>
#include <map>

namespace fuelsync {

namespace {

// Rows kept around the view: enough for a few screens in either direction.
constexpr int pagesKept = 5;

} // namespace

RowGridModel::RowGridModel(DatabaseSession *session, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{ }

void RowGridModel::setPager(std::shared_ptr<const KeysetPager> pager, double estimate)
{
    if (m_inFlight)
        m_session->cancelRunning(); // a slow page of the old order is of no use any more
    beginResetModel();
    m_pager = std::move(pager);
    ++m_generation;
    m_rows.clear();
    m_blockStart = 0;
    m_atStart = m_atEnd = false;
    m_startKnown = m_endKnown = false;
    m_inFlight = false;
    m_wanted.reset();
    m_lastError.clear();
    m_count = rowsFor(estimate);
    endResetModel();
    if (m_pager)
        request({ Fetch::First, 0 });
}

int RowGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int RowGridModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_pager ? 0 : int(m_pager->table().columns.size());
}

bool RowGridModel::isLoaded(int row) const
{
    return row >= m_blockStart && row < blockEnd();
}

QVariant RowGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_pager)
        return {};
    const int row = index.row();
    if (!isLoaded(row)) {
        if (role == Qt::DisplayRole) // the view paints it: fetch it
            const_cast<RowGridModel *>(this)->ensureLoaded(row);
        return {};
    }
    const PageRow &r = m_rows.at(row - m_blockStart);
    const int column = index.column();
    const bool isNull = r.isNull(column);
    switch (role) {
    case Qt::DisplayRole:
        if (isNull)
            return QStringLiteral("NULL");
        if (r.truncated.testBit(column))
            return QString(r.cells.at(column) + QStringLiteral(" …"));
        {
            // One line in the grid; the whole value is in the tooltip and in copies.
            const QString &text = r.cells.at(column);
            if (text.contains(u'\n'))
                return QString(text).replace(u'\n', u'⏎');
            return text;
        }
    case Qt::ToolTipRole:
        if (isNull)
            return tr("NULL: no value");
        if (r.truncated.testBit(column))
            return tr("%1 …\n\n(cut after %L2 characters; export to CSV for the whole value)")
                .arg(r.cells.at(column).left(2000))
                .arg(r.cells.at(column).size());
        if (r.cells.at(column).size() > 24 || r.cells.at(column).contains(u'\n'))
            return r.cells.at(column).left(2000);
        return {};
    case Qt::FontRole:
        if (isNull) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (isNull)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case IsNullRole:
        return isNull;
    default:
        return {};
    }
}

QVariant RowGridModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_pager || orientation != Qt::Horizontal)
        return {};
    const auto &columns = m_pager->table().columns;
    if (section < 0 || section >= columns.size())
        return {};
    const TableColumn &column = columns.at(section);
    switch (role) {
    case Qt::DisplayRole:
        return column.name;
    case Qt::ToolTipRole: {
        QString tip = column.type + (column.notNull ? QStringLiteral(" NOT NULL") : QString());
        if (m_pager->table().primaryKey.contains(column.name))
            tip += u'\n' + tr("primary key");
        if (!column.comment.isEmpty())
            tip += u'\n' + column.comment;
        return tip;
    }
    default:
        return {};
    }
}

void RowGridModel::showFirst()
{
    if (!m_pager)
        return;
    if (m_atStart && m_blockStart == 0 && !m_rows.isEmpty())
        return;
    request({ Fetch::First, 0 });
}

void RowGridModel::showLast()
{
    if (!m_pager)
        return;
    if (m_atEnd && !m_rows.isEmpty())
        return;
    request({ Fetch::Last, m_count });
}

void RowGridModel::ensureLoaded(int row)
{
    if (!m_pager || row < 0 || row >= m_count || isLoaded(row))
        return;
    if (m_inFlight) {
        // The view paints from the top: the first row it asks for is the one to go to.
        if (!m_wanted)
            m_wanted = row;
        return;
    }
    const int page = m_pager->pageSize();
    // Adjoining pages first: they keep the rows' positions tied to the ends already seen.
    if (m_rows.isEmpty())
        request({ Fetch::First, 0 });
    else if (row >= blockEnd() && row < blockEnd() + page && !m_atEnd)
        request({ Fetch::After, blockEnd() });
    else if (row < m_blockStart && row >= m_blockStart - page && !m_atStart)
        request({ Fetch::Before, m_blockStart });
    else if (row < page)
        request({ Fetch::First, 0 });
    else if (row >= m_count - page)
        request({ Fetch::Last, m_count });
    else
        request({ Fetch::Seek, row });
}

void RowGridModel::request(const Request &request)
{
    if (m_inFlight) {
        m_wanted = request.kind == Fetch::Last ? m_count - 1 : request.row;
        return;
    }
    send(request);
}

void RowGridModel::send(const Request &request)
{
    m_inFlight = true;
    emit busyChanged(true);
    const auto pager = m_pager;
    const quint64 generation = m_generation;
    const PageCursor first = m_rows.isEmpty() ? PageCursor() : m_rows.first().cursor;
    const PageCursor last = m_rows.isEmpty() ? PageCursor() : m_rows.last().cursor;
    const double fraction = m_count > 0 ? double(request.row) / double(m_count) : 0.0;
    using Answer = std::pair<RowPage, qint64>;
    m_session->run<Answer>(
        this,
        [pager, request, first, last, fraction](DbConnection &c) {
            QElapsedTimer timer;
            timer.start();
            RowPage page;
            switch (request.kind) {
            case Fetch::First:
                page = pager->first(c);
                break;
            case Fetch::Last:
                page = pager->last(c);
                break;
            case Fetch::After:
                page = pager->after(c, last);
                break;
            case Fetch::Before:
                page = pager->before(c, first);
                break;
            case Fetch::Seek:
                page = pager->seek(c, fraction);
                break;
            }
            return Answer { std::move(page), timer.elapsed() };
        },
        [this, generation, request](Answer answer) {
            if (generation != m_generation)
                return;
            receive(request, std::move(answer.first), answer.second);
        },
        [this, generation](QString error) {
            if (generation != m_generation)
                return;
            m_inFlight = false;
            m_wanted.reset();
            m_lastError = error;
            emit busyChanged(false);
            emit pageLoaded(error);
        });
}

void RowGridModel::receive(const Request &request, RowPage page, qint64 ms)
{
    m_inFlight = false;
    m_lastPageMs = ms;
    m_lastError.clear();
    const int n = int(page.rows.size());
    // A jump loses the link between the rows' positions and whatever end was known.
    if (request.kind == Fetch::First || request.kind == Fetch::Seek)
        m_endKnown = false;
    if (request.kind == Fetch::Last || request.kind == Fetch::Seek)
        m_startKnown = false;
    switch (request.kind) {
    case Fetch::First:
        place(0, std::move(page.rows), true, !page.hasAfter);
        break;
    case Fetch::Last:
        place(page.hasBefore ? m_count - n : 0, std::move(page.rows), !page.hasBefore, true);
        break;
    case Fetch::Seek:
        if (page.isEmpty()) { // the filters leave nothing there: start over from the top
            place(0, {}, true, true);
            break;
        }
        place(std::min(request.row, std::max(0, m_count - n)), std::move(page.rows),
              !page.hasBefore, !page.hasAfter);
        break;
    case Fetch::After: {
        QList<PageRow> rows = m_rows + page.rows;
        int start = m_blockStart;
        bool atStart = m_atStart;
        const int maxBlock = m_pager->pageSize() * pagesKept;
        if (rows.size() > maxBlock) {
            const int drop = int(rows.size()) - maxBlock;
            rows.remove(0, drop);
            start += drop;
            atStart = false;
        }
        place(start, std::move(rows), atStart, !page.hasAfter);
        break;
    }
    case Fetch::Before: {
        QList<PageRow> rows = page.rows + m_rows;
        const int start = m_blockStart - n;
        bool atEnd = m_atEnd;
        const int maxBlock = m_pager->pageSize() * pagesKept;
        if (rows.size() > maxBlock) {
            rows.resize(maxBlock);
            atEnd = false;
        }
        place(start, std::move(rows), !page.hasBefore, atEnd);
        break;
    }
    }
    emit busyChanged(false);
    emit pageLoaded(QString());
    if (m_wanted) {
        const int row = *m_wanted;
        m_wanted.reset();
        ensureLoaded(row);
    }
}

void RowGridModel::place(int start, QList<PageRow> rows, bool atStart, bool atEnd)
{
    const int page = m_pager->pageSize();
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
    else if (!m_atStart && m_blockStart < page)
        insertFront(page - m_blockStart); // room for the rows before it
    if (m_atEnd)
        setCount(blockEnd()); // exact now
    else if (blockEnd() >= m_count)
        setCount(blockEnd() + page); // there is more than the estimate said
    if (m_count > 0 && columnCount() > 0)
        emit dataChanged(index(0, 0), index(m_count - 1, columnCount() - 1));
}

QString RowGridModel::describeState() const
{
    return QStringLiteral("rows %1, block %2..%3, at start %4, at end %5, start known %6, end "
                          "known %7, busy %8")
        .arg(m_count)
        .arg(m_blockStart)
        .arg(blockEnd())
        .arg(m_atStart)
        .arg(m_atEnd)
        .arg(m_startKnown)
        .arg(m_endKnown)
        .arg(m_inFlight);
}

void RowGridModel::refineEstimate(double estimate)
{
    if (!m_pager || m_endKnown || estimate < 0)
        return;
    const int floor = blockEnd() + 1; // more rows than those read: the end was not reached
    setCount(std::max(floor, rowsFor(estimate)));
}

int RowGridModel::rowsFor(double estimate) const
{
    return estimate > 0 ? int(std::min(estimate, double(m_virtualRowLimit))) : 0;
}

void RowGridModel::setCount(int count)
{
    count = std::max(0, count);
    if (count > m_count) {
        beginInsertRows({}, m_count, count - 1);
        m_count = count;
        endInsertRows();
    } else if (count < m_count) {
        beginRemoveRows({}, count, m_count - 1);
        m_count = count;
        endRemoveRows();
    }
}

void RowGridModel::insertFront(int rows)
{
    if (rows <= 0)
        return;
    beginInsertRows({}, 0, rows - 1);
    m_count += rows;
    m_blockStart += rows;
    endInsertRows();
}

void RowGridModel::removeFront(int rows)
{
    rows = std::min(rows, m_count);
    if (rows <= 0)
        return;
    beginRemoveRows({}, 0, rows - 1);
    m_count -= rows;
    m_blockStart -= rows;
    endRemoveRows();
}

QString RowGridModel::textOf(const QModelIndexList &cells, int *skipped) const
{
    std::map<int, std::map<int, QString>> byRow;
    int notLoaded = 0;
    for (const QModelIndex &cell : cells) {
        if (!isLoaded(cell.row())) {
            ++notLoaded;
            continue;
        }
        const PageRow &r = m_rows.at(cell.row() - m_blockStart);
        byRow[cell.row()][cell.column()] =
            r.isNull(cell.column()) ? QString() : r.cells.at(cell.column());
    }
    if (skipped)
        *skipped = notLoaded;
    // Columns of the selection, so that gaps line up.
    std::map<int, bool> columns;
    for (const auto &[row, values] : byRow) {
        for (const auto &[column, text] : values)
            columns[column] = true;
    }
    QStringList lines;
    for (const auto &[row, values] : byRow) {
        QStringList fields;
        for (const auto &[column, present] : columns) {
            const auto it = values.find(column);
            fields.append(it == values.end() ? QString() : it->second);
        }
        lines.append(fields.join(u'\t'));
    }
    return lines.join(u'\n');
}

} // namespace fuelsync
