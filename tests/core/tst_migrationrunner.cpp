// The migration runner against a real PostgreSQL server: every guarantee of `migrate up` and
// `migrate down`, each shown with what a user would see (result, message, file and line) and with
// the database state afterwards (applied rows, tables, an unchanged catalog where nothing may
// change).

#include "MigrationDir.h"
#include "TestDatabase.h"
#include "approve/ApprovalStore.h"
#include "catalog/SchemaSnapshot.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "migrate/MigrationRunner.h"
#include "migrate/MigrationStatus.h"
#include "migrate/RunLock.h"

#include <QtTest>

#include <thread>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

const QStringList tenants = { QStringLiteral("tenant_a"), QStringLiteral("tenant_b"),
                              QStringLiteral("tenant_c") };

// A small multi-tenant set. 003 fails in tenants listed in public.fail_in, and waits while its
// tenant is listed in public.slow (each check is a fresh statement, so another session can
// release it).
void writeBaseSet(const MigrationDir &dir)
{
    dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
            QStringLiteral("CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL,\n"
                           "                      schema_name text NOT NULL UNIQUE);\n"
                           "CREATE TABLE fail_in (schema_name text PRIMARY KEY);\n"
                           "CREATE TABLE slow (schema_name text PRIMARY KEY);"),
            QStringLiteral("DROP TABLE slow;\nDROP TABLE fail_in;\nDROP TABLE tenants;"));
    dir.add(QStringLiteral("002"), QStringLiteral("stations"), QStringLiteral("tenant"),
            QStringLiteral("CREATE TABLE stations (id serial PRIMARY KEY, name text NOT NULL);"),
            QStringLiteral("DROP TABLE stations;"), QStringLiteral("001"));
    dir.add(
        QStringLiteral("003"), QStringLiteral("pumps"), QStringLiteral("tenant"),
        QStringLiteral(
            "CREATE TABLE pumps (id serial PRIMARY KEY,\n"
            "                    station_id int NOT NULL REFERENCES stations (id));\n"
            "DO $$\n"
            "BEGIN\n"
            "  WHILE EXISTS (SELECT 1 FROM public.slow WHERE schema_name = current_schema()) LOOP\n"
            "    PERFORM pg_sleep(0.05);\n"
            "  END LOOP;\n"
            "  IF EXISTS (SELECT 1 FROM public.fail_in WHERE schema_name = current_schema()) THEN\n"
            "    RAISE EXCEPTION 'refusing to migrate %', current_schema();\n"
            "  END IF;\n"
            "END $$;"),
        QStringLiteral("DROP TABLE pumps;"), QStringLiteral("002"));
}

QVariant scalar(DbConnection &connection, const QString &sql, const QVariantList &values = {})
{
    return connection.scalar(sql, values);
}

bool tableExists(DbConnection &connection, const QString &qualified)
{
    return scalar(connection, QStringLiteral("SELECT to_regclass(?) IS NOT NULL"), { qualified })
        .toBool();
}

QStringList appliedVersions(DbConnection &connection, const QString &schema)
{
    if (!tableExists(connection, schema + QStringLiteral(".schema_migrations")))
        return {};
    QSqlQuery query = connection.exec(
        QStringLiteral("SELECT version FROM %1.schema_migrations ORDER BY version").arg(schema));
    QStringList versions;
    while (query.next())
        versions.append(query.value(0).toString());
    return versions;
}

void registerTenants(DbConnection &connection, const QStringList &names)
{
    for (const QString &name : names) {
        connection.exec(
            QStringLiteral("INSERT INTO public.tenants (name, schema_name) VALUES (?, ?)"),
            { QString(name + QStringLiteral(" Ltd")), name });
        connection.exec(QStringLiteral("CREATE SCHEMA %1").arg(name));
    }
}

// Everything the database holds that a run could change: catalog and bookkeeping rows.
struct DatabaseState
{
    SchemaSnapshot catalog;
    QStringList bookkeeping;
    bool operator==(const DatabaseState &other) const
    {
        return catalog == other.catalog && bookkeeping == other.bookkeeping;
    }
};

