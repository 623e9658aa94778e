// The drill-downs of a station's graph against the basic seed on a real server: a nozzle's
// readings, sales and prices in force; a creditor's sales and payments with the balance worked
// back; a fuel's deliveries, sales and book stock. Each agrees with plain SQL over the same rows,
// what does not add up is found, and bad requests are refused without changing anything.

#include "TableRestorer.h"
#include "TestDatabase.h"
#include "common/RequestError.h"
#include "db/SqlIdentifier.h"
#include "station/CreditorHistoryReader.h"
#include "station/NozzleHistoryReader.h"
#include "station/StockHistoryReader.h"

#include <QSqlQuery>
#include <QtTest>

#include <functional>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

bool hasFinding(const QList<NozzleHistory::Finding> &findings, const QString &part)
{
    for (const NozzleHistory::Finding &f : findings) {
        if (f.text.contains(part))
            return true;
    }
    return false;
}

} // namespace

class TestStationHistory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("station_history"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(
            m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_stationhistory")),
            qPrintable(m_db->errorString()));
        auto c = m_db->connect();
        m_schema = c->scalar(QStringLiteral("SELECT schema_name FROM public.tenants ORDER BY 1 "
                                            "LIMIT 1"))
                       .toString();
        m_s = SqlIdentifier::quote(m_schema);
        // A window holding all of the seed: its last day is the day after the newest row.
        m_lastDay = c->scalar(QStringLiteral("SELECT max(recorded_at)::date + 1 FROM "
                                             "%1.nozzle_readings")
                                  .arg(m_s))
                        .toDate();
        // A petrol nozzle with sales: petrol's price changes in the seed.
        m_nozzle = c->scalar(QStringLiteral("SELECT s.nozzle_id::text FROM %1.sales s JOIN "
                                            "%1.nozzles n ON n.id = s.nozzle_id WHERE "
                                            "n.fuel_type = 'petrol' GROUP BY 1 ORDER BY "
                                            "count(*) DESC, 1 LIMIT 1")
                                 .arg(m_s))
                       .toString();
        QVERIFY(!m_nozzle.isEmpty());
    }

    void aNozzleAgreesWithTheRows()
    {
        auto c = m_db->connect();
        NozzleHistoryReader::Options options;
        options.lastDay = m_lastDay;
        options.days = 20;
        const NozzleHistory h = NozzleHistoryReader::read(*c, m_schema, m_nozzle, options);
        QCOMPARE(h.fuelType, QStringLiteral("petrol"));
        QVERIFY(!h.pumpLabel.isEmpty());
        QVERIFY(!h.truncated);
        QVERIFY(!h.before);
        QSqlQuery readings = c->exec(QStringLiteral("SELECT reading, recorded_at FROM "
                                                    "%1.nozzle_readings WHERE nozzle_id = ? "
                                                    "ORDER BY recorded_at")
                                         .arg(m_s),
                                     { m_nozzle });
        qsizetype i = 0;
        while (readings.next()) {
            QVERIFY(i < h.readings.size());
            QCOMPARE(h.readings.at(i).value, readings.value(0).toDouble());
            QCOMPARE(h.readings.at(i).at, readings.value(1).toDateTime());
            QVERIFY(!h.readings.at(i).wentDown);
            ++i;
        }
        QCOMPARE(h.readings.size(), i);
        QVERIFY(i > 3);
        QCOMPARE(
            h.sales.size(),
            c->scalar(QStringLiteral("SELECT count(*) FROM %1.sales WHERE nozzle_id = ?").arg(m_s),
                      { m_nozzle })
                .toInt());
        // Every price the station had for petrol, the revision included.
        QSqlQuery prices = c->exec(QStringLiteral("SELECT valid_from, price_per_litre FROM "
                                                  "%1.fuel_prices WHERE station_id = ? AND "
                                                  "fuel_type = 'petrol' ORDER BY valid_from")
                                       .arg(m_s),
                                   { h.stationId });
        i = 0;
        while (prices.next()) {
            QVERIFY(i < h.prices.size());
            QCOMPARE(h.prices.at(i).validFrom, prices.value(0).toDateTime());
            QCOMPARE(h.prices.at(i).pricePerLitre, prices.value(1).toDouble());
            ++i;
        }
        QCOMPARE(h.prices.size(), i);
        QVERIFY(i >= 2);
        // The seed sells at the price in force, the meter's movement each time.
        for (const NozzleHistory::Sale &sale : h.sales) {
            QVERIFY(sale.priceInForce);
            QCOMPARE(*sale.priceInForce, sale.pricePerLitre);
            QVERIFY(sale.meterMoved);
            QVERIFY(qAbs(*sale.meterMoved - sale.volume) < 0.0005);
            QVERIFY(!sale.withoutReading);
        }
        for (const NozzleHistory::Finding &f : h.findings)
            QFAIL(qPrintable(f.text));
    }

    void theNewestReadingsAreKept()
    {
        auto c = m_db->connect();
        NozzleHistoryReader::Options options;
        options.lastDay = m_lastDay;
        options.days = 20;
        options.maxReadings = 3;
        const NozzleHistory h = NozzleHistoryReader::read(*c, m_schema, m_nozzle, options);
        QVERIFY(h.truncated);
        QCOMPARE(h.readings.size(), 3);
        QVERIFY(h.before);
        QCOMPARE(h.readings.last().at,
                 c->scalar(QStringLiteral("SELECT max(recorded_at) FROM %1.nozzle_readings "
                                          "WHERE nozzle_id = ?")
                               .arg(m_s),
                           { m_nozzle })
                     .toDateTime());
        QVERIFY(h.before->at < h.readings.first().at);
        for (const NozzleHistory::Sale &sale : h.sales)
            QVERIFY(sale.at >= h.readings.first().at);
        QCOMPARE(h.sales.size(), 3); // each kept reading closed a sale
        QVERIFY(h.priceAt(h.readings.first().at));
    }

    void aCreditorsBalanceIsWorkedBack()
    {
        auto c = m_db->connect();
        QSqlQuery creditors = c->exec(QStringLiteral("SELECT id::text, outstanding_balance FROM "
                                                     "%1.creditors ORDER BY name")
                                          .arg(m_s));
        QList<std::pair<QString, double>> all; // read first: one result set at a time
        while (creditors.next())
            all.append({ creditors.value(0).toString(), creditors.value(1).toDouble() });
        int checked = 0;
        for (const auto &[id, outstanding] : all) {
            CreditorHistoryReader::Options options;
            options.lastDay = m_lastDay;
            options.days = 60;
            const CreditorHistory h = CreditorHistoryReader::read(*c, m_schema, id, options);
            QCOMPARE(h.outstanding, outstanding);
            // The seed opens every account at nothing owed.
            QVERIFY2(qAbs(h.balanceAtStart) < 0.005, qPrintable(QString::number(h.balanceAtStart)));
            QVERIFY(!h.events.isEmpty());
            QVERIFY(qAbs(h.events.last().balanceAfter - h.outstanding) < 0.005);
            double sold = 0;
            int payments = 0;
            for (const CreditorHistory::Event &e : h.events) {
                sold += e.kind == CreditorHistory::Event::Kind::Sale ? e.amount : 0;
                payments += e.kind == CreditorHistory::Event::Kind::Payment ? 1 : 0;
                QVERIFY(!e.overLimit);
            }
            QVERIFY(qAbs(sold
                         - c->scalar(QStringLiteral("SELECT coalesce(sum(amount), 0) FROM "
                                                    "%1.sales WHERE creditor_id = ?")
                                         .arg(m_s),
                                     { id })
                               .toDouble())
                    < 0.005);
            QCOMPARE(payments,
                     c->scalar(QStringLiteral("SELECT count(*) FROM %1.credit_payments WHERE "
                                              "creditor_id = ?")
                                   .arg(m_s),
                               { id })
                         .toInt());
            QVERIFY(qAbs(h.balanceAtStart + h.sold() - h.paid() - h.outstanding) < 0.005);
            // Each balance against a running sum in SQL (the seed opens accounts at nothing):
            // sales before payments at the same instant, as the reader orders them.
            QSqlQuery running = c->exec(
                QStringLiteral("SELECT sum(delta) OVER (ORDER BY at, kind ROWS UNBOUNDED "
                               "PRECEDING) FROM (SELECT sold_at AS at, amount AS delta, 0 AS kind "
                               "FROM %1.sales WHERE creditor_id = ? UNION ALL SELECT paid_at, "
                               "-amount, 1 FROM %1.credit_payments WHERE creditor_id = ?) AS e "
                               "ORDER BY at, kind")
                    .arg(m_s),
                { id, id });
            qsizetype e = 0;
            while (running.next()) {
                QVERIFY(e < h.events.size());
                QVERIFY2(qAbs(h.events.at(e).balanceAfter - running.value(0).toDouble()) < 0.005,
                         qPrintable(QStringLiteral("event %1: %2 != %3")
                                        .arg(e)
                                        .arg(h.events.at(e).balanceAfter)
                                        .arg(running.value(0).toDouble())));
                ++e;
            }
            QCOMPARE(e, h.events.size());

            // A window that ends before the newest events: they are taken off what is owed now.
            QSqlQuery first = c->exec(QStringLiteral("SELECT min(sold_at)::date FROM %1.sales "
                                                     "WHERE creditor_id = ?")
                                          .arg(m_s),
                                      { id });
            QVERIFY(first.next());
            options.lastDay = first.value(0).toDate();
            options.days = 1;
            const CreditorHistory early = CreditorHistoryReader::read(*c, m_schema, id, options);
            const double owedAtEnd =
                c->scalar(QStringLiteral("SELECT (SELECT coalesce(sum("
                                         "amount), 0) FROM %1.sales WHERE "
                                         "creditor_id = ?1 AND sold_at < "
                                         "?2::date + 1) - (SELECT "
                                         "coalesce(sum(amount), 0) FROM "
                                         "%1.credit_payments WHERE "
                                         "creditor_id = ?1 AND paid_at < "
                                         "?2::date + 1)")
                              .arg(m_s)
                              .replace(QStringLiteral("?1"), QStringLiteral("?"))
                              .replace(QStringLiteral("?2"), QStringLiteral("?")),
                          { id, options.lastDay, id, options.lastDay })
                    .toDouble();
            QVERIFY(!early.events.isEmpty());
            QVERIFY2(qAbs(early.events.last().balanceAfter - owedAtEnd) < 0.005,
                     qPrintable(QStringLiteral("%1 != %2")
                                    .arg(early.events.last().balanceAfter)
                                    .arg(owedAtEnd)));
            ++checked;
        }
        QVERIFY(checked >= 2);
    }

    void aSaleAboveTheLimitStandsOut()
    {
        auto c = m_db->connect();
        const QString id = c->scalar(QStringLiteral("SELECT creditor_id::text FROM %1.sales "
                                                    "WHERE creditor_id IS NOT NULL LIMIT 1")
                                         .arg(m_s))
                               .toString();
        // Put back whatever happens (issue 15, item 30): later tests share this fixture.
        const TableRestorer restore(*m_db, { m_schema + QStringLiteral(".creditors") });
        c->exec(QStringLiteral("UPDATE %1.creditors SET credit_limit = 1 WHERE id = ?").arg(m_s),
                { id });
        CreditorHistoryReader::Options options;
        options.lastDay = m_lastDay;
        options.days = 60;
        const CreditorHistory h = CreditorHistoryReader::read(*c, m_schema, id, options);
        bool over = false;
        for (const CreditorHistory::Event &e : h.events)
            over = over || e.overLimit;
        QVERIFY(over);
    }

    void aFuelsStockIsWorkedFromTheMeasurement()
    {
        auto c = m_db->connect();
        QSqlQuery stock = c->exec(QStringLiteral("SELECT station_id::text, fuel_type, "
                                                 "current_stock FROM %1.fuel_inventory "
                                                 "ORDER BY 1, 2")
                                      .arg(m_s));
        QList<std::tuple<QString, QString, double>> all; // read first: one result set at a time
        while (stock.next())
            all.append({ stock.value(0).toString(), stock.value(1).toString(),
                         stock.value(2).toDouble() });
        int checked = 0;
        bool sawDelivery = false;
        for (const auto &[station, fuel, current] : all) {
            StockHistoryReader::Options options;
            options.lastDay = m_lastDay;
            options.days = 10;
            const StockHistory h = StockHistoryReader::read(*c, m_schema, station, fuel, options);
            QCOMPARE(h.days.size(), 10);
            QCOMPARE(h.days.last().day, m_lastDay);
            QCOMPARE(h.current, current);
            double sold = 0;
            double delivered = 0;
            for (qsizetype i = 0; i < h.days.size(); ++i) {
                const StockHistory::Day &day = h.days.at(i);
                sold += day.sold;
                delivered += day.delivered;
                QVERIFY(day.bookStock);
                if (i > 0)
                    QVERIFY(qAbs(*day.bookStock - *h.days.at(i - 1).bookStock
                                 - (day.delivered - day.sold))
                            < 0.001);
            }
            // Nothing moved after the measurement: the last day ends with it.
            QVERIFY(qAbs(*h.days.last().bookStock - h.current) < 0.001);
            QVERIFY(qAbs(sold
                         - c->scalar(QStringLiteral("SELECT coalesce(sum(s.volume), 0) FROM "
                                                    "%1.sales s JOIN %1.nozzles n ON n.id = "
                                                    "s.nozzle_id WHERE s.station_id = ? AND "
                                                    "n.fuel_type = ?")
                                         .arg(m_s),
                                     { station, fuel })
                               .toDouble())
                    < 0.001);
            QCOMPARE(h.deliveries.size(),
                     c->scalar(QStringLiteral("SELECT count(*) FROM %1.fuel_deliveries WHERE "
                                              "station_id = ? AND fuel_type = ?")
                                   .arg(m_s),
                               { station, fuel })
                         .toInt());
            sawDelivery = sawDelivery || delivered > 0;
            for (const StockHistory::Finding &f : h.findings)
                QFAIL(qPrintable(f.text));
            ++checked;
        }
        QVERIFY(checked >= 5);
        QVERIFY(sawDelivery);
    }

    void stockMeasuredMidWindowGoesBothWays()
    {
        auto c = m_db->connect();
        // A fuel with a delivery; its measurement moved to the middle of the seed's days, so the
        // days before are worked backwards and the days after forwards.
        QSqlQuery fuel = c->exec(QStringLiteral("SELECT station_id::text, fuel_type, "
                                                "min(delivered_at) FROM %1.fuel_deliveries "
                                                "GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1")
                                     .arg(m_s));
        QVERIFY(fuel.next());
        const QString station = fuel.value(0).toString();
        const QString type = fuel.value(1).toString();
        const QVariant delivered = fuel.value(2);
        // Measured 5,000 L an hour before the delivery.
        const TableRestorer restore(*m_db, { m_schema + QStringLiteral(".fuel_inventory") });
        c->exec(QStringLiteral("UPDATE %1.fuel_inventory SET current_stock = 5000, "
                               "last_updated_at = ?::timestamptz - interval '1 hour' WHERE "
                               "station_id = ? AND fuel_type = ?")
                    .arg(m_s),
                { delivered, station, type });
        StockHistoryReader::Options options;
        options.lastDay = m_lastDay;
        options.days = 10;
        const StockHistory h = StockHistoryReader::read(*c, m_schema, station, type, options);
        int backwards = 0;
        int forwards = 0;
        for (const StockHistory::Day &day : h.days) {
            QVERIFY(day.bookStock);
            const double expected =
                c->scalar(QStringLiteral(
                              "SELECT 5000 + CASE WHEN e >= m THEN "
                              "  coalesce((SELECT sum(v) FROM f WHERE at > m AND at <= e), 0) "
                              "ELSE -coalesce((SELECT sum(v) FROM f WHERE at > e AND at <= m), 0) "
                              "END FROM (SELECT ?::timestamptz AS e, last_updated_at AS m FROM "
                              "%1.fuel_inventory WHERE station_id = ? AND fuel_type = ?) AS x, "
                              "LATERAL (SELECT 1) AS y")
                              .arg(m_s)
                              .replace(QStringLiteral("FROM f"),
                                       QStringLiteral(
                                           "FROM (SELECT delivered_at AS at, volume AS v FROM "
                                           "%1.fuel_deliveries WHERE station_id = '%2' AND "
                                           "fuel_type = '%3' UNION ALL SELECT s.sold_at, "
                                           "-s.volume FROM %1.sales s JOIN %1.nozzles n ON "
                                           "n.id = s.nozzle_id WHERE s.station_id = '%2' AND "
                                           "n.fuel_type = '%3') AS f")
                                           .arg(m_s, station, type)),
                          { day.end.toUTC().toString(Qt::ISODateWithMs), station, type })
                    .toDouble();
            QVERIFY2(qAbs(*day.bookStock - expected) < 0.001,
                     qPrintable(QStringLiteral("%1: %2 != %3")
                                    .arg(day.day.toString(Qt::ISODate))
                                    .arg(*day.bookStock)
                                    .arg(expected)));
            (day.end >= h.measuredAt ? forwards : backwards) += 1;
        }
        QVERIFY(backwards > 0 && forwards > 0);
    }

    void stockThatCannotBeStandsOut()
    {
        auto c = m_db->connect();
        QSqlQuery fuel = c->exec(QStringLiteral("SELECT i.station_id::text, i.fuel_type FROM "
                                                "%1.fuel_inventory i WHERE NOT EXISTS (SELECT "
                                                "FROM %1.fuel_deliveries d WHERE d.station_id = "
                                                "i.station_id AND d.fuel_type = i.fuel_type) "
                                                "ORDER BY 1, 2 LIMIT 1")
                                     .arg(m_s));
        QVERIFY(fuel.next());
        // Full tanks now, after days of sales and no delivery: the days before held more.
        const TableRestorer restore(*m_db, { m_schema + QStringLiteral(".fuel_inventory") });
        c->exec(QStringLiteral("UPDATE %1.fuel_inventory SET current_stock = capacity WHERE "
                               "station_id = ? AND fuel_type = ?")
                    .arg(m_s),
                { fuel.value(0), fuel.value(1) });
        StockHistoryReader::Options options;
        options.lastDay = m_lastDay;
        options.days = 10;
        const StockHistory h = StockHistoryReader::read(*c, m_schema, fuel.value(0).toString(),
                                                        fuel.value(1).toString(), options);
        QVERIFY(!h.findings.isEmpty());
        QVERIFY2(h.findings.first().text.contains(QStringLiteral("more than the tanks hold")),
                 qPrintable(h.findings.first().text));
    }

    void aNozzlesInconsistenciesAreFound()
    {
        auto c = m_db->connect();
        QSqlQuery rows = c->exec(QStringLiteral("SELECT id::text, reading FROM "
                                                "%1.nozzle_readings WHERE nozzle_id = ? ORDER BY "
                                                "recorded_at OFFSET 2 LIMIT 1")
                                     .arg(m_s),
                                 { m_nozzle });
        QVERIFY(rows.next());
        // The third reading drops below the second; a later sale is charged a rupee more.
        const TableRestorer restore(
            *m_db,
            { m_schema + QStringLiteral(".nozzle_readings"), m_schema + QStringLiteral(".sales") });
        c->exec(QStringLiteral("UPDATE %1.nozzle_readings SET reading = reading - 10000 WHERE "
                               "id = ?")
                    .arg(m_s),
                { rows.value(0) });
        c->exec(
            QStringLiteral("UPDATE %1.sales SET price_per_litre = price_per_litre + 1, amount = "
                           "round(volume * (price_per_litre + 1), 2), cost_price_per_litre = 0, "
                           "cost_amount = 0, profit = 0 WHERE id = (SELECT id FROM %1.sales WHERE "
                           "nozzle_id = ? ORDER BY sold_at DESC LIMIT 1)")
                .arg(m_s),
            { m_nozzle });
        NozzleHistoryReader::Options options;
        options.lastDay = m_lastDay;
        options.days = 20;
        const NozzleHistory h = NozzleHistoryReader::read(*c, m_schema, m_nozzle, options);
        QVERIFY(h.readings.at(2).wentDown);
        QCOMPARE(std::count_if(h.readings.cbegin(), h.readings.cend(),
                               [](const NozzleHistory::Reading &r) { return r.wentDown; }),
                 1);
        QVERIFY(hasFinding(h.findings, QStringLiteral("lower than the reading before")));
        QVERIFY(hasFinding(h.findings, QStringLiteral("while the price in force was")));
        QVERIFY(hasFinding(h.findings, QStringLiteral("but the meter moved")));
        QVERIFY(h.sales.last().priceDiffers());
    }

    void badRequestsAreRefusedAndChangeNothing()
    {
        auto c = m_db->connect();
        const auto fingerprint = [&] {
            return c
                ->scalar(QStringLiteral("SELECT (SELECT count(*) FROM %1.sales) || '/' || "
                                        "(SELECT count(*) FROM %1.nozzle_readings) || '/' || "
                                        "(SELECT count(*) FROM pg_class)")
                             .arg(m_s))
                .toString();
        };
        const QString before = fingerprint();
        const QString station = c->scalar(QStringLiteral("SELECT id::text FROM %1.stations "
                                                         "LIMIT 1")
                                              .arg(m_s))
                                    .toString();
        const QString zero = QStringLiteral("00000000-0000-0000-0000-000000000000");
        const QString quoted = QStringLiteral("t'; DROP TABLE sales; --");
        const QList<std::pair<QString, std::function<void()>>> cases = {
            { QStringLiteral("not a tenant schema"),
              [&] {
                  NozzleHistoryReader::read(*c, quoted, m_nozzle);
              } },
            { QStringLiteral("no nozzle"),
              [&] {
                  NozzleHistoryReader::read(*c, m_schema, QStringLiteral("' OR 1=1 --"));
              } },
            { QStringLiteral("no nozzle"),
              [&] {
                  NozzleHistoryReader::read(*c, m_schema, zero);
              } },
            { QStringLiteral("no creditors table"),
              [&] {
                  CreditorHistoryReader::read(*c, quoted, zero);
              } },
            { QStringLiteral("no creditor"),
              [&] {
                  CreditorHistoryReader::read(*c, m_schema, zero);
              } },
            { QStringLiteral("no inventory"),
              [&] {
                  StockHistoryReader::read(*c, quoted, station, QStringLiteral("petrol"));
              } },
            { QStringLiteral("keeps no"),
              [&] {
                  StockHistoryReader::read(*c, m_schema, station, QStringLiteral("x'--"));
              } },
            { QStringLiteral("too long"),
              [&] {
                  NozzleHistoryReader::Options options;
                  options.days = 100000;
                  NozzleHistoryReader::read(*c, m_schema, m_nozzle, options);
              } },
        };
        for (const auto &[expected, call] : cases) {
            try {
                call();
                QFAIL(qPrintable(QStringLiteral("no error; expected \"%1\"").arg(expected)));
            } catch (const RequestError &e) {
                QVERIFY2(e.message().contains(expected), qPrintable(e.message()));
            }
        }
        QCOMPARE(fingerprint(), before);
    }

private:
    std::unique_ptr<TestDatabase> m_db;
    QString m_schema;
    QString m_s;
    QDate m_lastDay;
    QString m_nozzle;
};

QTEST_GUILESS_MAIN(TestStationHistory)
#include "tst_stationhistory.moc"
