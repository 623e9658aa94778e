#include "QueryResultModel.h"

#include "query/ResultText.h"

#include <QBrush>
#include <QFont>
#include <QPalette>
#include <QPointer>

namespace fuelsync {

QueryResultModel::QueryResultModel(QList<ResultColumn> columns, const QList<ResultRow> &firstRows,
                                   bool atEnd, int pageSize, Reader reader, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columns(std::move(columns))
    , m_pageSize(std::max(1, pageSize))
    , m_reader(std::move(reader))
    , m_atEnd(atEnd || !m_reader)
{
    // The first rows, in pages.
    m_count = int(firstRows.size());
    for (int start = 0, page = 0; start < firstRows.size(); start += m_pageSize, ++page) {
        m_pages.insert(page, firstRows.mid(start, m_pageSize));
        m_recent.append(page);
    }
    if (!m_reader)
        m_pageSize = std::max(m_pageSize, m_count); // one page holds a whole result
}

int QueryResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int QueryResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

bool QueryResultModel::isLoaded(int row) const
{
    return m_pages.contains(row / m_pageSize);
}

ResultRow QueryResultModel::rowAt(int row) const
{
    const auto page = m_pages.constFind(row / m_pageSize);
    if (page == m_pages.constEnd())
        return {};
    return page->value(row % m_pageSize);
}

QVariant QueryResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_count)
        return {};
    const int pageIndex = index.row() / m_pageSize;
    const auto page = m_pages.constFind(pageIndex);
    if (page == m_pages.constEnd()) {
        if (role == Qt::DisplayRole)
            requestPage(pageIndex);
        return {};
    }
    const ResultRow &row = page->at(index.row() % m_pageSize);
    const int column = index.column();
    const bool isNull = row.nulls.testBit(column);
    switch (role) {
    case Qt::DisplayRole: {
        if (isNull)
            return QStringLiteral("NULL");
        QString text = row.cells.at(column);
        if (text.size() > 300)
            text = text.left(300) + QChar(0x2026);
        return text.replace(u'\n', QChar(0x21b5));
    }
    case Qt::ToolTipRole:
        return isNull ? QVariant() : QVariant(row.cells.at(column).left(2000));
    case Qt::ForegroundRole:
        if (isNull)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case Qt::FontRole:
        if (isNull) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (ResultText::classOf(m_columns.at(column).typeOid) == ResultText::TypeClass::Number)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case IsNullRole:
        return isNull;
    default:
        return {};
    }
}

QVariant QueryResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (section < 0 || section >= m_columns.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_columns.at(section).name;
    return {};
}

bool QueryResultModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_appending && m_reader;
}

void QueryResultModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_appending = true;
    const int page = m_count / m_pageSize;
    QPointer<QueryResultModel> self(this);
    m_reader(m_count, m_pageSize, [self, page](const QList<ResultRow> &rows, const QString &error) {
        if (!self)
            return;
        if (!error.isEmpty()) {
            self->m_appending = false;
            self->m_lastError = error;
            self->m_atEnd = true;
            emit self->failed(error);
            return;
        }
        // Still appending while the rows go in: a view asks for more as it sees them.
        const int first = self->m_count;
        self->m_atEnd = rows.size() < self->m_pageSize;
        if (!rows.isEmpty()) {
            self->beginInsertRows({}, first, first + int(rows.size()) - 1);
            self->m_count += int(rows.size());
            self->place(page, rows);
            self->endInsertRows();
        }
        self->m_appending = false;
        emit self->rowsArrived();
    });
}

void QueryResultModel::requestPage(int page) const
{
    if (!m_reader || m_pending.contains(page))
        return;
    m_pending.append(page);
    QPointer<QueryResultModel> self(const_cast<QueryResultModel *>(this));
    m_reader(qint64(page) * m_pageSize, m_pageSize,
             [self, page](const QList<ResultRow> &rows, const QString &error) {
                 if (!self)
                     return;
                 self->m_pending.removeAll(page);
                 if (!error.isEmpty()) {
                     self->m_lastError = error;
                     emit self->failed(error);
                     return;
                 }
                 const int first = page * self->m_pageSize;
                 const int last = std::min(self->m_count, first + self->m_pageSize) - 1;
                 self->place(page, rows);
                 if (last >= first)
                     emit self->dataChanged(self->index(first, 0),
                                            self->index(last, self->columnCount() - 1));
                 emit self->rowsArrived();
             });
}

void QueryResultModel::place(int page, const QList<ResultRow> &rows)
{
    m_pages.insert(page, rows);
    m_recent.removeAll(page);
    m_recent.append(page);
    // Let go of the pages used longest ago.
    while (m_recent.size() > pagesKept)
        m_pages.remove(m_recent.takeFirst());
}

QString QueryResultModel::textOf(const QModelIndexList &cells) const
{
    QModelIndexList sorted = cells;
    std::sort(sorted.begin(), sorted.end(), [](const QModelIndex &a, const QModelIndex &b) {
        return a.row() != b.row() ? a.row() < b.row() : a.column() < b.column();
    });
    QString text;
    int row = -1;
    for (const QModelIndex &cell : std::as_const(sorted)) {
        if (!isLoaded(cell.row()))
            continue;
        if (cell.row() != row && row >= 0)
            text += u'\n';
        else if (row >= 0)
            text += u'\t';
        row = cell.row();
        const ResultRow r = rowAt(cell.row());
        if (!r.nulls.testBit(cell.column()))
            text += r.cells.value(cell.column());
    }
    return text;
}

} // namespace fuelsync
