// A station's live graph in the window, offscreen against the basic seed on a real server: the
// nodes and lines are the station's pumps, nozzles, customers, stock and alerts with their values;
// a nozzle's chart holds its readings, sales and prices; a customer's and a fuel's drill-downs
// agree with the rows; what does not add up is outlined; a wrong station or tenant says so.

#include "TableRestorer.h"
#include "TestDatabase.h"
#include "admin/MainWindow.h"
#include "browser/SchemaBrowser.h"
#include "db/SqlIdentifier.h"
#include "station/HistoryWindow.h"
#include "stationgraph/StationCharts.h"
#include "stationgraph/StationDetailView.h"
#include "stationgraph/StationPage.h"

#include <QChart>
#include <QComboBox>
#include <QDateEdit>
#include <QGraphicsView>
#include <QLocale>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardItemModel>
#include <QXYSeries>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;
using Kind = StationGraphScene::Node::Kind;

namespace {

constexpr int waitMs = 30'000;

QXYSeries *seriesNamed(QChart *chart, const QString &name)
{
    if (!chart)
        return nullptr;
    for (QAbstractSeries *series : chart->series()) {
        if (series->name() == name)
            return qobject_cast<QXYSeries *>(series);
    }
    return nullptr;
}

int countOf(const QList<StationGraphScene::Node> &nodes, Kind kind)
{
    return int(std::count_if(nodes.cbegin(), nodes.cend(),
                             [kind](const StationGraphScene::Node &n) { return n.kind == kind; }));
}

// The detail table's model, checked by QAbstractItemModelTester (QtTest reporting) from before it
// first fills, through every reload and drill-down of the test.
StationPage *watched(StationPage *page)
{
    if (page) {
        QStandardItemModel *model = page->detail()->model();
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     model);
    }
    return page;
}

} // namespace

class StationViewTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("FUELSYNC_ADMIN_SETTINGS",
                m_settingsDir.filePath(QStringLiteral("s.ini")).toUtf8());
        m_db = std::make_unique<TestDatabase>(QStringLiteral("gui_station"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_stationview")),
                 qPrintable(m_db->errorString()));
        auto c = m_db->connect();
        m_schema = c->scalar(QStringLiteral("SELECT schema_name FROM public.tenants ORDER BY 1 "
                                            "LIMIT 1"))
                       .toString();
        m_s = SqlIdentifier::quote(m_schema);
        QSqlQuery busiest =
            c->exec(QStringLiteral("SELECT s.station_id::text, st.name, (s.sold_at AT TIME ZONE "
                                   "?)::date FROM %1.sales s JOIN %1.stations st ON st.id = "
                                   "s.station_id GROUP BY 1, 2, 3 ORDER BY count(*) DESC, 3 DESC "
                                   "LIMIT 1")
                        .arg(m_s),
                    { m_zone });
        QVERIFY(busiest.next());
        m_station = busiest.value(0).toString();
        m_stationName = busiest.value(1).toString();
        m_day = busiest.value(2).toDate();
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>(30);
        m_window->resize(1400, 900);
        m_window->show();
        ConnectRequest request;
        request.settings = m_db->settings();
        m_window->connectTo(request);
        QVERIFY(QTest::qWaitFor([&] { return m_window->schemaBrowser()->isLoaded(); }, waitMs));
    }

    void cleanup() { m_window.reset(); }

    void theGraphIsTheStationsRows()
    {
        StationPage *page = watched(m_window->openStation(m_schema, m_stationName, m_day));
        QVERIFY(page);
        QVERIFY(QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs));
        QCOMPARE(page->stationId(), m_station);
        const StationGraphScene *scene = page->scene();
        const QList<StationGraphScene::Node> &nodes = scene->nodes();
        auto c = m_db->connect();
        QCOMPARE(nodes.first().kind, Kind::Station);
        QCOMPARE(nodes.first().title, m_stationName);
        // Pumps under the station, nozzles under their pump, with their values.
        QSqlQuery pumps = c->exec(QStringLiteral("SELECT id::text, label FROM %1.pumps WHERE "
                                                 "station_id = ? ORDER BY label")
                                      .arg(m_s),
                                  { m_station });
        int pumpCount = 0;
        while (pumps.next()) {
            const int index = scene->find(Kind::Pump, pumps.value(0).toString());
            QVERIFY(index > 0);
            QCOMPARE(nodes.at(index).parent, 0);
            QVERIFY(nodes.at(index).title.contains(pumps.value(1).toString()));
            ++pumpCount;
        }
        QCOMPARE(countOf(nodes, Kind::Pump), pumpCount);
        const QLocale locale;
        QSqlQuery nozzles = c->exec(
            QStringLiteral("SELECT n.id::text, n.pump_id::text, n.fuel_type, "
                           "(SELECT reading FROM %1.nozzle_readings r WHERE r.nozzle_id = n.id "
                           "AND (r.recorded_at AT TIME ZONE ?)::date <= ? ORDER BY recorded_at "
                           "DESC LIMIT 1), "
                           "c.n, c.volume, c.amount FROM %1.nozzles n CROSS JOIN LATERAL (SELECT "
                           "count(*) AS n, coalesce(sum(volume), 0) AS volume, "
                           "coalesce(sum(amount), 0) AS amount FROM %1.sales s WHERE "
                           "s.nozzle_id = n.id AND (s.sold_at AT TIME ZONE ?)::date = ?) AS c "
                           "WHERE n.station_id = ?")
                .arg(m_s),
            { m_zone, m_day, m_zone, m_day, m_station });
        int nozzleCount = 0;
        int withSales = 0;
        while (nozzles.next()) {
            const int index = scene->find(Kind::Nozzle, nozzles.value(0).toString());
            QVERIFY(index > 0);
            const StationGraphScene::Node &node = nodes.at(index);
            QCOMPARE(nodes.at(node.parent).id, nozzles.value(1).toString()); // its pump
            QVERIFY(node.title.contains(nozzles.value(2).toString()));
            const QString reading = locale.toString(nozzles.value(3).toDouble(), 'f', 1);
            QVERIFY2(node.lines.join(u' ').contains(reading),
                     qPrintable(node.lines.join(u' ') + QStringLiteral(" lacks ") + reading));
            const int sales = nozzles.value(4).toInt();
            const QString salesLine = node.lines.value(1);
            QVERIFY2(salesLine.startsWith(QStringLiteral("%1 sale").arg(locale.toString(sales))),
                     qPrintable(salesLine));
            QVERIFY2(
                salesLine.contains(locale.toString(nozzles.value(5).toDouble(), 'f', 1)
                                   + QStringLiteral(" L"))
                    && salesLine.contains(QStringLiteral("₹")
                                          + locale.toString(nozzles.value(6).toDouble(), 'f', 0)),
                qPrintable(salesLine));
            withSales += sales > 0 ? 1 : 0;
            ++nozzleCount;
        }
        QCOMPARE(countOf(nodes, Kind::Nozzle), nozzleCount);
        QVERIFY(withSales > 0);
        // Customers, stock and alerts.
        QCOMPARE(countOf(nodes, Kind::Creditor),
                 c->scalar(QStringLiteral("SELECT count(*) FROM %1.creditors WHERE station_id "
                                          "= ?")
                               .arg(m_s),
                           { m_station })
                     .toInt());
        QCOMPARE(countOf(nodes, Kind::Fuel),
                 c->scalar(QStringLiteral("SELECT count(*) FROM %1.fuel_inventory WHERE "
                                          "station_id = ?")
                               .arg(m_s),
                           { m_station })
                     .toInt());
        QCOMPARE(countOf(nodes, Kind::Alert),
                 c->scalar(QStringLiteral("SELECT count(*) FROM %1.alerts WHERE station_id = ? "
                                          "AND resolved_at IS NULL")
                               .arg(m_s),
                           { m_station })
                     .toInt());
        // One line per shown node but the station, each drawn.
        QCOMPARE(scene->edgeCount(), scene->shownCount() - 1);
        QCOMPARE(scene->shownCount(), int(nodes.size())); // a small station: all expanded
        for (int i = 0; i < nodes.size(); ++i)
            QVERIFY(!nodes.at(i).rect.isEmpty());

        // Collapsing leaves the station, its pumps and groups; expanding shows all again.
        page->scene()->collapseAll();
        QCOMPARE(scene->shownCount(),
                 1 + pumpCount + countOf(nodes, Kind::Credit) + countOf(nodes, Kind::Stock)
                     + countOf(nodes, Kind::Alerts));
        page->scene()->expandAll();
        QCOMPARE(scene->shownCount(), int(nodes.size()));
        // Selecting the station lists what does not add up.
        QVERIFY(page->selectNode(Kind::Station, m_station));
        QVERIFY(page->detail()->isReady());
        QCOMPARE(page->detail()->model()->rowCount(),
                 std::max<qsizetype>(1, scene->graph().problems.size()));
    }

    void aNozzlesChartHoldsItsHistory()
    {
        StationPage *page = watched(m_window->openStation(m_schema, m_station, m_day));
        QVERIFY(QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs));
        auto c = m_db->connect();
        const QString nozzle = c->scalar(QStringLiteral("SELECT n.id::text FROM %1.nozzles n "
                                                        "WHERE n.station_id = ? AND "
                                                        "n.fuel_type = 'petrol' ORDER BY "
                                                        "n.id LIMIT 1")
                                             .arg(m_s),
                                         { m_station })
                                   .toString();
        QVERIFY(page->selectNode(Kind::Nozzle, nozzle));
        StationDetailView *detail = page->detail();
        QVERIFY(QTest::qWaitFor([&] { return detail->isReady(); }, waitMs));
        // The history window: 30 days up to the day.
        const QString inWindow = QStringLiteral("(%1 AT TIME ZONE ?)::date BETWEEN ?::date - 29 "
                                                "AND ?::date");
        QSqlQuery counts = c->exec(
            QStringLiteral("SELECT (SELECT count(*) FROM %1.nozzle_readings WHERE nozzle_id = ? "
                           "AND %2), (SELECT count(*) FROM %1.sales WHERE nozzle_id = ? AND %3), "
                           "(SELECT count(*) FROM %1.fuel_prices WHERE station_id = ? AND "
                           "fuel_type = 'petrol')")
                .arg(m_s, inWindow.arg(QStringLiteral("recorded_at")),
                     inWindow.arg(QStringLiteral("sold_at"))),
            { nozzle, m_zone, m_day, m_day, nozzle, m_zone, m_day, m_day, m_station });
        QVERIFY(counts.next());
        const int readings = counts.value(0).toInt();
        QVERIFY(readings > 0);
        QXYSeries *meter = seriesNamed(detail->chart(0), StationCharts::meterSeriesName());
        QVERIFY(meter);
        QCOMPARE(meter->count(), readings);
        QXYSeries *sales = seriesNamed(detail->chart(1), StationCharts::salesSeriesName());
        QVERIFY(sales);
        QCOMPARE(sales->count(), counts.value(1).toInt());
        QXYSeries *price = seriesNamed(detail->chart(1), StationCharts::priceSeriesName());
        QVERIFY(price);
        QCOMPARE(price->count(), 2 * counts.value(2).toInt()); // each price as a step
        QCOMPARE(seriesNamed(detail->chart(0), StationCharts::wentDownSeriesName())->count(), 0);
        QCOMPARE(detail->model()->rowCount(), readings);
        QVERIFY(detail->findingsText().isEmpty());
        saveScreenshot(QStringLiteral("station-nozzle.png"));
    }

    void aCustomerAndAFuelDrillDown()
    {
        auto c = m_db->connect();
        // A customer with credit sales and payments, on its own station.
        QSqlQuery creditor = c->exec(QStringLiteral("SELECT c.id::text, c.station_id::text FROM "
                                                    "%1.creditors c WHERE EXISTS (SELECT FROM "
                                                    "%1.credit_payments p WHERE p.creditor_id = "
                                                    "c.id) ORDER BY c.id LIMIT 1")
                                         .arg(m_s));
        QVERIFY(creditor.next());
        const QString id = creditor.value(0).toString();
        const QString station = creditor.value(1).toString();
        const QDate last = c->scalar(QStringLiteral("SELECT (max(sold_at) AT TIME ZONE ?)::date "
                                                    "FROM %1.sales")
                                         .arg(m_s),
                                     { m_zone })
                               .toDate();
        StationPage *page = watched(m_window->openStation(m_schema, station, last));
        QVERIFY(QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs));
        QVERIFY(page->selectNode(Kind::Creditor, id));
        QVERIFY(QTest::qWaitFor([&] { return page->detail()->isReady(); }, waitMs));
        // Every event of the 30 days, each with what was owed after it (newest first).
        QSqlQuery events = c->exec(
            QStringLiteral("SELECT at, owed FROM (SELECT at, kind, sum(delta) OVER (ORDER BY at, "
                           "kind ROWS UNBOUNDED PRECEDING) AS owed FROM (SELECT sold_at AS at, "
                           "amount AS delta, 0 AS kind FROM %1.sales WHERE creditor_id = ? UNION "
                           "ALL SELECT paid_at, -amount, 1 FROM %1.credit_payments WHERE "
                           "creditor_id = ?) AS e) AS r ORDER BY at DESC, kind DESC")
                .arg(m_s),
            { id, id });
        QStandardItemModel *model = page->detail()->model();
        const QLocale locale;
        int row = 0;
        while (events.next()) {
            QVERIFY(row < model->rowCount());
            QCOMPARE(model->item(row, 5)->text(),
                     locale.toString(events.value(1).toDouble(), 'f', 2));
            ++row;
        }
        QCOMPARE(model->rowCount(), row);
        QVERIFY(row >= 2);
        QXYSeries *owed = seriesNamed(page->detail()->chart(0), StationCharts::owedSeriesName());
        QVERIFY(owed);
        QCOMPARE(owed->count(), 2 + 2 * row);
        QCOMPARE(owed->at(owed->count() - 1).y(), page->scene()->graph().creditor(id)->outstanding);

        // A fuel of the station: litres sold per day as the rows say, book stock to the last
        // measurement.
        const StationGraph::Stock fuel = page->scene()->graph().inventory.value(0);
        QVERIFY(!fuel.fuelType.isEmpty());
        QVERIFY(page->selectNode(Kind::Fuel, fuel.fuelType));
        QVERIFY(QTest::qWaitFor([&] { return page->detail()->isReady(); }, waitMs));
        QCOMPARE(model->rowCount(), 30);
        QSqlQuery sold = c->exec(
            QStringLiteral("SELECT d::date, coalesce((SELECT sum(s.volume) FROM %1.sales s JOIN "
                           "%1.nozzles n ON n.id = s.nozzle_id WHERE s.station_id = ? AND "
                           "n.fuel_type = ? AND (s.sold_at AT TIME ZONE ?)::date = d::date), 0) "
                           "FROM generate_series(?::date, ?::date - 29, interval '-1 day') AS d")
                .arg(m_s),
            { station, fuel.fuelType, m_zone, last, last });
        row = 0;
        while (sold.next()) {
            QVERIFY(model->item(row, 0)->text().startsWith(
                sold.value(0).toDate().toString(Qt::ISODate)));
            QCOMPARE(model->item(row, 2)->text(),
                     locale.toString(sold.value(1).toDouble(), 'f', 0));
            ++row;
        }
        QCOMPARE(row, 30);
        QXYSeries *book =
            seriesNamed(page->detail()->chart(0), StationCharts::bookStockSeriesName());
        QVERIFY(book);
        QCOMPARE(book->count(), 30);
        QCOMPARE(book->at(29).y(), fuel.current); // nothing moved after the measurement
    }

    void whatDoesNotAddUpIsOutlined()
    {
        auto c = m_db->connect();
        // The day's last reading of the station (the first nozzle by id among those read then)
        // made a litre lower than the reading before it; put back at the end.
        QSqlQuery reading = c->exec(
            QStringLiteral("SELECT r.id::text, r.nozzle_id::text, r.reading, (SELECT b.reading "
                           "FROM %1.nozzle_readings b WHERE b.nozzle_id = r.nozzle_id AND "
                           "b.recorded_at < r.recorded_at ORDER BY b.recorded_at DESC LIMIT 1) "
                           "FROM %1.nozzle_readings r JOIN %1.nozzles n ON n.id = r.nozzle_id "
                           "WHERE n.station_id = ? AND (r.recorded_at AT TIME ZONE ?)::date = ? "
                           "ORDER BY r.recorded_at DESC, r.nozzle_id LIMIT 1")
                .arg(m_s),
            { m_station, m_zone, m_day });
        QVERIFY(reading.next());
        const QString nozzle = reading.value(1).toString();
        QVERIFY(!reading.value(3).isNull() && reading.value(3).toDouble() >= 1);
        // Put back whatever happens (issue 15, item 30): later tests share this fixture.
        const TableRestorer restore(*m_db, { m_schema + QStringLiteral(".nozzle_readings") });
        c->exec(QStringLiteral("UPDATE %1.nozzle_readings SET reading = ? WHERE id = ?").arg(m_s),
                { reading.value(3).toDouble() - 1, reading.value(0) });
        StationPage *page = watched(m_window->openStation(m_schema, m_station, m_day));
        QVERIFY(QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs));
        StationGraphScene *scene = page->scene();
        const int index = scene->find(Kind::Nozzle, nozzle);
        QVERIFY(index > 0);
        QVERIFY(!scene->nodes().at(index).problems.isEmpty());
        QVERIFY(scene->problemCount(index) >= 1);
        // Collapsed, its pump counts it.
        const int pump = scene->nodes().at(index).parent;
        scene->setExpanded(pump, false);
        QVERIFY(scene->problemCount(pump) >= 1);
        QVERIFY(!scene->isShown(index));
        // Selecting it opens the pump again and marks the reading in chart and table.
        QVERIFY(page->selectNode(Kind::Nozzle, nozzle));
        QVERIFY(scene->isShown(index));
        StationDetailView *detail = page->detail();
        QVERIFY(QTest::qWaitFor([&] { return detail->isReady(); }, waitMs));
        QCOMPARE(seriesNamed(detail->chart(0), StationCharts::wentDownSeriesName())->count(), 1);
        QVERIFY(detail->findingsText().contains(QStringLiteral("lower than the reading before")));
        int red = 0;
        for (int row = 0; row < detail->model()->rowCount(); ++row)
            red += detail->model()->item(row, 0)->foreground().color() != QColor(Qt::black)
                    && !detail->model()->item(row, 0)->toolTip().isEmpty()
                ? 1
                : 0;
        QVERIFY(red >= 1);
        saveScreenshot(QStringLiteral("station-problem.png"));
    }

    void aWrongStationOrTenantSaysSo()
    {
        auto c = m_db->connect();
        const auto fingerprint = [&] {
            return c
                ->scalar(QStringLiteral("SELECT (SELECT count(*) FROM %1.stations) || '/' || "
                                        "(SELECT count(*) FROM %1.sales) || '/' || (SELECT "
                                        "count(*) FROM pg_class)")
                             .arg(m_s))
                .toString();
        };
        const QString before = fingerprint();
        const QList<std::pair<QString, QString>> cases {
            { m_schema, QStringLiteral("No such station'--") },
            { QStringLiteral("x\"; DROP TABLE y; --"), QString() },
        };
        for (const auto &[schema, station] : cases) {
            StationPage *page = watched(m_window->openStation(schema, station));
            QVERIFY(page);
            QSignalSpy failed(page, &StationPage::failed);
            QVERIFY(failed.wait(waitMs));
            const QString message = failed.first().first().toString();
            QVERIFY2(message.contains(QStringLiteral("no station"))
                         || message.contains(QStringLiteral("not a tenant schema")),
                     qPrintable(message));
            QVERIFY(!page->isLoaded());
        }
        // A station that is not there still leaves the tenant's stations to pick from.
        StationPage *page = watched(m_window->openStation(m_schema, QStringLiteral("Nowhere")));
        QSignalSpy failed(page, &StationPage::failed);
        QVERIFY(failed.wait(waitMs));
        QCOMPARE(page->stationBox()->count(),
                 c->scalar(QStringLiteral("SELECT count(*) FROM %1.stations").arg(m_s)).toInt());
        page->stationBox()->setCurrentIndex(page->stationBox()->findData(m_station));
        page->reload();
        QVERIFY(QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs));
        QCOMPARE(page->stationId(), m_station);
        QCOMPARE(fingerprint(), before);
    }

    void theAppShowsAStationForAScreenshot()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("station.png"));
        auto c = m_db->connect();
        const QString nozzle = c->scalar(QStringLiteral("SELECT id::text FROM %1.nozzles WHERE "
                                                        "station_id = ? ORDER BY id LIMIT 1")
                                             .arg(m_s),
                                         { m_station })
                                   .toString();
        QProcess app;
        app.start(qEnvironmentVariable("FUELSYNC_ADMIN"),
                  { QStringLiteral("--db"), m_db->uri(), QStringLiteral("--view"),
                    QStringLiteral("station"), QStringLiteral("--tenant"), m_schema,
                    QStringLiteral("--station"), m_stationName, QStringLiteral("--day"),
                    m_day.toString(Qt::ISODate), QStringLiteral("--nozzle"), nozzle,
                    QStringLiteral("--screenshot"), png });
        QVERIFY(app.waitForFinished(60'000));
        QVERIFY2(app.exitCode() == 0, qPrintable(QString::fromUtf8(app.readAllStandardError())));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);

        QProcess wrong;
        wrong.start(qEnvironmentVariable("FUELSYNC_ADMIN"),
                    { QStringLiteral("--db"), m_db->uri(), QStringLiteral("--view"),
                      QStringLiteral("station"), QStringLiteral("--tenant"), m_schema,
                      QStringLiteral("--station"), QStringLiteral("Nowhere"),
                      QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("w.png")) });
        QVERIFY(wrong.waitForFinished(60'000));
        QCOMPARE(wrong.exitCode(), 1);
        QVERIFY(QString::fromUtf8(wrong.readAllStandardError())
                    .contains(QStringLiteral("no station Nowhere")));

        QProcess noTenant;
        noTenant.start(qEnvironmentVariable("FUELSYNC_ADMIN"),
                       { QStringLiteral("--db"), m_db->uri(), QStringLiteral("--view"),
                         QStringLiteral("station") });
        QVERIFY(noTenant.waitForFinished(60'000));
        QCOMPARE(noTenant.exitCode(), 2);
        QVERIFY(QString::fromUtf8(noTenant.readAllStandardError())
                    .contains(QStringLiteral("--tenant")));
    }

    void anotherDayKeepsTheNozzle()
    {
        StationPage *page = watched(m_window->openStation(m_schema, m_station, m_day));
        QVERIFY(QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs));
        const QString nozzle = page->scene()->graph().pumps.first().nozzles.first().id;
        QVERIFY(page->selectNode(Kind::Nozzle, nozzle));
        QVERIFY(QTest::qWaitFor([&] { return page->detail()->isReady(); }, waitMs));
        const int before = page->detail()->model()->rowCount();
        // The day before: the graph counts that day, the nozzle stays selected and its history
        // ends a day earlier.
        QSignalSpy loaded(page, &StationPage::loaded);
        page->findChild<QDateEdit *>()->setDate(m_day.addDays(-1));
        QVERIFY(loaded.wait(waitMs));
        QCOMPARE(page->scene()->graph().day, m_day.addDays(-1));
        QCOMPARE(page->scene()->nodes().at(page->scene()->selected()).id, nozzle);
        QVERIFY(QTest::qWaitFor([&] { return page->detail()->isReady(); }, waitMs));
        QVERIFY(page->detail()->model()->rowCount() < before);
    }

private:
    void saveScreenshot(const QString &name)
    {
        const QString shots = qEnvironmentVariable("FUELSYNC_TEST_SCREENSHOTS");
        if (!shots.isEmpty())
            m_window->grab().save(shots + u'/' + name);
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_settingsDir;
    QString m_schema;
    QString m_s;
    QString m_station;
    QString m_stationName;
    QDate m_day;
    QString m_zone = HistoryWindow::workstationZone();
};

QTEST_MAIN(StationViewTest)
#include "tst_stationview.moc"
