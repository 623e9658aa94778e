#include "HistoryWindow.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QTimeZone>

namespace fuelsync {

QString HistoryWindow::workstationZone()
{
    const QByteArray id = QTimeZone::systemTimeZoneId();
    return id.isEmpty() ? QStringLiteral("UTC") : QString::fromUtf8(id);
}

HistoryWindow HistoryWindow::of(DbConnection &connection, const QDate &lastDay, int days,
                                const QString &zone)
{
    if (days > 3660)
        throw RequestError(QCoreApplication::translate(
                               "HistoryWindow", "a window of %1 days is too long (at most 3660)")
                               .arg(days));
    days = std::max(1, days);
    const QString z = zone.isEmpty() ? workstationZone() : zone;
    // Dates become the start of their day in the zone.
    QSqlQuery bounds = connection.exec(
        QStringLiteral("SELECT f, t, first, last, f::text, t::text FROM ("
                       "  SELECT (d - ?::int + 1)::timestamp AT TIME ZONE z AS f, "
                       "  (d + 1)::timestamp AT TIME ZONE z AS t, d - ?::int + 1 AS first, "
                       "  d AS last FROM (SELECT z, coalesce(?::date, "
                       "  (now() AT TIME ZONE z)::date) AS d FROM (SELECT ?::text AS z) AS zz) AS x"
                       ") AS y"),
        { days, days, lastDay.isValid() ? QVariant(lastDay) : QVariant(QMetaType(QMetaType::QDate)),
          z });
    bounds.next();
    HistoryWindow window;
    window.from = bounds.value(0).toDateTime();
    window.to = bounds.value(1).toDateTime();
    window.firstDay = bounds.value(2).toDate();
    window.lastDay = bounds.value(3).toDate();
    window.zone = z;
    window.fromText = bounds.value(4).toString();
    window.toText = bounds.value(5).toString();
    return window;
}

} // namespace fuelsync
