#pragma once

#include "RowWindow.h"
#include "browse/ForeignKeyLabels.h"
#include "browse/KeysetPager.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>

#include <memory>
#include <optional>

namespace fuelsync {

class DatabaseSession;

// The data grid's model: a window onto a table of any size. A RowWindow holds one run of
// consecutive rows (at most a few pages) and decides which page to fetch for a row the view asks
// for; the model reads that page with a KeysetPager on a DatabaseSession's thread, hands it to
// the window, and announces the window's row count changes as a Qt model does. The row count is
// the planner's estimate (capped: see RowWindow) until the ends are reached, then it is exact; it
// is never counted. Cells not read yet show as empty and fill in when their page arrives; the
// view's RowGridDelegate asks for them as it draws them, and reading data() fetches nothing.
class RowGridModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role { IsNullRole = Qt::UserRole + 1 };

    explicit RowGridModel(DatabaseSession *session, QObject *parent = nullptr);

    // Starts over with this table in this order: the first page is read at once. `estimate` is
    // the planner's row count for the order's filters (-1: unknown).
    void setPager(std::shared_ptr<const KeysetPager> pager, double estimate);
    // The foreign keys to label: each page's labels are read with it, in one query more.
    void setLabelKeys(QList<ForeignKeyLabels::Key> keys);
    const QList<ForeignKeyLabels::Key> &labelKeys() const { return m_labelKeys; }
    // The label of a key column's value ("MG Road Fuel Station"), empty when none was read.
    QString labelOf(int column, const QString &value) const;
    // The labelled key of a column, or null.
    const ForeignKeyLabels::Key *labelKey(int column) const;
    // The row's value in a column as the server wrote it (not loaded or NULL: nothing).
    std::optional<QString> valueAt(int row, int column) const;
    const KeysetPager *pager() const { return m_pager.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Jumps, as the view's keys and buttons ask for them.
    void showFirst();
    void showLast();
    // Makes sure the row is loaded (fetching it if it is not); while a page is on its way, the
    // first row asked for is fetched next.
    void ensureLoaded(int row);

    bool isLoaded(int row) const { return m_window.isLoaded(row); }
    bool isBusy() const { return m_inFlight; }
    // Whether the row count is exact (both ends seen), or the planner's estimate.
    bool countIsExact() const { return m_window.countIsExact(); }
    // A better estimate of the rows (the planner's, for the filters): used until an end is seen.
    void refineEstimate(double estimate);
    QString describeState() const; // for diagnostics
    int loadedRows() const { return m_window.loadedRows(); }
    // The most rows an estimate may make the model hold (see RowWindow); applies from the next
    // setPager() or refineEstimate().
    void setVirtualRowLimit(int rows) { m_window.setVirtualRowLimit(rows); }
    int virtualRowLimit() const { return m_window.virtualRowLimit(); }
    // The last completed page's time on the server and back, in milliseconds.
    qint64 lastPageMs() const { return m_lastPageMs; }
    QString lastError() const { return m_lastError; }

    // Tab-separated text of the given cells (by row, then column), the way a spreadsheet pastes
    // it; rows not loaded are left out and counted in `skipped`.
    QString textOf(const QModelIndexList &cells, int *skipped) const;

signals:
    // A page arrived (or the request failed: error is not empty).
    void pageLoaded(const QString &error);
    void busyChanged(bool busy);

private:
    using Request = RowWindow::Request;
    using Fetch = RowWindow::Fetch;

    void request(const Request &request);
    void send(const Request &request);
    void receive(const Request &request, RowPage page, qint64 ms, ForeignKeyLabels::Labels labels);

    DatabaseSession *m_session;
    std::shared_ptr<const KeysetPager> m_pager;
    quint64 m_generation = 0; // a new pager makes older answers stale
    RowWindow m_window;
    bool m_inFlight = false;
    std::optional<int> m_wanted; // a row asked for while a page was on its way
    QList<ForeignKeyLabels::Key> m_labelKeys;
    ForeignKeyLabels::Labels m_labels; // of the pages read, let go of when it grows large
    int m_labelCount = 0;
    qint64 m_lastPageMs = 0;
    QString m_lastError;
};

} // namespace fuelsync
