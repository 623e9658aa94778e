#include "NozzleHistoryReader.h"

#include "HistoryWindow.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/ReadSnapshot.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

namespace fuelsync {

namespace {

QString when(const QLocale &locale, const QDateTime &at)
{
    return locale.toString(at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

NozzleHistory NozzleHistoryReader::read(DbConnection &connection, const QString &schema,
                                        const QString &nozzleId)
{
    return read(connection, schema, nozzleId, Options());
}

NozzleHistory NozzleHistoryReader::read(DbConnection &connection, const QString &schema,
                                        const QString &nozzleId, const Options &options)
{
    const auto cancels = connection.cancelWith(options.control);
    const QString s = SqlIdentifier::quote(schema);
    if (!connection.relationExists(schema, QStringLiteral("nozzle_readings")))
        throw RequestError(QCoreApplication::translate("NozzleHistoryReader",
                                                       "%1 is not a tenant schema (it has no "
                                                       "nozzle_readings table)")
                               .arg(schema));
    const auto noNozzle = [&] {
        return RequestError(
            QCoreApplication::translate("NozzleHistoryReader", "there is no nozzle %1 in %2")
                .arg(nozzleId, schema));
    };
    if (QUuid::fromString(nozzleId).isNull())
        throw noNozzle();
    const ReadSnapshot snapshot(connection); // readings, sales and prices of one moment
    NozzleHistory history;
    history.schema = schema;
    history.nozzleId = nozzleId;
    QSqlQuery nozzle = connection.exec(
        QStringLiteral("SELECT n.station_id::text, p.label, n.nozzle_number, n.fuel_type "
                       "FROM %1.nozzles n JOIN %1.pumps p ON p.id = n.pump_id "
                       "WHERE n.id = ?::uuid")
            .arg(s),
        { nozzleId });
    if (!nozzle.next())
        throw noNozzle();
    history.stationId = nozzle.value(0).toString();
    history.pumpLabel = nozzle.value(1).toString();
    history.number = nozzle.value(2).toInt();
    history.fuelType = nozzle.value(3).toString();
    const HistoryWindow window =
        HistoryWindow::of(connection, options.lastDay, options.days, options.timeZone);
    history.from = window.from;
    history.to = window.to;

    // The newest maxReadings readings of the window, and the one before the oldest kept: one
    // more row of the window when there were more, else the latest before the window.
    const int keep = std::max(1, options.maxReadings);
    QSqlQuery readings = connection.exec(
        QStringLiteral("SELECT id::text, reading, recorded_at FROM %1.nozzle_readings "
                       "WHERE nozzle_id = ?::uuid AND recorded_at >= ?::timestamptz "
                       "AND recorded_at < ?::timestamptz ORDER BY recorded_at DESC LIMIT ?")
            .arg(s),
        { nozzleId, window.fromText, window.toText, keep + 1 });
    while (readings.next()) {
        const NozzleHistory::Reading reading { readings.value(0).toString(),
                                               readings.value(1).toDouble(),
                                               readings.value(2).toDateTime(), false };
        if (history.readings.size() == keep) {
            history.truncated = true;
            history.before = reading;
            break;
        }
        history.readings.append(reading);
    }
    std::reverse(history.readings.begin(), history.readings.end());
    if (!history.truncated) {
        QSqlQuery before = connection.exec(
            QStringLiteral("SELECT id::text, reading, recorded_at FROM %1.nozzle_readings "
                           "WHERE nozzle_id = ?::uuid AND recorded_at < ?::timestamptz "
                           "ORDER BY recorded_at DESC LIMIT 1")
                .arg(s),
            { nozzleId, window.fromText });
        if (before.next())
            history.before =
                NozzleHistory::Reading { before.value(0).toString(), before.value(1).toDouble(),
                                         before.value(2).toDateTime(), false };
    }
    // When readings were left out, the history starts at the oldest kept one: its time is taken
    // from the row itself, never through a QDateTime (which keeps milliseconds only).
    QString startSql = QStringLiteral("?::timestamptz");
    QVariant start = window.fromText;
    if (history.truncated) {
        startSql = QStringLiteral("(SELECT recorded_at FROM %1.nozzle_readings WHERE id = ?::uuid)")
                       .arg(s);
        start = history.readings.first().id;
        history.from = history.readings.first().at;
    }

    // The sales of the kept span; a sale's reading is looked up by its key.
    QSqlQuery sales = connection.exec(
        QStringLiteral("SELECT s.sold_at, s.volume, s.price_per_litre, s.amount, "
                       "s.payment_method, s.reading_id::text, r.id IS NULL "
                       "FROM %1.sales s LEFT JOIN %1.nozzle_readings r ON r.id = s.reading_id "
                       "WHERE s.nozzle_id = ?::uuid AND s.sold_at >= %2 "
                       "AND s.sold_at < ?::timestamptz ORDER BY s.sold_at, s.id")
            .arg(s, startSql),
        { nozzleId, start, window.toText });
    while (sales.next()) {
        NozzleHistory::Sale sale;
        sale.at = sales.value(0).toDateTime();
        sale.volume = sales.value(1).toDouble();
        sale.pricePerLitre = sales.value(2).toDouble();
        sale.amount = sales.value(3).toDouble();
        sale.paymentMethod = sales.value(4).toString();
        sale.readingId = sales.value(5).toString();
        sale.withoutReading = sales.value(6).toBool();
        history.sales.append(sale);
    }

    // The price in force at the start, then each change up to the end.
    QSqlQuery prices = connection.exec(
        QStringLiteral("(SELECT valid_from, price_per_litre FROM %1.fuel_prices "
                       "WHERE station_id = ?::uuid AND fuel_type = ? "
                       "AND valid_from <= %2 ORDER BY valid_from DESC LIMIT 1) "
                       "UNION ALL (SELECT valid_from, price_per_litre FROM %1.fuel_prices "
                       "WHERE station_id = ?::uuid AND fuel_type = ? "
                       "AND valid_from > %2 AND valid_from < ?::timestamptz "
                       "ORDER BY valid_from) ORDER BY 1")
            .arg(s, startSql),
        { history.stationId, history.fuelType, start, history.stationId, history.fuelType, start,
          window.toText });
    while (prices.next())
        history.prices.append({ prices.value(0).toDateTime(), prices.value(1).toDouble() });

    // What does not add up.
    const QLocale locale;
    QHash<QString, double> movedAt; // reading id -> the meter's movement since the one before
    const NozzleHistory::Reading *previous = history.before ? &*history.before : nullptr;
    for (NozzleHistory::Reading &reading : history.readings) {
        if (previous) {
            movedAt.insert(reading.id, reading.value - previous->value);
            if (reading.value < previous->value) {
                reading.wentDown = true;
                history.findings.append(
                    { reading.at,
                      QCoreApplication::translate("NozzleHistoryReader",
                                                  "%1: the meter reads %2 L, lower than the "
                                                  "reading before it (%3 L).")
                          .arg(when(locale, reading.at), locale.toString(reading.value, 'f', 3),
                               locale.toString(previous->value, 'f', 3)) });
            }
        }
        previous = &reading;
    }
    for (NozzleHistory::Sale &sale : history.sales) {
        sale.priceInForce = history.priceAt(sale.at);
        const auto moved = movedAt.constFind(sale.readingId);
        if (moved != movedAt.cend())
            sale.meterMoved = *moved;
        if (sale.withoutReading)
            history.findings.append(
                { sale.at,
                  QCoreApplication::translate("NozzleHistoryReader",
                                              "%1: a sale of %2 L has no reading.")
                      .arg(when(locale, sale.at), locale.toString(sale.volume, 'f', 3)) });
        if (sale.priceDiffers())
            history.findings.append(
                { sale.at,
                  QCoreApplication::translate("NozzleHistoryReader",
                                              "%1: sold at ₹%2/L while the price in force was "
                                              "₹%3/L.")
                      .arg(when(locale, sale.at), locale.toString(sale.pricePerLitre, 'f', 3),
                           locale.toString(*sale.priceInForce, 'f', 3)) });
        else if (!sale.priceInForce)
            history.findings.append(
                { sale.at,
                  QCoreApplication::translate("NozzleHistoryReader",
                                              "%1: sold while no %2 price was set.")
                      .arg(when(locale, sale.at), history.fuelType) });
        if (sale.volumeDiffers())
            history.findings.append(
                { sale.at,
                  QCoreApplication::translate("NozzleHistoryReader",
                                              "%1: the sale says %2 L but the meter moved %3 L.")
                      .arg(when(locale, sale.at), locale.toString(sale.volume, 'f', 3),
                           locale.toString(*sale.meterMoved, 'f', 3)) });
    }
    std::stable_sort(history.findings.begin(), history.findings.end(),
                     [](const NozzleHistory::Finding &a, const NozzleHistory::Finding &b) {
                         return a.at < b.at;
                     });
    return history;
}

} // namespace fuelsync
