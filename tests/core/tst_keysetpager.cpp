// Browsing a table a page at a time: every order (key, a sorted column with NULLs and repeats,
// either direction), read forwards from the first page or backwards from the last, gives exactly
// the rows ORDER BY gives, once each; filters bind their values; text comes back as PostgreSQL
// writes it; tables without a primary key page by row address; the catalog's description of a
// table is complete.

#include "TestDatabase.h"
#include "browse/KeysetPager.h"
#include "browse/TableDefinitionReader.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

QStringList column(DbConnection &c, const QString &sql)
{
    QSqlQuery query = c.exec(sql);
    QStringList result;
    while (query.next())
        result.append(query.isNull(0) ? QStringLiteral("<null>") : query.value(0).toString());
    return result;
}

QString cellText(const PageRow &row, int column)
{
    return row.isNull(column) ? QStringLiteral("<null>") : row.cells.at(column);
}

// Every page from the first on; each page's flags checked on the way.
QStringList readForwards(DbConnection &c, const KeysetPager &pager, int column, int *pages)
{
    QStringList values;
    RowPage page = pager.first(c);
    *pages = 1;
    [&] {
        QVERIFY(!page.hasBefore);
    }();
    while (true) {
        for (const PageRow &row : std::as_const(page.rows))
            values.append(cellText(row, column));
        if (!page.hasAfter)
            break;
        [&] {
            QCOMPARE(page.rows.size(), pager.pageSize());
        }();
        page = pager.after(c, page.lastCursor());
        [&] {
            QVERIFY(page.hasBefore);
        }();
        if (++*pages > 10'000)
            break;
    }
    return values;
}

QStringList readBackwards(DbConnection &c, const KeysetPager &pager, int column)
{
    QStringList values;
    RowPage page = pager.last(c);
    [&] {
        QVERIFY(!page.hasAfter);
    }();
    int pages = 1;
    while (true) {
        QStringList pageValues;
        for (const PageRow &row : std::as_const(page.rows))
            pageValues.append(cellText(row, column));
        values = pageValues + values;
        if (!page.hasBefore)
            break;
        page = pager.before(c, page.firstCursor());
        [&] {
            QVERIFY(page.hasAfter);
        }();
        if (++pages > 10'000)
            break;
    }
    return values;
}

} // namespace

class TestKeysetPager : public QObject
{
    Q_OBJECT

    TestDatabase *m_db = nullptr;
    std::unique_ptr<DbConnection> m_c;

private slots:
    void initTestCase()
    {
        m_db = new TestDatabase(QStringLiteral("keysetpager"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        m_c = m_db->connect();
        // 1,000 readings: repeated and NULL values in `reading`, a name with a quote in it.
        m_c->exec(QStringLiteral("CREATE SCHEMA \"o'brien fuels\""));
        m_c->exec(
            QStringLiteral("CREATE TABLE \"o'brien fuels\".readings (id integer PRIMARY KEY, "
                           "reading numeric(12,3), note text, taken_at timestamptz NOT NULL)"));
        m_c->exec(QStringLiteral(
            "INSERT INTO \"o'brien fuels\".readings "
            "SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37 % 101) + 0.125 END, "
            "CASE WHEN i % 5 = 0 THEN '' WHEN i % 11 = 0 THEN NULL ELSE 'note ' || i END, "
            "timestamptz '2026-01-01 00:00+00' + i * interval '1 hour' "
            "FROM generate_series(1, 1000) i"));
        m_c->exec(QStringLiteral("CREATE INDEX ON \"o'brien fuels\".readings (reading)"));
        m_c->exec(QStringLiteral("ANALYZE \"o'brien fuels\".readings"));
    }

    void cleanupTestCase()
    {
        m_c.reset();
        delete m_db;
    }

    void everyOrderReadsEveryRowOnceInBothDirections_data()
    {
        QTest::addColumn<QString>("sortColumn");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<int>("pageSize");
        QTest::addColumn<QString>("orderBy");
        QTest::newRow("key") << QString() << false << 64 << QStringLiteral("id");
        QTest::newRow("key, descending")
            << QStringLiteral("id") << true << 100 << QStringLiteral("id DESC");
        QTest::newRow("nullable column")
            << QStringLiteral("reading") << false << 37 << QStringLiteral("reading, id");
        QTest::newRow("nullable column, descending")
            << QStringLiteral("reading") << true << 37 << QStringLiteral("reading DESC, id DESC");
        QTest::newRow("text with '' and NULL")
            << QStringLiteral("note") << false << 250 << QStringLiteral("note, id");
        QTest::newRow("not-null column, one row a page")
            << QStringLiteral("taken_at") << true << 1 << QStringLiteral("taken_at DESC, id DESC");
    }

    void everyOrderReadsEveryRowOnceInBothDirections()
    {
        QFETCH(QString, sortColumn);
        QFETCH(bool, descending);
        QFETCH(int, pageSize);
        QFETCH(QString, orderBy);
        const TableDefinition table = TableDefinitionReader::read(
            *m_c, QStringLiteral("o'brien fuels"), QStringLiteral("readings"));
        const KeysetPager pager(table, { sortColumn, descending, {} }, pageSize);
        const QStringList expected = column(
            *m_c,
            QStringLiteral("SELECT id FROM \"o'brien fuels\".readings ORDER BY %1").arg(orderBy));
        QCOMPARE(expected.size(), 1000);
        int pages = 0;
        QCOMPARE(readForwards(*m_c, pager, 0, &pages), expected);
        QCOMPARE(pages, (1000 + pageSize - 1) / pageSize);
        QCOMPARE(readBackwards(*m_c, pager, 0), expected);
    }

    void aPageIsTheSameWhicheverWayItIsReached()
    {
        const TableDefinition table = TableDefinitionReader::read(
            *m_c, QStringLiteral("o'brien fuels"), QStringLiteral("readings"));
        const KeysetPager pager(table, { QStringLiteral("reading"), false, {} }, 50);
        const RowPage first = pager.first(*m_c);
        const RowPage second = pager.after(*m_c, first.lastCursor());
        const RowPage back = pager.before(*m_c, second.firstCursor());
        QCOMPARE(back.rows.size(), first.rows.size());
        for (qsizetype i = 0; i < back.rows.size(); ++i)
            QCOMPARE(back.rows.at(i).cells, first.rows.at(i).cells);
        QVERIFY(!back.hasBefore);
        QVERIFY(back.hasAfter);
    }

    void valuesComeBackAsPostgresWritesThemWithNullApartFromEmpty()
    {
        const TableDefinition table = TableDefinitionReader::read(
            *m_c, QStringLiteral("o'brien fuels"), QStringLiteral("readings"));
        const KeysetPager pager(table, {}, 15);
        const RowPage page = pager.first(*m_c);
        const int reading = table.columnIndex(QStringLiteral("reading"));
        const int note = table.columnIndex(QStringLiteral("note"));
        const int takenAt = table.columnIndex(QStringLiteral("taken_at"));
        QCOMPARE(page.rows.at(0).cells.at(reading), QStringLiteral("37.125")); // id 1
        QVERIFY(page.rows.at(6).isNull(reading)); // id 7
        QCOMPARE(page.rows.at(4).cells.at(note), QString()); // id 5: ''
        QVERIFY(!page.rows.at(4).isNull(note));
        QVERIFY(page.rows.at(10).isNull(note)); // id 11: NULL
        QVERIFY(page.rows.at(0).cells.at(takenAt).startsWith(QStringLiteral("2026-01-01")));
    }

    void filtersBindTheirValuesAndTakeWildcardsLiterally()
    {
        m_c->exec(QStringLiteral("CREATE TABLE public.customers (id serial PRIMARY KEY, "
                                 "name text, credit numeric(12,2))"));
        m_c->exec(QStringLiteral(
            "INSERT INTO public.customers (name, credit) VALUES ('North 50% Fuels', 10), "
            "('North 500 Fuels', 20), ('x''); DROP TABLE public.customers; --', 30), "
            "('Under_score', NULL), ('Underscore', 40)"));
        const TableDefinition table = TableDefinitionReader::read(*m_c, QStringLiteral("public"),
                                                                  QStringLiteral("customers"));
        auto names = [&](const QList<RowFilter> &filters) {
            const KeysetPager pager(table, { QString(), false, filters }, 2);
            int pages = 0;
            return readForwards(*m_c, pager, 1, &pages);
        };
        using Op = RowFilter::Op;
        QCOMPARE(names({ { QStringLiteral("name"), Op::Contains, QStringLiteral("50%") } }),
                 QStringList { QStringLiteral("North 50% Fuels") });
        QCOMPARE(names({ { QStringLiteral("name"), Op::Contains, QStringLiteral("r_s") } }),
                 QStringList { QStringLiteral("Under_score") });
        QCOMPARE(names({ { QStringLiteral("name"), Op::Equals,
                           QStringLiteral("x'); DROP TABLE public.customers; --") } })
                     .size(),
                 1);
        QCOMPARE(names({ { QStringLiteral("credit"), Op::GreaterOrEqual, QStringLiteral("20") },
                         { QStringLiteral("name"), Op::StartsWith, QStringLiteral("North") } }),
                 QStringList { QStringLiteral("North 500 Fuels") });
        QCOMPARE(names({ { QStringLiteral("credit"), Op::IsNull, QString() } }),
                 QStringList { QStringLiteral("Under_score") });
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM public.customers")).toInt(), 5);

        // A value the column's type cannot take: the server's message, and nothing read.
        const KeysetPager wrong(
            table,
            { QString(),
              false,
              { { QStringLiteral("credit"), Op::Less, QStringLiteral("lots") } } });
        try {
            wrong.first(*m_c);
            QFAIL("a filter value of the wrong type was accepted");
        } catch (const DbError &e) {
            QVERIFY2(e.text().contains(QStringLiteral("invalid input syntax for type numeric")),
                     qPrintable(e.text()));
        }
    }

    void unknownColumnsAreRefused()
    {
        const TableDefinition table = TableDefinitionReader::read(
            *m_c, QStringLiteral("o'brien fuels"), QStringLiteral("readings"));
        QVERIFY_THROWS_EXCEPTION(RequestError,
                                 KeysetPager(table, { QStringLiteral("nope"), false, {} }));
        QVERIFY_THROWS_EXCEPTION(
            RequestError,
            KeysetPager(table,
                        { QString(),
                          false,
                          { { QStringLiteral("id\"; --"), RowFilter::Op::IsNull, {} } } }));
        QVERIFY_THROWS_EXCEPTION(RequestError,
                                 TableDefinitionReader::read(*m_c, QStringLiteral("public"),
                                                             QStringLiteral("no_such_table")));
    }

    void tablesWithoutAPrimaryKeyPageByRowAddress()
    {
        m_c->exec(QStringLiteral("CREATE TABLE public.log (line text)"));
        m_c->exec(
            QStringLiteral("INSERT INTO public.log SELECT 'same' FROM generate_series(1, 230)"));
        m_c->exec(QStringLiteral("CREATE TABLE public.events (region text NOT NULL, n int) "
                                 "PARTITION BY LIST (region)"));
        m_c->exec(QStringLiteral("CREATE TABLE public.events_n PARTITION OF public.events FOR "
                                 "VALUES IN ('n')"));
        m_c->exec(QStringLiteral("CREATE TABLE public.events_s PARTITION OF public.events FOR "
                                 "VALUES IN ('s')"));
        m_c->exec(QStringLiteral("INSERT INTO public.events SELECT CASE WHEN i % 2 = 0 THEN 'n' "
                                 "ELSE 's' END, i FROM generate_series(1, 301) i"));
        for (const char *name : { "log", "events" }) {
            const TableDefinition table = TableDefinitionReader::read(
                *m_c, QStringLiteral("public"), QLatin1StringView(name));
            const KeysetPager pager(table, {}, 40);
            QVERIFY(pager.keyIsRowAddress());
            int pages = 0;
            const QStringList forwards = readForwards(*m_c, pager, 0, &pages);
            const int rows = m_c->scalar(QStringLiteral("SELECT count(*) FROM public.%1")
                                             .arg(QLatin1StringView(name)))
                                 .toInt();
            QCOMPARE(forwards.size(), rows);
            QCOMPARE(readBackwards(*m_c, pager, 0).size(), rows);
        }
        // Sorted by a column of a partitioned table: every row once.
        const TableDefinition events =
            TableDefinitionReader::read(*m_c, QStringLiteral("public"), QStringLiteral("events"));
        const KeysetPager byN(events, { QStringLiteral("n"), true, {} }, 33);
        int pages = 0;
        QCOMPARE(readForwards(*m_c, byN, 1, &pages),
                 column(*m_c, QStringLiteral("SELECT n FROM public.events ORDER BY n DESC")));
    }

    void longValuesAreCutAndSaySo()
    {
        m_c->exec(QStringLiteral("CREATE TABLE public.blobs (id int PRIMARY KEY, body text)"));
        m_c->exec(QStringLiteral(
            "INSERT INTO public.blobs VALUES (1, repeat('x', 50000)), (2, 'short')"));
        const TableDefinition table =
            TableDefinitionReader::read(*m_c, QStringLiteral("public"), QStringLiteral("blobs"));
        const KeysetPager pager(table, {}, 10, 1000);
        const RowPage page = pager.first(*m_c);
        QCOMPARE(page.rows.at(0).cells.at(1).size(), 1000);
        QVERIFY(page.rows.at(0).truncated.testBit(1));
        QVERIFY(!page.rows.at(1).truncated.testBit(1));
    }

    void theDefinitionHasColumnsKeysIndexesRelationshipsAndRules()
    {
        m_c->exec(QStringLiteral("CREATE TABLE public.stations (id int PRIMARY KEY, name text "
                                 "NOT NULL CHECK (btrim(name) <> ''))"));
        m_c->exec(QStringLiteral("COMMENT ON TABLE public.stations IS 'A fuel station.'"));
        m_c->exec(QStringLiteral(
            "CREATE TABLE public.pumps (station_id int NOT NULL REFERENCES public.stations (id) "
            "DEFERRABLE, number int NOT NULL DEFAULT 1 CONSTRAINT pumps_number_positive CHECK "
            "(number > 0), PRIMARY KEY (station_id, number))"));
        m_c->exec(QStringLiteral("COMMENT ON COLUMN public.pumps.number IS 'Pump number on the "
                                 "forecourt.'"));
        m_c->exec(QStringLiteral("COMMENT ON CONSTRAINT pumps_number_positive ON public.pumps IS "
                                 "'Pumps are numbered from 1.'"));
        const TableDefinition pumps =
            TableDefinitionReader::read(*m_c, QStringLiteral("public"), QStringLiteral("pumps"));
        QCOMPARE(pumps.primaryKey,
                 QStringList({ QStringLiteral("station_id"), QStringLiteral("number") }));
        QCOMPARE(pumps.columns.size(), 2);
        QCOMPARE(pumps.columns.at(1).defaultExpression, QStringLiteral("1"));
        QCOMPARE(pumps.columns.at(1).comment, QStringLiteral("Pump number on the forecourt."));
        QVERIFY(pumps.columns.at(0).notNull);
        QCOMPARE(pumps.references.size(), 1);
        QCOMPARE(pumps.references.at(0).referencedTable, QStringLiteral("stations"));
        QCOMPARE(pumps.references.at(0).columns, QStringList { QStringLiteral("station_id") });
        QVERIFY(pumps.references.at(0).definition.contains(QStringLiteral("DEFERRABLE")));
        QCOMPARE(pumps.rules.size(), 1);
        QCOMPARE(pumps.rules.at(0).comment, QStringLiteral("Pumps are numbered from 1."));
        QVERIFY(pumps.indexes.at(0).primary);

        const TableDefinition stations =
            TableDefinitionReader::read(*m_c, QStringLiteral("public"), QStringLiteral("stations"));
        QCOMPARE(stations.comment, QStringLiteral("A fuel station."));
        QCOMPARE(stations.referencedBy.size(), 1);
        QCOMPARE(stations.referencedBy.at(0).table, QStringLiteral("pumps"));

        // A composite key pages like a single one.
        m_c->exec(QStringLiteral("INSERT INTO public.stations SELECT i, 'S' || i FROM "
                                 "generate_series(1, 9) i"));
        m_c->exec(QStringLiteral("INSERT INTO public.pumps SELECT s, n FROM generate_series(1, 9) "
                                 "s, generate_series(1, 13) n"));
        const KeysetPager pager(pumps, { QStringLiteral("number"), true, {} }, 10);
        int pages = 0;
        QCOMPARE(readForwards(*m_c, pager, 0, &pages),
                 column(*m_c,
                        QStringLiteral("SELECT station_id FROM public.pumps ORDER BY "
                                       "number DESC, station_id DESC, number DESC")));
        QCOMPARE(readBackwards(*m_c, pager, 0),
                 column(*m_c,
                        QStringLiteral("SELECT station_id FROM public.pumps ORDER BY "
                                       "number DESC, station_id DESC")));
    }
};

QTEST_GUILESS_MAIN(TestKeysetPager)
#include "tst_keysetpager.moc"
