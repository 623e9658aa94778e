#include "StockHistoryReader.h"

#include "HistoryWindow.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/ReadSnapshot.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSqlQuery>
#include <QUuid>

namespace fuelsync {

StockHistory StockHistoryReader::read(DbConnection &connection, const QString &schema,
                                      const QString &stationId, const QString &fuelType)
{
    return read(connection, schema, stationId, fuelType, Options());
}

StockHistory StockHistoryReader::read(DbConnection &connection, const QString &schema,
                                      const QString &stationId, const QString &fuelType,
                                      const Options &options)
{
    const auto cancels = connection.cancelWith(options.control);
    const QString s = SqlIdentifier::quote(schema);
    if (!connection.relationExists(schema, QStringLiteral("fuel_inventory"))
        || !connection.relationExists(schema, QStringLiteral("fuel_deliveries")))
        throw RequestError(
            QCoreApplication::translate("StockHistoryReader", "%1 has no inventory tables")
                .arg(schema));
    const auto noStock = [&] {
        return RequestError(
            QCoreApplication::translate("StockHistoryReader", "station %1 in %2 keeps no %3 stock")
                .arg(stationId, schema, fuelType));
    };
    if (QUuid::fromString(stationId).isNull())
        throw noStock();
    const ReadSnapshot snapshot(connection); // the measurement and the movements of one moment
    StockHistory history;
    history.schema = schema;
    history.stationId = stationId;
    history.fuelType = fuelType;
    const HistoryWindow window =
        HistoryWindow::of(connection, options.lastDay, options.days, options.timeZone);
    history.from = window.from;
    history.to = window.to;
    QSqlQuery stock = connection.exec(
        QStringLiteral("SELECT current_stock, minimum_level, capacity, last_updated_at, "
                       "last_updated_at::text, last_updated_at BETWEEN ?::timestamptz - ?::int "
                       "* interval '1 day' AND ?::timestamptz + ?::int * interval '1 day' "
                       "FROM %1.fuel_inventory WHERE station_id = ?::uuid AND fuel_type = ?")
            .arg(s),
        { window.fromText, maxDaysFromMeasurement, window.toText, maxDaysFromMeasurement, stationId,
          fuelType });
    if (!stock.next())
        throw noStock();
    history.current = stock.value(0).toDouble();
    history.minimum = stock.value(1).toDouble();
    history.capacity = stock.value(2).toDouble();
    history.measuredAt = stock.value(3).toDateTime();
    const QString m = stock.value(4).toString(); // exact, unlike a QDateTime
    const bool nearEnough = stock.value(5).toBool();

    // Every day of the window with its end, and whether it ends after the measurement.
    QSqlQuery days = connection.exec(
        QStringLiteral("SELECT g::date, e, e >= ?::timestamptz FROM generate_series(?::date, "
                       "?::date, interval '1 day') AS g CROSS JOIN LATERAL (SELECT "
                       "(g::date + 1)::timestamp AT TIME ZONE ? AS e) AS x ORDER BY 1"),
        { m, window.firstDay, window.lastDay, window.zone });
    QList<bool> endsAfterMeasurement;
    while (days.next()) {
        history.days.append({ days.value(0).toDate(), days.value(1).toDateTime(), 0, 0, {} });
        endsAfterMeasurement.append(days.value(2).toBool());
    }

    // Movements from the earlier of the window's start and the measurement to the later of its
    // end and the measurement, per day (in the zone) and side of the measurement: litres in
    // (deliveries) and out (sales). A movement at the measurement's instant is in it.
    const QString span = nearEnough
        ? QStringLiteral("at >= least(?::timestamptz, ?::timestamptz) "
                         "AND at <= greatest(?::timestamptz, ?::timestamptz)")
        : QStringLiteral("at >= ?::timestamptz AND at < ?::timestamptz");
    const QVariantList spanValues = nearEnough
        ? QVariantList { window.fromText, m, window.toText, m }
        : QVariantList { window.fromText, window.toText };
    QSqlQuery flows = connection.exec(
        QStringLiteral("SELECT (at AT TIME ZONE ?)::date, at > ?::timestamptz, sum(delivered), "
                       "sum(sold) FROM ("
                       "  SELECT delivered_at AS at, volume AS delivered, 0 AS sold "
                       "  FROM %1.fuel_deliveries WHERE station_id = ?::uuid AND fuel_type = ? "
                       "  UNION ALL SELECT s.sold_at, 0, s.volume FROM %1.sales s "
                       "  JOIN %1.nozzles n ON n.id = s.nozzle_id WHERE s.station_id = ?::uuid "
                       "  AND n.fuel_type = ?) AS f WHERE %2 GROUP BY 1, 2")
            .arg(s, span),
        QVariantList { window.zone, m, stationId, fuelType, stationId, fuelType } + spanValues);
    struct Flow
    {
        QDate day;
        bool afterMeasurement;
        double delivered;
        double sold;
    };
    QList<Flow> buckets;
    while (flows.next())
        buckets.append({ flows.value(0).toDate(), flows.value(1).toBool(),
                         flows.value(2).toDouble(), flows.value(3).toDouble() });
    for (StockHistory::Day &day : history.days) {
        for (const Flow &flow : std::as_const(buckets)) {
            if (flow.day == day.day) {
                day.delivered += flow.delivered;
                day.sold += flow.sold;
            }
        }
    }
    const QLocale locale;
    if (nearEnough) {
        for (qsizetype d = 0; d < history.days.size(); ++d) {
            StockHistory::Day &day = history.days[d];
            // Stock at the day's end: the measurement, plus what came in and went out between
            // the measurement and the day's end (backwards when the day ended before it).
            double stockAt = history.current;
            for (const Flow &flow : std::as_const(buckets)) {
                const double net = flow.delivered - flow.sold;
                const bool withinDay = flow.day <= day.day; // the bucket is before the day's end
                if (endsAfterMeasurement.at(d)) {
                    if (flow.afterMeasurement && withinDay)
                        stockAt += net;
                } else {
                    if (!flow.afterMeasurement && !withinDay)
                        stockAt -= net;
                }
            }
            day.bookStock = stockAt;
            if (stockAt < -0.5)
                history.findings.append(
                    { day.day,
                      QCoreApplication::translate("StockHistoryReader",
                                                  "%1: the book stock is %2 L: more was sold "
                                                  "than there was.")
                          .arg(locale.toString(day.day, QStringLiteral("yyyy-MM-dd")),
                               locale.toString(stockAt, 'f', 0)) });
            else if (stockAt > history.capacity + 0.5)
                history.findings.append(
                    { day.day,
                      QCoreApplication::translate("StockHistoryReader",
                                                  "%1: the book stock is %2 L, more than the "
                                                  "tanks hold (%3 L).")
                          .arg(locale.toString(day.day, QStringLiteral("yyyy-MM-dd")),
                               locale.toString(stockAt, 'f', 0),
                               locale.toString(history.capacity, 'f', 0)) });
        }
    }

    QSqlQuery deliveries = connection.exec(
        QStringLiteral("SELECT delivered_at, volume, supplier, coalesce(invoice_number, '') "
                       "FROM %1.fuel_deliveries WHERE station_id = ?::uuid AND fuel_type = ? "
                       "AND delivered_at >= ?::timestamptz AND delivered_at < ?::timestamptz "
                       "ORDER BY delivered_at")
            .arg(s),
        { stationId, fuelType, window.fromText, window.toText });
    while (deliveries.next())
        history.deliveries.append({ deliveries.value(0).toDateTime(),
                                    deliveries.value(1).toDouble(), deliveries.value(2).toString(),
                                    deliveries.value(3).toString() });
    return history;
}

} // namespace fuelsync
