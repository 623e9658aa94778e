// What the schema browser lists (public, then the registered tenants with their names and
// migration versions, then other schemas; a schema's tables with the planner's figures), and the
// CSV export of a browsed table: exact text, NULL told apart from '', one consistent snapshot,
// and nothing at the path unless every row was written.

#include "TestDatabase.h"
#include "browse/CsvExport.h"
#include "browse/SchemaTreeReader.h"
#include "browse/TableDefinitionReader.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

class SchemaTreeTest : public QObject
{
    Q_OBJECT

private slots:
    void listsPublicTenantsAndOthers();
    void readsHighestVersionsInChunks();
    void listsTablesWithEstimates();
    void exportsExactCsv();
    void exportHonoursOrderAndFilters();
    void cancelledExportLeavesTheOldFile();
    void failedExportLeavesTheOldFile();

private:
    static void makeTenants(DbConnection &c);
};

void SchemaTreeTest::makeTenants(DbConnection &c)
{
    c.exec(QStringLiteral("CREATE TABLE public.tenants (id serial PRIMARY KEY, name text NOT NULL, "
                          "schema_name text UNIQUE)"));
    c.exec(QStringLiteral("INSERT INTO public.tenants (name, schema_name) VALUES "
                          "('Zed Fuels', 'tenant_zed'), ('O''Brien & Sons', 'tenant_obrien'), "
                          "('Gone Ltd', 'tenant_gone')"));
    for (const char *schema : { "tenant_zed", "tenant_obrien" }) {
        const QString name = QString::fromLatin1(schema);
        c.exec(QStringLiteral("CREATE SCHEMA %1").arg(name));
        c.exec(QStringLiteral("CREATE TABLE %1.schema_migrations (id serial PRIMARY KEY, "
                              "version varchar(50) NOT NULL UNIQUE)")
                   .arg(name));
    }
    // "9" < "10" as versions, though not as text.
    c.exec(QStringLiteral("INSERT INTO tenant_zed.schema_migrations (version) VALUES "
                          "('001'), ('009'), ('010'), ('2')"));
    c.exec(QStringLiteral("CREATE SCHEMA \"Odd \"\"schema\"\"\""));
}

