// A station's live graph against the basic seed on a real server: pumps, nozzles, the latest
// readings and a day's sales agree with plain SQL over the same rows, and what does not add up
// (a reading that went down, a sale without its reading, a nozzle never read) is reported.

#include "TableRestorer.h"
#include "TestDatabase.h"
#include "common/RequestError.h"
#include "db/SqlIdentifier.h"
#include "station/StationGraphReader.h"

#include <QSqlQuery>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

bool hasProblem(const StationGraph &graph, StationGraph::Problem::Kind kind, const QString &nozzle)
{
    for (const StationGraph::Problem &p : graph.problems) {
        if (p.kind == kind && p.subjectId == nozzle)
            return true;
    }
    return false;
}

} // namespace

class TestStationGraph : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("station_graph"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_stationgraph")),
                 qPrintable(m_db->errorString()));
        auto c = m_db->connect();
        m_schema = c->scalar(QStringLiteral("SELECT schema_name FROM public.tenants ORDER BY 1 "
                                            "LIMIT 1"))
                       .toString();
        const QString s = SqlIdentifier::quote(m_schema);
        // The station with the most sales, and its busiest day.
        QSqlQuery busiest =
            c->exec(QStringLiteral("SELECT station_id::text, sold_at::date FROM %1.sales "
                                   "GROUP BY 1, 2 ORDER BY count(*) DESC, 2 DESC LIMIT 1")
                        .arg(s));
        QVERIFY(busiest.next());
        m_station = busiest.value(0).toString();
        m_day = busiest.value(1).toDate();
    }

    void theGraphAgreesWithTheRows()
    {
        auto c = m_db->connect();
        const QString s = SqlIdentifier::quote(m_schema);
        StationGraphReader::Options options;
        options.day = m_day;
        const StationGraph graph = StationGraphReader::read(*c, m_schema, m_station, options);
        QVERIFY(!graph.name.isEmpty());
        QCOMPARE(
            graph.pumps.size(),
            c->scalar(QStringLiteral("SELECT count(*) FROM %1.pumps WHERE station_id = ?").arg(s),
                      { m_station })
                .toInt());
        QCOMPARE(
            graph.nozzleCount(),
            c->scalar(QStringLiteral("SELECT count(*) FROM %1.nozzles WHERE station_id = ?").arg(s),
                      { m_station })
                .toInt());
        int sales = 0;
        double volume = 0;
        for (const StationGraph::Pump &pump : graph.pumps) {
            for (const StationGraph::Nozzle &n : pump.nozzles) {
                sales += n.sales;
                volume += n.volume;
                const QVariant latest = c->scalar(
                    QStringLiteral("SELECT max(recorded_at) FROM %1.nozzle_readings WHERE "
                                   "nozzle_id = ? AND recorded_at < ?::date + 1")
                        .arg(s),
                    { n.id, m_day });
                if (latest.isNull())
                    QVERIFY(!n.latest);
                else
                    QCOMPARE(n.latest->at, latest.toDateTime());
            }
        }
        QSqlQuery day = c->exec(QStringLiteral("SELECT count(*), sum(volume) FROM %1.sales WHERE "
                                               "station_id = ? AND sold_at::date = ?")
                                    .arg(s),
                                { m_station, m_day });
        QVERIFY(day.next());
        QVERIFY(sales > 0);
        QCOMPARE(sales, day.value(0).toInt());
        QVERIFY(qAbs(volume - day.value(1).toDouble()) < 0.001);
        // The seed's data adds up: no reading went down, every sale has its reading; only the
        // stock the seed leaves below its reorder level stands out.
        for (const StationGraph::Problem &p : graph.problems)
            QVERIFY2(p.kind == StationGraph::Problem::Kind::SilentNozzle
                         || p.kind == StationGraph::Problem::Kind::StockBelowMinimum,
                     qPrintable(p.text));
    }

    void creditorsStockAndAlertsAgreeWithTheRows()
    {
        auto c = m_db->connect();
        const QString s = SqlIdentifier::quote(m_schema);
        QSqlQuery stations = c->exec(QStringLiteral("SELECT id::text FROM %1.stations").arg(s));
        QStringList all; // read first: one result set at a time
        while (stations.next())
            all.append(stations.value(0).toString());
        int creditors = 0;
        int stockRows = 0;
        int alerts = 0;
        for (const QString &station : std::as_const(all)) {
            const StationGraph graph = StationGraphReader::read(*c, m_schema, station);
            QVERIFY(graph.hasCredit && graph.hasInventory && graph.hasAlerts);
            QSqlQuery rows = c->exec(
                QStringLiteral("SELECT id::text, name, credit_limit, outstanding_balance FROM "
                               "%1.creditors WHERE station_id = ? ORDER BY name")
                    .arg(s),
                { station });
            qsizetype i = 0;
            while (rows.next()) {
                QVERIFY(i < graph.creditors.size());
                const StationGraph::Creditor &creditor = graph.creditors.at(i++);
                QCOMPARE(creditor.id, rows.value(0).toString());
                QCOMPARE(creditor.name, rows.value(1).toString());
                QCOMPARE(creditor.creditLimit, rows.value(2).toDouble());
                QCOMPARE(creditor.outstanding, rows.value(3).toDouble());
            }
            QCOMPARE(graph.creditors.size(), i);
            creditors += int(i);
            QSqlQuery stock = c->exec(QStringLiteral("SELECT fuel_type, current_stock, "
                                                     "minimum_level FROM %1.fuel_inventory WHERE "
                                                     "station_id = ? ORDER BY fuel_type")
                                          .arg(s),
                                      { station });
            i = 0;
            while (stock.next()) {
                QVERIFY(i < graph.inventory.size());
                const StationGraph::Stock &fuel = graph.inventory.at(i++);
                QCOMPARE(fuel.fuelType, stock.value(0).toString());
                QCOMPARE(fuel.current, stock.value(1).toDouble());
                const bool low = stock.value(1).toDouble() < stock.value(2).toDouble();
                QCOMPARE(hasProblem(graph, StationGraph::Problem::Kind::StockBelowMinimum,
                                    fuel.fuelType),
                         low);
            }
            QCOMPARE(graph.inventory.size(), i);
            stockRows += int(i);
            QCOMPARE(graph.openAlerts,
                     c->scalar(QStringLiteral("SELECT count(*) FROM %1.alerts WHERE station_id = "
                                              "? AND resolved_at IS NULL")
                                   .arg(s),
                               { station })
                         .toInt());
            alerts += int(graph.alerts.size());
        }
        QVERIFY(creditors > 0);
        QVERIFY(stockRows > 0);
        QVERIFY(alerts > 0);
    }

    void aCreditorOverTheLimitStandsOut()
    {
        auto c = m_db->connect();
        const QString s = SqlIdentifier::quote(m_schema);
        // The customer who owes the most; its limit is put back afterwards, whatever happens.
        QSqlQuery creditor = c->exec(
            QStringLiteral("SELECT id::text, station_id::text, credit_limit FROM %1.creditors "
                           "WHERE outstanding_balance > 1 ORDER BY outstanding_balance DESC, id "
                           "LIMIT 1")
                .arg(s));
        QVERIFY(creditor.next());
        const QString id = creditor.value(0).toString();
        const QString station = creditor.value(1).toString();
        QVERIFY(!hasProblem(StationGraphReader::read(*c, m_schema, station),
                            StationGraph::Problem::Kind::OverCreditLimit, id));
        // Put back whatever happens (issue 15, item 30): later tests share this fixture.
        const TableRestorer restore(*m_db, { m_schema + QStringLiteral(".creditors") });
        c->exec(QStringLiteral("UPDATE %1.creditors SET credit_limit = outstanding_balance - 1 "
                               "WHERE id = ?")
                    .arg(s),
                { id });
        const StationGraph graph = StationGraphReader::read(*c, m_schema, station);
        QVERIFY(hasProblem(graph, StationGraph::Problem::Kind::OverCreditLimit, id));
        QVERIFY(graph.problemsOf(id).first().text.contains(QStringLiteral("over the credit")));
    }

    void theDayIsTheTimeZonesDay()
    {
        // The same station and date in three zones: each counts the sales of that date there,
        // whatever the session's own zone.
        auto c = m_db->connect();
        c->exec(QStringLiteral("SET TIME ZONE 'Pacific/Auckland'"));
        const QString s = SqlIdentifier::quote(m_schema);
        // The station's last day of sales in UTC: the seed sells at 00:30, 08:30 and 16:30 UTC,
        // so New York's day of that date lacks the 00:30 sales (its evening before) and gains
        // none from the next day, which has none yet. (A day in the middle has as many 00:30
        // sales on both ends and counts the same in every zone.)
        const QDate day = c->scalar(QStringLiteral("SELECT max((sold_at AT TIME ZONE 'UTC')::date) "
                                                   "FROM %1.sales WHERE station_id = ?")
                                        .arg(s),
                                    { m_station })
                              .toDate();
        int differ = 0;
        int previous = -1;
        for (const QString &zone : { QStringLiteral("Asia/Kolkata"), QStringLiteral("UTC"),
                                     QStringLiteral("America/New_York") }) {
            StationGraphReader::Options options;
            options.day = day;
            options.timeZone = zone;
            const StationGraph graph = StationGraphReader::read(*c, m_schema, m_station, options);
            QCOMPARE(graph.timeZone, zone);
            int sales = 0;
            for (const StationGraph::Pump &pump : graph.pumps) {
                for (const StationGraph::Nozzle &n : pump.nozzles)
                    sales += n.sales;
            }
            QCOMPARE(sales,
                     c->scalar(QStringLiteral("SELECT count(*) FROM %1.sales WHERE station_id = ? "
                                              "AND (sold_at AT TIME ZONE ?)::date = ?")
                                   .arg(s),
                               { m_station, zone, day })
                         .toInt());
            differ += previous >= 0 && previous != sales ? 1 : 0;
            previous = sales;
        }
        QVERIFY(differ > 0); // the zones do cut the seed's days differently
        try {
            StationGraphReader::Options options;
            options.timeZone = QStringLiteral("Mars/Olympus_Mons");
            StationGraphReader::read(*c, m_schema, m_station, options);
            QFAIL("no error");
        } catch (const std::exception &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("time zone")), e.what());
        }
    }

    void stationsAreListedAndFoundByIdOrName()
    {
        auto c = m_db->connect();
        const QList<StationSummary> stations = StationGraphReader::stations(*c, m_schema);
        QCOMPARE(stations.size(),
                 c->scalar(QStringLiteral("SELECT count(*) FROM %1.stations")
                               .arg(SqlIdentifier::quote(m_schema)))
                     .toInt());
        for (const StationSummary &station : stations) {
            QCOMPARE(StationGraphReader::resolveStation(*c, m_schema, station.id), station.id);
            QCOMPARE(StationGraphReader::resolveStation(*c, m_schema, station.name), station.id);
        }
        for (const QString &wrong : { QStringLiteral("Nowhere"), QStringLiteral("x' OR '1'='1"),
                                      QStringLiteral("00000000-0000-0000-0000-000000000000") }) {
            try {
                StationGraphReader::resolveStation(*c, m_schema, wrong);
                QFAIL("no error");
            } catch (const RequestError &e) {
                QVERIFY2(e.message().contains(QStringLiteral("no station")),
                         qPrintable(e.message()));
            }
        }
    }

    void whatDoesNotAddUpIsReported()
    {
        auto c = m_db->connect();
        const QString s = SqlIdentifier::quote(m_schema);
        // A reading lower than the one before it, on the day.
        QSqlQuery latest = c->exec(
            QStringLiteral("SELECT r.nozzle_id::text, r.reading, r.recorded_at FROM "
                           "%1.nozzle_readings r JOIN %1.nozzles n ON n.id = r.nozzle_id WHERE "
                           "n.station_id = ? AND r.recorded_at < ?::date + 1 ORDER BY "
                           "r.recorded_at DESC LIMIT 1")
                .arg(s),
            { m_station, m_day });
        QVERIFY(latest.next());
        const QString lowered = latest.value(0).toString();
        // What this breaks (rows, and the sales' keys) is put back however the test ends.
        const TableRestorer restore(*m_db,
                                    { m_schema + QStringLiteral(".nozzle_readings"),
                                      m_schema + QStringLiteral(".nozzles"),
                                      m_schema + QStringLiteral(".sales") });
        c->exec(QStringLiteral("INSERT INTO %1.nozzle_readings (nozzle_id, reading, recorded_at) "
                               "VALUES (?, ?, ?::timestamptz + interval '1 minute')")
                    .arg(s),
                { lowered, latest.value(1).toDouble() - 5, latest.value(2) });
        // A nozzle that was never read.
        const QString pump =
            c->scalar(QStringLiteral("SELECT id::text FROM %1.pumps WHERE station_id = ? LIMIT 1")
                          .arg(s),
                      { m_station })
                .toString();
        // A nozzle installed ten days before the day and never read since; one installed after
        // the day is not silent on it.
        const QString silent =
            c->scalar(QStringLiteral("INSERT INTO %1.nozzles (pump_id, nozzle_number, fuel_type, "
                                     "created_at) VALUES (?, 99, 'diesel', ?::date - 10) "
                                     "RETURNING id::text")
                          .arg(s),
                      { pump, m_day })
                .toString();
        const QString later =
            c->scalar(QStringLiteral("INSERT INTO %1.nozzles (pump_id, nozzle_number, fuel_type, "
                                     "created_at) VALUES (?, 98, 'diesel', ?::date + 2) "
                                     "RETURNING id::text")
                          .arg(s),
                      { pump, m_day })
                .toString();
        // A sale whose reading is gone (its keys dropped first, as only a broken database has).
        QSqlQuery keys = c->exec(
            QStringLiteral("SELECT conname::text FROM pg_constraint WHERE conrelid = ?::regclass "
                           "AND confrelid = ?::regclass"),
            { QString(s + QStringLiteral(".sales")),
              QString(s + QStringLiteral(".nozzle_readings")) });
        QStringList names;
        while (keys.next())
            names.append(keys.value(0).toString());
        QVERIFY(!names.isEmpty());
        for (const QString &name : names)
            c->exec(QStringLiteral("ALTER TABLE %1.sales DROP CONSTRAINT %2")
                        .arg(s, SqlIdentifier::quote(name)));
        const QString orphan =
            c->scalar(
                 QStringLiteral("UPDATE %1.sales SET reading_id = gen_random_uuid() WHERE id = "
                                "(SELECT id FROM %1.sales WHERE station_id = ? AND "
                                "sold_at::date = ? LIMIT 1) RETURNING nozzle_id::text")
                     .arg(s),
                 { m_station, m_day })
                .toString();

        // A sale of the day charged a rupee more than the price in force.
        const QString offPrice =
            c->scalar(QStringLiteral("UPDATE %1.sales SET price_per_litre = price_per_litre + 1, "
                                     "amount = round(volume * (price_per_litre + 1), 2), "
                                     "cost_price_per_litre = 0, cost_amount = 0, profit = 0 "
                                     "WHERE id = (SELECT id FROM %1.sales WHERE station_id = ? "
                                     "AND sold_at::date = ? ORDER BY sold_at DESC LIMIT 1) "
                                     "RETURNING nozzle_id::text")
                          .arg(s),
                      { m_station, m_day })
                .toString();
        QVERIFY(!offPrice.isEmpty());

        StationGraphReader::Options options;
        options.day = m_day;
        const StationGraph graph = StationGraphReader::read(*c, m_schema, m_station, options);
        QVERIFY(hasProblem(graph, StationGraph::Problem::Kind::ReadingWentDown, lowered));
        QVERIFY(hasProblem(graph, StationGraph::Problem::Kind::SoldOffPrice, offPrice));
        int offPriceProblems = 0;
        for (const StationGraph::Problem &p : graph.problems)
            offPriceProblems += p.kind == StationGraph::Problem::Kind::SoldOffPrice ? 1 : 0;
        QCOMPARE(offPriceProblems, 1);
        QVERIFY(hasProblem(graph, StationGraph::Problem::Kind::SilentNozzle, silent));
        QVERIFY(!hasProblem(graph, StationGraph::Problem::Kind::SilentNozzle, later));
        QVERIFY(graph.nozzle(later));
        QVERIFY(hasProblem(graph, StationGraph::Problem::Kind::SaleWithoutReading, orphan));
        QCOMPARE(graph.problemsOf(silent).first().text, QStringLiteral("Never read."));
        QVERIFY(graph.problemsOf(lowered).first().text.contains(QStringLiteral("lower than")));
    }

    void aMissingStationOrSchemaIsSaidSo()
    {
        auto c = m_db->connect();
        for (const auto &[schema, station] :
             { std::pair { m_schema, QStringLiteral("00000000-0000-0000-0000-000000000000") },
               std::pair { QStringLiteral("no_such_tenant"), m_station },
               std::pair { m_schema, QStringLiteral("x'; DROP TABLE sales; --") } }) {
            try {
                StationGraphReader::read(*c, schema, station);
                QFAIL("no error");
            } catch (const RequestError &e) {
                QVERIFY2(e.message().contains(QStringLiteral("no station"))
                             || e.message().contains(QStringLiteral("not a tenant schema")),
                         qPrintable(e.message()));
            }
        }
        QVERIFY(c->scalar(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"),
                          { QString(SqlIdentifier::quote(m_schema) + QStringLiteral(".sales")) })
                    .toBool());
    }

private:
    std::unique_ptr<TestDatabase> m_db;
    QString m_schema;
    QString m_station;
    QDate m_day;
};

QTEST_GUILESS_MAIN(TestStationGraph)
#include "tst_stationgraph.moc"
