// Roles the server enforces (issue 18): `roles setup` and `roles grant` make support staff who
// cannot write, whatever they try and wherever they try it from; a read-only profile runs no
// writing command; every action, refusals and failures included, leaves one row in an audit that
// nobody but a superuser changes. Each refusal shows its message and that nothing changed: a
// fingerprint of the catalog and of every table's rows is the same before and after.

#include "CliRunner.h"
#include "MigrationDir.h"
#include "TestDatabase.h"
#include "connect/ConnectionProfileStore.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

const QString password = QStringLiteral("pw-roles");

// The catalog (every relation of the FuelSync schemas, its owner and its privileges, the
// database's owner and settings, the roles' memberships and settings) and every table's rows,
// except the audit's, as one text to compare.
// What a refused command must leave as it was. Roles and their settings are the cluster's:
// other test programs grant their own logins beside this one, so only the roles this test
// names (its logins, the session's own, postgres and FuelSync's roles) are compared.
QString fingerprint(DbConnection &c, const QStringList &logins = {})
{
    QStringList parts;
    parts.append(
        c.scalar(QStringLiteral(
                     "SELECT md5(string_agg(format('%s.%s %s %s %s', n.nspname, c.relname, "
                     "c.relkind, c.relowner::regrole, c.relacl), ',' ORDER BY n.nspname, "
                     "c.relname)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname !~ '^(pg_|information_schema)'"))
            .toString());
    parts.append(
        c.scalar(QStringLiteral("SELECT format('%s %s %s', datdba::regrole, datacl, "
                                "(SELECT setconfig FROM pg_db_role_setting WHERE setrole = 0 "
                                "AND setdatabase = d.oid)) FROM pg_database d "
                                "WHERE datname = current_database()"))
            .toString());
    const QString watched =
        (logins
         + QStringList { QStringLiteral("postgres"),
                         c.scalar(QStringLiteral("SELECT session_user::text")).toString() })
            .join(u',');
    parts.append(
        c.scalar(
             QStringLiteral("WITH watched AS (SELECT oid FROM pg_roles WHERE rolname = "
                            "ANY (string_to_array(?::text, ',')) OR rolname LIKE 'fuelsync\\_%') "
                            "SELECT md5(coalesce((SELECT string_agg(format('%s>%s', "
                            "roleid::regrole, member::regrole), ',' ORDER BY roleid, member) "
                            "FROM pg_auth_members WHERE member IN (SELECT oid FROM watched)), '') "
                            "|| coalesce((SELECT string_agg(format('%s:%s:%s', setrole, "
                            "setdatabase, setconfig), ',' ORDER BY setrole, setdatabase) FROM "
                            "pg_db_role_setting "
                            "WHERE setrole IN (SELECT oid FROM watched)), ''))"),
             { watched })
            .toString());
    QStringList tables;
    QSqlQuery q = c.exec(QStringLiteral(
        "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
        "AND n.nspname !~ '^(pg_|information_schema)' AND c.relname <> 'fuelsync_audit' "
        "ORDER BY 1"));
    while (q.next())
        tables.append(q.value(0).toString());
    for (const QString &table : std::as_const(tables)) {
        parts.append(table + u'='
                     + c.scalar(QStringLiteral("SELECT md5(coalesce(string_agg(t::text, '|' "
                                               "ORDER BY t::text), '')) FROM %1 t")
                                    .arg(table))
                           .toString());
    }
    return parts.join(u'\n');
}

int auditRows(DbConnection &c, const QString &kind, const QString &outcome)
{
    if (!c.relationExists(QStringLiteral("public"), QStringLiteral("fuelsync_audit")))
        return 0;
    return c
        .scalar(QStringLiteral("SELECT count(*) FROM public.fuelsync_audit "
                               "WHERE kind = ? AND outcome = ?"),
                { kind, outcome })
        .toInt();
}

} // namespace

class TestRoles : public QObject
{
    Q_OBJECT

    CliRunner cli;

    static QStringList args(const TestDatabase &db, const MigrationDir &dir)
    {
        return { QStringLiteral("--db"), db.conninfo(), QStringLiteral("--migrations"),
                 dir.path() };
    }

    // The same, as `login` over TCP with its password.
    static QStringList argsAs(const TestDatabase &db, const MigrationDir &dir, const QString &login)
    {
        return { QStringLiteral("--db"), db.tcpSettings(login, password).conninfoWithoutPassword(),
                 QStringLiteral("--migrations"), dir.path() };
    }

    static CliOptions withPassword()
    {
        return CliOptions().withEnv(QStringLiteral("PGPASSWORD"), password);
    }

