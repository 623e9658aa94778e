// `tenant create` and `seed`: a tenant is registered, created and migrated, or nothing is left
// behind; seeds fill the data the sandbox and benchmarks need, add nothing when run again, and
// the demo sets are refused on production.

#include "MigrationDir.h"
#include "TestDatabase.h"
#include "db/DbConnection.h"
#include "environment/EnvironmentResolver.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"
#include "seeds/SeedRunner.h"
#include "tenants/TenantProvisioner.h"

#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

MigrationSet fuelsyncMigrations()
{
    return MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
}

bool migrateUp(const TestDatabase &db, const MigrationSet &set)
{
    MigrationRunOptions options;
    options.runner = QStringLiteral("tst_tenantsandseeds");
    MigrationRunner runner(db.settings(), set, options);
    return runner.run(unwatched()).exitCode() == 0;
}

TenantProvisioner::Report createTenant(const TestDatabase &db, const MigrationSet &set,
                                       const QString &schema)
{
    TenantProvisioner::Options options;
    options.schema = schema;
    options.runner = QStringLiteral("tst_tenantsandseeds");
    return TenantProvisioner::create(db.settings(), set, options, unwatched());
}

SeedRunner::Report seed(const TestDatabase &db, const QString &set,
                        const QList<QPair<QString, QString>> &params = {})
{
    SeedRunner::Options options;
    options.set = set;
    options.params = params;
    options.jobs = 2;
    options.runner = QStringLiteral("tst_tenantsandseeds");
    return SeedRunner::run(db.settings(), fuelsyncMigrations(), options, unwatched());
}

// Row counts of every FuelSync table in every schema, as "schema.table=count".
// Each table's row count and a digest of its rows: a re-run seed must leave both as they were.
QStringList tableContents(DbConnection &c)
{
    QStringList tables;
    QSqlQuery list = c.exec(QStringLiteral(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "AND tablename NOT IN ('schema_migrations', 'fuelsync_audit') ORDER BY 1"));
    while (list.next())
        tables.append(list.value(0).toString());
    QStringList contents;
    for (const QString &table : std::as_const(tables)) {
        QSqlQuery digest =
            c.exec(QStringLiteral("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY "
                                  "t::text), '')) FROM %1 AS t")
                       .arg(table));
        digest.next();
        contents.append(table + u'=' + digest.value(0).toString() + u':'
                        + digest.value(1).toString());
    }
    return contents;
}

} // namespace

