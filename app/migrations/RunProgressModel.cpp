#include "RunProgressModel.h"

#include "migrate/MigrationPlan.h"

#include <QBrush>
#include <QColor>

namespace fuelsync {

RunProgressModel::RunProgressModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void RunProgressModel::setPlan(const MigrationPlan &plan)
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    for (const PlanPhase &phase : plan.phases()) {
        for (const SchemaWork &work : phase.work) {
            if (m_index.contains(work.schema))
                continue;
            Row row;
            row.schema = work.schema;
            row.label = work.isPublic || work.displayName.isEmpty()
                ? work.schema
                : tr("%1 (%2)").arg(work.schema, work.displayName);
            m_index.insert(work.schema, int(m_rows.size()));
            m_rows.append(row);
        }
    }
    for (const BlockedSchema &blocked : plan.blocked()) {
        if (m_index.contains(blocked.schema))
            continue;
        Row row;
        row.schema = blocked.schema;
        row.label = blocked.schema;
        m_index.insert(blocked.schema, int(m_rows.size()));
        m_rows.append(row);
    }
    endResetModel();
}

void RunProgressModel::schemaStarted(const QString &schema)
{
    const int row = m_index.value(schema, -1);
    if (row < 0)
        return;
    m_rows[row].state = State::Running;
    m_rows[row].started.start();
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunProgressModel::schemaFinished(const QString &schema, const QString &state,
                                      qint64 durationMs, const QString &error)
{
    int row = m_index.value(schema, -1);
    if (row < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        Row added;
        added.schema = schema;
        added.label = schema;
        row = int(m_rows.size());
        m_index.insert(schema, row);
        m_rows.append(added);
        endInsertRows();
    }
    Row &r = m_rows[row];
    // A phase's schema finishes once per phase; a failure anywhere stays a failure.
    const State next = state == u"failed" ? State::Failed
        : state == u"cancelled"           ? State::Cancelled
        : state == u"not started"         ? State::NotStarted
        : state == u"tried"               ? State::Tried
                                          : State::Done;
    if (r.state != State::Failed)
        r.state = next;
    r.durationMs = std::max<qint64>(0, r.durationMs) + durationMs;
    if (!error.isEmpty())
        r.error = error;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RunProgressModel::runEnded()
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].state == State::Pending || m_rows[row].state == State::Running) {
            m_rows[row].state = State::NotStarted;
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

int RunProgressModel::finishedCount() const
{
    int n = 0;
    for (const Row &r : m_rows)
        n += r.state != State::Pending && r.state != State::Running ? 1 : 0;
    return n;
}

int RunProgressModel::count(State state) const
{
    int n = 0;
    for (const Row &r : m_rows)
        n += r.state == state ? 1 : 0;
    return n;
}

RunProgressModel::State RunProgressModel::stateOf(const QString &schema) const
{
    const int row = m_index.value(schema, -1);
    return row < 0 ? State::NotStarted : m_rows.at(row).state;
}

QString RunProgressModel::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return tr("pending");
    case State::Running:
        return tr("running");
    case State::Done:
        return tr("done");
    case State::Tried:
        return tr("tried, rolled back");
    case State::Failed:
        return tr("failed");
    case State::Cancelled:
        return tr("cancelled, rolled back");
    case State::NotStarted:
        return tr("not started");
    }
    return {};
}

int RunProgressModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunProgressModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunProgressModel::messageOf(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &r = m_rows.at(row);
    const QString head = QStringLiteral("%1: %2").arg(r.label, stateName(r.state));
    return r.error.isEmpty() ? head : head + QStringLiteral("\n") + r.error;
}

QVariant RunProgressModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case SchemaColumn:
            return r.label;
        case StateColumn:
            return stateName(r.state);
        case DurationColumn:
            if (r.state == State::Running)
                return tr("%L1 s…").arg(double(r.started.elapsed()) / 1000.0, 0, 'f', 1);
            if (r.durationMs < 0)
                return QString();
            return r.durationMs < 1000 ? tr("%L1 ms").arg(r.durationMs)
                                       : tr("%L1 s").arg(double(r.durationMs) / 1000.0, 0, 'f', 2);
        case ErrorColumn:
            return r.error.section(u'\n', 0, 0);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == ErrorColumn && !r.error.isEmpty())
        return r.error;
    if (role == Qt::ForegroundRole && index.column() == StateColumn) {
        switch (r.state) {
        case State::Failed:
            return QBrush(QColor(0xb7, 0x1c, 0x1c));
        case State::Done:
        case State::Tried:
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        case State::Running:
            return QBrush(QColor(0x1d, 0x4e, 0x89));
        case State::Cancelled:
        case State::NotStarted:
            return QBrush(QColor(0x8a, 0x5a, 0x00));
        case State::Pending:
            return QBrush(QColor(0x6b, 0x70, 0x78));
        }
    }
    return {};
}

QVariant RunProgressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SchemaColumn:
        return tr("Schema");
    case StateColumn:
        return tr("State");
    case DurationColumn:
        return tr("Duration");
    case ErrorColumn:
        return tr("Error");
    }
    return {};
}

} // namespace fuelsync
