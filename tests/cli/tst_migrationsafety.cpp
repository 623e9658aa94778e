// What a maintainer, a support person and a release manager ran into on a sandbox declared
// production (issue 15): a run that must refuse whatever tenants it is told to touch, a new tenant
// that keeps in step with the others, status that says what `up` would do, rollbacks that say what
// they destroy before they run, the production gate that nobody flips by accident, and a runner
// that never hangs behind a lock on its own tracking tables. Each test shows the message and that
// nothing changed.

#include "CliRunner.h"
#include "MigrationDir.h"
#include "TestDatabase.h"
#include "connect/ConnectionProfileStore.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <csignal>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

const QStringList demoTenants { QStringLiteral("demo_001"), QStringLiteral("demo_002"),
                                QStringLiteral("demo_003") };

// A tenant migration on top of FuelSync's own, as a release would add one.
void addTenantMigration(const MigrationDir &dir, const QString &version, const QString &table,
                        const QString &depends)
{
    dir.add(version, QStringLiteral("add_") + table, QStringLiteral("tenant"),
            QStringLiteral("CREATE TABLE %1 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                           "note text NOT NULL);\nCOMMENT ON TABLE %1 IS 'Notes of migration %2.';")
                .arg(table, version),
            QStringLiteral("DROP TABLE %1;").arg(table), depends);
}

QStringList applied(DbConnection &c, const QString &schema)
{
    QStringList versions;
    QSqlQuery q = c.exec(QStringLiteral("SELECT version::text FROM %1.schema_migrations "
                                        "ORDER BY version")
                             .arg(schema));
    while (q.next())
        versions.append(q.value(0).toString());
    return versions;
}

QString checksumOf(DbConnection &c, const QString &schema, const QString &version)
{
    return c
        .scalar(QStringLiteral("SELECT checksum FROM %1.schema_migrations WHERE version = ?")
                    .arg(schema),
                { version })
        .toString();
}

bool schemaExists(DbConnection &c, const QString &schema)
{
    return c
        .scalar(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)"),
                { schema })
        .toBool();
}

// Sessions of fuelsync-db on this database (its application names start with the program).
int runnerSessions(DbConnection &c)
{
    return c
        .scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                               "current_database() AND application_name LIKE 'fuelsync-db%'"))
        .toInt();
}

bool runnerWaitsForALock(DbConnection &c)
{
    return c
        .scalar(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = "
                               "current_database() AND application_name LIKE 'fuelsync-db%' "
                               "AND wait_event_type = 'Lock')"))
        .toBool();
}

bool runLockHeld(DbConnection &c)
{
    return c
        .scalar(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = "
                               "'advisory' AND classid = 1179861826 AND objid = 1 AND granted)"))
        .toBool();
}

} // namespace

class TestMigrationSafety : public QObject
{
    Q_OBJECT

private:
    CliRunner cli;

    static QStringList args(const TestDatabase &db, const MigrationDir &dir)
    {
        return { QStringLiteral("--db"), db.conninfo(), QStringLiteral("--migrations"),
                 dir.path() };
    }

