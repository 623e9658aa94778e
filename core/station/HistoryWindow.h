#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

namespace fuelsync {

class DbConnection;

// The days a station view covers, as instants: from the start of (lastDay - days + 1) to the start
// of the day after lastDay, in a named time zone. The zone is the workstation's unless given, so
// "the day" is the one the window's times are shown in, whatever the server's or session's zone.
struct HistoryWindow
{
    QDateTime from;
    QDateTime to;
    QDate firstDay;
    QDate lastDay;
    QString zone; // IANA name, as PostgreSQL knows it
    // The instants as the server wrote them: bound as ?::timestamptz they are exact.
    QString fromText;
    QString toText;

    // An invalid lastDay is today in the zone; days is at least 1; an empty zone is the
    // workstation's. Throws RequestError past 3660 days, and the server's DbError ("time zone
    // ... not recognized") for a zone it does not know.
    static HistoryWindow of(DbConnection &connection, const QDate &lastDay, int days,
                            const QString &zone = QString());
    // The workstation's time zone (UTC when it cannot be told).
    static QString workstationZone();
};

} // namespace fuelsync
