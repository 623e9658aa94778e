#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace fuelsync {

// The statements run in the query console, per connection profile (or per server and database
// for a connection without one), newest first, kept in the user's settings (AdminSettings).
class QueryHistory
{
public:
    struct Entry
    {
        QString sql;
        QDateTime at;
        QString tenant; // the search_path's tenant, or empty
        qint64 ms = -1;
        QString outcome; // "ok", or the first line of the error
    };

    static constexpr int kept = 500;

    explicit QueryHistory(const QString &key);

    QList<Entry> entries() const;
    // Adds `entry` in front; the same statement run again moves to the front.
    void add(const Entry &entry);
    void clear();
    // The entries whose statement holds every word of `text` (case-insensitive), newest first.
    static QList<Entry> matching(const QList<Entry> &entries, const QString &text);

private:
    QString m_group;
};

} // namespace fuelsync
