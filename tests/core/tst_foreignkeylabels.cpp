// Keys you can read: a foreign key column is labelled from the row it points at (a nozzle by its
// number and fuel, a user by name, a station by name), chosen from the parent's columns or as
// asked; the labels of a page of 200 rows cost one query, counted on the session.

#include "TestDatabase.h"
#include "browse/ForeignKeyLabels.h"
#include "browse/KeysetPager.h"
#include "browse/TableDefinitionReader.h"
#include "db/DbConnection.h"

#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

class ForeignKeyLabelsTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;

private slots:
    void initTestCase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("fklabels"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("test")),
                 qPrintable(m_db->errorString()));
        // 300 more readings, a minute apart, on every nozzle, by the tenant's users in turn.
        m_db->connect()->exec(QStringLiteral(
            "INSERT INTO basic_demo_1.nozzle_readings (nozzle_id, reading, recorded_at, "
            "recorded_by) SELECT n.id, 900000 + g, timestamptz '2030-01-01' + g * interval "
            "'1 minute', (SELECT u.id FROM basic_demo_1.users u ORDER BY u.email OFFSET g % 2 "
            "LIMIT 1) FROM basic_demo_1.nozzles n, generate_series(1, 300) g"));
    }

    void aPageCostsOneQueryMore()
    {
        auto c = m_db->connect();
        const TableDefinition table = TableDefinitionReader::read(
            *c, QStringLiteral("basic_demo_1"), QStringLiteral("nozzle_readings"));
        const QList<ForeignKeyLabels::Key> keys = ForeignKeyLabels::choose(*c, table);
        QCOMPARE(keys.size(), 2);
        QHash<QString, ForeignKeyLabels::Key> byColumn;
        for (const ForeignKeyLabels::Key &key : keys)
            byColumn.insert(key.columnName, key);
        QCOMPARE(byColumn.value(QStringLiteral("nozzle_id")).labelColumn,
                 QStringLiteral("nozzle_number"));
        QCOMPARE(byColumn.value(QStringLiteral("nozzle_id")).detailColumn,
                 QStringLiteral("fuel_type"));
        QCOMPARE(byColumn.value(QStringLiteral("recorded_by")).labelColumn, QStringLiteral("name"));

        KeysetPager pager(table, {}, 200);
        const qint64 before = c->statementsSent();
        const RowPage page = pager.first(*c);
        const qint64 pageQueries = c->statementsSent() - before;
        QCOMPARE(page.rows.size(), 200);
        const ForeignKeyLabels::Labels labels = ForeignKeyLabels::read(*c, keys, page.rows);
        QCOMPARE(c->statementsSent() - before, pageQueries + 1);

        // Each row's labels are its parents' own.
        const int nozzleColumn = table.columnIndex(QStringLiteral("nozzle_id"));
        const int userColumn = table.columnIndex(QStringLiteral("recorded_by"));
        int checked = 0;
        for (const PageRow &row : page.rows) {
            const QString nozzle = row.cells.at(nozzleColumn);
            const QString expected =
                c->scalar(QStringLiteral("SELECT concat_ws(' ', nozzle_number::text, fuel_type) "
                                         "FROM basic_demo_1.nozzles WHERE id = ?::uuid"),
                          { nozzle })
                    .toString();
            QCOMPARE(labels.value(nozzleColumn).value(nozzle), expected);
            if (!row.isNull(userColumn)) {
                QCOMPARE(labels.value(userColumn).value(row.cells.at(userColumn)),
                         c->scalar(QStringLiteral("SELECT name FROM basic_demo_1.users WHERE "
                                                  "id = ?::uuid"),
                                   { row.cells.at(userColumn) })
                             .toString());
                ++checked;
            }
        }
        QVERIFY(checked > 0);

        // Another label, as asked; a column the parent lacks is not taken.
        const QList<ForeignKeyLabels::Key> byEmail = ForeignKeyLabels::choose(
            *c, table,
            { { QStringLiteral("recorded_by"), QStringLiteral("email") },
              { QStringLiteral("nozzle_id"), QStringLiteral("no_such_column") } });
        for (const ForeignKeyLabels::Key &key : byEmail) {
            if (key.columnName == u"recorded_by")
                QCOMPARE(key.labelColumn, QStringLiteral("email"));
            else
                QCOMPARE(key.labelColumn, QStringLiteral("nozzle_number"));
        }
        // No rows, no query.
        const qint64 idle = c->statementsSent();
        QVERIFY(ForeignKeyLabels::read(*c, keys, {}).isEmpty());
        QCOMPARE(c->statementsSent(), idle);
    }

    // The sales grid: its station, nozzle and customer are labelled; a parent without any
    // label column (nozzle_readings, for reading_id) is left out.
    void salesKeysAreLabelled()
    {
        auto c = m_db->connect();
        const TableDefinition table = TableDefinitionReader::read(
            *c, QStringLiteral("basic_demo_1"), QStringLiteral("sales"));
        QStringList labelled;
        for (const ForeignKeyLabels::Key &key : ForeignKeyLabels::choose(*c, table))
            labelled.append(key.columnName + u'>' + key.labelColumn);
        labelled.sort();
        QCOMPARE(labelled,
                 (QStringList {
                     QStringLiteral("creditor_id>name"), QStringLiteral("nozzle_id>nozzle_number"),
                     QStringLiteral("recorded_by>name"), QStringLiteral("station_id>name") }));
    }
};

QTEST_GUILESS_MAIN(ForeignKeyLabelsTest)
#include "tst_foreignkeylabels.moc"
