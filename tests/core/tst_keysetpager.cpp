// Browsing a table a page at a time: every order (key, a sorted column with NULLs and repeats,
// either direction), read forwards from the first page or backwards from the last, gives exactly
// the rows ORDER BY gives, once each; filters bind their values; text comes back as PostgreSQL
// writes it; tables without a primary key page by row address; the catalog's description of a
// table is complete; a scrollbar jump (seek) lands near its fraction of the order, from the
// statistics, the ends of the order or the table's blocks, with the rows ORDER BY gives there.

#include "TestDatabase.h"
#include "browse/CsvExport.h"
#include "browse/KeysetPager.h"
#include "browse/TableDefinitionReader.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QTemporaryDir>
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

// The same rows, cursors and flags.
void comparePages(const RowPage &actual, const RowPage &expected)
{
    QCOMPARE(actual.rows.size(), expected.rows.size());
    for (qsizetype i = 0; i < actual.rows.size(); ++i) {
        QCOMPARE(actual.rows.at(i).cells, expected.rows.at(i).cells);
        QCOMPARE(actual.rows.at(i).nulls, expected.rows.at(i).nulls);
        QCOMPARE(actual.rows.at(i).cursor, expected.rows.at(i).cursor);
    }
    QCOMPARE(actual.hasBefore, expected.hasBefore);
    QCOMPARE(actual.hasAfter, expected.hasAfter);
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

        // For jumps, 10,000 meter readings (autovacuum off: statistics only where a test made
        // them): `litres` unique and NULL in every fifth row, ten readings a day, half the
        // grades 0 and the other half unique.
        const QString meters = QStringLiteral(
            "CREATE TABLE public.%1 (id integer PRIMARY KEY, litres numeric(12,3), site text NOT "
            "NULL, parity integer NOT NULL, read_at timestamptz NOT NULL, read_on date NOT NULL, "
            "grade integer NOT NULL) WITH (autovacuum_enabled = off)");
        const QString meterRows = QStringLiteral(
            "INSERT INTO public.%1 SELECT i, CASE WHEN i % 5 = 0 THEN NULL "
            "ELSE (i * 7919 % 10007) / 10.0 END, 'site ' || lpad(i::text, 5, '0'), i % 2, "
            "timestamptz '2026-01-01 00:00+00' + i * interval '7 minutes', "
            "date '2020-01-01' + i / 10, CASE WHEN i % 2 = 0 THEN 0 ELSE i END "
            "FROM generate_series(1, 10000) i");
        for (const char *name : { "meters", "meters_raw" }) {
            m_c->exec(meters.arg(QLatin1StringView(name)));
            m_c->exec(meterRows.arg(QLatin1StringView(name)));
            m_c->exec(
                QStringLiteral("CREATE INDEX ON public.%1 (litres)").arg(QLatin1StringView(name)));
        }
        m_c->exec(QStringLiteral("ANALYZE public.meters"));
        // Without a primary key: read by row address.
        m_c->exec(QStringLiteral("CREATE TABLE public.meter_log (n integer NOT NULL, line text) "
                                 "WITH (autovacuum_enabled = off)"));
        m_c->exec(QStringLiteral("INSERT INTO public.meter_log SELECT i, 'reading ' || i FROM "
                                 "generate_series(1, 10000) i"));
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

    // Sorting by a column that leads a unique index (here a nozzle's readings, unique by
    // (nozzle_id, recorded_at), with random ids): ties are broken by that index's columns, so
    // the order is the index's own and pages come straight from it. The rows are still exactly
    // ORDER BY's for that tuple, both ways; an index whose other column may be NULL is not used.
    void aUniqueIndexLedByTheSortColumnBreaksTies()
    {
        m_c->exec(QStringLiteral(
            "CREATE TABLE public.nozzle_log (id text PRIMARY KEY, nozzle_id integer NOT NULL, "
            "recorded_at timestamptz NOT NULL, shift integer, litres numeric(10,2), "
            "UNIQUE (nozzle_id, recorded_at), UNIQUE (litres, shift))"));
        m_c->exec(QStringLiteral(
            "INSERT INTO public.nozzle_log SELECT md5(i::text), i % 7, "
            "timestamptz '2026-03-01 00:00+00' + (i * 7919 % 1000) * interval '1 minute', "
            "CASE WHEN i % 3 = 0 THEN NULL ELSE i END, i % 50 "
            "FROM generate_series(1, 1000) i"));
        m_c->exec(QStringLiteral("ANALYZE public.nozzle_log"));
        const TableDefinition table = TableDefinitionReader::read(*m_c, QStringLiteral("public"),
                                                                  QStringLiteral("nozzle_log"));

        for (const bool descending : { false, true }) {
            const KeysetPager pager(table, { QStringLiteral("nozzle_id"), descending, {} }, 45);
            const RowPage first = pager.first(*m_c);
            QVERIFY(!first.rows.isEmpty());
            // The cursor is the index's tuple: nozzle, then the time (not the id).
            const PageCursor &cursor = first.rows.first().cursor;
            QCOMPARE(cursor.values.size(), 2);
            QCOMPARE(cursor.values.at(1), first.rows.first().cells.at(2));
            const QString direction = descending ? QStringLiteral(" DESC") : QString();
            const QStringList expected =
                column(*m_c,
                       QStringLiteral("SELECT id FROM public.nozzle_log ORDER BY nozzle_id%1, "
                                      "recorded_at%1")
                           .arg(direction));
            int pages = 0;
            QCOMPARE(readForwards(*m_c, pager, 0, &pages), expected);
            QCOMPARE(readBackwards(*m_c, pager, 0), expected);
            // By (nozzle_id, id) the rows would come in another order: the test can tell.
            QVERIFY(
                expected
                != column(*m_c,
                          QStringLiteral("SELECT id FROM public.nozzle_log ORDER BY nozzle_id%1, "
                                         "id%1")
                              .arg(direction)));
        }

        // (litres, shift) is unique but shift may be NULL, so it does not order the rows: ties
        // fall back to the primary key.
        const KeysetPager byLitres(table, { QStringLiteral("litres"), false, {} }, 45);
        const RowPage first = byLitres.first(*m_c);
        QCOMPARE(first.rows.first().cursor.values.at(1), first.rows.first().cells.at(0));
        int pages = 0;
        QCOMPARE(
            readForwards(*m_c, byLitres, 0, &pages),
            column(*m_c, QStringLiteral("SELECT id FROM public.nozzle_log ORDER BY litres, id")));
        m_c->exec(QStringLiteral("DROP TABLE public.nozzle_log"));
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

    // Issue 15, item 27: the CSV export follows PostgreSQL's own CSV rules for every type: NULL
    // is an empty unquoted field, an empty text is "", and a value with a comma, a quote or a
    // line break is quoted, its quotes doubled (what COPY ... TO ... CSV writes).
    void csvExportWritesNullApartFromTheEmptyString()
    {
        m_c->exec(QStringLiteral("CREATE TABLE public.csv_values (id int PRIMARY KEY, t text, "
                                 "v varchar(10), n numeric, u uuid, j jsonb, b boolean)"));
        m_c->exec(QStringLiteral(
            "INSERT INTO public.csv_values VALUES (1, NULL, '', NULL, NULL, NULL, NULL), "
            "(2, '', NULL, 1.5, '6e05adae-d223-147b-c807-e9bde0f7bb5a', '{}', true), "
            "(3, E'a,b\\n\"c\"', 'q', 0, NULL, 'null', false)"));
        const TableDefinition table = TableDefinitionReader::read(*m_c, QStringLiteral("public"),
                                                                  QStringLiteral("csv_values"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("values.csv"));
        const CsvExport::Result result = CsvExport::write(*m_c, table, {}, path, unwatched(), 2);
        QCOMPARE(result.rows, 3);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray csv = file.readAll();
        QCOMPARE(csv,
                 QByteArray("id,t,v,n,u,j,b\r\n"
                            "1,,\"\",,,,\r\n"
                            "2,\"\",,1.5,6e05adae-d223-147b-c807-e9bde0f7bb5a,{},true\r\n"
                            "3,\"a,b\n\"\"c\"\"\",q,0,,null,false\r\n"));
        m_c->exec(QStringLiteral("DROP TABLE public.csv_values"));
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

    void seekLandsNearItsFractionWithTheRowsOrderByGivesThere_data()
    {
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("sortColumn");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<QString>("filterColumn"); // "": no filter; else column = filterValue
        QTest::addColumn<QString>("filterValue");
        QTest::addColumn<QString>("orderBy");
        QTest::addColumn<double>("fraction");
        const QString meters = QStringLiteral("meters");
        const QString raw = QStringLiteral("meters_raw");
        const QString log = QStringLiteral("meter_log");
        const QString none;
        const QString publicSchema = QStringLiteral("public");
        const QString obrien = QStringLiteral("o'brien fuels");
        const QString readings = QStringLiteral("readings");
        // Analyzed, 101 values repeated about ten times each: most common values and no
        // histogram; a schema name with a quote in it.
        QTest::newRow("most common values")
            << obrien << readings << QStringLiteral("reading") << false << none << none
            << QStringLiteral("reading, id") << 0.5;
        QTest::newRow("most common values, descending")
            << obrien << readings << QStringLiteral("reading") << true << none << none
            << QStringLiteral("reading DESC, id DESC") << 0.3;
        QTest::newRow("most common values, in the NULL part")
            << obrien << readings << QStringLiteral("reading") << false << none << none
            << QStringLiteral("reading, id") << 0.9;
        // Analyzed: the histogram.
        QTest::newRow("key") << publicSchema << meters << none << false << none << none
                             << QStringLiteral("id") << 0.5;
        QTest::newRow("key, a quarter") << publicSchema << meters << none << false << none << none
                                        << QStringLiteral("id") << 0.25;
        QTest::newRow("key, descending") << publicSchema << meters << QStringLiteral("id") << true
                                         << none << none << QStringLiteral("id DESC") << 0.5;
        QTest::newRow("nullable column")
            << publicSchema << meters << QStringLiteral("litres") << false << none << none
            << QStringLiteral("litres, id") << 0.5;
        QTest::newRow("nullable column, in the NULL part")
            << publicSchema << meters << QStringLiteral("litres") << false << none << none
            << QStringLiteral("litres, id") << 0.9;
        QTest::newRow("nullable column, descending")
            << publicSchema << meters << QStringLiteral("litres") << true << none << none
            << QStringLiteral("litres DESC, id DESC") << 0.6;
        QTest::newRow("nullable column, descending, in the NULL part")
            << publicSchema << meters << QStringLiteral("litres") << true << none << none
            << QStringLiteral("litres DESC, id DESC") << 0.1;
        QTest::newRow("a most common value and a histogram")
            << publicSchema << meters << QStringLiteral("grade") << false << none << none
            << QStringLiteral("grade, id") << 0.75;
        QTest::newRow("a most common value and a histogram, descending")
            << publicSchema << meters << QStringLiteral("grade") << true << none << none
            << QStringLiteral("grade DESC, id DESC") << 0.3;
        QTest::newRow("dates with repeats")
            << publicSchema << meters << QStringLiteral("read_on") << false << none << none
            << QStringLiteral("read_on, id") << 0.5;
        QTest::newRow("key, filtered")
            << publicSchema << meters << none << false << QStringLiteral("parity")
            << QStringLiteral("1") << QStringLiteral("id") << 0.5;
        QTest::newRow("nullable column, filtered")
            << publicSchema << meters << QStringLiteral("litres") << true
            << QStringLiteral("parity") << QStringLiteral("0")
            << QStringLiteral("litres DESC, id DESC") << 0.7;
        // Never analyzed: between the first and last values.
        QTest::newRow("not analyzed, key")
            << publicSchema << raw << none << false << none << none << QStringLiteral("id") << 0.5;
        QTest::newRow("not analyzed, key, descending")
            << publicSchema << raw << none << true << none << none << QStringLiteral("id DESC")
            << 0.3;
        QTest::newRow("not analyzed, timestamp")
            << publicSchema << raw << QStringLiteral("read_at") << true << none << none
            << QStringLiteral("read_at DESC, id DESC") << 0.5;
        QTest::newRow("not analyzed, date with repeats")
            << publicSchema << raw << QStringLiteral("read_on") << false << none << none
            << QStringLiteral("read_on, id") << 0.75;
        QTest::newRow("not analyzed, filtered")
            << publicSchema << raw << QStringLiteral("read_at") << false << QStringLiteral("parity")
            << QStringLiteral("1") << QStringLiteral("read_at, id") << 0.4;
        // No primary key: the block that far into the table.
        QTest::newRow("row address") << publicSchema << log << none << false << none << none
                                     << QStringLiteral("ctid") << 0.5;
        QTest::newRow("row address, descending") << publicSchema << log << none << true << none
                                                 << none << QStringLiteral("ctid DESC") << 0.2;
        QTest::newRow("row address, by a column")
            << publicSchema << log << QStringLiteral("n") << true << none << none
            << QStringLiteral("n DESC, ctid DESC") << 0.5;
    }

    void seekLandsNearItsFractionWithTheRowsOrderByGivesThere()
    {
        QFETCH(QString, schema);
        QFETCH(QString, table);
        QFETCH(QString, sortColumn);
        QFETCH(bool, descending);
        QFETCH(QString, filterColumn);
        QFETCH(QString, filterValue);
        QFETCH(QString, orderBy);
        QFETCH(double, fraction);
        const TableDefinition definition = TableDefinitionReader::read(*m_c, schema, table);
        QList<RowFilter> filters;
        QString where;
        if (!filterColumn.isEmpty()) {
            filters.append({ filterColumn, RowFilter::Op::Equals, filterValue });
            where = QStringLiteral(" WHERE %1 = %2").arg(filterColumn, filterValue);
        }
        const int pageSize = 50;
        const KeysetPager pager(definition, { sortColumn, descending, filters }, pageSize);
        // Column 0 is unique in every table: it tells where the page starts.
        const QStringList ordered =
            column(*m_c,
                   QStringLiteral("SELECT %1 FROM \"%2\".%3%4 ORDER BY %5")
                       .arg(definition.columns.at(0).name, schema, table, where, orderBy));

        const RowPage page = pager.seek(*m_c, fraction);
        QCOMPARE(page.rows.size(), pageSize);
        const qsizetype start = ordered.indexOf(page.rows.first().cells.at(0));
        QVERIFY(start >= 0);
        const double landed = double(start) / double(ordered.size());
        QVERIFY2(
            std::abs(landed - fraction) <= 0.1,
            qPrintable(QStringLiteral("asked for %1, landed at %2").arg(fraction).arg(landed)));
        QStringList ids;
        for (const PageRow &row : std::as_const(page.rows))
            ids.append(cellText(row, 0));
        QCOMPARE(ids, ordered.mid(start, pageSize));
        QCOMPARE(page.hasBefore, start > 0);
        QCOMPARE(page.hasAfter, start + pageSize < ordered.size());
        // Paging on from a jump goes on in the order.
        const RowPage next = pager.after(*m_c, page.lastCursor());
        QCOMPARE(cellText(next.rows.first(), 0), ordered.at(start + pageSize));
    }

    void theStatisticsAreThereOnlyWhereATestMadeThem()
    {
        // The premise of the cases above: meters was analyzed, meters_raw never was; the
        // statistics have most common values, a histogram, or both.
        const QString shape = QStringLiteral(
            "SELECT (most_common_vals IS NOT NULL)::text || ' ' || (histogram_bounds IS NOT "
            "NULL)::text FROM pg_stats WHERE schemaname = '%1' AND tablename = '%2' AND "
            "attname = '%3'");
        QCOMPARE(m_c->scalar(shape.arg(QStringLiteral("o''brien fuels"), QStringLiteral("readings"),
                                       QStringLiteral("reading")))
                     .toString(),
                 QStringLiteral("true false"));
        QCOMPARE(m_c->scalar(shape.arg(QStringLiteral("public"), QStringLiteral("meters"),
                                       QStringLiteral("id")))
                     .toString(),
                 QStringLiteral("false true"));
        QCOMPARE(m_c->scalar(shape.arg(QStringLiteral("public"), QStringLiteral("meters"),
                                       QStringLiteral("grade")))
                     .toString(),
                 QStringLiteral("true true"));
        QVERIFY(m_c->scalar(QStringLiteral("SELECT count(*) FROM pg_stats WHERE schemaname = "
                                           "'public' AND tablename = 'meters'"))
                    .toInt()
                > 0);
        QCOMPARE(m_c->scalar(QStringLiteral("SELECT count(*) FROM pg_stats WHERE schemaname = "
                                            "'public' AND tablename = 'meters_raw'"))
                     .toInt(),
                 0);
    }

    void seekToTheEndsIsTheFirstAndLastPage_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("sortColumn");
        QTest::addColumn<bool>("descending");
        QTest::newRow("key") << QStringLiteral("meters") << QString() << false;
        QTest::newRow("nullable column, descending")
            << QStringLiteral("meters") << QStringLiteral("litres") << true;
        QTest::newRow("not analyzed")
            << QStringLiteral("meters_raw") << QStringLiteral("read_on") << false;
        QTest::newRow("row address") << QStringLiteral("meter_log") << QString() << true;
    }

    void seekToTheEndsIsTheFirstAndLastPage()
    {
        QFETCH(QString, table);
        QFETCH(QString, sortColumn);
        QFETCH(bool, descending);
        const TableDefinition definition =
            TableDefinitionReader::read(*m_c, QStringLiteral("public"), table);
        const KeysetPager pager(definition, { sortColumn, descending, {} }, 40);
        const RowPage first = pager.first(*m_c);
        const RowPage last = pager.last(*m_c);
        comparePages(pager.seek(*m_c, 0), first);
        comparePages(pager.seek(*m_c, -0.5), first);
        comparePages(pager.seek(*m_c, std::nan("")), first);
        comparePages(pager.seek(*m_c, 1), last);
        comparePages(pager.seek(*m_c, 7), last);
        // Nearly there: the flags say whether the jump landed on the first or last row.
        for (const double fraction : { 0.00001, 0.99999 }) {
            const RowPage page = pager.seek(*m_c, fraction);
            QCOMPARE(page.rows.size(), 40);
            QCOMPARE(page.hasBefore, page.firstCursor() != first.firstCursor());
            QCOMPARE(page.hasAfter, page.lastCursor() != last.lastCursor());
        }
    }

    void aJumpThatLandsOnTheFirstRowSaysThereIsNothingBefore()
    {
        // The first histogram bound is the smallest key; the interpolated key rounds to 1.
        for (const char *name : { "meters", "meters_raw" }) {
            const TableDefinition definition = TableDefinitionReader::read(
                *m_c, QStringLiteral("public"), QLatin1StringView(name));
            const KeysetPager pager(definition, {}, 20);
            const RowPage page = pager.seek(*m_c, 0.00001);
            QCOMPARE(page.rows.first().cells.at(0), QStringLiteral("1"));
            QVERIFY(!page.hasBefore);
            comparePages(page, pager.first(*m_c));
        }
    }

    void aJumpTooNearTheEndForAWholePageShowsTheLastPage()
    {
        // The last histogram bound is the largest key: one row from there, so the last page.
        const TableDefinition definition =
            TableDefinitionReader::read(*m_c, QStringLiteral("public"), QStringLiteral("meters"));
        const KeysetPager pager(definition, {}, 20);
        const RowPage page = pager.seek(*m_c, 0.99999);
        QCOMPARE(page.rows.size(), 20);
        QCOMPARE(page.rows.first().cells.at(0), QStringLiteral("9981"));
        comparePages(page, pager.last(*m_c));
    }

    void seekPastTheFilteredRowsShowsTheLastPage()
    {
        // The histogram knows the whole table: the middle of it is past every row the filter
        // lets through.
        const TableDefinition definition =
            TableDefinitionReader::read(*m_c, QStringLiteral("public"), QStringLiteral("meters"));
        const KeysetPager pager(
            definition,
            { QString(),
              false,
              { { QStringLiteral("id"), RowFilter::Op::LessOrEqual, QStringLiteral("100") } } },
            30);
        const RowPage page = pager.seek(*m_c, 0.5);
        comparePages(page, pager.last(*m_c));
        QCOMPARE(page.rows.first().cells.at(0), QStringLiteral("71"));
        QVERIFY(page.hasBefore);
        QVERIFY(!page.hasAfter);
    }

    void withNothingToPlaceItBySeekGoesToTheNearerEnd()
    {
        // Text has no scale to interpolate on, and meters_raw has no statistics.
        const TableDefinition raw = TableDefinitionReader::read(*m_c, QStringLiteral("public"),
                                                                QStringLiteral("meters_raw"));
        const KeysetPager bySite(raw, { QStringLiteral("site"), false, {} }, 25);
        comparePages(bySite.seek(*m_c, 0.3), bySite.first(*m_c));
        comparePages(bySite.seek(*m_c, 0.7), bySite.last(*m_c));

        // A partitioned table without a primary key: partitions follow no order that the
        // statistics describe.
        m_c->exec(QStringLiteral("CREATE TABLE public.deliveries (depot text NOT NULL, n int) "
                                 "PARTITION BY LIST (depot)"));
        m_c->exec(QStringLiteral("CREATE TABLE public.deliveries_a PARTITION OF "
                                 "public.deliveries FOR VALUES IN ('a')"));
        m_c->exec(QStringLiteral("CREATE TABLE public.deliveries_b PARTITION OF "
                                 "public.deliveries FOR VALUES IN ('b')"));
        m_c->exec(QStringLiteral("INSERT INTO public.deliveries SELECT CASE WHEN i % 3 = 0 "
                                 "THEN 'a' ELSE 'b' END, i FROM generate_series(1, 500) i"));
        m_c->exec(QStringLiteral("ANALYZE public.deliveries"));
        const TableDefinition deliveries = TableDefinitionReader::read(
            *m_c, QStringLiteral("public"), QStringLiteral("deliveries"));
        const KeysetPager byAddress(deliveries, {}, 25);
        comparePages(byAddress.seek(*m_c, 0.3), byAddress.first(*m_c));
        comparePages(byAddress.seek(*m_c, 0.7), byAddress.last(*m_c));
        // Sorted by a column it has statistics for, it jumps as any table does.
        const KeysetPager byN(deliveries, { QStringLiteral("n"), false, {} }, 25);
        const RowPage middle = byN.seek(*m_c, 0.5);
        QVERIFY(middle.hasBefore && middle.hasAfter);
        const int n = middle.rows.first().cells.at(1).toInt();
        QVERIFY2(n >= 200 && n <= 300, qPrintable(QString::number(n)));
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
