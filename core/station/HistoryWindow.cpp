#include "HistoryWindow.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace fuelsync {

HistoryWindow HistoryWindow::of(DbConnection &connection, const QDate &lastDay, int days)
{
    if (days > 3660)
        throw RequestError(QCoreApplication::translate(
                               "HistoryWindow", "a window of %1 days is too long (at most 3660)")
                               .arg(days));
    days = std::max(1, days);
    // Dates become the start of their day in the session's time zone.
    QSqlQuery bounds = connection.exec(
        QStringLiteral("SELECT (d - ?::int + 1)::timestamptz, (d + 1)::timestamptz, d "
                       "FROM (SELECT coalesce(?::date, current_date) AS d) AS x"),
        { days, lastDay.isValid() ? QVariant(lastDay) : QVariant(QMetaType(QMetaType::QDate)) });
    bounds.next();
    return { bounds.value(0).toDateTime(), bounds.value(1).toDateTime(), bounds.value(2).toDate() };
}

QString HistoryWindow::sqlInstant(const QDateTime &at)
{
    return at.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace fuelsync
