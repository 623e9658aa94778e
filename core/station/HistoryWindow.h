#pragma once

#include <QDate>
#include <QDateTime>

namespace fuelsync {

class DbConnection;

// The days a drill-down covers, as instants: from the start of (lastDay - days + 1) to the start
// of the day after lastDay, in the server's time zone (as the station graph counts its day).
struct HistoryWindow
{
    QDateTime from;
    QDateTime to;
    QDate lastDay;

    // An invalid lastDay is today; days is at least 1. Throws RequestError past 3660 days.
    static HistoryWindow of(DbConnection &connection, const QDate &lastDay, int days);
    // An instant as text the server reads exactly (bind it as ?::timestamptz).
    static QString sqlInstant(const QDateTime &at);
};

} // namespace fuelsync