DatabaseState stateOf(DbConnection &connection)
{
    QStringList schemas { QStringLiteral("public") };
    QSqlQuery names = connection.exec(
        QStringLiteral("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                       "AND nspname NOT IN ('public', 'information_schema')"));
    while (names.next())
        schemas.append(names.value(0).toString());
    DatabaseState state;
    state.catalog = SchemaSnapshot::capture(connection, schemas);
    for (const QString &schema : std::as_const(schemas)) {
        for (const QString &version : appliedVersions(connection, schema))
            state.bookkeeping.append(schema + u':' + version);
    }
    return state;
}

QString describe(const MigrationRunReport &report)
{
    QStringList lines { MigrationRunReport::resultName(report.result) + QStringLiteral(": ")
                        + report.error };
    for (const MigrationProblem &p : report.refusals)
        lines.append(QStringLiteral("refusal: ") + p.text());
    for (const SchemaOutcome &schema : report.schemas) {
        if (!schema.error.isEmpty())
            lines.append(schema.schema + QStringLiteral(": ") + schema.error);
        for (const StepOutcome &step : schema.steps) {
            lines.append(QStringLiteral("%1 %2 %3 %4 %5")
                             .arg(schema.schema, step.version, stepStatusName(step.status),
                                  step.location(), step.error));
        }
    }
    return lines.join(u'\n');
}

const StepOutcome *findStep(const MigrationRunReport &report, const QString &schema,
                            const QString &version)
{
    for (const SchemaOutcome &s : report.schemas) {
        if (s.schema != schema)
            continue;
        for (const StepOutcome &step : s.steps) {
            if (step.version == version)
                return &step;
        }
    }
    return nullptr;
}

MigrationRunOptions options(MigrationPlan::Direction direction = MigrationPlan::Direction::Up)
{
    MigrationRunOptions o;
    o.direction = direction;
    o.jobs = 2;
    o.runner = QStringLiteral("tst_migrationrunner");
    return o;
}

MigrationRunReport run(const TestDatabase &db, const MigrationDir &dir,
                       const MigrationRunOptions &o = options())
{
    const MigrationSet set = dir.load();
    MigrationRunner runner(db.settings(), set, o);
    return runner.run(unwatched());
}

// Waits until a session of this database runs a statement containing `fragment`.
// The pid of an active backend of this database running a statement that contains fragment; with
// lockedRelation, only one holding a lock on that relation (which tells tenants' sessions apart).
int waitForBackend(DbConnection &watcher, const QString &fragment,
                   const QString &lockedRelation = {}, int timeoutMs = 20000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const QVariant pid =
            scalar(watcher,
                   QStringLiteral("SELECT a.pid FROM pg_stat_activity a WHERE a.datname = "
                                  "current_database() AND a.pid <> pg_backend_pid() "
                                  "AND a.state = 'active' AND a.query LIKE ? "
                                  "AND (coalesce(?::text, '') = '' OR EXISTS (SELECT 1 FROM "
                                  "pg_locks l WHERE l.pid = a.pid "
                                  "AND l.granted AND l.relation = to_regclass(?::text))) LIMIT 1"),
                   { QString(u'%' + fragment + u'%'), lockedRelation, lockedRelation });
        if (!pid.isNull())
            return pid.toInt();
        QThread::msleep(20);
    }
    return 0;
}

} // namespace

