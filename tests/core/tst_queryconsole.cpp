// The query console: statements a person types, sent one at a time, each alone. On a read-only
// console the server refuses everything that writes or that would leave read-only, also for a
// login that may write (a maintainer's read-only profile), and nothing changes: the catalog and
// every table read the same before and after. Queries are read through a cursor a page at a
// time, backwards too; a failed statement leaves the results before it standing.

#include "TestDatabase.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "query/QueryConsole.h"
#include "roles/FuelsyncRole.h"
#include "roles/RoleSetup.h"

#include <QSqlDriver>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

const QString password = QStringLiteral("console-pw");

// What a statement could change: the catalog's relations, columns, functions, schemas, large
// objects, the roles' settings, sequences' values, and every table's rows.
QString fingerprint(DbConnection &c, const QString &login)
{
    QStringList parts;
    const QStringList catalog {
        QStringLiteral("SELECT md5(string_agg(format('%s.%s %s %s %s %s %s', n.nspname, "
                       "c.relname, c.relkind, c.relowner::regrole, c.relacl, c.relpersistence, "
                       "obj_description(c.oid)), ',' ORDER BY n.nspname, c.relname)) FROM pg_class "
                       "c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname !~ "
                       "'^(pg_toast|pg_temp)'"),
        QStringLiteral(
            "SELECT md5(string_agg(format('%s.%s %s', attrelid::regclass, attname, "
            "atttypid), ',' ORDER BY attrelid, attnum)) FROM pg_attribute WHERE attnum > 0 AND "
            "attrelid >= 16384"),
        QStringLiteral("SELECT count(*) || ' ' || coalesce(max(oid)::text, '') FROM pg_proc "
                       "WHERE oid >= 16384"),
        QStringLiteral("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace "
                       "WHERE nspname !~ '^pg_(toast_)?temp'"),
        QStringLiteral("SELECT count(*) FROM pg_largeobject_metadata"),
        QStringLiteral("SELECT coalesce(string_agg(setconfig::text, ','), '') FROM "
                       "pg_db_role_setting WHERE setrole IN (0, to_regrole('%1'))")
            .arg(login),
        QStringLiteral("SELECT count(*) FROM pg_prepared_xacts"),
        QStringLiteral("SELECT last_value || ' ' || is_called FROM public.console_seq"),
    };
    for (const QString &sql : catalog)
        parts.append(c.scalar(sql).toString());
    QStringList tables;
    QSqlQuery q = c.exec(QStringLiteral(
        "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname !~ "
        "'^(pg_|information_schema)' AND c.relname <> 'fuelsync_audit' ORDER BY 1"));
    while (q.next())
        tables.append(q.value(0).toString());
    q = QSqlQuery();
    for (const QString &table : std::as_const(tables)) {
        parts.append(table + u'='
                     + c.scalar(QStringLiteral("SELECT md5(coalesce(string_agg(t::text, '|' "
                                               "ORDER BY t::text), '')) FROM %1 t")
                                    .arg(table))
                           .toString());
    }
    return parts.join(u'\n');
}

} // namespace

class QueryConsoleTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;
    QString m_login;

    std::unique_ptr<DbConnection> connectAsWriter() const
    {
        return DbConnection::open(m_db->tcpSettings(m_login, password), QStringLiteral("console"));
    }