    // FuelSync's schema with demo_001..003 at the newest version of the checkout (005).
    bool prepareFleet(const TestDatabase &db, const MigrationDir &dir)
    {
        CliResult result = cli.run(
            args(db, dir) + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        if (result.exitCode != 0) {
            qWarning() << result.describe();
            return false;
        }
        for (const QString &tenant : demoTenants) {
            result = cli.run(
                args(db, dir)
                + QStringList { QStringLiteral("tenant"), QStringLiteral("create"), tenant });
            if (result.exitCode != 0) {
                qWarning() << result.describe();
                return false;
            }
        }
        return true;
    }

private slots:
    // Item 1: an applied file edited afterwards is refused by every run, whichever tenants it
    // names, and by tenant create: the tenants never diverge.
    void anEditedFileReachesNoTenant()
    {
        TestDatabase db(QStringLiteral("safety_edited"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        addTenantMigration(dir, QStringLiteral("006"), QStringLiteral("shift_notes"),
                           QStringLiteral("005"));
        QVERIFY(prepareFleet(db, dir));
        auto c = db.connect();
        // demo_003 is rolled back below 006, then 006 is edited.
        CliResult result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("down"),
                                    QStringLiteral("--tenant=demo_003"), QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QString recorded = checksumOf(*c, QStringLiteral("demo_001"), QStringLiteral("006"));
        // A backup of demo_003 at 005, and a table made after it, which a restore would drop.
        QTemporaryDir backups;
        result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                    QStringLiteral("--tenant=demo_003"), QStringLiteral("--dest"),
                                    backups.path(), QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QString backupId = result.json().value(QStringLiteral("id")).toString();
        QVERIFY(!backupId.isEmpty());
        c->exec(QStringLiteral("CREATE TABLE demo_003.made_after_backup (id int)"));
        addTenantMigration(dir, QStringLiteral("006"), QStringLiteral("shift_remarks"),
                           QStringLiteral("005"));
        dir.remove(QStringLiteral("schema/006_add_shift_notes.sql"));
        dir.remove(QStringLiteral("rollbacks/006_rollback_add_shift_notes.sql"));

        for (const QStringList &command :
             { QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                             QStringLiteral("--tenant=demo_003") },
               QStringList { QStringLiteral("migrate"), QStringLiteral("up") },
               QStringList { QStringLiteral("migrate"), QStringLiteral("plan"),
                             QStringLiteral("--tenant=demo_003") } }) {
            result = cli.run(args(db, dir) + command);
            QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
            QVERIFY2(QString(result.stdErr + result.stdOut)
                         .contains(QStringLiteral("has changed since it was applied")),
                     qPrintable(result.describe()));
            QVERIFY2(QString(result.stdErr + result.stdOut).contains(QStringLiteral("demo_001")),
                     qPrintable(result.describe()));
        }
        QVERIFY(!c->relationExists(QStringLiteral("demo_003"), QStringLiteral("shift_remarks")));
        QCOMPARE(applied(*c, QStringLiteral("demo_003")).last(), QStringLiteral("005"));

        // Restoring demo_003 with --migrate would migrate it with the edited file: refused before
        // the restore, which leaves demo_003 as it is.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("backup"), QStringLiteral("restore"),
                                         backupId, QStringLiteral("--tenant=demo_003"),
                                         QStringLiteral("--migrate"), QStringLiteral("--yes"),
                                         QStringLiteral("--dest"), backups.path() });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("has changed since it was applied")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("nothing was restored")),
                 qPrintable(result.describe()));
        QVERIFY(c->relationExists(QStringLiteral("demo_003"), QStringLiteral("made_after_backup")));
        QVERIFY(!c->relationExists(QStringLiteral("demo_003"), QStringLiteral("shift_remarks")));

        // A new tenant would be migrated with the edited file: refused, and not left behind.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                         QStringLiteral("demo_004") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("has changed since it was applied")),
                 qPrintable(result.describe()));
        QVERIFY(!schemaExists(*c, QStringLiteral("demo_004")));
        QCOMPARE(
            c->scalar(QStringLiteral(
                          "SELECT count(*) FROM public.tenants WHERE schema_name = 'demo_004'"))
                .toInt(),
            0);
        QCOMPARE(checksumOf(*c, QStringLiteral("demo_001"), QStringLiteral("006")), recorded);
    }

    // Item 2: a new tenant is migrated to the version the others are at, says which and why,
    // and takes a later one only when asked; production approvals still apply.
    void aNewTenantKeepsInStepWithTheOthers()
    {
        TestDatabase db(QStringLiteral("safety_new_tenant"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        addTenantMigration(dir, QStringLiteral("006"), QStringLiteral("shift_notes"),
                           QStringLiteral("005"));
        QVERIFY(prepareFleet(db, dir));
        auto c = db.connect();
        CliResult result = cli.run(args(db, dir)
                                   + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                                   QStringLiteral("production") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        // 007 and 008 are approved, not rolled out yet; 009 is not approved.
        addTenantMigration(dir, QStringLiteral("007"), QStringLiteral("pump_notes"),
                           QStringLiteral("006"));
        addTenantMigration(dir, QStringLiteral("008"), QStringLiteral("nozzle_notes"),
                           QStringLiteral("007"));
        for (const char *version : { "007", "008" }) {
            result = cli.run(
                args(db, dir)
                + QStringList { QStringLiteral("migrate"), QStringLiteral("approve"),
                                QStringLiteral("--version=") + QLatin1StringView(version) });
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        }

        // In a script, a change to production is not made without --yes.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                         QStringLiteral("coastal_fuels") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("pass --yes")),
                 qPrintable(result.describe()));
        QVERIFY(!schemaExists(*c, QStringLiteral("coastal_fuels")));

        result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                    QStringLiteral("coastal_fuels"), QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(applied(*c, QStringLiteral("coastal_fuels")).last(), QStringLiteral("006"));
        QVERIFY2(result.stdOut.contains(
                     QStringLiteral("version 006, the version the 3 registered tenants are at")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("007, 008 reach it with the other tenants")),
                 qPrintable(result.describe()));

        // Asked for: the approved 008.
        result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                    QStringLiteral("early_fuels"), QStringLiteral("--version=008"),
                                    QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(applied(*c, QStringLiteral("early_fuels")).last(), QStringLiteral("008"));

        // An unapproved 009 is refused on production, and the new tenant is not left behind.
        addTenantMigration(dir, QStringLiteral("009"), QStringLiteral("tank_notes"),
                           QStringLiteral("008"));
        result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                    QStringLiteral("late_fuels"), QStringLiteral("--version=009"),
                                    QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("migration 009 is not approved")),
                 qPrintable(result.describe()));
        QVERIFY(!schemaExists(*c, QStringLiteral("late_fuels")));

        // Tenants that disagree: the newest version all of them have reached.
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("tenant"), QStringLiteral("create"),
                                         QStringLiteral("inland_fuels"), QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(applied(*c, QStringLiteral("inland_fuels")).last(), QStringLiteral("006"));
        QVERIFY2(result.stdOut.contains(QStringLiteral("the registered tenants disagree (4 at "
                                                       "006, 1 at 008)")),
                 qPrintable(result.describe()));
    }

    // Item 4: a seed refused because the migrations are not in order says so once, exits 1, and
    // seeds nothing.
    void aSeedThatCannotMigrateSaysSoOnce()
    {
        TestDatabase db(QStringLiteral("safety_seed"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        addTenantMigration(dir, QStringLiteral("006"), QStringLiteral("shift_notes"),
                           QStringLiteral("005"));
        QVERIFY(prepareFleet(db, dir));
        auto c = db.connect();
        dir.remove(QStringLiteral("schema/006_add_shift_notes.sql"));
        dir.remove(QStringLiteral("rollbacks/006_rollback_add_shift_notes.sql"));
        const int tenantsBefore =
            c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt();

        const CliResult result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("seed"), QStringLiteral("--set=comprehensive"),
                                    QStringLiteral("--param"), QStringLiteral("tenants=1") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("there is no migration file for it")),
                 qPrintable(result.describe()));
        QVERIFY2(!QString(result.stdOut + result.stdErr).contains(QStringLiteral("tenants seeded")),
                 qPrintable(result.describe()));
        QVERIFY2(!result.stdOut.contains(QStringLiteral("Seed set")),
                 qPrintable(result.describe()));
        QVERIFY2(!QString(result.stdOut + result.stdErr).contains(QStringLiteral("Refused before")),
                 qPrintable(result.describe()));
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt(),
                 tenantsBefore);
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.plans")).toInt(), 0);
    }

    // Item 6: status says what `up` would do: refuse (and why), with exit status 1.
    void statusSaysWhenUpWouldRefuse()
    {
        TestDatabase db(QStringLiteral("safety_status"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepareFleet(db, dir));
        const QStringList status { QStringLiteral("migrate"), QStringLiteral("status") };
        CliResult result = cli.run(args(db, dir) + status);
        QVERIFY2(result.exitCode == 0 && result.stdOut.contains(QStringLiteral("Up to date.")),
                 qPrintable(result.describe()));

        // A pending 004.5 below the applied 005: out of order.
        dir.add(QStringLiteral("004.5"), QStringLiteral("late"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE late_notes (id int PRIMARY KEY);"),
                QStringLiteral("DROP TABLE late_notes;"), QStringLiteral("004"));
        result = cli.run(args(db, dir) + status);
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("'migrate up' would refuse to run")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("out of order")),
                 qPrintable(result.describe()));
        QVERIFY2(!result.stdOut.contains(QStringLiteral("run 'fuelsync-db migrate up'")),
                 qPrintable(result.describe()));
        result = cli.run(args(db, dir) + status + QStringList { QStringLiteral("--json") });
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.json().value(QStringLiteral("upWouldRefuse")).toArray().size(), 1);
        dir.remove(QStringLiteral("schema/004.5_late.sql"));
        dir.remove(QStringLiteral("rollbacks/004.5_rollback_late.sql"));

        // An applied file edited, then deleted.
        QFile file(dir.path() + QStringLiteral("/schema/005_add_alerts_system.sql"));
        QVERIFY(file.open(QIODevice::Append));
        file.write("-- edited after it was applied\n");
        file.close();
        result = cli.run(args(db, dir) + status);
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("has changed since it was applied")),
                 qPrintable(result.describe()));
        QVERIFY(file.remove());
        QVERIFY(QFile::remove(dir.path()
                              + QStringLiteral("/rollbacks/005_rollback_alerts_system.sql")));
        result = cli.run(args(db, dir) + status);
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("there is no migration file for it")),
                 qPrintable(result.describe()));
    }

    // Item 7: every rollback lists what it destroys before it runs, --yes or not, and the run's
    // report keeps the list.
    void aRollbackSaysWhatItDestroysBeforeItRuns()
    {
        TestDatabase db(QStringLiteral("safety_destroys"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepareFleet(db, dir));
        auto c = db.connect();
        const CliResult result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("down"),
                                    QStringLiteral("--version=004"), QStringLiteral("--yes"),
                                    QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("This destroys, for good")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral(
                     "005 (Add alerts system: station alerts with type, severity, read and "
                     "resolved state) drops the table alerts and all of its rows, in 3 schemas")),
                 qPrintable(result.describe()));
        const QJsonArray dataLoss = result.json().value(QStringLiteral("dataLoss")).toArray();
        QVERIFY(!dataLoss.isEmpty());
        QVERIFY(dataLoss.first().toString().contains(QStringLiteral("drops the table alerts")));
        QVERIFY(!c->relationExists(QStringLiteral("demo_001"), QStringLiteral("alerts")));
    }

    // Item 8 through the CLI: public below the registry is refused while tenants are registered,
    // naming them, and nothing changes.
    void rollingPublicBelowTheRegistryIsRefused()
    {
        TestDatabase db(QStringLiteral("safety_registry"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepareFleet(db, dir));
        auto c = db.connect();
        const CliResult result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("down"),
                                    QStringLiteral("--version=0"), QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("drops the tenant registry public.tenants, "
                                                       "where 3 tenants are registered")),
                 qPrintable(result.describe()));
        QVERIFY(result.stdErr.contains(QStringLiteral("demo_001")));
        QVERIFY(c->relationExists(QStringLiteral("public"), QStringLiteral("tenants")));
        for (const QString &tenant : demoTenants)
            QCOMPARE(applied(*c, tenant).size(), 4);
    }

    // Item 10: leaving production is confirmed with the database's name, and a read-only
    // profile cannot do it at all: the server refuses.
    void leavingProductionIsConfirmedAndReadOnlyProfilesCannot()
    {
        TestDatabase db(QStringLiteral("safety_env"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        auto c = db.connect();
        const QStringList dbArgs { QStringLiteral("--db"), db.conninfo() };
        auto declared = [&c] {
            return c
                ->scalar(QStringLiteral(
                    "SELECT c FROM pg_db_role_setting s, unnest(s.setconfig) c WHERE "
                    "s.setdatabase = (SELECT oid FROM pg_database WHERE datname = "
                    "current_database()) AND c LIKE 'fuelsync.environment=%'"))
                .toString();
        };
        CliResult result = cli.run(dbArgs
                                   + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                                   QStringLiteral("production") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));

        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                         QStringLiteral("development") });
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("pass --yes")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("still declares itself production")),
                 qPrintable(result.describe()));
        QCOMPARE(declared(), QStringLiteral("fuelsync.environment=production"));

        // A read-only profile (saved by the desktop app): its sessions cannot write.
        QTemporaryDir home;
        const QString settingsFile = home.filePath(QStringLiteral("admin.ini"));
        {
            ConnectionProfile profile;
            profile.name = QStringLiteral("support-su");
            profile.uri = db.uri();
            profile.environment = DeploymentEnvironment::Production;
            profile.readOnly = true;
            QString error;
            QVERIFY2(ConnectionProfileStore(settingsFile).save(profile, QString(), &error),
                     qPrintable(error));
        }
        const CliOptions asProfile =
            CliOptions().withEnv(QStringLiteral("FUELSYNC_ADMIN_SETTINGS"), settingsFile);
        result = cli.run(
            { QStringLiteral("--profile"), QStringLiteral("support-su"), QStringLiteral("env") },
            asProfile);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        result = cli.run({ QStringLiteral("--profile"), QStringLiteral("support-su"),
                           QStringLiteral("env"), QStringLiteral("set"),
                           QStringLiteral("development"), QStringLiteral("--yes") },
                         asProfile);
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("the profile support-su is read-only")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("nothing was sent to the server")),
                 qPrintable(result.describe()));
        QCOMPARE(declared(), QStringLiteral("fuelsync.environment=production"));
        // Nor does it migrate: refused before anything runs.
        result =
            cli.run({ QStringLiteral("--profile"), QStringLiteral("support-su"),
                      QStringLiteral("migrate"), QStringLiteral("up"), QStringLiteral("--yes") },
                    asProfile);
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("the profile support-su is read-only")),
                 qPrintable(result.describe()));
        QVERIFY(!c->relationExists(QStringLiteral("public"), QStringLiteral("tenants")));

        result = cli.run(dbArgs
                         + QStringList { QStringLiteral("env"), QStringLiteral("set"),
                                         QStringLiteral("development"), QStringLiteral("--yes") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(declared(), QStringLiteral("fuelsync.environment=development"));
    }

    // Item 11: a refused approval shows the refusal, not Qt's driver noise.
    void aRefusedApprovalShowsOnlyTheRefusal()
    {
        TestDatabase db(QStringLiteral("safety_approve"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        auto c = db.connect();
        CliResult result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("migrate"), QStringLiteral("approve"),
                                    QStringLiteral("--version=001") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QString role = QStringLiteral("nonmember_%1").arg(QCoreApplication::applicationPid());
        c->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
        c->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'pw'").arg(role));
        c->exec(QStringLiteral("GRANT INSERT ON public.migration_approvals TO %1").arg(role));
        const QString conninfo =
            db.tcpSettings(role, QStringLiteral("pw")).conninfoWithoutPassword();
        result = cli.run({ QStringLiteral("--db"), conninfo, QStringLiteral("--migrations"),
                           dir.path(), QStringLiteral("migrate"), QStringLiteral("approve"),
                           QStringLiteral("--version=002") },
                         CliOptions().withEnv(QStringLiteral("PGPASSWORD"), QStringLiteral("pw")));
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("may not approve migrations")),
                 qPrintable(result.describe()));
        QVERIFY2(!result.stdErr.contains(QStringLiteral("Unable to free statement")),
                 qPrintable(result.describe()));
        QVERIFY2(!result.stdErr.contains(QStringLiteral("current transaction is aborted")),
                 qPrintable(result.describe()));
        QCOMPARE(
            c->scalar(QStringLiteral("SELECT count(*) FROM public.migration_approvals")).toInt(),
            1);
        c->exec(QStringLiteral("REVOKE ALL ON public.migration_approvals FROM %1").arg(role));
        c->exec(QStringLiteral("DROP ROLE %1").arg(role));
    }

    // Item 19: a name is used exactly as given or refused; a trailing newline or a byte-order
    // mark is not quietly dropped, and nothing reaches the server.
    void aNameIsUsedExactlyAsGivenOrRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("trailing newline") << QStringLiteral("tenant\n");
        QTest::newRow("public with a newline") << QStringLiteral("public\n");
        QTest::newRow("byte-order mark") << QString(QChar(0xFEFF)) + QStringLiteral("bom1");
        QTest::newRow("leading space") << QStringLiteral(" spaced");
    }

    void aNameIsUsedExactlyAsGivenOrRefused()
    {
        QFETCH(QString, name);
        TestDatabase db(QStringLiteral("safety_names"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        auto c = db.connect();
        CliResult result = cli.run(
            args(db, dir) + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const int schemasBefore =
            c->scalar(QStringLiteral("SELECT count(*) FROM pg_namespace")).toInt();
        result =
            cli.run(args(db, dir)
                    + QStringList { QStringLiteral("tenant"), QStringLiteral("create"), name });
        QVERIFY2(result.exitCode == 2, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("is not a valid tenant schema name"))
                     || result.stdErr.contains(QStringLiteral("would not be used as given")),
                 qPrintable(result.describe()));
        QVERIFY2(!result.stdErr.contains(QStringLiteral("Unable to")),
                 qPrintable(result.describe()));
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM pg_namespace")).toInt(),
                 schemasBefore);
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt(), 0);
    }

    // Item 13: an option given with an empty value is a usage error, never the default.
    void anEmptyOptionValueIsAnError_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("--as=") << QStringList { QStringLiteral("backup"), QStringLiteral("restore"),
                                                QStringLiteral("x"), QStringLiteral("--tenant=t"),
                                                QStringLiteral("--as=") };
        QTest::newRow("--as \"\"")
            << QStringList { QStringLiteral("backup"), QStringLiteral("restore"),
                             QStringLiteral("x"),      QStringLiteral("--tenant=t"),
                             QStringLiteral("--as"),   QString() };
        QTest::newRow("--dest=") << QStringList { QStringLiteral("backup"), QStringLiteral("list"),
                                                  QStringLiteral("--dest=") };
        QTest::newRow("prune --dest=")
            << QStringList { QStringLiteral("backup"), QStringLiteral("prune"),
                             QStringLiteral("--keep-last=1"), QStringLiteral("--dest=") };
        QTest::newRow("--tenant=") << QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                                    QStringLiteral("--tenant=") };
    }

    void anEmptyOptionValueIsAnError()
    {
        QFETCH(QStringList, arguments);
        const CliResult result =
            cli.run(QStringList { QStringLiteral("--db"), QStringLiteral("host=/nonexistent") }
                    + arguments);
        QVERIFY2(result.exitCode == 2, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("was given an empty value")),
                 qPrintable(result.describe()));
    }

    // Item 20: a lock on the tracking tables or the registry ends in an error within the lock
    // timeout that names its holder; Ctrl-C ends a run waiting there; a killed run's session and
    // run lock do not outlive it.
    void aLockOnTheTrackingTablesNeverHangsTheRunner_data()
    {
        QTest::addColumn<QString>("table");
        QTest::newRow("public.tenants") << QStringLiteral("public.tenants");
        QTest::newRow("public.schema_migrations") << QStringLiteral("public.schema_migrations");
        QTest::newRow("a tenant's schema_migrations")
            << QStringLiteral("demo_002.schema_migrations");
    }

    void aLockOnTheTrackingTablesNeverHangsTheRunner()
    {
        QFETCH(QString, table);
        TestDatabase db(QStringLiteral("safety_locks"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepareFleet(db, dir));
        addTenantMigration(dir, QStringLiteral("006"), QStringLiteral("shift_notes"),
                           QStringLiteral("005"));
        auto c = db.connect();
        auto blocker = db.connect(QStringLiteral("blocker"));
        blocker->begin();
        blocker->exec(QStringLiteral("LOCK TABLE %1 IN ACCESS EXCLUSIVE MODE").arg(table));

        QElapsedTimer timer;
        timer.start();
        CliResult result =
            cli.run(args(db, dir)
                        + QStringList { QStringLiteral("--lock-timeout=1s"),
                                        QStringLiteral("migrate"), QStringLiteral("up") },
                    CliOptions().withTimeout(60'000));
        QVERIFY2(!result.timedOut, qPrintable(result.describe()));
        QVERIFY2(timer.elapsed() < 30'000, qPrintable(result.describe()));
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("waited longer than lock_timeout")),
                 qPrintable(result.describe()));
        QVERIFY2(
            result.stdErr.contains(QStringLiteral("held by pid %1").arg(blocker->backendPid())),
            qPrintable(result.describe()));
        QVERIFY(!c->relationExists(QStringLiteral("demo_001"), QStringLiteral("shift_notes")));

        // Waiting for ever (--lock-timeout=0), Ctrl-C still ends it, with nothing changed.
        auto process = cli.start(args(db, dir)
                                 + QStringList { QStringLiteral("--lock-timeout=0"),
                                                 QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY(process->isStarted());
        QVERIFY(QTest::qWaitFor([&] { return runnerWaitsForALock(*c); }, 20'000));
        process->interrupt();
        result = process->wait(20'000);
        QVERIFY2(!result.timedOut, qPrintable(result.describe()));
        QVERIFY2(result.exitCode == 130, qPrintable(result.describe()));
        QVERIFY(QTest::qWaitFor([&] { return runnerSessions(*c) == 0; }, 10'000));
        QVERIFY(!runLockHeld(*c));

        // SIGTERM (kill PID, a service manager's stop) ends it the same way.
        process = cli.start(args(db, dir)
                            + QStringList { QStringLiteral("--lock-timeout=0"),
                                            QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY(process->isStarted());
        QVERIFY(QTest::qWaitFor([&] { return runnerWaitsForALock(*c); }, 20'000));
        process->terminate();
        result = process->wait(20'000);
        QVERIFY2(!result.timedOut, qPrintable(result.describe()));
        QVERIFY2(result.exitCode == 130, qPrintable(result.describe()));
        QVERIFY(QTest::qWaitFor([&] { return runnerSessions(*c) == 0; }, 10'000));
        QVERIFY(!runLockHeld(*c));

        // Killed while it waits: the server drops its session, and the run lock with it.
        process = cli.start(args(db, dir)
                            + QStringList { QStringLiteral("--lock-timeout=0"),
                                            QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY(QTest::qWaitFor([&] { return runnerWaitsForALock(*c); }, 20'000));
        process->kill();
        process->wait(10'000);
        QVERIFY2(QTest::qWaitFor([&] { return runnerSessions(*c) == 0; }, 15'000),
                 "the killed runner's session is still there");
        QVERIFY(!runLockHeld(*c));
        blocker->rollback();
        result = cli.run(args(db, dir)
                         + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(c->relationExists(QStringLiteral("demo_001"), QStringLiteral("shift_notes")));
    }

    // Item 20, in the other phases: Ctrl-C or SIGTERM while a migration's own statement runs,
    // in public or in every tenant at once, cancels it on the server: exit 130, no session left,
    // no run lock, nothing applied anywhere.
    void aSignalEndsTheRunWhileAMigrationRuns_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGINT in the tenants' migration") << QStringLiteral("tenant") << SIGINT;
        QTest::newRow("SIGTERM in the tenants' migration") << QStringLiteral("tenant") << SIGTERM;
        QTest::newRow("SIGTERM in public's migration") << QStringLiteral("public") << SIGTERM;
    }

    void aSignalEndsTheRunWhileAMigrationRuns()
    {
        QFETCH(QString, scope);
        QFETCH(int, signal);
        TestDatabase db(QStringLiteral("safety_signals"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(prepareFleet(db, dir));
        dir.add(QStringLiteral("006"), QStringLiteral("slow_backfill"), scope,
                QStringLiteral("CREATE TABLE slow_marker (id int);\n"
                               "COMMENT ON TABLE slow_marker IS 'Marks a slow migration.';\n"
                               "SELECT pg_sleep(120);"),
                QStringLiteral("DROP TABLE slow_marker;"),
                scope == u"public" ? QStringLiteral("001") : QStringLiteral("005"));
        auto c = db.connect();
        const auto sleeping = [&c] {
            return c
                ->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                        "current_database() AND application_name LIKE "
                                        "'fuelsync-db%' AND query LIKE '%pg_sleep(120)%'"))
                .toInt();
        };
        auto process = cli.start(args(db, dir)
                                 + QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                                 QStringLiteral("--jobs=3") });
        QVERIFY(process->isStarted());
        QVERIFY2(QTest::qWaitFor([&] { return sleeping() > 0; }, 30'000),
                 qPrintable(process->stdErrSoFar()));
        if (scope == u"tenant") // every tenant's session is in it: the cancel must reach each
            QVERIFY(QTest::qWaitFor([&] { return sleeping() == 3; }, 10'000));
        if (signal == SIGINT)
            process->interrupt();
        else
            process->terminate();
        const CliResult result = process->wait(30'000);
        QVERIFY2(!result.timedOut, qPrintable(result.describe()));
        QVERIFY2(result.exitCode == 130, qPrintable(result.describe()));
        QVERIFY2(QTest::qWaitFor([&] { return runnerSessions(*c) == 0; }, 10'000),
                 "a session of the run outlived it");
        QVERIFY(!runLockHeld(*c));
        for (const QString &schema : QStringList { QStringLiteral("public") } + demoTenants) {
            QVERIFY2(!c->relationExists(schema, QStringLiteral("slow_marker")), qPrintable(schema));
            QVERIFY2(!applied(*c, schema).contains(QStringLiteral("006")), qPrintable(schema));
        }
    }

    // Item 29: a new migration depends on the newest of its scope, or on public's first.
    void createFillsInWhatTheNewMigrationDependsOn()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"));
        CliResult result =
            cli.run({ QStringLiteral("--migrations"), dir.path(), QStringLiteral("migrate"),
                      QStringLiteral("create"), QStringLiteral("--name=stations") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QFile first(dir.path() + QStringLiteral("/schema/002_stations.sql"));
        QVERIFY(first.open(QIODevice::ReadOnly));
        QVERIFY(first.readAll().contains("-- depends: 001\n"));
        result = cli.run({ QStringLiteral("--migrations"), dir.path(), QStringLiteral("migrate"),
                           QStringLiteral("create"), QStringLiteral("--name=pumps") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QFile second(dir.path() + QStringLiteral("/schema/003_pumps.sql"));
        QVERIFY(second.open(QIODevice::ReadOnly));
        QVERIFY(second.readAll().contains("-- depends: 002\n"));
        QVERIFY2(result.stdOut.contains(QStringLiteral("It depends on 002")),
                 qPrintable(result.describe()));
    }
};

QTEST_GUILESS_MAIN(TestMigrationSafety)
#include "tst_migrationsafety.moc"
