// The test support library: TestDatabase on the test run's cluster, and CliRunner.

#include "CliRunner.h"
#include "TableRestorer.h"
#include "TestCluster.h"
#include "TestDatabase.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

// The first column of the first row, or the error.
QString queryValue(const ConnectionSettings &settings, const QString &sql, bool *ok)
{
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("tst_testdatabase"));
        *ok = true;
        return connection->scalar(sql).toString();
    } catch (const DbError &e) {
        *ok = false;
        return e.text();
    }
}

} // namespace

class TestTestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void createsTableInItsOwnDatabase();
    void twoDatabasesAreIsolated();
    void databaseIsDroppedAtTheEndEvenWithOpenSessions();
    void namesAreLowerCaseAndUnique();
    void conninfoAndUriReachTheDatabase();
    void passwordAuthenticationOverTcp();
    void aTableRestorerPutsBackWhatATestChanged();

    void cliRunnerReportsExitCodeOutputAndStdin();
    void cliRunnerAppliesEnvironment();
    void cliRunnerStopsARunAtItsTimeout();
    void cliRunnerKillsARunMidway();
    void cliRunnerWithoutProgramSaysWhy();
};

void TestTestDatabase::initTestCase()
{
    QString error;
    QVERIFY2(TestCluster::shared(&error), qPrintable(error));
}

