// fuelsync-db as a user runs it: exit statuses, messages, and what the database holds afterwards,
// including the cases only a real process can show (killed mid-way, Ctrl-C, a second run at the
// same time, a wrong password).

#include "CliRunner.h"
#include "MigrationDir.h"
#include "TestDatabase.h"
#include "db/DbConnection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

// A migration that waits while its tenant is listed in public.hold: a run can be caught mid-way.
void writeHoldingSet(const MigrationDir &dir)
{
    dir.add(
        QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
        QStringLiteral("CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL, "
                       "schema_name text NOT NULL UNIQUE);\nCREATE TABLE hold (schema_name text);"),
        QStringLiteral("DROP TABLE hold;\nDROP TABLE tenants;"));
    dir.add(
        QStringLiteral("002"), QStringLiteral("stations"), QStringLiteral("tenant"),
        QStringLiteral(
            "CREATE TABLE stations (id serial PRIMARY KEY);\n"
            "DO $$ BEGIN\n"
            "  WHILE EXISTS (SELECT 1 FROM public.hold WHERE schema_name = current_schema()) LOOP\n"
            "    PERFORM pg_sleep(0.05);\n"
            "  END LOOP;\n"
            "END $$;"),
        QStringLiteral("DROP TABLE stations;"));
}

