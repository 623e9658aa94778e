#pragma once

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>

namespace fuelsync {

class MigrationPlan;

// A run's schemas as they go: pending, running, done, failed, cancelled, with durations and the
// error of each failed one.
class RunProgressModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { SchemaColumn, StateColumn, DurationColumn, ErrorColumn, ColumnCount };
    enum class State { Pending, Running, Done, Tried, Failed, Cancelled, NotStarted };

    explicit RunProgressModel(QObject *parent = nullptr);

    void setPlan(const MigrationPlan &plan);
    void schemaStarted(const QString &schema);
    void schemaFinished(const QString &schema, const QString &state, qint64 durationMs,
                        const QString &error);
    // After the run: schemas that never started are "not started".
    void runEnded();

    int total() const { return int(m_rows.size()); }
    int finishedCount() const;
    int count(State state) const;
    State stateOf(const QString &schema) const;
    State stateAt(int row) const { return m_rows.at(row).state; }
    // The schema's whole error (every line of it), or what became of it.
    QString messageOf(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        QString schema;
        QString label;
        State state = State::Pending;
        qint64 durationMs = -1;
        QString error;
        QElapsedTimer started;
    };
    static QString stateName(State state);
    QList<Row> m_rows;
    QHash<QString, int> m_index;
};

} // namespace fuelsync