void TestTestDatabase::createsTableInItsOwnDatabase()
{
    TestDatabase db(QStringLiteral("create table"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    try {
        auto connection = db.connect();
        QCOMPARE(connection->databaseName(), db.name());
        connection->exec(QStringLiteral("CREATE TABLE pump (id int PRIMARY KEY, name text)"));
        connection->exec(QStringLiteral("INSERT INTO pump VALUES (?, ?)"),
                         { 1, QStringLiteral("diesel") });
        QCOMPARE(
            connection->scalar(QStringLiteral("SELECT name FROM pump WHERE id = 1")).toString(),
            QStringLiteral("diesel"));
    } catch (const DbError &e) {
        QFAIL(qPrintable(e.text()));
    }
}

void TestTestDatabase::twoDatabasesAreIsolated()
{
    TestDatabase first(QStringLiteral("first"));
    TestDatabase second(QStringLiteral("second"));
    QVERIFY2(first.isValid(), qPrintable(first.errorString()));
    QVERIFY2(second.isValid(), qPrintable(second.errorString()));
    QVERIFY(first.name() != second.name());
    try {
        first.connect()->exec(QStringLiteral("CREATE TABLE only_in_first (v int)"));
        auto other = second.connect();
        QCOMPARE(
            other->scalar(QStringLiteral("SELECT to_regclass('only_in_first') IS NULL")).toBool(),
            true);
        // The same name can exist in both.
        other->exec(QStringLiteral("CREATE TABLE only_in_first (v text)"));
    } catch (const DbError &e) {
        QFAIL(qPrintable(e.text()));
    }
}

void TestTestDatabase::databaseIsDroppedAtTheEndEvenWithOpenSessions()
{
    QString name;
    std::unique_ptr<DbConnection> lingering;
    {
        TestDatabase db(QStringLiteral("dropped"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        name = db.name();
        QString error;
        QVERIFY(TestDatabase::exists(name, &error));
        try {
            lingering = db.connect(QStringLiteral("lingering"));
        } catch (const DbError &e) {
            QFAIL(qPrintable(e.text()));
        }
    }
    QString error;
    QVERIFY(!TestDatabase::exists(name, &error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestTestDatabase::namesAreLowerCaseAndUnique()
{
    TestDatabase one(QStringLiteral("Mixed Case/Label"));
    TestDatabase two(QStringLiteral("Mixed Case/Label"));
    QVERIFY2(one.isValid(), qPrintable(one.errorString()));
    QVERIFY(two.isValid());
    QVERIFY(one.name() != two.name());
    QCOMPARE(one.name(), one.name().toLower());
    QVERIFY2(one.name().startsWith(QStringLiteral("t_mixed_case_label_")), qPrintable(one.name()));
    QVERIFY(one.name().size() <= 63);
}

void TestTestDatabase::conninfoAndUriReachTheDatabase()
{
    TestDatabase db(QStringLiteral("strings"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    QVERIFY2(db.uri().contains(QStringLiteral("host=%2F")), qPrintable(db.uri()));
    for (const QString &text : { db.conninfo(), db.uri() }) {
        ConnectionSettings settings;
        QString error;
        QVERIFY2(ConnectionSettings::parse(text, &settings, &error), qPrintable(error));
        QCOMPARE(settings.database(), db.name());
        QCOMPARE(settings.host(), db.cluster()->socketDir());
        bool ok = false;
        QCOMPARE(queryValue(settings, QStringLiteral("SELECT current_database()"), &ok), db.name());
    }
}

// Issue 15, item 30: a test that changes a shared fixture gets it back whatever happens: rows
// changed, added and deleted (a cascade would take children too, so none runs), and a key dropped.
void TestTestDatabase::aTableRestorerPutsBackWhatATestChanged()
{
    TestDatabase db(QStringLiteral("restorer"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto c = db.connect();
    c->exec(QStringLiteral("CREATE SCHEMA \"o'brien\""));
    c->exec(QStringLiteral("CREATE TABLE \"o'brien\".pumps (id int PRIMARY KEY, label text, "
                           "litres numeric GENERATED ALWAYS AS (id * 10) STORED)"));
    c->exec(QStringLiteral("CREATE TABLE \"o'brien\".nozzles (id int GENERATED ALWAYS AS "
                           "IDENTITY PRIMARY KEY, pump_id int NOT NULL REFERENCES "
                           "\"o'brien\".pumps ON DELETE CASCADE)"));
    c->exec(QStringLiteral("INSERT INTO \"o'brien\".pumps VALUES (1, 'a'), (2, NULL)"));
    c->exec(QStringLiteral("INSERT INTO \"o'brien\".nozzles (pump_id) VALUES (1), (1), (2)"));
    const auto contents = [&c] {
        return c
            ->scalar(QStringLiteral(
                "SELECT (SELECT string_agg(p::text, ';' ORDER BY id) FROM \"o'brien\".pumps p) "
                "|| '|' || (SELECT string_agg(n::text, ';' ORDER BY id) FROM "
                "\"o'brien\".nozzles n) || '|' || (SELECT count(*) FROM pg_constraint WHERE "
                "conrelid = '\"o''brien\".nozzles'::regclass)"))
            .toString();
    };
    const QString before = contents();
    [&] {
        const TableRestorer restore(
            db, { QStringLiteral("o'brien.pumps"), QStringLiteral("o'brien.nozzles") });
        c->exec(QStringLiteral("UPDATE \"o'brien\".pumps SET label = 'changed' WHERE id = 1"));
        c->exec(QStringLiteral("DELETE FROM \"o'brien\".pumps WHERE id = 2")); // cascades
        c->exec(QStringLiteral("INSERT INTO \"o'brien\".pumps VALUES (3, 'new')"));
        c->exec(QStringLiteral("ALTER TABLE \"o'brien\".nozzles DROP CONSTRAINT "
                               "nozzles_pump_id_fkey"));
        QVERIFY(contents() != before);
        return; // as a failed QVERIFY would, half-way
    }();
    QCOMPARE(contents(), before);
}

void TestTestDatabase::passwordAuthenticationOverTcp()
{
    TestDatabase db(QStringLiteral("tcp"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    const TestCluster *cluster = db.cluster();
    QVERIFY(!cluster->password().isEmpty());

    bool ok = false;
    const QString user = queryValue(
        db.tcpSettings(cluster->superuser(), cluster->password()),
        QStringLiteral("SELECT current_user || ' via ' || host(inet_client_addr())"), &ok);
    QVERIFY2(ok, qPrintable(user));
    QCOMPARE(user, cluster->superuser() + QStringLiteral(" via 127.0.0.1"));

    const QString refused =
        queryValue(db.tcpSettings(cluster->superuser(), QStringLiteral("wrong")),
                   QStringLiteral("SELECT 1"), &ok);
    QVERIFY(!ok);
    QVERIFY2(refused.contains(QStringLiteral("password")), qPrintable(refused));
}

void TestTestDatabase::cliRunnerReportsExitCodeOutputAndStdin()
{
    const CliRunner runner(QStringLiteral("/bin/sh"));
    const CliResult result =
        runner.run({ QStringLiteral("-c"), QStringLiteral("cat; echo oops >&2; exit 3") },
                   CliOptions().withStdin(QStringLiteral("hello\n")));
    QVERIFY2(result.started, qPrintable(result.describe()));
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.stdOut, QStringLiteral("hello\n"));
    QCOMPARE(result.stdErr, QStringLiteral("oops\n"));
    QVERIFY(!result.timedOut);
    QVERIFY(!result.crashed);

    // Without stdinText, stdin is at its end: a program reading it does not hang.
    const CliResult empty = runner.run({ QStringLiteral("-c"), QStringLiteral("cat") },
                                       CliOptions().withTimeout(10'000));
    QCOMPARE(empty.exitCode, 0);
    QVERIFY(!empty.timedOut);
}

void TestTestDatabase::cliRunnerAppliesEnvironment()
{
    const CliRunner runner(QStringLiteral("/bin/sh"));
    const CliResult result =
        runner.run({ QStringLiteral("-c"),
                     QStringLiteral("printf '%s|%s' \"$FUELSYNC_X\" \"${HOME-unset}\"") },
                   CliOptions()
                       .withEnv(QStringLiteral("FUELSYNC_X"), QStringLiteral("x y"))
                       .withoutEnv(QStringLiteral("HOME")));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.stdOut, QStringLiteral("x y|unset"));
}

void TestTestDatabase::cliRunnerStopsARunAtItsTimeout()
{
    const CliRunner runner(QStringLiteral("/bin/sh"));
    const CliResult result = runner.run({ QStringLiteral("-c"), QStringLiteral("exec sleep 30") },
                                        CliOptions().withTimeout(300));
    QVERIFY(result.timedOut);
}

void TestTestDatabase::cliRunnerKillsARunMidway()
{
    const CliRunner runner(QStringLiteral("/bin/sh"));
    auto run = runner.start(
        { QStringLiteral("-c"), QStringLiteral("echo started; echo busy >&2; exec sleep 30") });
    QVERIFY2(run->isStarted(), qPrintable(run->errorString()));
    QVERIFY(run->pid() > 0);
    QVERIFY(run->waitForOutput(QStringLiteral("started"), 10'000));
    QVERIFY(run->waitForOutput(QStringLiteral("busy"), 10'000));
    QVERIFY(run->isRunning());
    run->kill();
    const CliResult result = run->wait(10'000);
    QVERIFY(result.crashed);
    QVERIFY(!result.timedOut);
    QCOMPARE(result.stdOut, QStringLiteral("started\n"));
}

void TestTestDatabase::cliRunnerWithoutProgramSaysWhy()
{
    const CliResult result = CliRunner(QString()).run({ QStringLiteral("--help") });
    QVERIFY(!result.started);
    QVERIFY2(result.errorString.contains(QStringLiteral("FUELSYNC_CLI")),
             qPrintable(result.errorString));
}

QTEST_GUILESS_MAIN(TestTestDatabase)
#include "tst_testdatabase.moc"