void SchemaTreeTest::listsPublicTenantsAndOthers()
{
    TestDatabase db(QStringLiteral("tree"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    // Without a registry: public and the other schemas.
    c->exec(QStringLiteral("CREATE SCHEMA scratch"));
    auto before = SchemaTreeReader::schemas(*c);
    QCOMPARE(before.size(), 2);
    QCOMPARE(before.at(0).schema, QStringLiteral("public"));
    QCOMPARE(before.at(1).schema, QStringLiteral("scratch"));
    QCOMPARE(before.at(1).kind, SchemaEntry::Kind::Other);

    makeTenants(*c);
    const auto schemas = SchemaTreeReader::schemas(*c);
    QStringList names;
    for (const auto &entry : schemas)
        names.append(entry.schema);
    QCOMPARE(names,
             QStringList({ QStringLiteral("public"), QStringLiteral("tenant_gone"),
                           QStringLiteral("tenant_obrien"), QStringLiteral("tenant_zed"),
                           QStringLiteral("Odd \"schema\""), QStringLiteral("scratch") }));
    QCOMPARE(schemas.at(0).kind, SchemaEntry::Kind::Platform);
    QCOMPARE(schemas.at(1).kind, SchemaEntry::Kind::Tenant);
    QVERIFY(!schemas.at(1).exists);
    QCOMPARE(schemas.at(2).displayName, QStringLiteral("O'Brien & Sons"));
    QVERIFY(schemas.at(2).exists);
    QCOMPARE(schemas.at(4).kind, SchemaEntry::Kind::Other);
}

void SchemaTreeTest::readsHighestVersionsInChunks()
{
    TestDatabase db(QStringLiteral("versions"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    makeTenants(*c);
    const QStringList wanted { QStringLiteral("tenant_zed"), QStringLiteral("tenant_obrien"),
                               QStringLiteral("tenant_gone"), QStringLiteral("Odd \"schema\""),
                               QStringLiteral("x'); DROP TABLE public.tenants; --") };
    for (int chunk : { 1, 2, 100 }) {
        const auto versions = SchemaTreeReader::highestVersions(*c, wanted, chunk);
        QCOMPARE(versions.size(), 1);
        QCOMPARE(versions.value(QStringLiteral("tenant_zed")), QStringLiteral("010"));
    }
    c->exec(QStringLiteral("INSERT INTO tenant_obrien.schema_migrations (version) VALUES ('1.2')"));
    const auto versions = SchemaTreeReader::highestVersions(*c, wanted, 1);
    QCOMPARE(versions.value(QStringLiteral("tenant_obrien")), QStringLiteral("1.2"));
    QVERIFY(c->scalar(QStringLiteral("SELECT to_regclass('public.tenants') IS NOT NULL")).toBool());
}

void SchemaTreeTest::listsTablesWithEstimates()
{
    TestDatabase db(QStringLiteral("tables"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    c->exec(QStringLiteral("CREATE SCHEMA s"));
    c->exec(QStringLiteral("CREATE TABLE s.big (id int PRIMARY KEY)"));
    c->exec(QStringLiteral("INSERT INTO s.big SELECT generate_series(1, 5000)"));
    c->exec(QStringLiteral("ANALYZE s.big"));
    c->exec(QStringLiteral("COMMENT ON TABLE s.big IS 'Many rows.'"));
    c->exec(QStringLiteral("CREATE TABLE s.never (id int)"));
    c->exec(QStringLiteral("CREATE VIEW s.v AS SELECT 1 AS one"));
    c->exec(QStringLiteral("CREATE TABLE s.parted (id int, at date) PARTITION BY RANGE (at)"));
    c->exec(QStringLiteral("CREATE TABLE s.parted_2026 PARTITION OF s.parted FOR VALUES FROM "
                           "('2026-01-01') TO ('2027-01-01')"));
    const auto tables = SchemaTreeReader::tables(*c, QStringLiteral("s"));
    QStringList names;
    for (const auto &t : tables)
        names.append(t.name);
    // Partitions are reached through their parent.
    QCOMPARE(names,
             QStringList({ QStringLiteral("big"), QStringLiteral("never"), QStringLiteral("parted"),
                           QStringLiteral("v") }));
    QCOMPARE(tables.at(0).estimatedRows, 5000.0);
    QVERIFY(tables.at(0).totalBytes > 0);
    QCOMPARE(tables.at(0).comment, QStringLiteral("Many rows."));
    QCOMPARE(tables.at(1).estimatedRows, -1.0);
    QCOMPARE(tables.at(2).kind, 'p');
    QCOMPARE(tables.at(3).kind, 'v');
    QCOMPARE(tables.at(3).totalBytes, qint64(-1));
    QVERIFY(SchemaTreeReader::tables(*c, QStringLiteral("s' OR true --")).isEmpty());
}

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<missing>";
    return file.readAll();
}

} // namespace

void SchemaTreeTest::exportsExactCsv()
{
    TestDatabase db(QStringLiteral("csv"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    c->exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY, \"note, with comma\" text, "
                           "amount numeric(12,3), at timestamptz)"));
    c->exec(QStringLiteral("SET timezone = 'UTC'"));
    c->exec(QStringLiteral(
        "INSERT INTO t VALUES (1, NULL, 1.5, '2026-01-02 03:04:05+00'), (2, '', NULL, NULL), "
        "(3, 'say \"hi\"', 0.001, NULL), (4, E'two\\nlines', -2, NULL), (5, 'Zürich, CH', 7, "
        "NULL)"));
    const TableDefinition table =
        TableDefinitionReader::read(*c, QStringLiteral("public"), QStringLiteral("t"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    QList<qint64> progress;
    JobControl control([&progress](const JobControl::Progress &p) {
        if (p.done > 0)
            progress.append(p.done);
    });
    const auto result = CsvExport::write(*c, table, {}, path, control, 2);
    QCOMPARE(result.rows, qint64(5));
    QVERIFY(!result.cancelled);
    QCOMPARE(progress, QList<qint64>({ 2, 4, 5 }));
    const QByteArray expected = "id,\"note, with comma\",amount,at\r\n"
                                "1,,1.500,2026-01-02 03:04:05+00\r\n"
                                "2,\"\",,\r\n"
                                "3,\"say \"\"hi\"\"\",0.001,\r\n"
                                "4,\"two\nlines\",-2.000,\r\n"
                                "5,\"Zürich, CH\",7.000,\r\n";
    QCOMPARE(readAll(path), expected);
}

void SchemaTreeTest::exportHonoursOrderAndFilters()
{
    TestDatabase db(QStringLiteral("csvorder"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    c->exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY, v int)"));
    c->exec(QStringLiteral("INSERT INTO t SELECT i, i % 7 FROM generate_series(1, 1000) i"));
    const TableDefinition table =
        TableDefinitionReader::read(*c, QStringLiteral("public"), QStringLiteral("t"));
    BrowseOrder order;
    order.sortColumn = QStringLiteral("v");
    order.descending = true;
    order.filters.append(
        { QStringLiteral("v"), RowFilter::Op::GreaterOrEqual, QStringLiteral("5") });
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    const auto result = CsvExport::write(*c, table, order, path, unwatched(), 50);
    QSqlQuery query =
        c->exec(QStringLiteral("SELECT id, v FROM t WHERE v >= 5 ORDER BY v DESC, id DESC"));
    QByteArray expected = "id,v\r\n";
    qint64 rows = 0;
    while (query.next()) {
        expected += query.value(0).toByteArray() + ',' + query.value(1).toByteArray() + "\r\n";
        ++rows;
    }
    QCOMPARE(rows, qint64(286)); // 143 rows each of v = 5 and v = 6
    QCOMPARE(result.rows, rows);
    QCOMPARE(readAll(path), expected);
}

void SchemaTreeTest::cancelledExportLeavesTheOldFile()
{
    TestDatabase db(QStringLiteral("csvcancel"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    c->exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY)"));
    c->exec(QStringLiteral("INSERT INTO t SELECT generate_series(1, 100)"));
    const TableDefinition table =
        TableDefinitionReader::read(*c, QStringLiteral("public"), QStringLiteral("t"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("yesterday's export\n");
    old.close();
    JobControl *running = nullptr;
    JobControl control([&running](const JobControl::Progress &p) {
        if (p.done >= 30)
            running->cancel();
    });
    running = &control;
    const auto result = CsvExport::write(*c, table, {}, path, control, 10);
    QVERIFY(result.cancelled);
    QCOMPARE(result.rows, qint64(30));
    QCOMPARE(readAll(path), QByteArray("yesterday's export\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList({ QStringLiteral("t.csv") }));
    // The session is usable and out of the export's transaction.
    QVERIFY(!c->inTransaction());
    QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 100);
}

void SchemaTreeTest::failedExportLeavesTheOldFile()
{
    TestDatabase db(QStringLiteral("csvfail"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    c->exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY, v text)"));
    c->exec(QStringLiteral("INSERT INTO t SELECT i, 'x' FROM generate_series(1, 100) i"));
    const TableDefinition table =
        TableDefinitionReader::read(*c, QStringLiteral("public"), QStringLiteral("t"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("keep me\n");
    old.close();

    // The server refuses mid-way: a filter value of the wrong type.
    BrowseOrder order;
    order.filters.append({ QStringLiteral("id"), RowFilter::Op::Equals, QStringLiteral("abc") });
    QVERIFY_THROWS_EXCEPTION(DbError, CsvExport::write(*c, table, order, path, unwatched()));
    QCOMPARE(readAll(path), QByteArray("keep me\n"));

    // A directory that cannot be written.
    QVERIFY_THROWS_EXCEPTION(
        RequestError,
        CsvExport::write(*c, table, {}, QStringLiteral("/nonexistent-dir/out.csv"), unwatched()));
    QVERIFY(!c->inTransaction());
}

QTEST_GUILESS_MAIN(SchemaTreeTest)
#include "tst_schematree.moc"
