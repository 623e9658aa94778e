#include "StationGraphReader.h"

#include "HistoryWindow.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/ReadSnapshot.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QSet>
#include <QSqlQuery>
#include <QUuid>

namespace fuelsync {

StationGraph StationGraphReader::read(DbConnection &connection, const QString &schema,
                                      const QString &stationId)
{
    return read(connection, schema, stationId, Options());
}

StationGraph StationGraphReader::read(DbConnection &connection, const QString &schema,
                                      const QString &stationId, const Options &options)
{
    const auto cancels = connection.cancelWith(options.control);
    requireTenantSchema(connection, schema);
    const QString s = SqlIdentifier::quote(schema);
    // Compared as a uuid (so the indexes serve); anything else is no station.
    if (QUuid::fromString(stationId).isNull())
        throw RequestError(
            QCoreApplication::translate("StationGraphReader", "there is no station %1 in %2")
                .arg(stationId, schema));
    const ReadSnapshot snapshot(connection); // every part as of one moment
    StationGraph graph;
    graph.schema = schema;
    graph.stationId = stationId;
    const HistoryWindow day = HistoryWindow::of(connection, options.day, 1, options.timeZone);
    graph.day = day.lastDay;
    graph.timeZone = day.zone;

    QSqlQuery station = connection.exec(
        QStringLiteral("SELECT name, city, status, to_regclass(?) IS NOT NULL, "
                       "to_regclass(?) IS NOT NULL, to_regclass(?) IS NOT NULL, "
                       "to_regclass(?) IS NOT NULL FROM %1.stations WHERE id = ?::uuid")
            .arg(s),
        { QString(s + QStringLiteral(".creditors")), QString(s + QStringLiteral(".fuel_inventory")),
          QString(s + QStringLiteral(".alerts")),
          QString(s + QStringLiteral(".fuel_price_periods")), stationId });
    if (!station.next())
        throw RequestError(
            QCoreApplication::translate("StationGraphReader", "there is no station %1 in %2")
                .arg(stationId, schema));
    graph.name = station.value(0).toString();
    graph.city = station.value(1).toString();
    graph.status = station.value(2).toString();
    graph.hasCredit = station.value(3).toBool();
    graph.hasInventory = station.value(4).toBool();
    graph.hasAlerts = station.value(5).toBool();
    const bool hasPrices = station.value(6).toBool();

    // Pumps and their nozzles; a nozzle added after the day is not counted as silent on it.
    QSqlQuery pumps = connection.exec(
        QStringLiteral("SELECT p.id::text, p.label, p.status, n.id::text, n.nozzle_number, "
                       "n.fuel_type, n.status, n.created_at < ?::timestamptz FROM %1.pumps p "
                       "LEFT JOIN %1.nozzles n ON n.pump_id = p.id "
                       "WHERE p.station_id = ?::uuid ORDER BY p.label, p.id, n.nozzle_number")
            .arg(s),
        { day.toText, stationId });
    QHash<QString, QPair<int, int>> where; // nozzle id -> pump index, nozzle index
    QSet<QString> installedByDayEnd;
    while (pumps.next()) {
        const QString pumpId = pumps.value(0).toString();
        if (graph.pumps.isEmpty() || graph.pumps.last().id != pumpId) {
            StationGraph::Pump pump;
            pump.id = pumpId;
            pump.label = pumps.value(1).toString();
            pump.status = pumps.value(2).toString();
            graph.pumps.append(pump);
        }
        if (pumps.value(3).isNull())
            continue;
        StationGraph::Nozzle nozzle;
        nozzle.id = pumps.value(3).toString();
        nozzle.number = pumps.value(4).toInt();
        nozzle.fuelType = pumps.value(5).toString();
        nozzle.status = pumps.value(6).toString();
        if (pumps.value(7).toBool())
            installedByDayEnd.insert(nozzle.id);
        graph.pumps.last().nozzles.append(nozzle);
        where.insert(nozzle.id,
                     { int(graph.pumps.size()) - 1, int(graph.pumps.last().nozzles.size()) - 1 });
    }
    auto nozzleAt = [&](const QString &id) -> StationGraph::Nozzle * {
        const auto it = where.constFind(id);
        return it == where.cend() ? nullptr : &graph.pumps[it->first].nozzles[it->second];
    };

    // Each nozzle's latest reading up to the end of the day: one index probe per nozzle.
    QSqlQuery latest = connection.exec(
        QStringLiteral("SELECT n.id::text, r.reading, r.recorded_at FROM %1.nozzles n "
                       "CROSS JOIN LATERAL (SELECT reading, recorded_at FROM %1.nozzle_readings x "
                       "  WHERE x.nozzle_id = n.id AND x.recorded_at < ?::timestamptz "
                       "  ORDER BY x.recorded_at DESC LIMIT 1) r "
                       "WHERE n.station_id = ?::uuid")
            .arg(s),
        { day.toText, stationId });
    while (latest.next()) {
        if (StationGraph::Nozzle *n = nozzleAt(latest.value(0).toString()))
            n->latest =
                StationGraph::Reading { latest.value(1).toDouble(), latest.value(2).toDateTime() };
    }

    // The day's sales per nozzle, with those charged another price than the one in force for the
    // nozzle's fuel (fuel_price_periods, filtered to the station) and those made while no price
    // was set; one example of each, from one sale.
    const QString priceJoin = hasPrices
        ? QStringLiteral("LEFT JOIN %1.fuel_price_periods p ON p.station_id = s.station_id "
                         "AND p.fuel_type = n.fuel_type AND s.sold_at >= p.valid_from "
                         "AND (p.valid_to IS NULL OR s.sold_at < p.valid_to) ")
              .arg(s)
        : QStringLiteral("LEFT JOIN (SELECT NULL::numeric AS price_per_litre) p ON false ");
    QSqlQuery sales = connection.exec(
        QStringLiteral(
            "SELECT s.nozzle_id::text, count(*), coalesce(sum(s.volume), 0), "
            "coalesce(sum(s.amount), 0), "
            "count(*) FILTER (WHERE p.price_per_litre <> s.price_per_litre), "
            "(array_agg(s.price_per_litre || '/' || p.price_per_litre ORDER BY s.sold_at) "
            "  FILTER (WHERE p.price_per_litre <> s.price_per_litre))[1], "
            "count(*) FILTER (WHERE p.price_per_litre IS NULL) "
            "FROM %1.sales s JOIN %1.nozzles n ON n.id = s.nozzle_id %2"
            "WHERE s.station_id = ?::uuid AND s.sold_at >= ?::timestamptz "
            "AND s.sold_at < ?::timestamptz GROUP BY 1")
            .arg(s, priceJoin),
        { stationId, day.fromText, day.toText });
    const QLocale locale;
    while (sales.next()) {
        StationGraph::Nozzle *n = nozzleAt(sales.value(0).toString());
        if (!n)
            continue;
        n->sales = sales.value(1).toInt();
        n->volume = sales.value(2).toDouble();
        n->amount = sales.value(3).toDouble();
        StationGraph::Problem p;
        p.kind = StationGraph::Problem::Kind::SoldOffPrice;
        p.subjectId = n->id;
        if (const int off = sales.value(4).toInt(); off > 0) {
            const QStringList pair = sales.value(5).toString().split(u'/'); // charged/in force
            p.text = QCoreApplication::translate("StationGraphReader",
                                                 "%n sale(s) of the day charged another price "
                                                 "than the one in force (e.g. ₹%1/L instead of "
                                                 "₹%2/L).",
                                                 nullptr, off)
                         .arg(locale.toString(pair.value(0).toDouble(), 'f', 3),
                              locale.toString(pair.value(1).toDouble(), 'f', 3));
            graph.problems.append(p);
        }
        if (const int unpriced = sales.value(6).toInt(); unpriced > 0) {
            p.text = QCoreApplication::translate("StationGraphReader",
                                                 "%n sale(s) of the day made while no %1 price "
                                                 "was set.",
                                                 nullptr, unpriced)
                         .arg(n->fuelType);
            graph.problems.append(p);
        }
    }

    // Readings that went down: the day's readings, each with the one before it (for the first,
    // the latest before the day): a bounded read whatever the table's size.
    QSqlQuery down = connection.exec(
        QStringLiteral(
            "SELECT nozzle_id::text, recorded_at, reading, previous FROM ("
            "  SELECT r.nozzle_id, r.recorded_at, r.reading, lag(r.reading) OVER "
            "    (PARTITION BY r.nozzle_id ORDER BY r.recorded_at) AS previous FROM ("
            "    SELECT x.nozzle_id, x.recorded_at, x.reading FROM %1.nozzle_readings x "
            "    JOIN %1.nozzles n ON n.id = x.nozzle_id WHERE n.station_id = ?::uuid "
            "    AND x.recorded_at >= ?::timestamptz AND x.recorded_at < ?::timestamptz "
            "    UNION ALL "
            "    SELECT b.nozzle_id, b.recorded_at, b.reading FROM %1.nozzles n "
            "    CROSS JOIN LATERAL (SELECT nozzle_id, recorded_at, reading "
            "      FROM %1.nozzle_readings y WHERE y.nozzle_id = n.id "
            "      AND y.recorded_at < ?::timestamptz "
            "      ORDER BY y.recorded_at DESC LIMIT 1) b WHERE n.station_id = ?::uuid) r) z "
            "WHERE reading < previous ORDER BY recorded_at")
            .arg(s),
        { stationId, day.fromText, day.toText, day.fromText, stationId });
    while (down.next()) {
        StationGraph::Problem p;
        p.kind = StationGraph::Problem::Kind::ReadingWentDown;
        p.subjectId = down.value(0).toString();
        p.at = down.value(1).toDateTime();
        p.text = QCoreApplication::translate(
                     "StationGraphReader",
                     "The reading of %1 is %2 L, lower than the one before it (%3 L).")
                     .arg(locale.toString(p.at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm")),
                          locale.toString(down.value(2).toDouble(), 'f', 3),
                          locale.toString(down.value(3).toDouble(), 'f', 3));
        graph.problems.append(p);
    }
    // Sales of the day whose reading is not there. A validated foreign key from sales to the
    // readings already guarantees there are none; only without one are the sales looked at.
    const bool keyHolds =
        connection
            .scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_constraint WHERE contype = 'f' "
                                   "AND convalidated AND conrelid = ?::regclass "
                                   "AND confrelid = ?::regclass)"),
                    { QString(s + QStringLiteral(".sales")),
                      QString(s + QStringLiteral(".nozzle_readings")) })
            .toBool();
    QSqlQuery orphans = connection.exec(
        QStringLiteral("SELECT s.nozzle_id::text, s.sold_at, s.volume FROM %1.sales s "
                       "WHERE NOT ? AND s.station_id = ?::uuid AND s.sold_at >= ?::timestamptz "
                       "AND s.sold_at < ?::timestamptz AND NOT EXISTS "
                       "(SELECT FROM %1.nozzle_readings r WHERE r.id = s.reading_id) "
                       "ORDER BY s.sold_at")
            .arg(s),
        { keyHolds, stationId, day.fromText, day.toText });
    while (orphans.next()) {
        StationGraph::Problem p;
        p.kind = StationGraph::Problem::Kind::SaleWithoutReading;
        p.subjectId = orphans.value(0).toString();
        p.at = orphans.value(1).toDateTime();
        p.text = QCoreApplication::translate("StationGraphReader",
                                             "A sale of %1 L at %2 has no reading.")
                     .arg(locale.toString(orphans.value(2).toDouble(), 'f', 3),
                          locale.toString(p.at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm")));
        graph.problems.append(p);
    }
    // Nozzles in service that were silent for days, as of the day's end (or now, for today). A
    // nozzle is in service when it, its pump and its station are active and it existed then.
    const QDateTime dayEnd =
        std::min(day.to, connection.scalar(QStringLiteral("SELECT now()")).toDateTime());
    if (graph.status == u"active") {
        for (const StationGraph::Pump &pump : std::as_const(graph.pumps)) {
            if (pump.status != u"active")
                continue;
            for (const StationGraph::Nozzle &n : pump.nozzles) {
                if (n.status != u"active" || !installedByDayEnd.contains(n.id))
                    continue;
                if (n.latest && n.latest->at.secsTo(dayEnd) <= qint64(options.silentDays) * 86400)
                    continue;
                StationGraph::Problem p;
                p.kind = StationGraph::Problem::Kind::SilentNozzle;
                p.subjectId = n.id;
                p.at = n.latest ? n.latest->at : QDateTime();
                p.text = n.latest
                    ? QCoreApplication::translate("StationGraphReader",
                                                  "No reading for %n day(s) (the latest: %1).",
                                                  nullptr, int(n.latest->at.daysTo(dayEnd)))
                          .arg(locale.toString(n.latest->at.toLocalTime(),
                                               QStringLiteral("yyyy-MM-dd HH:mm")))
                    : QCoreApplication::translate("StationGraphReader", "Never read.");
                graph.problems.append(p);
            }
        }
    }
    readCreditors(connection, graph);
    readInventory(connection, graph);
    readAlerts(connection, graph);
    return graph;
}

void StationGraphReader::readCreditors(DbConnection &connection, StationGraph &graph)
{
    if (!graph.hasCredit)
        return;
    const QString s = SqlIdentifier::quote(graph.schema);
    // The last payment by the (creditor_id, paid_at) index.
    QSqlQuery creditors = connection.exec(
        QStringLiteral("SELECT c.id::text, c.name, c.is_active, c.credit_limit, "
                       "c.outstanding_balance, (SELECT max(p.paid_at) FROM %1.credit_payments p "
                       "WHERE p.creditor_id = c.id) FROM %1.creditors c "
                       "WHERE c.station_id = ?::uuid ORDER BY c.name, c.id")
            .arg(s),
        { graph.stationId });
    const QLocale locale;
    while (creditors.next()) {
        StationGraph::Creditor creditor;
        creditor.id = creditors.value(0).toString();
        creditor.name = creditors.value(1).toString();
        creditor.active = creditors.value(2).toBool();
        creditor.creditLimit = creditors.value(3).toDouble();
        creditor.outstanding = creditors.value(4).toDouble();
        creditor.lastPaymentAt = creditors.value(5).toDateTime();
        graph.creditors.append(creditor);
        if (creditor.outstanding > creditor.creditLimit) {
            StationGraph::Problem p;
            p.kind = StationGraph::Problem::Kind::OverCreditLimit;
            p.subjectId = creditor.id;
            p.text = QCoreApplication::translate("StationGraphReader",
                                                 "%1 owes ₹%2, over the credit limit of ₹%3.")
                         .arg(creditor.name, locale.toString(creditor.outstanding, 'f', 2),
                              locale.toString(creditor.creditLimit, 'f', 2));
            graph.problems.append(p);
        }
    }
}

void StationGraphReader::readInventory(DbConnection &connection, StationGraph &graph)
{
    if (!graph.hasInventory)
        return;
    QSqlQuery stock = connection.exec(
        QStringLiteral("SELECT fuel_type, current_stock, minimum_level, capacity, last_updated_at "
                       "FROM %1.fuel_inventory WHERE station_id = ?::uuid ORDER BY fuel_type")
            .arg(SqlIdentifier::quote(graph.schema)),
        { graph.stationId });
    const QLocale locale;
    while (stock.next()) {
        StationGraph::Stock fuel;
        fuel.fuelType = stock.value(0).toString();
        fuel.current = stock.value(1).toDouble();
        fuel.minimum = stock.value(2).toDouble();
        fuel.capacity = stock.value(3).toDouble();
        fuel.measuredAt = stock.value(4).toDateTime();
        graph.inventory.append(fuel);
        if (fuel.current < fuel.minimum) {
            StationGraph::Problem p;
            p.kind = StationGraph::Problem::Kind::StockBelowMinimum;
            p.subjectId = fuel.fuelType;
            p.at = fuel.measuredAt;
            p.text = QCoreApplication::translate("StationGraphReader",
                                                 "%1 stock is %2 L, under its reorder level of "
                                                 "%3 L.")
                         .arg(fuel.fuelType, locale.toString(fuel.current, 'f', 0),
                              locale.toString(fuel.minimum, 'f', 0));
            graph.problems.append(p);
        }
    }
}

void StationGraphReader::readAlerts(DbConnection &connection, StationGraph &graph)
{
    if (!graph.hasAlerts)
        return;
    const QString s = SqlIdentifier::quote(graph.schema);
    // Both halves run on the (station_id, created_at) indexes, the open one on the partial one.
    QSqlQuery alerts = connection.exec(
        QStringLiteral("SELECT * FROM ((SELECT id::text, alert_type, severity, message, "
                       "is_read, created_at, resolved_at FROM %1.alerts WHERE station_id = "
                       "?::uuid AND resolved_at IS NULL ORDER BY created_at DESC LIMIT ?) "
                       "UNION ALL (SELECT id::text, alert_type, severity, message, is_read, "
                       "created_at, resolved_at FROM %1.alerts WHERE station_id = ?::uuid "
                       "AND resolved_at IS NOT NULL ORDER BY created_at DESC LIMIT ?)) AS a "
                       "ORDER BY resolved_at IS NOT NULL, created_at DESC")
            .arg(s),
        { graph.stationId, maxOpenAlerts, graph.stationId, maxResolvedAlerts });
    while (alerts.next()) {
        StationGraph::Alert alert;
        alert.id = alerts.value(0).toString();
        alert.type = alerts.value(1).toString();
        alert.severity = alerts.value(2).toString();
        alert.message = alerts.value(3).toString();
        alert.read = alerts.value(4).toBool();
        alert.createdAt = alerts.value(5).toDateTime();
        alert.resolvedAt = alerts.value(6).toDateTime();
        graph.alerts.append(alert);
    }
    graph.openAlerts = connection
                           .scalar(QStringLiteral("SELECT count(*) FROM %1.alerts WHERE "
                                                  "station_id = ?::uuid AND resolved_at IS NULL")
                                       .arg(s),
                                   { graph.stationId })
                           .toInt();
}

QList<StationSummary> StationGraphReader::stations(DbConnection &connection, const QString &schema)
{
    requireTenantSchema(connection, schema);
    QSqlQuery rows =
        connection.exec(QStringLiteral("SELECT id::text, name, coalesce(city, ''), status "
                                       "FROM %1.stations ORDER BY name, id")
                            .arg(SqlIdentifier::quote(schema)));
    QList<StationSummary> found;
    while (rows.next())
        found.append({ rows.value(0).toString(), rows.value(1).toString(), rows.value(2).toString(),
                       rows.value(3).toString() });
    return found;
}

QString StationGraphReader::resolveStation(DbConnection &connection, const QString &schema,
                                           const QString &idOrName)
{
    requireTenantSchema(connection, schema);
    const QString s = SqlIdentifier::quote(schema);
    const QUuid uuid = QUuid::fromString(idOrName);
    const QVariant id = !uuid.isNull()
        ? connection.scalar(
            QStringLiteral("SELECT id::text FROM %1.stations WHERE id = ?::uuid").arg(s),
            { idOrName })
        : connection.scalar(
            QStringLiteral("SELECT id::text FROM %1.stations WHERE name = ?").arg(s), { idOrName });
    if (!id.isValid() || id.isNull())
        throw RequestError(
            QCoreApplication::translate("StationGraphReader", "there is no station %1 in %2")
                .arg(idOrName, schema));
    return id.toString();
}

void StationGraphReader::requireTenantSchema(DbConnection &connection, const QString &schema)
{
    if (!connection.relationExists(schema, QStringLiteral("stations")))
        throw RequestError(QCoreApplication::translate("StationGraphReader",
                                                       "%1 is not a tenant schema (it has "
                                                       "no stations table)")
                               .arg(schema));
}

} // namespace fuelsync