bool tableExists(DbConnection &c, const QString &name)
{
    return c.scalar(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"), { name }).toBool();
}

int backendRunning(DbConnection &c, const QString &fragment)
{
    return c
        .scalar(QStringLiteral(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE ? LIMIT 1"),
                { QString(u'%' + fragment + u'%') })
        .toInt();
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 20000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (condition())
            return true;
        QThread::msleep(50);
    }
    return false;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    CliRunner cli;

private slots:
    void usageErrorsSayWhatIsWrong_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList {} << 2 << QStringLiteral("Usage: fuelsync-db");
        QTest::newRow("unknown option")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                             QStringLiteral("--frobnicate") }
            << 2 << QStringLiteral("unknown option --frobnicate");
        QTest::newRow("option of another command")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("status"),
                             QStringLiteral("--dry-run") }
            << 2 << QStringLiteral("'migrate status' does not take --dry-run");
        QTest::newRow("unknown command") << QStringList { QStringLiteral("migrat") } << 2
                                         << QStringLiteral("unknown command 'migrat'");
        QTest::newRow("bad version")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                             QStringLiteral("--version=abc") }
            << 2 << QStringLiteral("--version takes a migration version");
        QTest::newRow("bad lock timeout")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                             QStringLiteral("--lock-timeout=soon") }
            << 2 << QStringLiteral("--lock-timeout takes a duration");
        QTest::newRow("bad connection string")
            << QStringList { QStringLiteral("--db"), QStringLiteral("host=x nonsense"),
                             QStringLiteral("migrate"), QStringLiteral("status") }
            << 2 << QStringLiteral("cannot read the connection string");
    }

    void usageErrorsSayWhatIsWrong()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliResult result = cli.run(arguments);
        QVERIFY2(result.exitCode == exitCode, qPrintable(result.describe()));
        QVERIFY2(QString(result.stdErr + result.stdOut).contains(message),
                 qPrintable(result.describe()));
    }

    // As a process of its own: the program's real exit status and streams.
    void printsItsVersionAndHelp()
    {
        CliResult result = cli.run({ QStringLiteral("--version") }, CliOptions().asProcess());
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.stdOut.startsWith(QStringLiteral("fuelsync-db ")));
        result = cli.run({ QStringLiteral("help") }, CliOptions().asProcess());
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.stdOut.contains(QStringLiteral("migrate up [--version=V]")));
        result = cli.run(
            { QStringLiteral("migrate"), QStringLiteral("status"), QStringLiteral("--dry-run") },
            CliOptions().asProcess());
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.stdErr.contains(QStringLiteral("'migrate status' does not take --dry-run")));
    }

    void managesFuelSyncHubSchemaFromTheCommandLine()
    {
        TestDatabase db(QStringLiteral("cli_fuelsync"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        const QStringList dbArgs { QStringLiteral("--db"), db.conninfo() };

        CliResult result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("Applied 1 in public")),
                 qPrintable(result.describe()));

        for (const char *tenant : { "north_fuels", "south_fuels" }) {
            result = cli.run(dbArgs
                             + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                             QLatin1StringView(tenant),
                                             QStringLiteral("--name=Fuel Co") });
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        }
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("status"),
                                         QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QJsonObject status = result.json();
        QCOMPARE(status.value(QStringLiteral("tenantCount")).toInt(), 2);
        QVERIFY(status.value(QStringLiteral("upToDate")).toBool());
        const QJsonArray versions = status.value(QStringLiteral("versions")).toArray();
        QVERIFY(versions.size() >= 5);
        QCOMPARE(versions.at(1).toObject().value(QStringLiteral("tenantsApplied")).toInt(), 2);
        QCOMPARE(versions.at(1).toObject().value(QStringLiteral("checksum")).toString(),
                 QStringLiteral("matches"));

        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("tenant"), QStringLiteral("list"),
                                         QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QJsonArray list = QJsonDocument::fromJson(result.stdOut.toUtf8()).array();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("Fuel Co"));
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("pending")).toInt(), 0);

        // Roll every tenant migration back, keeping 001; then re-apply one tenant only.
        result =
            cli.run(dbArgs
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("down"),
                                    QStringLiteral("--version=001"), QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("Rolled back")),
                 qPrintable(result.describe()));
        auto c = db.connect();
        QVERIFY(!tableExists(*c, QStringLiteral("north_fuels.stations")));
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                         QStringLiteral("--tenant=south_fuels") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        // The English plural forms come from translations/fuelsync_en.ts.
        QVERIFY2(result.stdOut.contains(QStringLiteral(" in 1 tenant schema in ")),
                 qPrintable(result.describe()));
        QVERIFY(tableExists(*c, QStringLiteral("south_fuels.nozzle_readings")));
        QVERIFY(!tableExists(*c, QStringLiteral("north_fuels.stations")));

        result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("status") });
        QVERIFY2(result.stdOut.contains(QStringLiteral("behind: north_fuels")),
                 qPrintable(result.describe()));
    }

    void aWrongPasswordIsNamedAndNothingHappens()
    {
        TestDatabase db(QStringLiteral("cli_password"));
        QVERIFY(db.isValid());
        auto c = db.connect();
        c->exec(QStringLiteral("DROP ROLE IF EXISTS cli_app"));
        c->exec(QStringLiteral("CREATE ROLE cli_app LOGIN PASSWORD 'right-horse-battery'"));
        const ConnectionSettings tcp =
            db.tcpSettings(QStringLiteral("cli_app"), QStringLiteral("wrong"));
        const QString conninfo = tcp.conninfoWithoutPassword();

        CliResult result =
            cli.run({ QStringLiteral("--db"), conninfo + QStringLiteral(" password=wrong"),
                      QStringLiteral("migrate"), QStringLiteral("up") });
        QCOMPARE(result.exitCode, 3);
        QVERIFY2(result.stdErr.contains(QStringLiteral("wrong password for user cli_app")),
                 qPrintable(result.describe()));

        // No password anywhere, and no terminal to ask on.
        result =
            cli.run({ QStringLiteral("--db"), conninfo, QStringLiteral("migrate"),
                      QStringLiteral("status") },
                    CliOptions()
                        .withoutEnv(QStringLiteral("PGPASSWORD"))
                        .withEnv(QStringLiteral("PGPASSFILE"), QStringLiteral("/nonexistent")));
        QCOMPARE(result.exitCode, 3);
        QVERIFY2(result.stdErr.contains(QStringLiteral("asks for a password and none was given")),
                 qPrintable(result.describe()));

        // libpq's own means work: PGPASSWORD.
        result = cli.run({ QStringLiteral("--db"), conninfo, QStringLiteral("env") },
                         CliOptions().withEnv(QStringLiteral("PGPASSWORD"),
                                              QStringLiteral("right-horse-battery")));
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));
        c->exec(QStringLiteral("DROP ROLE cli_app"));
    }

    void aServerThatIsNotRunningIsNamed()
    {
        const CliResult result =
            cli.run({ QStringLiteral("--db"),
                      QStringLiteral("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=5"),
                      QStringLiteral("migrate"), QStringLiteral("status") });
        QCOMPARE(result.exitCode, 3);
        QVERIFY2(result.stdErr.contains(QStringLiteral("connection refused")),
                 qPrintable(result.describe()));
    }

    void aKilledRunnerLeavesNoHalfAppliedMigration()
    {
        TestDatabase db(QStringLiteral("cli_killed"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeHoldingSet(dir);
        const QStringList common { QStringLiteral("--db"), db.conninfo(),
                                   QStringLiteral("--migrations"), dir.path() };
        QCOMPARE(cli.run(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") })
                     .exitCode,
                 0);
        auto c = db.connect();
        c->exec(QStringLiteral(
            "INSERT INTO public.tenants (name, schema_name) VALUES ('A', 'tenant_a')"));
        c->exec(QStringLiteral("CREATE SCHEMA tenant_a"));
        c->exec(QStringLiteral("INSERT INTO public.hold VALUES ('tenant_a')"));

        auto process =
            cli.start(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY(process->isStarted());
        int backend = 0;
        QVERIFY(waitFor(
            [&] { return (backend = backendRunning(*c, QStringLiteral("WHILE EXISTS"))) != 0; }));
        process->kill();
        process->wait();
        // The server notices the dead client and rolls its transaction back.
        QVERIFY(waitFor([&] {
            return !c->scalar(QStringLiteral(
                                  "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = ?)"),
                              { backend })
                        .toBool();
        }));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.stations")));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.schema_migrations")));

        c->exec(QStringLiteral("DELETE FROM public.hold"));
        const CliResult again =
            cli.run(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QVERIFY(tableExists(*c, QStringLiteral("tenant_a.stations")));
    }

    void aSecondRunAtTheSameTimeIsTurnedAway()
    {
        TestDatabase db(QStringLiteral("cli_concurrent"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeHoldingSet(dir);
        const QStringList common { QStringLiteral("--db"), db.conninfo(),
                                   QStringLiteral("--migrations"), dir.path() };
        QCOMPARE(cli.run(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") })
                     .exitCode,
                 0);
        auto c = db.connect();
        c->exec(QStringLiteral(
            "INSERT INTO public.tenants (name, schema_name) VALUES ('A', 'tenant_a')"));
        c->exec(QStringLiteral("CREATE SCHEMA tenant_a"));
        c->exec(QStringLiteral("INSERT INTO public.hold VALUES ('tenant_a')"));

        auto first =
            cli.start(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY(waitFor([&] { return backendRunning(*c, QStringLiteral("WHILE EXISTS")) != 0; }));
        const CliResult second =
            cli.run(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QCOMPARE(second.exitCode, 4);
        QVERIFY2(second.stdErr.contains(QStringLiteral("another run holds the run lock")),
                 qPrintable(second.describe()));
        QVERIFY2(second.stdErr.contains(QStringLiteral("fuelsync-db"))
                     && second.stdErr.contains(QStringLiteral("migrate up")),
                 qPrintable(second.describe()));
        c->exec(QStringLiteral("DELETE FROM public.hold"));
        const CliResult firstResult = first->wait();
        QVERIFY2(firstResult.exitCode == 0, qPrintable(firstResult.describe()));
    }

    void ctrlCCancelsAndRollsBack()
    {
        TestDatabase db(QStringLiteral("cli_interrupt"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeHoldingSet(dir);
        const QStringList common { QStringLiteral("--db"), db.conninfo(),
                                   QStringLiteral("--migrations"), dir.path() };
        QCOMPARE(cli.run(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") })
                     .exitCode,
                 0);
        auto c = db.connect();
        c->exec(QStringLiteral(
            "INSERT INTO public.tenants (name, schema_name) VALUES ('A', 'tenant_a')"));
        c->exec(QStringLiteral("CREATE SCHEMA tenant_a"));
        c->exec(QStringLiteral("INSERT INTO public.hold VALUES ('tenant_a')"));

        auto process =
            cli.start(common + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY(waitFor([&] { return backendRunning(*c, QStringLiteral("WHILE EXISTS")) != 0; }));
        process->interrupt();
        const CliResult result = process->wait(30000);
        QVERIFY2(result.exitCode == 130, qPrintable(result.describe()));
        QVERIFY2(
            result.stdOut.contains(QStringLiteral("Cancelled while running and rolled back: 1")),
            qPrintable(result.describe()));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.stations")));
    }

    void createWritesTheNextMigrationFiles()
    {
        MigrationDir dir;
        writeHoldingSet(dir);
        const CliResult result =
            cli.run({ QStringLiteral("--migrations"), dir.path(), QStringLiteral("migrate"),
                      QStringLiteral("create"), QStringLiteral("--name=add_opening_date") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(QFile::exists(dir.path() + QStringLiteral("/schema/003_add_opening_date.sql")));
        QVERIFY(QFile::exists(dir.path()
                              + QStringLiteral("/rollbacks/003_rollback_add_opening_date.sql")));
        const CliResult again =
            cli.run({ QStringLiteral("--migrations"), dir.path(), QStringLiteral("migrate"),
                      QStringLiteral("create"), QStringLiteral("--name=x"),
                      QStringLiteral("--scope=galaxy") });
        QCOMPARE(again.exitCode, 2);
    }

    void lintReportsFindingsWithFileLineAndExitStatus()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
                QStringLiteral("CREATE TABLE plans (id int PRIMARY KEY);"),
                QStringLiteral("DROP TABLE plans;"));
        dir.add(QStringLiteral("002"), QStringLiteral("stations"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE stations (id int PRIMARY KEY);"),
                QStringLiteral("DROP TABLE stations;"), QStringLiteral("001"));
        dir.add(QStringLiteral("003"), QStringLiteral("risky"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE notes (body text);\nDROP TABLE stations;"),
                QStringLiteral("SELECT 1;"), QStringLiteral("002"));
        const QStringList base { QStringLiteral("--migrations"), dir.path(),
                                 QStringLiteral("migrate"), QStringLiteral("lint") };
        const CliResult text = cli.run(base);
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(text.stdOut.contains(QStringLiteral(
                     "migrations/schema/003_risky.sql:8: error [table-without-primary-key]")),
                 qPrintable(text.describe()));
        QVERIFY2(text.stdOut.contains(QStringLiteral("003_risky.sql:9: error [drop-table]")),
                 qPrintable(text.describe()));
        QVERIFY2(text.stdOut.contains(QStringLiteral("    fix: ")), qPrintable(text.describe()));
        QVERIFY2(text.stdOut.contains(QStringLiteral("2 errors, 0 warnings, 0 acknowledged.")),
                 qPrintable(text.describe()));

        const CliResult json = cli.run(base + QStringList { QStringLiteral("--json") });
        QCOMPARE(json.exitCode, 1);
        const QJsonObject report = QJsonDocument::fromJson(json.stdOut.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("errors")).toInt(), 2);
        const QJsonObject first =
            report.value(QStringLiteral("findings")).toArray().first().toObject();
        QCOMPARE(first.value(QStringLiteral("rule")).toString(),
                 QStringLiteral("table-without-primary-key"));
        QCOMPARE(first.value(QStringLiteral("line")).toInt(), 8);
        QCOMPARE(first.value(QStringLiteral("version")).toString(), QStringLiteral("003"));

        // One version only; an earlier, clean one exits 0.
        const CliResult one = cli.run(base + QStringList { QStringLiteral("--version=002") });
        QVERIFY2(one.exitCode == 0, qPrintable(one.describe()));
        QVERIFY2(one.stdOut.contains(QStringLiteral("0 errors")), qPrintable(one.describe()));
        QCOMPARE(cli.run(base + QStringList { QStringLiteral("--version=042") }).exitCode, 2);

        // FuelSync's own migrations pass.
        const CliResult own = cli.run({ QStringLiteral("migrate"), QStringLiteral("lint") });
        QVERIFY2(own.exitCode == 0, qPrintable(own.describe()));
    }

    void planShowsWhatWouldRunAndChangesNothing()
    {
        TestDatabase db(QStringLiteral("cli_plan"));
        QVERIFY(db.isValid());
        const QStringList dbArgs { QStringLiteral("--db"), db.uri() };
        CliResult result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("plan") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("Would apply, in this order:")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("1. 001")), qPrintable(result.describe()));
        auto c = db.connect();
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));

        result = cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("plan"),
                                         QStringLiteral("--down"), QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QJsonObject plan = QJsonDocument::fromJson(result.stdOut.toUtf8()).object();
        QCOMPARE(plan.value(QStringLiteral("direction")).toString(), QStringLiteral("down"));
        const QJsonArray rollbacks = plan.value(QStringLiteral("rollbacks")).toArray();
        QVERIFY(!rollbacks.isEmpty());
        QVERIFY(
            !rollbacks.first().toObject().value(QStringLiteral("destroys")).toArray().isEmpty());
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));

        // Production without approvals: it would be refused, exit 1.
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(db.name()));
        c->exec(QStringLiteral(
            "INSERT INTO public.tenants (name, schema_name) VALUES ('A', 'tenant_a')"));
        c->exec(QStringLiteral("CREATE SCHEMA tenant_a"));
        result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("plan") });
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.stdOut.contains(QStringLiteral("It would be refused:")),
                 qPrintable(result.describe()));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.schema_migrations")));
    }

    void approveRecordsTheApprovalAndStatusShowsIt()
    {
        TestDatabase db(QStringLiteral("cli_approve"));
        QVERIFY(db.isValid());
        const QStringList dbArgs { QStringLiteral("--db"), db.uri() };
        CliResult result =
            cli.run(dbArgs
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("approve"),
                                    QStringLiteral("--version=001"),
                                    QStringLiteral("--comment=reviewed in PR 42") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("Approved migration 001")),
                 qPrintable(result.describe()));
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("approve"),
                                         QStringLiteral("--version=001") });
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.stdErr.contains(QStringLiteral("already approved migration 001")),
                 qPrintable(result.describe()));
        QCOMPARE(
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("approve") })
                .exitCode,
            2);
        result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("status") });
        QVERIFY2(result.stdOut.contains(QStringLiteral("approved by %1").arg(db.settings().user())),
                 qPrintable(result.describe()));
        auto c = db.connect();
        QCOMPARE(
            c->scalar(QStringLiteral("SELECT comment FROM public.migration_approvals")).toString(),
            QStringLiteral("reviewed in PR 42"));
    }

    void aDryRunPrintsWhatWouldChangeAndChangesNothing()
    {
        TestDatabase db(QStringLiteral("cli_dryrun"));
        QVERIFY(db.isValid());
        const QStringList dbArgs { QStringLiteral("--db"), db.uri() };
        const CliResult result =
            cli.run(dbArgs
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                    QStringLiteral("--dry-run") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("nothing was changed")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("+ table public.tenants")),
                 qPrintable(result.describe()));
        // How long each version took, and the whole run.
        QVERIFY2(result.stdOut.contains(QRegularExpression(
                     QStringLiteral("001 \\S.* \\(slowest schema (\\d+ ms|\\d+\\.\\d s)\\)"))),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(
                     QRegularExpression(QStringLiteral("Tried .* in (\\d+ ms|\\d+\\.\\d s)\\."))),
                 qPrintable(result.describe()));
        auto c = db.connect();
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));
    }

    // Without a terminal to type at, a rollback or a production run needs --yes.
    void unconfirmedRollbacksAndProductionRunsFromScriptsChangeNothing()
    {
        TestDatabase db(QStringLiteral("cli_confirm"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeHoldingSet(dir);
        const QStringList dbArgs { QStringLiteral("--db"), db.uri(), QStringLiteral("--migrations"),
                                   dir.path() };
        CliResult result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        auto c = db.connect();
        const QVariant before = c->scalar(QStringLiteral("SELECT count(*) FROM schema_migrations"));

        result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("down") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("pass --yes")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("nothing was changed")),
                 qPrintable(result.describe()));
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM schema_migrations")), before);

        // A production database: even a forward run waits for --yes.
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                         QStringLiteral("production") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        c->exec(QStringLiteral(
            "INSERT INTO public.tenants (name, schema_name) VALUES ('A', 'tenant_a')"));
        c->exec(QStringLiteral("CREATE SCHEMA tenant_a"));
        result = cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("production")),
                 qPrintable(result.describe()));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.stations")));
        // Confirmed, but not approved: still nothing.
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                         QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("002 is not approved for production")),
                 qPrintable(result.describe()));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.stations")));
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("approve"),
                                         QStringLiteral("--version=002") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                         QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(tableExists(*c, QStringLiteral("tenant_a.stations")));
    }

    // Every statement runs with lock_timeout: 5 s unless --lock-timeout says otherwise.
    void theLockTimeoutIsFiveSecondsUnlessTheFlagSaysOtherwise()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("seen"), QStringLiteral("public"),
                QStringLiteral("CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS v;"),
                QStringLiteral("DROP TABLE seen;"));
        for (const auto &[flag, expected] :
             { std::pair { QString(), QStringLiteral("5s") },
               std::pair { QStringLiteral("--lock-timeout=750ms"), QStringLiteral("750ms") },
               std::pair { QStringLiteral("--lock-timeout=2s"), QStringLiteral("2s") } }) {
            TestDatabase db(QStringLiteral("cli_locktimeout"));
            QVERIFY(db.isValid());
            QStringList args { QStringLiteral("--db"), db.uri(), QStringLiteral("--migrations"),
                               dir.path() };
            if (!flag.isEmpty())
                args.append(flag);
            const CliResult result =
                cli.run(args + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
            auto c = db.connect();
            QCOMPARE(c->scalar(QStringLiteral("SELECT v FROM public.seen")).toString(), expected);
        }
    }

    // Without --db, libpq's own defaults choose the server: PG* variables, or a service file.
    void withoutDbTheLibpqDefaultsApply()
    {
        TestDatabase db(QStringLiteral("cli_pgenv"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeHoldingSet(dir);
        const ConnectionSettings settings = db.settings();
        const QStringList pgVariables {
            QStringLiteral("PGHOST"),    QStringLiteral("PGPORT"),
            QStringLiteral("PGUSER"),    QStringLiteral("PGDATABASE"),
            QStringLiteral("PGSERVICE"), QStringLiteral("PGSERVICEFILE")
        };
        CliOptions fromVariables;
        for (const QString &name : pgVariables)
            fromVariables.withoutEnv(name);
        fromVariables.withEnv(QStringLiteral("PGHOST"), settings.host())
            .withEnv(QStringLiteral("PGPORT"), settings.port())
            .withEnv(QStringLiteral("PGUSER"), settings.user())
            .withEnv(QStringLiteral("PGDATABASE"), db.name());
        CliResult result = cli.run({ QStringLiteral("--migrations"), dir.path(),
                                     QStringLiteral("migrate"), QStringLiteral("up") },
                                   fromVariables);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        auto c = db.connect();
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));

        QTemporaryDir home;
        const QString serviceFile = home.filePath(QStringLiteral("pg_service.conf"));
        QFile file(serviceFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("[fuelsync_test]\nhost=%1\nport=%2\nuser=%3\ndbname=%4\n")
                       .arg(settings.host(), settings.port(), settings.user(), db.name())
                       .toUtf8());
        file.close();
        CliOptions fromService;
        for (const QString &name : pgVariables)
            fromService.withoutEnv(name);
        fromService.withEnv(QStringLiteral("PGSERVICEFILE"), serviceFile)
            .withEnv(QStringLiteral("PGSERVICE"), QStringLiteral("fuelsync_test"));
        result = cli.run({ QStringLiteral("--migrations"), dir.path(), QStringLiteral("migrate"),
                           QStringLiteral("status"), QStringLiteral("--json") },
                         fromService);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.json().value(QStringLiteral("upToDate")).toBool(),
                 qPrintable(result.describe()));
    }

    // tenant create --no-migrate, migrate up --jobs, seed, and a rollback of one tenant only.
    void tenantSeedAndOneTenantRollbackFromTheCommandLine()
    {
        TestDatabase db(QStringLiteral("cli_tenantseed"));
        QVERIFY(db.isValid());
        const QStringList dbArgs { QStringLiteral("--db"), db.conninfo() };
        CliResult result =
            cli.run(dbArgs + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        for (const char *tenant : { "east_fuels", "west_fuels", "late_fuels" }) {
            result = cli.run(dbArgs
                             + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                             QLatin1StringView(tenant),
                                             QStringLiteral("--no-migrate") });
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        }
        auto c = db.connect();
        QVERIFY(c->scalar(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = "
                                         "'late_fuels'"))
                    .toInt()
                == 1);
        QVERIFY(!tableExists(*c, QStringLiteral("late_fuels.stations")));
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("tenant"), QStringLiteral("list"),
                                         QStringLiteral("--json") });
        const QJsonArray listed = QJsonDocument::fromJson(result.stdOut.toUtf8()).array();
        QCOMPARE(listed.size(), 3);
        QVERIFY(listed.at(0).toObject().value(QStringLiteral("pending")).toInt() >= 4);

        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                         QStringLiteral("--jobs=3") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(tableExists(*c, QStringLiteral("late_fuels.alerts")));

        result =
            cli.run(dbArgs + QStringList { QStringLiteral("seed"), QStringLiteral("--set=basic") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const int plans = c->scalar(QStringLiteral("SELECT count(*) FROM public.plans")).toInt();
        QVERIFY(plans > 0);
        result =
            cli.run(dbArgs + QStringList { QStringLiteral("seed"), QStringLiteral("--set=basic") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.plans")).toInt(), plans);
        result =
            cli.run(dbArgs + QStringList { QStringLiteral("seed"), QStringLiteral("--set=huge") });
        QCOMPARE(result.exitCode, 2);

        const QStringList publicBefore =
            c->scalar(QStringLiteral("SELECT string_agg(version, ',' ORDER BY version) FROM "
                                     "public.schema_migrations"))
                .toString()
                .split(u',');
        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("down"),
                                         QStringLiteral("--version=002"),
                                         QStringLiteral("--tenant=west_fuels"),
                                         QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(!tableExists(*c, QStringLiteral("west_fuels.alerts")));
        QVERIFY(tableExists(*c, QStringLiteral("west_fuels.stations")));
        QVERIFY(tableExists(*c, QStringLiteral("east_fuels.alerts")));
        QCOMPARE(c->scalar(QStringLiteral("SELECT string_agg(version, ',' ORDER BY version) FROM "
                                          "public.schema_migrations"))
                     .toString()
                     .split(u','),
                 publicBefore);
    }

    void theSandboxStartsMigratedAndSeededAndGoesAway()
    {
        QTemporaryDir home;
        // As root the server runs as the postgres user, who must be able to enter the folder.
        QFile::setPermissions(home.path(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                  | QFileDevice::ExeOwner | QFileDevice::ExeGroup
                                  | QFileDevice::ExeOther);
        const QString sandboxDir = home.path() + QStringLiteral("/sandbox");
        const CliOptions options = CliOptions()
                                       .withEnv(QStringLiteral("FUELSYNC_SANDBOX_DIR"), sandboxDir)
                                       .withTimeout(300000);
        CliResult result = cli.run({ QStringLiteral("sandbox"), QStringLiteral("start") }, options);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("postgresql:///fuelsync_hub?host=")),
                 qPrintable(result.describe()));

        result = cli.run({ QStringLiteral("--sandbox"), QStringLiteral("migrate"),
                           QStringLiteral("status"), QStringLiteral("--json") },
                         options);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(result.json().value(QStringLiteral("upToDate")).toBool());
        QVERIFY(result.json().value(QStringLiteral("tenantCount")).toInt() >= 2);
        QVERIFY(result.json()
                    .value(QStringLiteral("environment"))
                    .toString()
                    .startsWith(QStringLiteral("development")));

        // A second start reuses it: no new cluster, no second seeding.
        result = cli.run({ QStringLiteral("sandbox"), QStringLiteral("start") }, options);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(!result.stdErr.contains(QStringLiteral("Seeding")));

        QCOMPARE(cli.run({ QStringLiteral("sandbox"), QStringLiteral("status") }, options).exitCode,
                 0);
        QCOMPARE(cli.run({ QStringLiteral("sandbox"), QStringLiteral("stop") }, options).exitCode,
                 0);
        QCOMPARE(cli.run({ QStringLiteral("sandbox"), QStringLiteral("status") }, options).exitCode,
                 1);
        QCOMPARE(
            cli.run({ QStringLiteral("sandbox"), QStringLiteral("destroy") }, options).exitCode,
            2); // needs --yes
        QCOMPARE(cli.run({ QStringLiteral("sandbox"), QStringLiteral("destroy"),
                           QStringLiteral("--yes") },
                         options)
                     .exitCode,
                 0);
        QVERIFY(!QFileInfo::exists(sandboxDir));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