class TestTenantsAndSeeds : public QObject
{
    Q_OBJECT

private slots:
    void tenantCreateRegistersCreatesAndMigratesTheTenant()
    {
        TestDatabase db(QStringLiteral("tenant_create"));
        QVERIFY(db.isValid());
        const MigrationSet set = fuelsyncMigrations();
        QVERIFY(migrateUp(db, set));
        const auto report = createTenant(db, set, QStringLiteral("coastal_fuels"));
        QVERIFY2(report.exitCode == 0, qPrintable(report.error));
        QVERIFY(report.created);
        auto c = db.connect();
        QCOMPARE(
            c->scalar(QStringLiteral(
                          "SELECT name FROM public.tenants WHERE schema_name = 'coastal_fuels'"))
                .toString(),
            QStringLiteral("coastal_fuels"));
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM coastal_fuels.schema_migrations"))
                     .toInt(),
                 int(set.migrations().size() - 1));
    }

    void tenantCreateRefusesBadOrTakenNamesAndChangesNothing()
    {
        TestDatabase db(QStringLiteral("tenant_refuse"));
        QVERIFY(db.isValid());
        const MigrationSet set = fuelsyncMigrations();
        QVERIFY(migrateUp(db, set));
        QCOMPARE(createTenant(db, set, QStringLiteral("taken")).exitCode, 0);
        auto c = db.connect();
        c->exec(QStringLiteral("CREATE SCHEMA leftover"));
        const QStringList before = tableContents(*c);

        auto report = createTenant(db, set, QStringLiteral("x\"; drop schema public; --"));
        QCOMPARE(report.exitCode, 2);
        QVERIFY2(report.error.contains(QStringLiteral("is not a valid tenant schema name")),
                 qPrintable(report.error));
        report = createTenant(db, set, QStringLiteral("pg_tenant"));
        QCOMPARE(report.exitCode, 2);
        QVERIFY(report.error.contains(QStringLiteral("reserved for PostgreSQL")));
        report = createTenant(db, set, QStringLiteral("public"));
        QCOMPARE(report.exitCode, 2);
        report = createTenant(db, set, QStringLiteral("taken"));
        QCOMPARE(report.exitCode, 1);
        QVERIFY(report.error.contains(QStringLiteral("already registered")));
        report = createTenant(db, set, QStringLiteral("leftover"));
        QCOMPARE(report.exitCode, 1);
        QVERIFY(
            report.error.contains(QStringLiteral("already exists but is not a registered tenant")));
        QCOMPARE(tableContents(*c), before);
    }

    void tenantCreateBeforeThePlatformSchemaExistsIsRefused()
    {
        TestDatabase db(QStringLiteral("tenant_early"));
        QVERIFY(db.isValid());
        const auto report = createTenant(db, fuelsyncMigrations(), QStringLiteral("early"));
        QCOMPARE(report.exitCode, 1);
        QVERIFY2(report.error.contains(QStringLiteral("run 'migrate up' first")),
                 qPrintable(report.error));
        auto c = db.connect();
        QVERIFY(
            !c->scalar(QStringLiteral(
                           "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'early')"))
                 .toBool());
    }

    void aTenantThatCannotBeMigratedIsRemovedAgain()
    {
        TestDatabase db(QStringLiteral("tenant_rollback"));
        QVERIFY(db.isValid());
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
                QStringLiteral("CREATE TABLE tenants (id serial PRIMARY KEY, name text, "
                               "schema_name text UNIQUE);"),
                QStringLiteral("DROP TABLE tenants;"));
        dir.add(QStringLiteral("002"), QStringLiteral("ok"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE stations (id int);"),
                QStringLiteral("DROP TABLE stations;"));
        dir.add(QStringLiteral("003"), QStringLiteral("broken"), QStringLiteral("tenant"),
                QStringLiteral("SELECT 1/0;"), QStringLiteral("SELECT 1;"));
        const MigrationSet set = dir.load();
        QVERIFY(migrateUp(db, set));
        const auto report = createTenant(db, set, QStringLiteral("doomed"));
        QCOMPARE(report.exitCode, 1);
        QVERIFY(report.removedAgain);
        QVERIFY(report.migration.has_value());
        QVERIFY(report.error.contains(QStringLiteral("removed again")));
        auto c = db.connect();
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt(), 0);
        QVERIFY(
            !c->scalar(QStringLiteral(
                           "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'doomed')"))
                 .toBool());
    }

    void theBasicSeedFillsTenantsAndAddsNothingTheSecondTime()
    {
        TestDatabase db(QStringLiteral("seed_basic"));
        QVERIFY(db.isValid());
        QVERIFY(migrateUp(db, fuelsyncMigrations()));
        const auto first = seed(db, QStringLiteral("basic"));
        QVERIFY2(first.exitCode == 0, qPrintable(first.error));
        QVERIFY(first.tenants.size() >= 2);
        QCOMPARE(first.createdSchemas.size(), first.tenants.size());
        auto c = db.connect();
        const QStringList contents = tableContents(*c);
        QVERIFY(c->scalar(QStringLiteral("SELECT count(*) FROM public.plans")).toInt() > 0);
        const QString tenant = first.tenants.first().schema;
        for (const char *table :
             { "stations", "pumps", "nozzles", "nozzle_readings", "sales", "creditors",
               "credit_payments", "fuel_prices", "fuel_inventory", "alerts" }) {
            QVERIFY2(c->scalar(QStringLiteral("SELECT count(*) FROM %1.%2")
                                   .arg(tenant, QLatin1StringView(table)))
                             .toInt()
                         > 0,
                     table);
        }
        // The seeded tables have statistics (reltuples is -1 until a table is analyzed), so the
        // browser's estimates and the planner see the data.
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                                          "ON n.oid = c.relnamespace WHERE n.nspname IN "
                                          "('public', ?) AND c.relkind = 'r' AND c.reltuples < 0"),
                           { QVariant(tenant) })
                     .toInt(),
                 0);
        QVERIFY(c->scalar(QStringLiteral("SELECT reltuples FROM pg_class WHERE oid = ?::regclass"),
                          { QVariant(tenant + QStringLiteral(".nozzle_readings")) })
                    .toDouble()
                > 0);
        const auto second = seed(db, QStringLiteral("basic"));
        QVERIFY2(second.exitCode == 0, qPrintable(second.error));
        QVERIFY(second.createdSchemas.isEmpty());
        QCOMPARE(tableContents(*c), contents);
    }

    void theComprehensiveSeedTakesItsSizesFromParams()
    {
        TestDatabase db(QStringLiteral("seed_params"));
        QVERIFY(db.isValid());
        QVERIFY(migrateUp(db, fuelsyncMigrations()));
        const auto report = seed(db, QStringLiteral("comprehensive"),
                                 { { QStringLiteral("tenants"), QStringLiteral("1") },
                                   { QStringLiteral("stations_per_tenant"), QStringLiteral("1") },
                                   { QStringLiteral("pumps_per_station"), QStringLiteral("2") },
                                   { QStringLiteral("nozzles_per_pump"), QStringLiteral("2") },
                                   { QStringLiteral("days"), QStringLiteral("12") },
                                   { QStringLiteral("readings_per_day"), QStringLiteral("3") } });
        QVERIFY2(report.exitCode == 0, qPrintable(report.error));
        QCOMPARE(report.tenants.size(), 1);
        auto c = db.connect();
        const QString tenant = report.tenants.first().schema;
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1.nozzles").arg(tenant)).toInt(),
                 4);
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1.nozzle_readings").arg(tenant))
                     .toInt(),
                 4 * 12 * 3);
        // Readings only go up, and each reading after a nozzle's first has its sale.
        QCOMPARE(
            c->scalar(QStringLiteral(
                          "SELECT count(*) FROM (SELECT reading < lag(reading) OVER (PARTITION BY "
                          "nozzle_id "
                          "ORDER BY recorded_at) AS down FROM %1.nozzle_readings) r WHERE down")
                          .arg(tenant))
                .toInt(),
            0);
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1.sales").arg(tenant)).toInt(),
                 4 * (12 * 3 - 1));
        for (const char *table : { "fuel_prices", "creditors", "credit_payments", "fuel_inventory",
                                   "fuel_deliveries", "users" }) {
            QVERIFY2(c->scalar(QStringLiteral("SELECT count(*) FROM %1.%2")
                                   .arg(tenant, QLatin1StringView(table)))
                             .toInt()
                         > 0,
                     table);
        }

        // The same sizes again: not one row more, not one value changed.
        const QStringList contents = tableContents(*c);
        const auto again = seed(db, QStringLiteral("comprehensive"),
                                { { QStringLiteral("tenants"), QStringLiteral("1") },
                                  { QStringLiteral("stations_per_tenant"), QStringLiteral("1") },
                                  { QStringLiteral("pumps_per_station"), QStringLiteral("2") },
                                  { QStringLiteral("nozzles_per_pump"), QStringLiteral("2") },
                                  { QStringLiteral("days"), QStringLiteral("12") },
                                  { QStringLiteral("readings_per_day"), QStringLiteral("3") } });
        QVERIFY2(again.exitCode == 0, qPrintable(again.error));
        QCOMPARE(tableContents(*c), contents);

        const auto unknown = seed(db, QStringLiteral("comprehensive"),
                                  { { QStringLiteral("galaxies"), QStringLiteral("3") } });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.error.contains(QStringLiteral("has no param 'galaxies'")));
        const auto missing = seed(db, QStringLiteral("enormous"));
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(
            missing.error.contains(QStringLiteral("available: basic, comprehensive, production")),
            qPrintable(missing.error));
    }

    // Issue 15, item 5: the demo data of a new tenant ends at the last reading time before the
    // seed runs (a live station, not one silent since 2025), nothing lies in the future, running
    // it again keeps the timeline, and a fixed start_date still gives the same dates.
    void theDemoDataEndsAtTheLastReadingBeforeNow()
    {
        TestDatabase db(QStringLiteral("seed_dates"));
        QVERIFY(db.isValid());
        QVERIFY(migrateUp(db, fuelsyncMigrations()));
        const QList<QPair<QString, QString>> small {
            { QStringLiteral("tenants"), QStringLiteral("1") },
            { QStringLiteral("stations_per_tenant"), QStringLiteral("1") },
            { QStringLiteral("pumps_per_station"), QStringLiteral("1") },
            { QStringLiteral("nozzles_per_pump"), QStringLiteral("2") },
            { QStringLiteral("days"), QStringLiteral("90") }
        };
        const auto report = seed(db, QStringLiteral("comprehensive"), small);
        QVERIFY2(report.exitCode == 0, qPrintable(report.error));
        const QString tenant = report.tenants.first().schema;
        auto c = db.connect();
        QSqlQuery span = c->exec(
            QStringLiteral("SELECT extract(epoch FROM now() - max(recorded_at)), "
                           "extract(epoch FROM max(recorded_at) - min(recorded_at)), count(*) "
                           "FROM %1.nozzle_readings")
                .arg(tenant));
        QVERIFY(span.next());
        const double ageSeconds = span.value(0).toDouble();
        QVERIFY2(ageSeconds >= 0 && ageSeconds < 8 * 3600, qPrintable(span.value(0).toString()));
        QCOMPARE(span.value(1).toDouble(), (90.0 * 3 - 1) * 8 * 3600);
        QCOMPARE(span.value(2).toInt(), 2 * 90 * 3);
        // No timestamp of the tenant's lies ahead of the seed.
        QSqlQuery columns = c->exec(
            QStringLiteral("SELECT quote_ident(table_name), quote_ident(column_name) FROM "
                           "information_schema.columns WHERE table_schema = ? AND data_type = "
                           "'timestamp with time zone'"),
            { tenant });
        QStringList timestamps;
        while (columns.next())
            timestamps.append(columns.value(0).toString() + u'.' + columns.value(1).toString());
        for (const QString &timestamp : std::as_const(timestamps)) {
            const QString table = timestamp.section(u'.', 0, 0);
            const QString column = timestamp.section(u'.', 1);
            QVERIFY2(!c->scalar(QStringLiteral("SELECT coalesce(max(%1) > now(), false) FROM %2.%3")
                                    .arg(column, tenant, table))
                          .toBool(),
                     qPrintable(timestamp));
        }
        const qsizetype checked = timestamps.size();
        QVERIFY(checked > 10);

        const QStringList contents = tableContents(*c);
        const auto again = seed(db, QStringLiteral("comprehensive"), small);
        QVERIFY2(again.exitCode == 0, qPrintable(again.error));
        QCOMPARE(tableContents(*c), contents);

        TestDatabase fixed(QStringLiteral("seed_fixed_dates"));
        QVERIFY(fixed.isValid());
        QVERIFY(migrateUp(fixed, fuelsyncMigrations()));
        SeedRunner::Options options;
        options.set = QStringLiteral("comprehensive");
        options.params = small;
        options.params.append({ QStringLiteral("start_date"), QStringLiteral("2025-01-01") });
        options.runner = QStringLiteral("tst_tenantsandseeds");
        const auto dated =
            SeedRunner::run(fixed.settings(), fuelsyncMigrations(), options, unwatched());
        QVERIFY2(dated.exitCode == 0, qPrintable(dated.error));
        auto f = fixed.connect();
        QCOMPARE(f->scalar(QStringLiteral(
                               "SELECT to_char(min(recorded_at) AT TIME ZONE "
                               "'Asia/Kolkata', 'YYYY-MM-DD HH24:MI') FROM %1.nozzle_readings")
                               .arg(dated.tenants.first().schema))
                     .toString(),
                 QStringLiteral("2025-01-01 06:00"));
    }

    void productionRefusesTheDemoSeedsButTakesItsOwn()
    {
        TestDatabase db(QStringLiteral("seed_production"));
        QVERIFY(db.isValid());
        QVERIFY(migrateUp(db, fuelsyncMigrations()));
        {
            auto admin = db.connect();
            EnvironmentResolver::declare(*admin, DeploymentEnvironment::Production);
        }
        auto c = db.connect();
        const QStringList before = tableContents(*c);
        for (const char *demo : { "basic", "comprehensive" }) {
            const auto refused = seed(db, QLatin1StringView(demo));
            QCOMPARE(refused.exitCode, 1);
            QVERIFY2(refused.error.contains(QStringLiteral(
                         "is for development, staging only, and this database is production")),
                     qPrintable(refused.error));
        }
        QCOMPARE(tableContents(*c), before);
        const auto production = seed(db, QStringLiteral("production"));
        QVERIFY2(production.exitCode == 0, qPrintable(production.error));
        QVERIFY(c->scalar(QStringLiteral("SELECT count(*) FROM public.plans")).toInt() > 0);
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt(), 0);
        const QStringList contents = tableContents(*c);
        const auto again = seed(db, QStringLiteral("production"));
        QVERIFY2(again.exitCode == 0, qPrintable(again.error));
        QCOMPARE(tableContents(*c), contents);
    }

    void seedingANotYetMigratedDatabaseSaysSo()
    {
        TestDatabase db(QStringLiteral("seed_early"));
        QVERIFY(db.isValid());
        const auto report = seed(db, QStringLiteral("basic"));
        QCOMPARE(report.exitCode, 1);
        QVERIFY2(report.error.contains(QStringLiteral("run 'migrate up' first")),
                 qPrintable(report.error));
    }
};

QTEST_GUILESS_MAIN(TestTenantsAndSeeds)
#include "tst_tenantsandseeds.moc"