private slots:
    void initTestCase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("console"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("test")),
                 qPrintable(m_db->errorString()));
        auto admin = m_db->connect();
        m_login = QStringLiteral("console_writer_%1").arg(QCoreApplication::applicationPid());
        admin->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(m_login));
        admin->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'").arg(m_login, password));
        admin->exec(QStringLiteral("CREATE SEQUENCE public.console_seq"));
        admin->exec(QStringLiteral("CREATE FUNCTION public.console_note(text) RETURNS void "
                                   "LANGUAGE sql AS $$ UPDATE basic_demo_1.stations SET name = "
                                   "name || $1 $$"));
        RoleSetup::setup(*admin);
        RoleSetup::grant(*admin, m_login, FuelsyncRole::Maintainer);
        // The login can write: it is a maintainer, acting as the tables' owner.
        auto writer = connectAsWriter();
        writer->begin();
        writer->exec(QStringLiteral("UPDATE basic_demo_1.stations SET name = name"));
        writer->exec(QStringLiteral("SELECT nextval('public.console_seq')"));
        writer->rollback();
    }

    void cleanupTestCase()
    {
        if (!m_db || m_login.isEmpty())
            return;
        auto admin = m_db->connect();
        admin->exec(QStringLiteral("DROP OWNED BY %1").arg(m_login));
        admin->exec(QStringLiteral("DROP ROLE %1").arg(m_login));
        admin.reset();
        m_db.reset();
    }

    // Each entry: statements run in order on one read-only console; the last must be refused
    // by the server (the ones before it may succeed: COMMIT ends a transaction that wrote
    // nothing). After all of them, nothing has changed.
    void everyWriteIsRefused_data()
    {
        QTest::addColumn<QStringList>("statements");
        const auto row = [](const char *name, QStringList statements) {
            QTest::newRow(name) << statements;
        };
        const QString insert =
            QStringLiteral("INSERT INTO basic_demo_1.stations (name) VALUES ('console')");
        row("insert", { insert });
        row("update", { QStringLiteral("UPDATE basic_demo_1.stations SET name = 'x'") });
        row("delete", { QStringLiteral("DELETE FROM basic_demo_1.sales") });
        row("truncate", { QStringLiteral("TRUNCATE basic_demo_1.sales") });
        row("merge",
            { QStringLiteral("MERGE INTO basic_demo_1.stations s USING (SELECT 1) x "
                             "ON false WHEN NOT MATCHED THEN INSERT (name) VALUES ('m')") });
        row("commit and insert in one call", { QStringLiteral("COMMIT; ") + insert });
        row("select and delete in one call",
            { QStringLiteral("SELECT 1; DELETE FROM basic_demo_1.sales") });
        row("commit, then insert", { QStringLiteral("COMMIT"), insert });
        row("rollback, then insert", { QStringLiteral("ROLLBACK"), insert });
        row("end, then update",
            { QStringLiteral("END"),
              QStringLiteral("UPDATE basic_demo_1.stations SET name = 'x'") });
        row("commit and chain, then insert", { QStringLiteral("COMMIT AND CHAIN"), insert });
        row("abort, then insert", { QStringLiteral("ABORT"), insert });
        row("default read-only off, commit, insert",
            { QStringLiteral("SET default_transaction_read_only = off"), QStringLiteral("COMMIT"),
              insert });
        row("session characteristics, commit, insert",
            { QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"),
              QStringLiteral("COMMIT"), insert });
        row("set transaction read write", { QStringLiteral("SET TRANSACTION READ WRITE") });
        row("commit, set transaction read write",
            { QStringLiteral("COMMIT"), QStringLiteral("SET TRANSACTION READ WRITE") });
        row("transaction_read_only off", { QStringLiteral("SET transaction_read_only = off") });
        row("set_config transaction_read_only",
            { QStringLiteral("SELECT set_config('transaction_read_only', 'off', false)") });
        row("set_config default, commit, insert",
            { QStringLiteral("SELECT set_config('default_transaction_read_only', 'off', false)"),
              QStringLiteral("COMMIT"), insert });
        row("begin read write", { QStringLiteral("BEGIN READ WRITE"), insert });
        row("start transaction read write",
            { QStringLiteral("START TRANSACTION READ WRITE"), insert });
        row("do block",
            { QStringLiteral("DO $$ BEGIN INSERT INTO basic_demo_1.stations (name) "
                             "VALUES ('do'); END $$") });
        row("do block that commits",
            { QStringLiteral("DO $$ BEGIN COMMIT; INSERT INTO basic_demo_1.stations (name) "
                             "VALUES ('do'); END $$") });
        row("function that writes", { QStringLiteral("SELECT public.console_note('!')") });
        row("writing cte",
            { QStringLiteral("WITH d AS (DELETE FROM basic_demo_1.sales RETURNING "
                             "*) SELECT count(*) FROM d") });
        row("select for update",
            { QStringLiteral("SELECT * FROM basic_demo_1.stations FOR UPDATE") });
        row("select into",
            { QStringLiteral("SELECT * INTO public.console_copy FROM "
                             "basic_demo_1.stations") });
        row("create table as",
            { QStringLiteral("CREATE TABLE public.console_copy AS SELECT * "
                             "FROM basic_demo_1.stations") });
        row("temporary table", { QStringLiteral("CREATE TEMP TABLE console_temp (id int)") });
        row("create table", { QStringLiteral("CREATE TABLE basic_demo_1.console_t (id int)") });
        row("create schema", { QStringLiteral("CREATE SCHEMA console_schema") });
        row("create function",
            { QStringLiteral("CREATE FUNCTION public.console_f() RETURNS int LANGUAGE sql AS "
                             "'SELECT 1'") });
        row("drop table", { QStringLiteral("DROP TABLE basic_demo_1.sales") });
        row("alter table",
            { QStringLiteral("ALTER TABLE basic_demo_1.stations ADD COLUMN console int") });
        row("create index",
            { QStringLiteral("CREATE INDEX console_i ON basic_demo_1.stations (name)") });
        row("comment", { QStringLiteral("COMMENT ON TABLE basic_demo_1.stations IS 'x'") });
        row("grant", { QStringLiteral("GRANT SELECT ON basic_demo_1.stations TO PUBLIC") });
        row("alter own role",
            { QStringLiteral("ALTER ROLE CURRENT_USER SET "
                             "default_transaction_read_only = off") });
        row("nextval", { QStringLiteral("SELECT nextval('public.console_seq')") });
        row("setval", { QStringLiteral("SELECT setval('public.console_seq', 42)") });
        row("copy to a server file",
            { QStringLiteral("COPY basic_demo_1.stations TO '/tmp/fuelsync-console.csv'") });
        row("copy to a program",
            { QStringLiteral("COPY (SELECT 1) TO PROGRAM 'touch /tmp/fuelsync-console'") });
        row("copy from stdin", { QStringLiteral("COPY basic_demo_1.stations (name) FROM STDIN") });
        row("large object", { QStringLiteral("SELECT lo_create(0)") });
        row("lock exclusively",
            { QStringLiteral("LOCK TABLE basic_demo_1.sales IN ACCESS EXCLUSIVE MODE") });
        row("lock for writing",
            { QStringLiteral("LOCK TABLE basic_demo_1.sales IN ROW EXCLUSIVE MODE") });
        row("advisory lock", { QStringLiteral("SELECT pg_advisory_lock(4242)") });
        row("large object import", { QStringLiteral("SELECT lo_from_bytea(0, 'x')") });
        row("prepare transaction", { QStringLiteral("PREPARE TRANSACTION 'console'") });
        row("vacuum", { QStringLiteral("VACUUM basic_demo_1.sales") });
        row("discard all", { QStringLiteral("DISCARD ALL") });
        row("alter system", { QStringLiteral("ALTER SYSTEM SET work_mem = '1MB'") });
        row("create extension", { QStringLiteral("CREATE EXTENSION IF NOT EXISTS pgcrypto") });
        row("reset role, insert in one call", { QStringLiteral("RESET ROLE; ") + insert });
        row("prepared statement",
            { QStringLiteral("PREPARE console_p AS ") + insert,
              QStringLiteral("EXECUTE console_p") });
        row("refresh materialized view",
            { QStringLiteral("CREATE MATERIALIZED VIEW public.console_mv AS SELECT 1") });
    }

    void everyWriteIsRefused()
    {
        QFETCH(QStringList, statements);
        auto admin = m_db->connect();
        const QString before = fingerprint(*admin, m_login);
        auto writer = connectAsWriter();
        {
            QueryConsole console(*writer, { QueryConsole::Mode::ReadOnly, {}, 100, 1000, 1000 });
            QString refusal;
            for (qsizetype i = 0; i < statements.size(); ++i) {
                const bool last = i == statements.size() - 1;
                try {
                    console.run(statements.at(i));
                    if (last)
                        QFAIL(qPrintable(QStringLiteral("ran: ") + statements.at(i)));
                } catch (const DbError &error) {
                    if (last)
                        refusal = error.text();
                    QVERIFY2(writer->isUsable(), qPrintable(error.text()));
                } catch (const RequestError &error) {
                    if (last)
                        refusal = error.message();
                }
            }
            QVERIFY(!refusal.isEmpty());
            qDebug().noquote() << statements.last() << "->" << refusal.section(u'\n', 0, 0);
            // The console goes on after a refusal: the next statement runs, read-only.
            const StatementOutcome after =
                console.run(QStringLiteral("SELECT current_setting('transaction_read_only')"));
            QCOMPARE(after.result.rows.value(0).cells.value(0), QStringLiteral("on"));
        }
        writer.reset();
        QCOMPARE(fingerprint(*admin, m_login), before);
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/fuelsync-console")));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/fuelsync-console.csv")));
    }

    // NOTIFY is not refused by a read-only transaction: it is sent at commit, and the console's
    // transaction never commits (COMMIT, END and PREPARE TRANSACTION are not sent). A listener
    // hears nothing.
    // Refusals are on record: the statement, the console's mode, and the server's reason.
    void refusalsAreOnRecord()
    {
        auto admin = m_db->connect();
        auto writer = connectAsWriter();
        {
            QueryConsole console(*writer, { QueryConsole::Mode::ReadOnly, {}, 100, 1000, 1000 });
            QVERIFY_THROWS_EXCEPTION(
                DbError, console.run(QStringLiteral("DELETE FROM basic_demo_1.sales -- audit")));
            QVERIFY_THROWS_EXCEPTION(RequestError, console.run(QStringLiteral("COMMIT")));
        }
        QSqlQuery rows = admin->exec(
            QStringLiteral("SELECT what->>'statement', what->>'console', error FROM "
                           "public.fuelsync_audit WHERE kind = 'query' AND outcome = 'refused' "
                           "AND database_role = ? ORDER BY id DESC LIMIT 2"),
            { m_login });
        QVERIFY(rows.next());
        QCOMPARE(rows.value(0).toString(), QStringLiteral("COMMIT"));
        QVERIFY(rows.value(2).toString().contains(QStringLiteral("never commits")));
        QVERIFY(rows.next());
        QCOMPARE(rows.value(0).toString(),
                 QStringLiteral("DELETE FROM basic_demo_1.sales -- audit"));
        QCOMPARE(rows.value(1).toString(), QStringLiteral("read-only"));
        QVERIFY(rows.value(2).toString().contains(QStringLiteral("read-only transaction")));
    }

    void notifyIsNeverSent()
    {
        auto listener = m_db->connect(QStringLiteral("listener"));
        QSqlDriver *driver = listener->database().driver();
        QVERIFY(driver->subscribeToNotification(QStringLiteral("console_channel")));
        QStringList heard;
        connect(driver, &QSqlDriver::notification, this,
                [&heard](const QString &name, QSqlDriver::NotificationSource, const QVariant &) {
                    heard.append(name);
                });
        auto writer = connectAsWriter();
        {
            QueryConsole console(*writer, { QueryConsole::Mode::ReadOnly, {}, 100, 1000, 1000 });
            console.run(QStringLiteral("NOTIFY console_channel"));
            console.run(QStringLiteral("SELECT pg_notify('console_channel', 'x')"));
            for (const QString &end :
                 { QStringLiteral("COMMIT"), QStringLiteral("/* ok */ end work"),
                   QStringLiteral("COMMIT AND CHAIN"), QStringLiteral("PREPARE TRANSACTION 'x'") })
                QVERIFY_THROWS_EXCEPTION(RequestError, console.run(end));
            console.run(QStringLiteral("NOTIFY console_channel"));
        }
        writer.reset();
        // A notification committed now arrives: the listener is listening.
        auto admin = m_db->connect();
        admin->exec(QStringLiteral("NOTIFY console_control"));
        QVERIFY(driver->subscribeToNotification(QStringLiteral("console_control")));
        admin->exec(QStringLiteral("NOTIFY console_control"));
        QTRY_VERIFY_WITH_TIMEOUT(heard.contains(QStringLiteral("console_control")), 5000);
        QVERIFY2(!heard.contains(QStringLiteral("console_channel")), qPrintable(heard.join(u',')));
    }

    // A query is read through a cursor a page at a time, forwards and back; its rows are counted
    // on request; other statements' rows come whole; a failed statement leaves earlier results
    // readable; the tenant is the search_path.
    void queriesAreReadAPageAtATime()
    {
        auto writer = connectAsWriter();
        QueryConsole console(*writer,
                             { QueryConsole::Mode::ReadOnly,
                               { QStringLiteral("basic_demo_1"), QStringLiteral("public") },
                               100,
                               1000,
                               1000 });
        const StatementOutcome series =
            console.run(QStringLiteral("SELECT g AS n, g::text || 'x' AS label, NULL::int AS "
                                       "nothing FROM generate_series(1, 1050) g"));
        QCOMPARE(series.result.columns.size(), 3);
        QCOMPARE(series.result.columns.at(0).name, QStringLiteral("n"));
        QCOMPARE(series.result.columns.at(0).typeOid, 23u);
        QCOMPARE(series.result.rows.size(), 100);
        QVERIFY(!series.atEnd);
        QVERIFY(!series.cursor.isEmpty());
        QVERIFY(series.result.rows.first().nulls.testBit(2));

        // A failed statement in between.
        QVERIFY_THROWS_EXCEPTION(DbError, console.run(QStringLiteral("SELECT 1/0")));

        const StatementOutcome stations =
            console.run(QStringLiteral("SELECT count(*) FROM stations"));
        QVERIFY(stations.atEnd);
        QVERIFY(stations.cursor.isEmpty());
        QVERIFY(stations.result.rows.value(0).cells.value(0).toInt() > 0);

        QList<ResultRow> page = console.fetch(series.cursor, 1000, 100);
        QCOMPARE(page.size(), 50);
        QCOMPARE(page.first().cells.first(), QStringLiteral("1001"));
        page = console.fetch(series.cursor, 200, 100);
        QCOMPARE(page.size(), 100);
        QCOMPARE(page.first().cells.at(1), QStringLiteral("201x"));
        QCOMPARE(console.countRows(series.cursor), 1050);
        page = console.fetch(series.cursor, 0, 3);
        QCOMPARE(page.last().cells.first(), QStringLiteral("3"));

        const StatementOutcome shown = console.run(QStringLiteral("SHOW search_path"));
        QCOMPARE(shown.result.kind, StatementResult::Kind::Rows);
        QCOMPARE(shown.result.rows.value(0).cells.value(0), QStringLiteral("basic_demo_1, public"));
        const StatementOutcome set = console.run(QStringLiteral("SET work_mem = '8MB'"));
        QCOMPARE(set.result.kind, StatementResult::Kind::Command);
        QCOMPARE(set.result.commandTag, QStringLiteral("SET"));

        // A server error points at its place in the statement.
        try {
            console.run(QStringLiteral("SELECT name,\n  nope FROM stations"));
            QFAIL("ran");
        } catch (const DbError &error) {
            QCOMPARE(error.sqlState(), QStringLiteral("42703"));
            QCOMPARE(error.lineInStatement(), 2);
        }
        QCOMPARE(console.fetch(series.cursor, 1049, 10).size(), 1);
    }

    // A maintainer's console keeps its transaction until commit or rollback; it does not let a
    // statement end it behind the Commit button; what a commit would keep is listed.
    void readWriteCommitsOnlyWhenAsked()
    {
        auto writer = connectAsWriter();
        auto admin = m_db->connect();
        const QString count = QStringLiteral("SELECT count(*) FROM basic_demo_1.alerts");
        const int before = admin->scalar(count).toInt();
        {
            QueryConsole console(*writer, { QueryConsole::Mode::ReadWrite, {}, 100, 1000, 1000 });
            console.run(QStringLiteral("DELETE FROM basic_demo_1.alerts"));
            QVERIFY_THROWS_EXCEPTION(RequestError, console.run(QStringLiteral("COMMIT")));
            QCOMPARE(console.pendingKinds(), QStringList { QStringLiteral("DELETE") });
            QCOMPARE(console.pendingRows(), before);
            QCOMPARE(admin->scalar(count).toInt(), before);
            console.rollback();
            QVERIFY(!console.transactionOpen());
            console.run(QStringLiteral("DELETE FROM basic_demo_1.alerts WHERE false"));
            console.run(QStringLiteral("SAVEPOINT mine"));
            console.run(QStringLiteral("UPDATE basic_demo_1.alerts SET message = message"));
            console.run(QStringLiteral("ROLLBACK TO SAVEPOINT mine"));
            console.commit();
        }
        QCOMPARE(admin->scalar(count).toInt(), before);
        // Not committed: gone with the console.
        {
            QueryConsole console(*writer, { QueryConsole::Mode::ReadWrite, {}, 100, 1000, 1000 });
            console.run(QStringLiteral("DELETE FROM basic_demo_1.alerts"));
        }
        QCOMPARE(admin->scalar(count).toInt(), before);
    }
};

QTEST_GUILESS_MAIN(QueryConsoleTest)
#include "tst_queryconsole.moc"