    // A login of this test process (roles belong to the whole cluster, which tests share).
    static QString makeLogin(DbConnection &c, const QString &label)
    {
        const QString login =
            QStringLiteral("%1_%2").arg(label).arg(QCoreApplication::applicationPid());
        c.exec(QStringLiteral("DO $$ BEGIN IF to_regrole('%1') IS NOT NULL THEN "
                              "EXECUTE 'DROP OWNED BY %1'; END IF; END $$")
                   .arg(login));
        c.exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(login));
        c.exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'").arg(login, password));
        return login;
    }

    static void dropLogin(DbConnection &c, const QString &login)
    {
        c.exec(QStringLiteral("DROP OWNED BY %1").arg(login));
        c.exec(QStringLiteral("DROP ROLE %1").arg(login));
    }

    // FuelSync's schema, the basic seed's two tenants, and the roles set up.
    bool prepare(const TestDatabase &db, const MigrationDir &dir)
    {
        for (const QStringList &command :
             { QStringList { QStringLiteral("migrate"), QStringLiteral("up") },
               QStringList { QStringLiteral("seed"), QStringLiteral("--set=basic") },
               QStringList { QStringLiteral("roles"), QStringLiteral("setup") } }) {
            const CliResult result = cli.run(args(db, dir) + command);
            if (result.exitCode != 0) {
                qWarning() << result.describe();
                return false;
            }
        }
        return true;
    }

