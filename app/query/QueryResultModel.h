#pragma once

#include "db/StatementResult.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <functional>

namespace fuelsync {

// One result of the query console in a grid: the rows a statement gave, read a page at a time
// through its cursor as the view scrolls (fetchMore), and kept only near what is shown: pages
// far from the last one asked for are let go and read again (by their place) when the view
// comes back to them, so memory stays the same however far one scrolls. The row count grows as
// pages arrive and is exact once the cursor's end is reached.
class QueryResultModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role { IsNullRole = Qt::UserRole + 1 };

    // Reads `count` rows from row `first` (0-based) and calls `done` on the model's thread with
    // them, or with an error. Null for a result that came whole.
    using Reader = std::function<void(qint64 first, int count,
                                      std::function<void(QList<ResultRow>, QString)> done)>;

    static constexpr int pagesKept = 12;

    QueryResultModel(QList<ResultColumn> columns, const QList<ResultRow> &firstRows, bool atEnd,
                     int pageSize, Reader reader, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    const QList<ResultColumn> &columns() const { return m_columns; }
    bool atEnd() const { return m_atEnd; }
    bool isLoaded(int row) const;
    int loadedPages() const { return int(m_pages.size()); }
    QString lastError() const { return m_lastError; }
    // The server-side cursor the rows are read through (for an export), empty for none.
    void setCursorName(const QString &name) { m_cursorName = name; }
    const QString &cursorName() const { return m_cursorName; }
    // The cells of a row that is loaded (empty when it is not).
    ResultRow rowAt(int row) const;
    // Tab-separated text of the cells, by row and column (rows not loaded are skipped).
    QString textOf(const QModelIndexList &cells) const;

signals:
    void rowsArrived();
    void failed(const QString &error);

private:
    void requestPage(int page) const;
    void place(int page, const QList<ResultRow> &rows);

    QList<ResultColumn> m_columns;
    int m_pageSize;
    Reader m_reader;
    int m_count = 0;
    bool m_atEnd = true;
    bool m_appending = false;
    mutable QHash<int, QList<ResultRow>> m_pages;
    mutable QList<int> m_pending; // pages asked for again, not arrived
    mutable QList<int> m_recent; // pages by last use, newest last
    QString m_lastError;
    QString m_cursorName;
};

} // namespace fuelsync
