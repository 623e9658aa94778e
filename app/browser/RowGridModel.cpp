#include "RowGridModel.h"

#include "session/DatabaseSession.h"

#include <QBrush>
#include <QFont>
#include <QPalette>

#include <map>

namespace fuelsync {

RowGridModel::RowGridModel(DatabaseSession *session, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    // The window's count changes, announced as they happen.
    m_window.setCountHooks(
        [this](const RowWindow::CountChange &change) {
            if (change.kind == RowWindow::CountChange::Insert)
                beginInsertRows({}, change.first, change.last);
            else
                beginRemoveRows({}, change.first, change.last);
        },
        [this](const RowWindow::CountChange &change) {
            if (change.kind == RowWindow::CountChange::Insert)
                endInsertRows();
            else
                endRemoveRows();
        });
}

void RowGridModel::setPager(std::shared_ptr<const KeysetPager> pager, double estimate)
{
    if (m_inFlight)
        m_session->cancelRunning(); // a slow page of the old order is of no use any more
    beginResetModel();
    m_pager = std::move(pager);
    ++m_generation;
    m_window.reset(m_pager ? m_pager->pageSize() : 0, estimate);
    m_inFlight = false;
    m_wanted.reset();
    m_lastError.clear();
    endResetModel();
    if (m_pager)
        request(m_window.firstPage());
}

int RowGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_window.count();
}

int RowGridModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_pager ? 0 : int(m_pager->table().columns.size());
}

QVariant RowGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_pager)
        return {};
    const int row = index.row();
    if (!isLoaded(row))
        return {}; // RowGridDelegate asks for the row when the view draws it
    const PageRow &r = m_window.rowAt(row);
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
            // A key shows the row it points at beside it.
            if (const QString label = labelOf(column, text); !label.isEmpty())
                return QStringLiteral("%1 · %2").arg(label, text);
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
        if (const ForeignKeyLabels::Key *key = labelKey(column)) {
            const QString label = labelOf(column, r.cells.at(column));
            return tr("%1\n%2.%3: %4\nDouble-click opens that row.")
                .arg(r.cells.at(column), key->parentTable, key->labelColumn,
                     label.isEmpty() ? tr("(no such row)") : label);
        }
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
    if (!m_pager || m_window.showsFirst())
        return;
    request(m_window.firstPage());
}

void RowGridModel::showLast()
{
    if (!m_pager || m_window.showsLast())
        return;
    request(m_window.lastPage());
}

void RowGridModel::ensureLoaded(int row)
{
    if (!m_pager)
        return;
    const std::optional<Request> fetch = m_window.fetchFor(row);
    if (!fetch)
        return;
    if (m_inFlight) {
        // The view paints from the top: the first row it asks for is the one to go to.
        if (!m_wanted)
            m_wanted = row;
        return;
    }
    request(*fetch);
}

void RowGridModel::request(const Request &request)
{
    if (m_inFlight) {
        m_wanted = request.kind == Fetch::Last ? m_window.count() - 1 : request.row;
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
    const PageCursor first = m_window.firstCursor();
    const PageCursor last = m_window.lastCursor();
    const double fraction = m_window.fractionOf(request.row);
    struct Answer
    {
        RowPage page;
        qint64 ms = 0;
        ForeignKeyLabels::Labels labels;
    };
    const QList<ForeignKeyLabels::Key> keys = m_labelKeys;
    m_session->run<Answer>(
        this,
        [pager, request, first, last, fraction, keys](DbConnection &c) {
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
            const qint64 ms = timer.elapsed();
            // The page's keys labelled: one query for every key column.
            ForeignKeyLabels::Labels labels = ForeignKeyLabels::read(c, keys, page.rows);
            return Answer { std::move(page), ms, std::move(labels) };
        },
        [this, generation, request](Answer answer) {
            if (generation != m_generation)
                return;
            receive(request, std::move(answer.page), answer.ms, std::move(answer.labels));
        },
        [this, generation](const QString &error) {
            if (generation != m_generation)
                return;
            m_inFlight = false;
            m_wanted.reset();
            m_lastError = error;
            emit busyChanged(false);
            emit pageLoaded(error);
        });
}

void RowGridModel::receive(const Request &request, RowPage page, qint64 ms,
                           ForeignKeyLabels::Labels labels)
{
    if (m_labelCount > 20'000) {
        m_labels.clear();
        m_labelCount = 0;
    }
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        auto &known = m_labels[it.key()];
        for (auto label = it->constBegin(); label != it->constEnd(); ++label) {
            known.insert(label.key(), label.value());
            ++m_labelCount;
        }
    }
    m_inFlight = false;
    m_lastPageMs = ms;
    m_lastError.clear();
    m_window.place(request, std::move(page));
    const int count = m_window.count();
    if (count > 0 && columnCount() > 0)
        emit dataChanged(index(0, 0), index(count - 1, columnCount() - 1));
    emit busyChanged(false);
    emit pageLoaded(QString());
    if (m_wanted) {
        const int row = *m_wanted;
        m_wanted.reset();
        ensureLoaded(row);
    }
}

void RowGridModel::setLabelKeys(QList<ForeignKeyLabels::Key> keys)
{
    m_labelKeys = std::move(keys);
    m_labels.clear();
    m_labelCount = 0;
}

QString RowGridModel::labelOf(int column, const QString &value) const
{
    const auto labels = m_labels.constFind(column);
    return labels == m_labels.constEnd() ? QString() : labels->value(value);
}

const ForeignKeyLabels::Key *RowGridModel::labelKey(int column) const
{
    for (const ForeignKeyLabels::Key &key : m_labelKeys) {
        if (key.column == column)
            return &key;
    }
    return nullptr;
}

std::optional<QString> RowGridModel::valueAt(int row, int column) const
{
    if (!isLoaded(row))
        return std::nullopt;
    const PageRow &r = m_window.rowAt(row);
    if (column < 0 || column >= r.cells.size() || r.isNull(column))
        return std::nullopt;
    return r.cells.at(column);
}

QString RowGridModel::describeState() const
{
    return m_window.describe() + QStringLiteral(", busy %1").arg(m_inFlight);
}

void RowGridModel::refineEstimate(double estimate)
{
    if (m_pager)
        m_window.refineEstimate(estimate);
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
        const PageRow &r = m_window.rowAt(cell.row());
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
