#pragma once

#include "browse/KeysetPager.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>

#include <memory>
#include <optional>

namespace fuelsync {

class DatabaseSession;

// The data grid's model: a window onto a table of any size. It holds one run of consecutive rows
// (at most a few pages), read with a KeysetPager on a DatabaseSession's thread; rows the view asks
// for outside that run are fetched as the next or previous page when they adjoin it, or by a jump
// (first page, last page, or a seek to that fraction of the order) when they do not. The row
// count is the planner's estimate until the ends are reached, then it is exact; it is never
// counted. Cells not read yet show as empty and fill in when their page arrives.
//
// The estimate is capped (virtualRowLimit()): a view keeps a header entry per row, and ten million
// of them cost a quarter of a second and 80 MB before the first row shows. Past the cap, a row
// stands for a fraction of the order rather than for one row: a jump to row r of n seeks to r/n,
// and pages that adjoin the loaded run still follow it row by row (the count grows as they pass
// the cap).
class RowGridModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role { IsNullRole = Qt::UserRole + 1 };

    explicit RowGridModel(DatabaseSession *session, QObject *parent = nullptr);

    // Starts over with this table in this order: the first page is read at once. `estimate` is
    // the planner's row count for the order's filters (-1: unknown).
    void setPager(std::shared_ptr<const KeysetPager> pager, double estimate);
    const KeysetPager *pager() const { return m_pager.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Jumps, as the view's keys and buttons ask for them.
    void showFirst();
    void showLast();
    // Makes sure the row is loaded (fetching it if it is not).
    void ensureLoaded(int row);

    bool isLoaded(int row) const;
    bool isBusy() const { return m_inFlight; }
    // Whether the row count is exact (both ends seen), or the planner's estimate.
    bool countIsExact() const { return m_startKnown && m_endKnown; }
    // A better estimate of the rows (the planner's, for the filters): used until an end is seen.
    void refineEstimate(double estimate);
    QString describeState() const; // for diagnostics
    int loadedRows() const { return int(m_rows.size()); }
    // The most rows an estimate may make the model hold (see above); applies from the next
    // setPager() or refineEstimate().
    void setVirtualRowLimit(int rows) { m_virtualRowLimit = std::max(1, rows); }
    int virtualRowLimit() const { return m_virtualRowLimit; }
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
    enum class Fetch { First, Last, After, Before, Seek };
    struct Request
    {
        Fetch kind;
        int row; // where the block should start (First: 0; Last: end; Seek: the row)
    };

    void request(const Request &request);
    void send(const Request &request);
    void receive(const Request &request, RowPage page, qint64 ms);
    void place(int start, QList<PageRow> rows, bool atStart, bool atEnd);
    void setCount(int count);
    void insertFront(int rows);
    void removeFront(int rows);
    int blockEnd() const { return m_blockStart + int(m_rows.size()); }
    int rowsFor(double estimate) const;

    DatabaseSession *m_session;
    std::shared_ptr<const KeysetPager> m_pager;
    quint64 m_generation = 0; // a new pager makes older answers stale
    QList<PageRow> m_rows;
    int m_blockStart = 0;
    int m_count = 0;
    bool m_atStart = false; // the block's first row is the order's first row
    bool m_atEnd = false; // the block's last row is the order's last row
    // Whether row 0 is the order's first row, and m_count - 1 its last: both hold once the two
    // ends have been reached through adjoining pages, and then the count is exact.
    bool m_startKnown = false;
    bool m_endKnown = false;
    bool m_inFlight = false;
    std::optional<int> m_wanted; // a row asked for while a page was on its way
    qint64 m_lastPageMs = 0;
    int m_virtualRowLimit = 200'000;
    QString m_lastError;
};

} // namespace fuelsync