private slots:
    // Setup twice changes nothing the second time; a support login reads every tenant, also one
    // created after setup, and public's tables without their secrets; it writes nothing, also
    // after turning its read-only default off; roles list says what each login can do and calls
    // a support login that can write an error.
    void supportReadsEverythingAndWritesNothing()
    {
        TestDatabase db(QStringLiteral("roles_support"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepare(db, dir));
        auto admin = db.connect();

        CliResult result = cli.run(
            args(db, dir) + QStringList { QStringLiteral("roles"), QStringLiteral("setup") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("nothing changed")),
                 qPrintable(result.describe()));

        const QString support = makeLogin(*admin, QStringLiteral("support_sam"));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("roles"), QStringLiteral("grant"), support,
                                         QStringLiteral("--as=support") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));

        // A support login is not made a maintainer behind its read-only sessions' back.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("roles"), QStringLiteral("grant"), support,
                                         QStringLiteral("--as=maintainer") });
        QVERIFY2(result.exitCode == 1
                     && result.stdErr.contains(QStringLiteral("revoke that first")),
                 qPrintable(result.describe()));

        // A tenant created after setup is readable at once.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                         QStringLiteral("late_tenant") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));

        // What the CLI says the login may do, as the server decides it.
        result = cli.run(argsAs(db, dir, support) + QStringList { QStringLiteral("env") },
                         withPassword());
        QVERIFY2(result.exitCode == 0
                     && result.stdOut.contains(
                         QStringLiteral("%1: READ-ONLY · enforced by the server (fuelsync_support)")
                             .arg(support)),
                 qPrintable(result.describe()));

        auto sam = DbConnection::open(db.tcpSettings(support, password), QStringLiteral("sam"));
        QCOMPARE(sam->scalar(QStringLiteral("SHOW default_transaction_read_only")).toString(),
                 QStringLiteral("on"));
        QVERIFY(sam->scalar(QStringLiteral("SELECT count(*) FROM basic_demo_1.stations")).toInt()
                > 0);
        QCOMPARE(sam->scalar(QStringLiteral("SELECT count(*) FROM late_tenant.stations")).toInt(),
                 0);
        QVERIFY(sam->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt() >= 3);
        QVERIFY(sam->scalar(QStringLiteral("SELECT count(email) FROM public.admin_users")).toInt()
                > 0);

        const QString before = fingerprint(*admin, { support });
        const QStringList refused {
            QStringLiteral("SELECT password_hash FROM public.admin_users"),
            QStringLiteral("SELECT * FROM public.admin_users"),
            QStringLiteral("SELECT password_hash FROM basic_demo_1.users"),
            QStringLiteral("SELECT password_hash FROM late_tenant.users"),
            QStringLiteral("INSERT INTO basic_demo_1.stations (name) VALUES ('x')"),
            QStringLiteral("UPDATE basic_demo_1.stations SET name = name"),
            QStringLiteral("DELETE FROM basic_demo_1.sales"),
            QStringLiteral("TRUNCATE basic_demo_1.sales"),
            QStringLiteral("CREATE TABLE basic_demo_1.mine (id int)"),
            QStringLiteral("CREATE TABLE public.mine (id int)"),
            QStringLiteral("CREATE SCHEMA mine"),
            QStringLiteral("UPDATE public.tenants SET name = name"),
            QStringLiteral("DELETE FROM public.fuelsync_audit"),
            QStringLiteral("INSERT INTO public.migration_approvals (version, checksum, "
                           "environment) VALUES ('001', repeat('a', 64), 'production')"),
        };
        for (const bool readWrite : { false, true }) {
            if (readWrite)
                sam->exec(QStringLiteral("SET default_transaction_read_only = off"));
            for (const QString &sql : refused) {
                try {
                    sam->exec(sql);
                    QFAIL(qPrintable(QStringLiteral("support ran: ") + sql));
                } catch (const DbError &error) {
                    // Read-only first (25006), then the privileges (42501) decide.
                    QVERIFY2(error.sqlState() == u"42501" || error.sqlState() == u"25006",
                             qPrintable(sql + u' ' + error.text()));
                    if (readWrite || sql.startsWith(u"SELECT"))
                        QVERIFY2(error.sqlState() == u"42501",
                                 qPrintable(sql + u' ' + error.text()));
                }
            }
        }
        QCOMPARE(fingerprint(*admin, { support }), before);

        // roles list: the support login, read-only, writing nothing.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("roles"), QStringLiteral("list"),
                                         QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QJsonObject sams;
        for (const auto &login : result.json().value(QStringLiteral("logins")).toArray()) {
            if (login.toObject().value(QStringLiteral("login")).toString() == support)
                sams = login.toObject();
        }
        QCOMPARE(sams.value(QStringLiteral("role")).toString(), QStringLiteral("support"));
        QVERIFY(sams.value(QStringLiteral("readOnlyByDefault")).toBool());
        QVERIFY2(sams.value(QStringLiteral("writes")).toArray().isEmpty(),
                 qPrintable(result.stdOut));

        // A write granted behind the app's back is an error in roles list.
        admin->exec(QStringLiteral("GRANT INSERT ON basic_demo_2.sales TO %1").arg(support));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("roles"), QStringLiteral("list") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("ERROR: %1 is a support login but can "
                                                       "write")
                                            .arg(support))
                     && result.stdOut.contains(QStringLiteral("INSERT on basic_demo_2.sales")),
                 qPrintable(result.describe()));
        admin->exec(QStringLiteral("REVOKE INSERT ON basic_demo_2.sales FROM %1").arg(support));

        sam.reset();
        dropLogin(*admin, support);
    }

    // A support login runs no writing command: each is refused with a message that names the
    // login and its role, nothing changes, and each refusal is in the audit.
    void supportRunsNoWritingCommand_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("migrate up")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("up") };
        QTest::newRow("migrate down")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("down"),
                             QStringLiteral("--version=003"), QStringLiteral("--yes") };
        QTest::newRow("migrate up --dry-run")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                             QStringLiteral("--dry-run") };
        QTest::newRow("migrate approve")
            << QStringList { QStringLiteral("migrate"), QStringLiteral("approve"),
                             QStringLiteral("--version=005") };
        QTest::newRow("tenant create")
            << QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                             QStringLiteral("support_made") };
        QTest::newRow("seed") << QStringList { QStringLiteral("seed"),
                                               QStringLiteral("--set=basic") };
        QTest::newRow("env set") << QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                                  QStringLiteral("staging") };
        QTest::newRow("backup run")
            << QStringList { QStringLiteral("backup"), QStringLiteral("run") };
        QTest::newRow("backup prune")
            << QStringList { QStringLiteral("backup"), QStringLiteral("prune"),
                             QStringLiteral("--keep-last=1") };
        QTest::newRow("backup restore") << QStringList {
            QStringLiteral("backup"), QStringLiteral("restore"), QStringLiteral("20261201T000000Z"),
            QStringLiteral("--tenant=basic_demo_1"), QStringLiteral("--as=copy_of_1")
        };
        QTest::newRow("roles revoke")
            << QStringList { QStringLiteral("roles"), QStringLiteral("revoke"),
                             QStringLiteral("postgres"), QStringLiteral("--as=maintainer") };
        QTest::newRow("roles setup")
            << QStringList { QStringLiteral("roles"), QStringLiteral("setup") };
        QTest::newRow("roles grant")
            << QStringList { QStringLiteral("roles"), QStringLiteral("grant"),
                             QStringLiteral("postgres"), QStringLiteral("--as=maintainer") };
    }

    void supportRunsNoWritingCommand()
    {
        QFETCH(QStringList, command);
        TestDatabase db(QStringLiteral("roles_refused"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepare(db, dir));
        auto admin = db.connect();
        const QString support = makeLogin(*admin, QStringLiteral("support_sue"));
        CliResult result = cli.run(args(db, dir)
                                   + QStringList { QStringLiteral("roles"), QStringLiteral("grant"),
                                                   support, QStringLiteral("--as=support") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        // Something pending, so that migrate up would have work.
        dir.add(QStringLiteral("006"), QStringLiteral("pending_notes"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE pending_notes (id int);"),
                QStringLiteral("DROP TABLE pending_notes;"));
        const int refusalsBefore = admin
                                       ->scalar(QStringLiteral("SELECT count(*) FROM "
                                                               "public.fuelsync_audit WHERE "
                                                               "outcome = 'refused'"))
                                       .toInt();
        const QString before = fingerprint(*admin, { support });

        // Backups would go to the database's own folder, under a data home of this test's.
        QTemporaryDir backups;
        result = cli.run(argsAs(db, dir, support) + command,
                         withPassword().withEnv(QStringLiteral("XDG_DATA_HOME"), backups.path()));
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(
                     QStringLiteral("%1 is a support login (fuelsync_support)").arg(support))
                     && result.stdErr.contains(QStringLiteral("nothing was run")),
                 qPrintable(result.describe()));
        QCOMPARE(fingerprint(*admin, { support }), before);
        QCOMPARE(QDir(backups.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
                 QStringList());
        QCOMPARE(admin
                     ->scalar(QStringLiteral("SELECT count(*) FROM public.fuelsync_audit WHERE "
                                             "outcome = 'refused' AND database_role = ?"),
                              { support })
                     .toInt(),
                 1);
        QCOMPARE(admin
                     ->scalar(QStringLiteral("SELECT count(*) FROM public.fuelsync_audit WHERE "
                                             "outcome = 'refused'"))
                     .toInt(),
                 refusalsBefore + 1);
        dropLogin(*admin, support);
    }

    // A read-only profile runs no writing command, and says so before connecting: its server
    // does not even exist here. A profile provisioned for the workstation is locked.
    void aReadOnlyProfileWritesNothingAndSaysSoFirst()
    {
        QTemporaryDir home;
        const QString userFile = home.filePath(QStringLiteral("settings.ini"));
        const QString systemFile = home.filePath(QStringLiteral("system-profiles.ini"));
        {
            ConnectionProfileStore store(userFile);
            ConnectionProfile mine;
            mine.name = QStringLiteral("prod-reader");
            mine.host = QStringLiteral("127.0.0.1");
            mine.port = QStringLiteral("1"); // nothing listens there
            mine.database = QStringLiteral("fuelsync_hub");
            mine.user = QStringLiteral("support_sam");
            mine.readOnly = true;
            QString error;
            QVERIFY2(store.save(mine, QString(), &error), qPrintable(error));
        }
        {
            QSettings system(systemFile, QSettings::IniFormat);
            system.setValue(QStringLiteral("profiles/prod-locked/name"),
                            QStringLiteral("prod-locked"));
            system.setValue(QStringLiteral("profiles/prod-locked/host"),
                            QStringLiteral("127.0.0.1"));
            system.setValue(QStringLiteral("profiles/prod-locked/port"), QStringLiteral("1"));
            system.setValue(QStringLiteral("profiles/prod-locked/database"),
                            QStringLiteral("fuelsync_hub"));
            system.setValue(QStringLiteral("profiles/prod-locked/user"),
                            QStringLiteral("support_sam"));
            system.setValue(QStringLiteral("profiles/prod-locked/environment"),
                            QStringLiteral("production"));
        }
        const CliOptions options =
            CliOptions()
                .withEnv(QStringLiteral("FUELSYNC_ADMIN_SETTINGS"), userFile)
                .withEnv(QStringLiteral("FUELSYNC_ADMIN_SYSTEM_PROFILES"), systemFile);
        const QList<QStringList> writers {
            { QStringLiteral("migrate"), QStringLiteral("up") },
            { QStringLiteral("migrate"), QStringLiteral("down"), QStringLiteral("--version=001") },
            { QStringLiteral("migrate"), QStringLiteral("approve"),
              QStringLiteral("--version=001") },
            { QStringLiteral("tenant"), QStringLiteral("create"), QStringLiteral("x1") },
            { QStringLiteral("seed"), QStringLiteral("--set=basic") },
            { QStringLiteral("env"), QStringLiteral("set"), QStringLiteral("development") },
            { QStringLiteral("backup"), QStringLiteral("run") },
            { QStringLiteral("backup"), QStringLiteral("prune"), QStringLiteral("--keep-last=1") },
            { QStringLiteral("backup"), QStringLiteral("verify"),
              QStringLiteral("--restore-test") },
            { QStringLiteral("backup"), QStringLiteral("restore"), QStringLiteral("x1") },
            { QStringLiteral("roles"), QStringLiteral("setup") },
            { QStringLiteral("roles"), QStringLiteral("grant"), QStringLiteral("x"),
              QStringLiteral("--as=support") },
            { QStringLiteral("backup"), QStringLiteral("schedule"), QStringLiteral("add"),
              QStringLiteral("nightly"), QStringLiteral("--no-systemd") },
        };
        for (const QString &profile :
             { QStringLiteral("prod-reader"), QStringLiteral("prod-locked") }) {
            for (const QStringList &command : writers) {
                const CliResult result = cli.run(
                    QStringList { QStringLiteral("--profile"), profile } + command, options);
                QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
                QVERIFY2(result.stdErr.contains(
                             QStringLiteral("the profile %1 is read-only").arg(profile))
                             && result.stdErr.contains(QStringLiteral("nothing was sent to the "
                                                                      "server")),
                         qPrintable(result.describe()));
                QCOMPARE(result.stdErr.contains(QStringLiteral("locked")),
                         profile == u"prod-locked");
            }
            // Reading is still allowed: it gets as far as the server that is not there (3).
            const CliResult reading =
                cli.run({ QStringLiteral("--profile"), profile, QStringLiteral("migrate"),
                          QStringLiteral("status") },
                        options);
            QVERIFY2(reading.exitCode == 3, qPrintable(reading.describe()));
        }

        // The locked profile cannot be changed, unlocked or removed from here.
        qputenv("FUELSYNC_ADMIN_SYSTEM_PROFILES", systemFile.toLocal8Bit());
        ConnectionProfileStore store(userFile);
        qunsetenv("FUELSYNC_ADMIN_SYSTEM_PROFILES");
        auto locked = store.find(QStringLiteral("prod-locked"));
        QVERIFY(locked && locked->locked && locked->readOnly);
        locked->readOnly = false;
        QString error;
        QVERIFY(!store.save(*locked, locked->name, &error));
        QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
        QVERIFY(!store.remove(QStringLiteral("prod-locked"), &error));
        QVERIFY(store.find(QStringLiteral("prod-locked"))->readOnly);
        QCOMPARE(store.profiles().size(), 2);
    }

    // Every action leaves one row: an apply, a rollback, a failed migration, a refused
    // production run and an env set; nobody but a superuser changes a row, the table's own
    // owner included.
    void everyActionLeavesOneRowNobodyEdits()
    {
        TestDatabase db(QStringLiteral("roles_audit"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepare(db, dir));
        auto admin = db.connect();
        const int upsBefore =
            auditRows(*admin, QStringLiteral("migrate up"), QStringLiteral("done"));
        QCOMPARE(upsBefore, 1); // prepare's own migrate up

        dir.add(QStringLiteral("006"), QStringLiteral("audit_notes"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE audit_notes (id int);"),
                QStringLiteral("DROP TABLE audit_notes;"));
        CliResult result = cli.run(
            args(db, dir) + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("migrate up"), QStringLiteral("done")), 2);
        const QJsonObject what =
            QJsonDocument::fromJson(admin
                                        ->scalar(QStringLiteral("SELECT what::text FROM "
                                                                "public.fuelsync_audit ORDER BY "
                                                                "id DESC LIMIT 1"))
                                        .toString()
                                        .toUtf8())
                .object();
        QCOMPARE(what.value(QStringLiteral("versions")).toArray(), QJsonArray { "006" });
        QCOMPARE(what.value(QStringLiteral("schemas")).toArray().size(), 2);

        result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("down"),
                                    QStringLiteral("--version=005"), QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("migrate down"), QStringLiteral("done")), 1);
        QVERIFY(admin
                    ->scalar(QStringLiteral("SELECT what->>'destroys' FROM public.fuelsync_audit "
                                            "WHERE kind = 'migrate down'"))
                    .toString()
                    .contains(QStringLiteral("audit_notes")));

        dir.add(QStringLiteral("007"), QStringLiteral("broken"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE broken (id int REFERENCES nowhere (id));"),
                QStringLiteral("DROP TABLE broken;"));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("migrate up"), QStringLiteral("failed")), 1);
        QVERIFY(admin
                    ->scalar(QStringLiteral("SELECT error FROM public.fuelsync_audit WHERE "
                                            "outcome = 'failed'"))
                    .toString()
                    .contains(QStringLiteral("nowhere")));
        dir.remove(QStringLiteral("schema/007_broken.sql"));
        dir.remove(QStringLiteral("rollbacks/007_rollback_broken.sql"));

        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                         QStringLiteral("production") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("env set"), QStringLiteral("done")), 1);
        dir.add(QStringLiteral("008"), QStringLiteral("unapproved"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE unapproved (id int);"),
                QStringLiteral("DROP TABLE unapproved;"));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                         QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("migrate up"), QStringLiteral("refused")), 1);
        QVERIFY(admin
                    ->scalar(QStringLiteral("SELECT error FROM public.fuelsync_audit WHERE "
                                            "outcome = 'refused'"))
                    .toString()
                    .contains(QStringLiteral("not approved")));

        // fuelsync-db audit shows them, newest first.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("audit"), QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QJsonArray rows = QJsonDocument::fromJson(result.stdOut.toUtf8()).array();
        QVERIFY(rows.size() >= 6);
        QCOMPARE(rows.first().toObject().value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("refused"));
        result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("audit"), QStringLiteral("--kind=env set") });
        QVERIFY2(result.exitCode == 0 && result.stdOut.contains(QStringLiteral("to: production")),
                 qPrintable(result.describe()));

        // A maintainer (acting as fuelsync_owner) cannot change a row, nor switch the guard off.
        const QString maintainer = makeLogin(*admin, QStringLiteral("maint_mo"));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("roles"), QStringLiteral("grant"),
                                         maintainer, QStringLiteral("--as=maintainer") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const int rowsNow =
            admin->scalar(QStringLiteral("SELECT count(*) FROM public.fuelsync_audit")).toInt();
        auto mo = DbConnection::open(db.tcpSettings(maintainer, password), QStringLiteral("mo"));
        for (const QString &sql :
             { QStringLiteral("DELETE FROM public.fuelsync_audit"),
               QStringLiteral("UPDATE public.fuelsync_audit SET outcome = 'done'"),
               QStringLiteral("TRUNCATE public.fuelsync_audit"),
               QStringLiteral(
                   "ALTER TABLE public.fuelsync_audit DISABLE TRIGGER fuelsync_audit_guard"),
               QStringLiteral("DROP TABLE public.fuelsync_audit"),
               QStringLiteral("DROP SCHEMA public CASCADE"),
               QStringLiteral("DROP FUNCTION public.fuelsync_audit_guard() CASCADE"),
               QStringLiteral("DROP TABLE public.migration_approvals"),
               QStringLiteral("DROP SCHEMA fuelsync_guard CASCADE"),
               QStringLiteral("ALTER EVENT TRIGGER fuelsync_keep_records DISABLE") }) {
            try {
                mo->exec(sql);
                QFAIL(qPrintable(QStringLiteral("a maintainer ran: ") + sql));
            } catch (const DbError &error) {
                QVERIFY2(error.sqlState() == u"42501", qPrintable(sql + u' ' + error.text()));
            }
        }
        // public is the maintainers' (through the database): renaming it is theirs to do, but
        // the audit does not go with a schema dropped under another name.
        mo->exec(QStringLiteral("ALTER SCHEMA public RENAME TO public_gone"));
        try {
            mo->exec(QStringLiteral("DROP SCHEMA public_gone CASCADE"));
            QFAIL("a maintainer dropped the audit under another schema name");
        } catch (const DbError &error) {
            QVERIFY2(error.sqlState() == u"42501", qPrintable(error.text()));
        }
        mo->exec(QStringLiteral("ALTER SCHEMA public_gone RENAME TO public"));
        // The guard holds for the table's owner too; only a superuser could switch it off.
        for (const QString &sql : { QStringLiteral("DELETE FROM public.fuelsync_audit"),
                                    QStringLiteral("TRUNCATE public.fuelsync_audit") }) {
            try {
                admin->exec(sql);
                QFAIL(qPrintable(QStringLiteral("the guard let through: ") + sql));
            } catch (const DbError &error) {
                QVERIFY2(error.text().contains(QStringLiteral("append-only")),
                         qPrintable(error.text()));
            }
        }
        QCOMPARE(
            admin->scalar(QStringLiteral("SELECT count(*) FROM public.fuelsync_audit")).toInt(),
            rowsNow);
        mo.reset();
        dropLogin(*admin, maintainer);
    }

    // Production can require two approvers; only maintainers set that; a release manager
    // approves but runs nothing; a superuser's approval is recorded as a superuser's.
    void releaseGatesNobodyFlips()
    {
        TestDatabase db(QStringLiteral("roles_gates"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepare(db, dir));
        auto admin = db.connect();
        const QString rm = makeLogin(*admin, QStringLiteral("rm_rita"));
        const QString maintainer = makeLogin(*admin, QStringLiteral("maint_mia"));
        for (const auto &[login, role] :
             { std::pair { rm, QStringLiteral("release-manager") },
               std::pair { maintainer, QStringLiteral("maintainer") } }) {
            const CliResult result =
                cli.run(args(db, dir)
                        + QStringList { QStringLiteral("roles"), QStringLiteral("grant"), login,
                                        QStringLiteral("--as=") + role });
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        }
        CliResult result = cli.run(args(db, dir)
                                   + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                                   QStringLiteral("production") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        dir.add(
            QStringLiteral("006"), QStringLiteral("gated"), QStringLiteral("tenant"),
            QStringLiteral(
                "CREATE TABLE gated (id int PRIMARY KEY);\nCOMMENT ON TABLE gated IS 'Gated.';"),
            QStringLiteral("DROP TABLE gated;"));
        const QStringList policy { QStringLiteral("migrate"), QStringLiteral("approve"),
                                   QStringLiteral("--policy=required:2") };

        // A release manager may not lower or raise the bar.
        result = cli.run(argsAs(db, dir, rm) + policy, withPassword());
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("'migrate approve --policy' writes, "
                                                       "which only fuelsync_maintainers may")),
                 qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("approval policy"), QStringLiteral("refused")),
                 1);
        result = cli.run(argsAs(db, dir, maintainer) + policy, withPassword());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("approval policy"), QStringLiteral("done")), 1);

        const QStringList approve { QStringLiteral("migrate"), QStringLiteral("approve"),
                                    QStringLiteral("--version=006"), QStringLiteral("--json") };
        result = cli.run(argsAs(db, dir, rm) + approve, withPassword());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(result.json().value(QStringLiteral("approved_as")).toString(),
                 QStringLiteral("release manager"));
        // A release manager approves; it does not run.
        result = cli.run(argsAs(db, dir, rm)
                             + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                             QStringLiteral("--yes") },
                         withPassword());
        QVERIFY2(result.exitCode == 1
                     && result.stdErr.contains(QStringLiteral("is a release manager login")),
                 qPrintable(result.describe()));
        // One approval of two: the superuser's run is refused all the same.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                         QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("has 1 of the 2 approvals production "
                                                       "requires (%1)")
                                            .arg(rm))
                     || result.stdErr.contains(QStringLiteral("has 1 of the 2 approvals "
                                                              "production requires (%1)")
                                                   .arg(rm)),
                 qPrintable(result.describe()));
        QVERIFY(!admin->relationExists(QStringLiteral("basic_demo_1"), QStringLiteral("gated")));

        // The superuser approves too: recorded as a superuser outside the role, and shown so.
        result = cli.run(args(db, dir) + approve);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(result.json().value(QStringLiteral("approved_as")).toString(),
                 QStringLiteral("superuser, not a release manager"));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("status") });
        QVERIFY2(result.stdOut.contains(QStringLiteral("(superuser, not a release manager)")),
                 qPrintable(result.describe()));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                         QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(admin->relationExists(QStringLiteral("basic_demo_1"), QStringLiteral("gated")));
        QCOMPARE(auditRows(*admin, QStringLiteral("approve"), QStringLiteral("done")), 2);
        dropLogin(*admin, rm);
        dropLogin(*admin, maintainer);
    }

    // A seed, a backup, a restore side by side and a prune each leave one row; the restored
    // copy is fuelsync_owner's and support reads it at once, secrets excepted.
    void backupsRestoresAndSeedsAreOnRecord()
    {
        TestDatabase db(QStringLiteral("roles_backups"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepare(db, dir));
        auto admin = db.connect();
        QCOMPARE(auditRows(*admin, QStringLiteral("seed"), QStringLiteral("done")), 1);
        // The backups go to the database's own folder, under a data home of this test's.
        QTemporaryDir dataHome;
        const CliOptions home =
            CliOptions().withEnv(QStringLiteral("XDG_DATA_HOME"), dataHome.path());
        const QStringList backup { QStringLiteral("backup"), QStringLiteral("run") };
        CliResult result = cli.run(args(db, dir) + backup, home);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        result = cli.run(args(db, dir) + backup, home);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("backup run"), QStringLiteral("done")), 2);
        result = cli.run(args(db, dir)
                             + QStringList { QStringLiteral("backup"), QStringLiteral("list"),
                                             QStringLiteral("--json") },
                         home);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QJsonArray backups = result.json().value(QStringLiteral("backups")).toArray();
        QVERIFY2(backups.size() == 2, qPrintable(result.stdOut));
        const QString id = backups.first().toObject().value(QStringLiteral("id")).toString();

        result = cli.run(args(db, dir)
                             + QStringList { QStringLiteral("backup"), QStringLiteral("restore"),
                                             id, QStringLiteral("--tenant=basic_demo_1"),
                                             QStringLiteral("--as=restored_copy") },
                         home);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("restore"), QStringLiteral("done")), 1);
        QCOMPARE(admin
                     ->scalar(QStringLiteral("SELECT nspowner::regrole::text FROM pg_namespace "
                                             "WHERE nspname = 'restored_copy'"))
                     .toString(),
                 QStringLiteral("fuelsync_owner"));
        // public in place would drop the live audit and approvals with the old public: refused,
        // on record, and nothing of the attempt is left behind.
        const QString schemasBefore =
            admin
                ->scalar(QStringLiteral("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM "
                                        "pg_namespace WHERE nspname !~ '^pg_'"))
                .toString();
        result = cli.run(args(db, dir)
                             + QStringList { QStringLiteral("backup"), QStringLiteral("restore"),
                                             id, QStringLiteral("--tenant=public"),
                                             QStringLiteral("--public"), QStringLiteral("--yes") },
                         home);
        QVERIFY2(result.exitCode == 1
                     && result.stdErr.contains(QStringLiteral("the audit and the approvals are "
                                                              "kept")),
                 qPrintable(result.describe()));
        QCOMPARE(admin
                     ->scalar(QStringLiteral("SELECT string_agg(nspname, ',' ORDER BY nspname) "
                                             "FROM pg_namespace WHERE nspname !~ '^pg_'"))
                     .toString(),
                 schemasBefore);
        QCOMPARE(auditRows(*admin, QStringLiteral("restore"), QStringLiteral("refused")), 1);

        const QString support = makeLogin(*admin, QStringLiteral("support_rae"));
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("roles"), QStringLiteral("grant"), support,
                                         QStringLiteral("--as=support") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        {
            auto rae = DbConnection::open(db.tcpSettings(support, password), QStringLiteral("rae"));
            QVERIFY(
                rae->scalar(QStringLiteral("SELECT count(*) FROM restored_copy.stations")).toInt()
                > 0);
            try {
                rae->exec(QStringLiteral("SELECT password_hash FROM restored_copy.users"));
                QFAIL("support read a restored password hash");
            } catch (const DbError &error) {
                QCOMPARE(error.sqlState(), QStringLiteral("42501"));
            }
        }

        result = cli.run(args(db, dir)
                             + QStringList { QStringLiteral("backup"), QStringLiteral("prune"),
                                             QStringLiteral("--keep-last=1") },
                         home);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(auditRows(*admin, QStringLiteral("prune"), QStringLiteral("done")), 1);
        // The older backup is the one removed, and named.
        QVERIFY(admin
                    ->scalar(QStringLiteral("SELECT what::text FROM public.fuelsync_audit "
                                            "WHERE kind = 'prune'"))
                    .toString()
                    .contains(backups.last().toObject().value(QStringLiteral("id")).toString()));
        dropLogin(*admin, support);
    }

    // env set is the database owner's, which setup makes fuelsync_owner: a maintainer who is no
    // superuser declares it, and migrates; a login without a FuelSync role is refused by the
    // server, with words that say why, and the refusal is on record.
    void aMaintainerNeedsNoSuperuser()
    {
        TestDatabase db(QStringLiteral("roles_maintainer"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepare(db, dir));
        auto admin = db.connect();
        const QString maintainer = makeLogin(*admin, QStringLiteral("maint_max"));
        const QString stranger = makeLogin(*admin, QStringLiteral("plain_pat"));
        CliResult result = cli.run(args(db, dir)
                                   + QStringList { QStringLiteral("roles"), QStringLiteral("grant"),
                                                   maintainer, QStringLiteral("--as=maintainer") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));

        const QString before = fingerprint(*admin, { maintainer, stranger });
        result = cli.run(argsAs(db, dir, stranger)
                             + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                             QStringLiteral("staging") },
                         withPassword());
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("may not change the environment")),
                 qPrintable(result.describe()));
        QCOMPARE(fingerprint(*admin, { maintainer, stranger }), before);
        QCOMPARE(admin
                     ->scalar(QStringLiteral("SELECT count(*) FROM public.fuelsync_audit WHERE "
                                             "kind = 'env set' AND outcome = 'refused' AND "
                                             "database_role = ?"),
                              { stranger })
                     .toInt(),
                 1);

        result = cli.run(argsAs(db, dir, maintainer)
                             + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                             QStringLiteral("staging") },
                         withPassword());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));

        dir.add(QStringLiteral("006"), QStringLiteral("maintained"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE maintained (id int, api_token text);"),
                QStringLiteral("DROP TABLE maintained;"));
        result = cli.run(argsAs(db, dir, maintainer)
                             + QStringList { QStringLiteral("migrate"), QStringLiteral("up") },
                         withPassword());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        // What the maintainer made belongs to fuelsync_owner, and support reads it but for the
        // secret column.
        QCOMPARE(admin
                     ->scalar(QStringLiteral("SELECT relowner::regrole::text FROM pg_class "
                                             "WHERE oid = 'basic_demo_1.maintained'::regclass"))
                     .toString(),
                 QStringLiteral("fuelsync_owner"));
        QVERIFY(admin
                    ->scalar(QStringLiteral("SELECT has_column_privilege('fuelsync_support', "
                                            "'basic_demo_1.maintained', 'id', 'SELECT')"))
                    .toBool());
        QVERIFY(!admin
                     ->scalar(QStringLiteral("SELECT has_column_privilege('fuelsync_support', "
                                             "'basic_demo_1.maintained', 'api_token', 'SELECT')"))
                     .toBool());
        dropLogin(*admin, maintainer);
        dropLogin(*admin, stranger);
    }
};

QTEST_GUILESS_MAIN(TestRoles)
#include "tst_roles.moc"