class TestMigrationRunner : public QObject
{
    Q_OBJECT

private slots:
    void appliesPublicThenEveryTenantAndRecordsWhoWhenAndWhat()
    {
        TestDatabase db(QStringLiteral("runner_up"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();

        MigrationRunReport report = run(db, dir);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QCOMPARE(appliedVersions(*c, QStringLiteral("public")),
                 QStringList { QStringLiteral("001") });

        registerTenants(*c, tenants);
        report = run(db, dir);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QCOMPARE(report.stepCount(StepStatus::Applied), 6);
        for (const QString &tenant : tenants) {
            QCOMPARE(appliedVersions(*c, tenant),
                     QStringList({ QStringLiteral("002"), QStringLiteral("003") }));
            QVERIFY(tableExists(*c, tenant + QStringLiteral(".pumps")));
        }
        QSqlQuery row = c->exec(QStringLiteral(
            "SELECT checksum, execution_ms IS NOT NULL, executed_by, runner, description, "
            "rollback_sql, executed_at > now() - interval '1 minute' "
            "FROM public.schema_migrations WHERE version = '001'"));
        QVERIFY(row.next());
        QCOMPARE(row.value(0).toString(), dir.load().migrations().first().checksum);
        QVERIFY(row.value(1).toBool());
        QCOMPARE(row.value(2).toString(), db.settings().user());
        QCOMPARE(row.value(3).toString(), QStringLiteral("tst_migrationrunner"));
        QCOMPARE(row.value(4).toString(), QStringLiteral("Migration 001"));
        QVERIFY(row.value(5).toString().contains(QStringLiteral("DROP TABLE tenants")));
        QVERIFY(row.value(6).toBool());

        report = run(db, dir);
        QVERIFY2(report.result == MigrationRunReport::Result::NothingToDo,
                 qPrintable(describe(report)));
        QCOMPARE(report.exitCode(), 0);
    }

    void stopsAtTheRequestedVersion()
    {
        TestDatabase db(QStringLiteral("runner_version"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        MigrationRunOptions o = options();
        o.target = MigrationVersion::parse(QStringLiteral("002"));
        const MigrationRunReport report = run(db, dir, o);
        QVERIFY2(report.exitCode() == 0, qPrintable(describe(report)));
        for (const QString &tenant : tenants)
            QCOMPARE(appliedVersions(*c, tenant), QStringList { QStringLiteral("002") });

        o.target = MigrationVersion::parse(QStringLiteral("042"));
        const MigrationRunReport unknown = run(db, dir, o);
        QCOMPARE(unknown.result, MigrationRunReport::Result::Refused);
        QVERIFY(
            unknown.refusals.first().message.contains(QStringLiteral("there is no migration 042")));
    }

    void refusesAChangedAppliedFileBeforeAnythingRuns()
    {
        TestDatabase db(QStringLiteral("runner_checksum"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        QCOMPARE(run(db, dir).exitCode(), 0);
        const QString recorded = dir.load().migrations().at(1).checksum;

        // Someone edits an applied file and adds a new migration.
        dir.write(
            QStringLiteral("schema/002_stations.sql"),
            (MigrationDir::header(QStringLiteral("002"), QStringLiteral("tenant"))
             + QStringLiteral("CREATE TABLE stations (id bigserial PRIMARY KEY, name text);\n"))
                .toUtf8());
        dir.add(QStringLiteral("004"), QStringLiteral("nozzles"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE nozzles (id serial PRIMARY KEY);"),
                QStringLiteral("DROP TABLE nozzles;"));
        const QString now = dir.load().migrations().at(1).checksum;
        const DatabaseState before = stateOf(*c);

        const MigrationRunReport report = run(db, dir);
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QCOMPARE(report.exitCode(), 1);
        const QString text = report.refusals.first().text();
        QVERIFY2(text.contains(QStringLiteral("schema/002_stations.sql")), qPrintable(text));
        QVERIFY2(text.contains(recorded) && text.contains(now), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("3 schemas")), qPrintable(text));
        QVERIFY(stateOf(*c) == before);
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.nozzles")));
    }

    void refusesAnInvalidSetAndChangesNothing()
    {
        TestDatabase db(QStringLiteral("runner_invalid"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        dir.add(QStringLiteral("004"), QStringLiteral("ok"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE fine (id int);"), QStringLiteral("DROP TABLE fine;"),
                QStringLiteral("009"));
        dir.write(QStringLiteral("schema/005_bad.sql"),
                  "-- version: 005\n-- description: bad\nSELECT 1;\n");
        auto c = db.connect();
        const DatabaseState before = stateOf(*c);
        const MigrationRunReport report = run(db, dir);
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        const QString text = describe(report);
        QVERIFY2(text.contains(QStringLiteral("depends on 009")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("005_bad.sql:1: the header has no '-- scope:'")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("005_bad.sql: there is no rollback file")),
                 qPrintable(text));
        QVERIFY(stateOf(*c) == before);
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));
    }

    void aFailureLeavesItsSchemaAsItWasAndTheOthersCarryOn()
    {
        TestDatabase db(QStringLiteral("runner_failure"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        MigrationRunOptions upTo2 = options();
        upTo2.target = MigrationVersion::parse(QStringLiteral("002"));
        QCOMPARE(run(db, dir, upTo2).exitCode(), 0);
        c->exec(QStringLiteral("INSERT INTO public.fail_in VALUES ('tenant_b')"));
        const SchemaSnapshot tenantBBefore =
            SchemaSnapshot::capture(*c, { QStringLiteral("tenant_b") });

        const MigrationRunReport report = run(db, dir);
        QCOMPARE(report.result, MigrationRunReport::Result::Failed);
        QCOMPARE(report.exitCode(), 1);
        QCOMPARE(report.failedSchemaCount(), 1);
        const StepOutcome *failed =
            findStep(report, QStringLiteral("tenant_b"), QStringLiteral("003"));
        QVERIFY(failed);
        QCOMPARE(failed->status, StepStatus::Failed);
        // The DO block starts on line 10 of the file (7 header lines, CREATE TABLE on 8-9).
        QVERIFY2(failed->location().endsWith(QStringLiteral("schema/003_pumps.sql:10")),
                 qPrintable(failed->location()));
        QVERIFY2(failed->error.contains(QStringLiteral("refusing to migrate tenant_b")),
                 qPrintable(failed->error));
        QCOMPARE(failed->sqlState, QStringLiteral("P0001"));
        // The failed tenant is exactly as before; the others are done and reported.
        QVERIFY(SchemaSnapshot::capture(*c, { QStringLiteral("tenant_b") }) == tenantBBefore);
        QCOMPARE(appliedVersions(*c, QStringLiteral("tenant_b")),
                 QStringList { QStringLiteral("002") });
        QCOMPARE(findStep(report, QStringLiteral("tenant_a"), QStringLiteral("003"))->status,
                 StepStatus::Applied);
        QCOMPARE(findStep(report, QStringLiteral("tenant_c"), QStringLiteral("003"))->status,
                 StepStatus::Applied);

        // Running again after the cause is fixed resumes with what is pending.
        c->exec(QStringLiteral("DELETE FROM public.fail_in"));
        const MigrationRunReport resumed = run(db, dir);
        QVERIFY2(resumed.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(resumed)));
        QCOMPARE(resumed.stepCount(StepStatus::Applied), 1);
        QCOMPARE(appliedVersions(*c, QStringLiteral("tenant_b")),
                 QStringList({ QStringLiteral("002"), QStringLiteral("003") }));
    }

    void aServerErrorPointsAtTheFileLine()
    {
        TestDatabase db(QStringLiteral("runner_line"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("broken"), QStringLiteral("public"),
                QStringLiteral("CREATE TABLE ok_first (id int);\n"
                               "\n"
                               "CREATE TABLE broken (\n"
                               "  id int,\n"
                               "  total numeric CHECK (totl >= 0)\n"
                               ");"),
                QStringLiteral("DROP TABLE broken;"));
        auto c = db.connect();
        const MigrationRunReport report = run(db, dir);
        QCOMPARE(report.result, MigrationRunReport::Result::Failed);
        const StepOutcome *step = findStep(report, QStringLiteral("public"), QStringLiteral("001"));
        QVERIFY2(step->error.contains(QStringLiteral("column \"totl\" does not exist")),
                 qPrintable(step->error));
        QCOMPARE(step->sqlState, QStringLiteral("42703"));
        // Header 7 lines; the failing statement starts on line 10 and the typo is on line 12.
        QVERIFY2(step->location().endsWith(QStringLiteral("001_broken.sql:12")),
                 qPrintable(step->location()));
        QVERIFY(!tableExists(*c, QStringLiteral("public.ok_first")));
        QVERIFY(!tableExists(*c, QStringLiteral("public.schema_migrations"))
                || appliedVersions(*c, QStringLiteral("public")).isEmpty());

        // An error without a position (here: a missing referenced table) points at the statement.
        dir.write(QStringLiteral("schema/001_broken.sql"),
                  (MigrationDir::header(QStringLiteral("001"), QStringLiteral("public"))
                   + QStringLiteral(
                       "SELECT 1;\nCREATE TABLE t (\n  id int REFERENCES no_such_table (id)\n);\n"))
                      .toUtf8());
        const MigrationRunReport again = run(db, dir);
        const StepOutcome *noPosition =
            findStep(again, QStringLiteral("public"), QStringLiteral("001"));
        QCOMPARE(noPosition->sqlState, QStringLiteral("42P01"));
        QVERIFY2(noPosition->location().endsWith(QStringLiteral("001_broken.sql:9")),
                 qPrintable(noPosition->location()));
    }

    void aSecondRunIsRefusedNamingTheHolder()
    {
        TestDatabase db(QStringLiteral("runner_lock"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        ConnectionSettings holderSettings = db.settings();
        holderSettings.set(QStringLiteral("application_name"), QStringLiteral("night-batch-42"));
        auto holder = DbConnection::open(holderSettings, QStringLiteral("holder"));
        holder->exec(QStringLiteral("SELECT pg_advisory_lock(?, ?)"),
                     { RunLock::classKey, RunLock::objectKey });
        auto c = db.connect();
        const DatabaseState before = stateOf(*c);

        const MigrationRunReport report = run(db, dir);
        QCOMPARE(report.result, MigrationRunReport::Result::LockHeld);
        QCOMPARE(report.exitCode(), 4);
        QVERIFY2(report.error.contains(QStringLiteral("night-batch-42")), qPrintable(report.error));
        QVERIFY2(report.error.contains(QStringLiteral("pid %1").arg(holder->backendPid())),
                 qPrintable(report.error));
        QVERIFY(report.error.contains(QStringLiteral("nothing was changed")));
        QVERIFY(stateOf(*c) == before);

        holder.reset(); // the session ends, and its lock with it
        QCOMPARE(run(db, dir).result, MigrationRunReport::Result::Succeeded);
    }

    void aLockTimeoutSaysWhichLockItWaitedOn()
    {
        TestDatabase db(QStringLiteral("runner_locktimeout"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, { QStringLiteral("tenant_a") });
        QCOMPARE(run(db, dir).exitCode(), 0);
        dir.add(QStringLiteral("004"), QStringLiteral("opening_date"), QStringLiteral("tenant"),
                QStringLiteral("ALTER TABLE stations ADD COLUMN opened_on date;"),
                QStringLiteral("ALTER TABLE stations DROP COLUMN opened_on;"));

        // Production traffic: a report reading stations inside a long transaction.
        ConnectionSettings busySettings = db.settings();
        busySettings.set(QStringLiteral("application_name"), QStringLiteral("busy-report"));
        auto busy = DbConnection::open(busySettings, QStringLiteral("busy"));
        busy->begin();
        busy->exec(QStringLiteral("SELECT count(*) FROM tenant_a.stations"));

        MigrationRunOptions o = options();
        o.lockTimeoutMs = 600;
        QElapsedTimer timer;
        timer.start();
        const MigrationRunReport report = run(db, dir, o);
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(report.result, MigrationRunReport::Result::Failed);
        const StepOutcome *step =
            findStep(report, QStringLiteral("tenant_a"), QStringLiteral("004"));
        QVERIFY2(step->error.contains(QStringLiteral("lock_timeout (600 ms)")),
                 qPrintable(step->error));
        QVERIFY2(
            step->error.contains(QStringLiteral("AccessExclusiveLock on table tenant_a.stations")),
            qPrintable(step->error));
        QVERIFY2(step->error.contains(QStringLiteral("pid %1").arg(busy->backendPid())),
                 qPrintable(step->error));
        QVERIFY2(step->error.contains(QStringLiteral("busy-report")), qPrintable(step->error));
        QVERIFY(
            !scalar(*c,
                    QStringLiteral("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE "
                                   "table_schema = 'tenant_a' AND column_name = 'opened_on')"))
                 .toBool());

        busy->commit();
        QCOMPARE(run(db, dir, o).result, MigrationRunReport::Result::Succeeded);
    }

    void refusesATenantNameThatIsNotAPlainIdentifier()
    {
        TestDatabase db(QStringLiteral("runner_injection"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, { QStringLiteral("tenant_a") });
        const DatabaseState before = stateOf(*c);

        MigrationRunOptions o = options();
        o.tenants = { QStringLiteral("x\"; drop schema public; --") };
        const MigrationRunReport report = run(db, dir, o);
        QCOMPARE(report.result, MigrationRunReport::Result::InvalidRequest);
        QCOMPARE(report.exitCode(), 2);
        QVERIFY2(report.error.contains(QStringLiteral("is not a valid tenant schema name")),
                 qPrintable(report.error));
        QVERIFY(stateOf(*c) == before);

        o.tenants = { QStringLiteral("tenant_zz") };
        const MigrationRunReport unknown = run(db, dir, o);
        QCOMPARE(unknown.result, MigrationRunReport::Result::InvalidRequest);
        QVERIFY(
            unknown.error.contains(QStringLiteral("not registered in public.tenants: tenant_zz")));

        // A bad row in the registry is reported for that row; the other tenants are migrated.
        c->exec(QStringLiteral("INSERT INTO public.tenants (name, schema_name) VALUES ('Evil', ?)"),
                { QStringLiteral("a\"b; drop table public.tenants; --") });
        c->exec(QStringLiteral(
            "INSERT INTO public.tenants (name, schema_name) VALUES ('Gone', 'tenant_gone')"));
        const MigrationRunReport mixed = run(db, dir);
        QCOMPARE(mixed.result, MigrationRunReport::Result::Failed);
        QVERIFY2(describe(mixed).contains(QStringLiteral("is not a valid tenant schema name")),
                 qPrintable(describe(mixed)));
        QVERIFY2(describe(mixed).contains(QStringLiteral(
                     "tenant_gone is registered in public.tenants but does not exist")),
                 qPrintable(describe(mixed)));
        QCOMPARE(appliedVersions(*c, QStringLiteral("tenant_a")),
                 QStringList({ QStringLiteral("002"), QStringLiteral("003") }));
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));
    }

    void aDryRunChangesNothingAndSaysWhatWouldChange()
    {
        TestDatabase db(QStringLiteral("runner_dryrun"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        c->exec(QStringLiteral("INSERT INTO public.fail_in VALUES ('tenant_c')"));
        const DatabaseState before = stateOf(*c);

        MigrationRunOptions o = options();
        o.dryRun = true;
        const MigrationRunReport report = run(db, dir, o);
        QVERIFY(report.dryRun);
        QCOMPARE(report.result, MigrationRunReport::Result::Failed); // tenant_c would fail
        QVERIFY(stateOf(*c) == before);
        const StepOutcome *tried =
            findStep(report, QStringLiteral("tenant_a"), QStringLiteral("002"));
        QCOMPARE(tried->status, StepStatus::Tried);
        QVERIFY2(
            tried->changes.contains(
                QStringLiteral("+ table tenant_a.stations (2 columns, 1 constraint, 1 index)"))
                && tried->changes.contains(QStringLiteral("+ sequence tenant_a.stations_id_seq")),
            qPrintable(tried->changes.join(u'\n')));
        const StepOutcome *wouldFail =
            findStep(report, QStringLiteral("tenant_c"), QStringLiteral("003"));
        QCOMPARE(wouldFail->status, StepStatus::Failed);
        QVERIFY(wouldFail->error.contains(QStringLiteral("refusing to migrate tenant_c")));
        QCOMPARE(report.stepCount(StepStatus::Applied), 0);
    }

    void migrateDownRunsTheRollbackRecordedAtApplyTime()
    {
        TestDatabase db(QStringLiteral("runner_down"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        QCOMPARE(run(db, dir).exitCode(), 0);
        // The rollback file changed after 003 was applied: the recorded copy is what runs.
        dir.write(QStringLiteral("rollbacks/003_rollback_pumps.sql"), "SELECT 1/0;\n");

        MigrationRunReport report = run(db, dir, options(MigrationPlan::Direction::Down));
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QCOMPARE(report.versions, QStringList { QStringLiteral("003") });
        QCOMPARE(report.stepCount(StepStatus::RolledBack), 3);
        for (const QString &tenant : tenants) {
            QVERIFY(!tableExists(*c, tenant + QStringLiteral(".pumps")));
            QCOMPARE(appliedVersions(*c, tenant), QStringList { QStringLiteral("002") });
        }

        // Down to 0 would drop public.tenants with three tenants registered in it: refused,
        // nothing changed (issue 15, item 8).
        MigrationRunOptions toZero = options(MigrationPlan::Direction::Down);
        toZero.target = MigrationVersion::parse(QStringLiteral("0"));
        report = run(db, dir, toZero);
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QVERIFY2(describe(report).contains(QStringLiteral("drops the tenant registry")),
                 qPrintable(describe(report)));
        QVERIFY2(describe(report).contains(QStringLiteral("3 tenants are registered")),
                 qPrintable(describe(report)));
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));
        QCOMPARE(appliedVersions(*c, QStringLiteral("public")),
                 QStringList { QStringLiteral("001") });
        for (const QString &tenant : tenants)
            QCOMPARE(appliedVersions(*c, tenant), QStringList { QStringLiteral("002") });

        // The tenants alone may go down to 0; then, with them removed from the registry, public.
        MigrationRunOptions tenantsToZero = toZero;
        tenantsToZero.tenants = tenants;
        report = run(db, dir, tenantsToZero);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        c->exec(QStringLiteral("DELETE FROM public.tenants"));
        report = run(db, dir, toZero);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QCOMPARE(report.versions, QStringList({ QStringLiteral("001") }));
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));
        QVERIFY(appliedVersions(*c, QStringLiteral("public")).isEmpty());
    }

    // Item 8's backstop: a rollback of public that drops the registry where reading its SQL
    // cannot tell (inside a DO block) is undone before it commits, tenants registered.
    void aRollbackThatDropsTheRegistryUnseenIsUndone()
    {
        TestDatabase db(QStringLiteral("runner_registry"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        dir.add(QStringLiteral("004"), QStringLiteral("notices"), QStringLiteral("public"),
                QStringLiteral("CREATE TABLE notices (body text);"),
                QStringLiteral("DROP TABLE notices;\nDO $$ BEGIN EXECUTE 'DROP TABLE ' || "
                               "'tenants'; END $$;"),
                QStringLiteral("001"));
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        QCOMPARE(run(db, dir).exitCode(), 0);
        const MigrationRunReport report = run(db, dir, options(MigrationPlan::Direction::Down));
        QCOMPARE(report.versions, QStringList { QStringLiteral("004") });
        QCOMPARE(report.result, MigrationRunReport::Result::Failed);
        QVERIFY2(describe(report).contains(QStringLiteral("drops the tenant registry")),
                 qPrintable(describe(report)));
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));
        QVERIFY(tableExists(*c, QStringLiteral("public.notices")));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM public.tenants")).toInt(),
                 int(tenants.size()));
        QVERIFY(appliedVersions(*c, QStringLiteral("public")).contains(QStringLiteral("004")));
    }

    void migrateDownOfNamedTenantsLeavesPublicAndTheOthersAlone()
    {
        TestDatabase db(QStringLiteral("runner_down_tenant"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        QCOMPARE(run(db, dir).exitCode(), 0);

        MigrationRunOptions toZero = options(MigrationPlan::Direction::Down);
        toZero.target = MigrationVersion::parse(QStringLiteral("0"));
        toZero.tenants = { QStringLiteral("tenant_b") };
        const MigrationRunReport report = run(db, dir, toZero);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QCOMPARE(report.versions, QStringList({ QStringLiteral("003"), QStringLiteral("002") }));
        QVERIFY2(report.notes.join(u'\n').contains(QStringLiteral("public was left as it is")),
                 qPrintable(report.notes.join(u'\n')));
        QVERIFY(appliedVersions(*c, QStringLiteral("tenant_b")).isEmpty());
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_b.stations")));
        QCOMPARE(appliedVersions(*c, QStringLiteral("public")),
                 QStringList { QStringLiteral("001") });
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));
        for (const QString &other : { QStringLiteral("tenant_a"), QStringLiteral("tenant_c") })
            QCOMPARE(appliedVersions(*c, other).size(), 2);
    }

    void migrateDownRefusesAnIrreversibleMigration()
    {
        TestDatabase db(QStringLiteral("runner_irreversible"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        dir.write(QStringLiteral("schema/004_purge.sql"),
                  (MigrationDir::header(
                       QStringLiteral("004"), QStringLiteral("public"), {},
                       QStringLiteral("-- irreversible: deletes the legacy log for good"))
                   + QStringLiteral("DROP TABLE slow;\n"))
                      .toUtf8());
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        const DatabaseState before = stateOf(*c);
        const MigrationRunReport report = run(db, dir, options(MigrationPlan::Direction::Down));
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QVERIFY2(describe(report).contains(
                     QStringLiteral("version 004 cannot be rolled back in public")),
                 qPrintable(describe(report)));
        QVERIFY(describe(report).contains(QStringLiteral("deletes the legacy log for good")));
        QVERIFY(stateOf(*c) == before);
    }

    void aServerThatGoesAwayFailsOnlyTheSchemaItWasMigrating()
    {
        TestDatabase db(QStringLiteral("runner_terminate"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        c->exec(QStringLiteral("INSERT INTO public.slow VALUES ('tenant_b')"));

        MigrationRunReport report;
        std::thread worker([&] { report = run(db, dir); });
        // tenant_b's session, not tenant_a's or tenant_c's finishing the same statement.
        const int pid =
            waitForBackend(*c, QStringLiteral("WHILE EXISTS"), QStringLiteral("tenant_b.stations"));
        QVERIFY(pid != 0);
        c->exec(QStringLiteral("SELECT pg_terminate_backend(?)"), { pid });
        worker.join();

        QCOMPARE(report.result, MigrationRunReport::Result::Failed);
        const StepOutcome *lost =
            findStep(report, QStringLiteral("tenant_b"), QStringLiteral("002"));
        if (lost->status != StepStatus::Failed)
            lost = findStep(report, QStringLiteral("tenant_b"), QStringLiteral("003"));
        QCOMPARE(lost->status, StepStatus::Failed);
        QVERIFY2(lost->error.contains(QStringLiteral("terminating connection"))
                     || lost->error.contains(QStringLiteral("connection to the server was lost")),
                 qPrintable(lost->error));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_b.pumps")));
        QVERIFY(!appliedVersions(*c, QStringLiteral("tenant_b")).contains(QStringLiteral("003")));
        QCOMPARE(appliedVersions(*c, QStringLiteral("tenant_a")).size(), 2);
        QCOMPARE(appliedVersions(*c, QStringLiteral("tenant_c")).size(), 2);
    }

    void cancellingStopsNewSchemasAndRollsBackTheRunningOnes()
    {
        TestDatabase db(QStringLiteral("runner_cancel"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        c->exec(QStringLiteral("INSERT INTO public.slow SELECT schema_name FROM public.tenants"));

        MigrationRunOptions o = options();
        o.jobs = 1;
        const MigrationSet set = dir.load();
        MigrationRunner runner(db.settings(), set, o);
        MigrationRunReport report;
        JobControl control;
        std::thread worker([&] { report = runner.run(control); });
        QVERIFY(waitForBackend(*c, QStringLiteral("WHILE EXISTS")) != 0);
        control.cancel();
        worker.join();

        QCOMPARE(report.result, MigrationRunReport::Result::Cancelled);
        QCOMPARE(report.exitCode(), 130);
        QCOMPARE(findStep(report, QStringLiteral("tenant_a"), QStringLiteral("003"))->status,
                 StepStatus::Cancelled);
        QCOMPARE(findStep(report, QStringLiteral("tenant_c"), QStringLiteral("002"))->status,
                 StepStatus::NotStarted);
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.pumps")));
        QVERIFY(appliedVersions(*c, QStringLiteral("tenant_c")).isEmpty());
    }

    void adoptsTheTrackingTableOfTheOldScripts()
    {
        TestDatabase db(QStringLiteral("runner_adopt"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        // What scripts/migrate.js left behind: the seed's table, 001 applied without a checksum.
        c->exec(
            QStringLiteral("CREATE TABLE public.schema_migrations (id SERIAL PRIMARY KEY, "
                           "version VARCHAR(50) NOT NULL UNIQUE, description TEXT NOT NULL, "
                           "executed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), rollback_sql TEXT)"));
        c->exec(QStringLiteral(
            "CREATE TABLE public.tenants (id serial PRIMARY KEY, name text NOT NULL, "
            "schema_name text NOT NULL UNIQUE); CREATE TABLE public.fail_in "
            "(schema_name text PRIMARY KEY); CREATE TABLE public.slow (schema_name text PRIMARY "
            "KEY)"));
        c->exec(QStringLiteral(
            "INSERT INTO public.schema_migrations (version, description, rollback_sql) "
            "VALUES ('001', 'Platform', 'DROP TABLE slow; DROP TABLE fail_in; DROP TABLE "
            "tenants;')"));
        registerTenants(*c, { QStringLiteral("tenant_a") });

        const MigrationRunReport report = run(db, dir);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QCOMPARE(appliedVersions(*c, QStringLiteral("tenant_a")),
                 QStringList({ QStringLiteral("002"), QStringLiteral("003") }));
        MigrationStatus status =
            MigrationStatus::read(*c, dir.load(), {}, DeploymentEnvironment::Development);
        QCOMPARE(status.versions.first().checksum, MigrationStatus::ChecksumState::NotRecorded);
        QVERIFY(status.isUpToDate());

        // The next public migration adopts the old table: the integrity columns are added and the
        // new row carries its checksum.
        dir.add(QStringLiteral("004"), QStringLiteral("audit"), QStringLiteral("public"),
                QStringLiteral("CREATE TABLE audit (id int);"),
                QStringLiteral("DROP TABLE audit;"));
        QCOMPARE(run(db, dir).result, MigrationRunReport::Result::Succeeded);
        QCOMPARE(scalar(*c,
                        QStringLiteral(
                            "SELECT checksum FROM public.schema_migrations WHERE version = '004'"))
                     .toString(),
                 dir.load().find(*MigrationVersion::parse(QStringLiteral("004")))->checksum);
        status = MigrationStatus::read(*c, dir.load(), {}, DeploymentEnvironment::Development);
        QCOMPARE(status.versions.first().checksum, MigrationStatus::ChecksumState::NotRecorded);
        QCOMPARE(status.versions.last().checksum, MigrationStatus::ChecksumState::Matches);
    }

    void runsStatementsThatNeedNoTransaction()
    {
        TestDatabase db(QStringLiteral("runner_concurrently"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        dir.write(
            QStringLiteral("schema/004_station_name_index.sql"),
            "-- version: 004\n-- description: Index station names\n-- scope: tenant\n"
            "-- transaction: none\n\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS stations_name_idx ON stations (name);\n");
        dir.write(QStringLiteral("rollbacks/004_rollback_station_name_index.sql"),
                  "DROP INDEX CONCURRENTLY IF EXISTS stations_name_idx;\n");
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, { QStringLiteral("tenant_a") });
        const MigrationRunReport report = run(db, dir);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QVERIFY(tableExists(*c, QStringLiteral("tenant_a.stations_name_idx")));
        QCOMPARE(
            scalar(
                *c,
                QStringLiteral(
                    "SELECT transactional FROM tenant_a.schema_migrations WHERE version = '004'"))
                .toBool(),
            false);
        const MigrationRunReport down = run(db, dir, options(MigrationPlan::Direction::Down));
        QVERIFY2(down.result == MigrationRunReport::Result::Succeeded, qPrintable(describe(down)));
        QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.stations_name_idx")));
    }

    void statusCountsTenantsAndNamesThoseBehind()
    {
        TestDatabase db(QStringLiteral("runner_status"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        auto c = db.connect();
        QCOMPARE(run(db, dir).exitCode(), 0);
        registerTenants(*c, tenants);
        c->exec(QStringLiteral("INSERT INTO public.fail_in VALUES ('tenant_b')"));
        QCOMPARE(run(db, dir).exitCode(), 1);

        MigrationStatus status =
            MigrationStatus::read(*c, dir.load(), {}, DeploymentEnvironment::Development);
        QCOMPARE(status.tenantCount, 3);
        QCOMPARE(status.versions.size(), 3);
        const MigrationStatus::Version &v3 = status.versions.at(2);
        QCOMPARE(v3.tenantsApplied, 2);
        QCOMPARE(v3.tenantsBehind, QStringList { QStringLiteral("tenant_b") });
        QCOMPARE(v3.checksum, MigrationStatus::ChecksumState::Matches);
        QVERIFY(status.versions.first().appliedInPublic);
        QCOMPARE(status.pendingCount(), 1);

        dir.write(QStringLiteral("schema/002_stations.sql"),
                  (MigrationDir::header(QStringLiteral("002"), QStringLiteral("tenant"))
                   + QStringLiteral("CREATE TABLE stations (id int);\n"))
                      .toUtf8());
        status = MigrationStatus::read(*c, dir.load(), {}, DeploymentEnvironment::Development);
        QCOMPARE(status.versions.at(1).checksum, MigrationStatus::ChecksumState::Changed);
        QCOMPARE(status.versions.at(1).changedIn.size(), 3);
        QVERIFY(!status.isUpToDate());
    }

    void aDatabaseThatDeclaresItselfProductionRefusesAnotherEnvironment()
    {
        TestDatabase db(QStringLiteral("runner_environment"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        writeBaseSet(dir);
        dir.write(QStringLiteral("schema/004_demo_rows.sql"),
                  "-- version: 004\n-- description: Demo rows\n-- scope: public\n"
                  "-- environments: development, staging\nINSERT INTO slow VALUES ('demo');\n");
        dir.write(QStringLiteral("rollbacks/004_rollback_demo_rows.sql"), "DELETE FROM slow;\n");
        {
            auto admin = db.connect();
            admin->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                            .arg(db.name()));
        }
        auto c = db.connect();
        MigrationRunOptions development = options();
        development.environment = DeploymentEnvironment::Development;
        const MigrationRunReport mismatch = run(db, dir, development);
        QCOMPARE(mismatch.result, MigrationRunReport::Result::InvalidRequest);
        QVERIFY2(mismatch.error.contains(
                     QStringLiteral("declares itself production, but development was asked for")),
                 qPrintable(mismatch.error));
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));

        // Production runs what is approved (tst_approvals covers approving itself).
        ApprovalStore::ensure(*c);
        const MigrationSet approved = dir.load();
        for (const MigrationFile &file : approved.migrations()) {
            c->exec(QStringLiteral("INSERT INTO public.migration_approvals (version, checksum, "
                                   "environment) VALUES (?, ?, 'production')"),
                    { file.version.text(), file.checksum });
        }
        const MigrationRunReport report = run(db, dir);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(describe(report)));
        QVERIFY(report.environment.startsWith(QStringLiteral("production")));
        QVERIFY(report.notes.join(u' ').contains(
            QStringLiteral("004 (Demo rows) is for development, staging only")));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM public.slow")).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMigrationRunner)
#include "tst_migrationrunner.moc"
