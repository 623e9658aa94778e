// FuelSync Hub's own migrations, applied by the runner to a real server: the schema has every
// table and relationship of the seed guide, follows its best practices (deferrable foreign keys,
// an index behind every foreign key, business rules in COMMENT ON, primary keys everywhere), and
// rolls back to nothing.

#include "TestDatabase.h"
#include "catalog/SchemaSnapshot.h"
#include "db/DbConnection.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"
#include "tenants/TenantProvisioner.h"

#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

MigrationSet fuelsyncMigrations()
{
    return MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
}

MigrationRunReport migrate(const TestDatabase &db, MigrationPlan::Direction direction,
                           const QString &target = {}, const QStringList &tenants = {})
{
    const MigrationSet set = fuelsyncMigrations();
    MigrationRunOptions options;
    options.direction = direction;
    options.tenants = tenants;
    options.runner = QStringLiteral("tst_fuelsyncschema");
    if (!target.isEmpty())
        options.target = MigrationVersion::parse(target);
    MigrationRunner runner(db.settings(), set, options);
    return runner.run(unwatched());
}

QStringList column(DbConnection &c, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery query = c.exec(sql, values);
    QStringList result;
    while (query.next())
        result.append(query.value(0).toString());
    return result;
}

} // namespace

class TestFuelSyncSchema : public QObject
{
    Q_OBJECT

    TestDatabase *m_db = nullptr;
    std::unique_ptr<DbConnection> m_c;

private slots:
    void initTestCase()
    {
        m_db = new TestDatabase(QStringLiteral("fuelsync_schema"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QCOMPARE(migrate(*m_db, MigrationPlan::Direction::Up).result,
                 MigrationRunReport::Result::Succeeded);
        TenantProvisioner::Options options;
        options.schema = QStringLiteral("highway_fuels");
        options.name = QStringLiteral("Highway Fuels");
        options.runner = QStringLiteral("tst_fuelsyncschema");
        const auto report =
            TenantProvisioner::create(m_db->settings(), fuelsyncMigrations(), options, unwatched());
        QVERIFY2(report.exitCode == 0, qPrintable(report.error));
        m_c = m_db->connect();
    }

    void cleanupTestCase()
    {
        m_c.reset();
        delete m_db;
    }

    void hasEveryTableOfTheSeedGuide()
    {
        const QStringList publicTables =
            column(*m_c,
                   QStringLiteral(
                       "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"));
        for (const char *table : { "plans", "tenants", "admin_users", "schema_migrations" })
            QVERIFY2(publicTables.contains(QLatin1StringView(table)), table);
        const QStringList tenantTables = column(
            *m_c,
            QStringLiteral(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'highway_fuels' ORDER BY 1"));
        for (const char *table :
             { "users", "stations", "pumps", "nozzles", "fuel_prices", "nozzle_readings", "sales",
               "creditors", "credit_payments", "fuel_inventory", "alerts" })
            QVERIFY2(tenantTables.contains(QLatin1StringView(table)), table);
    }

    void hasEveryKeyRelationship_data()
    {
        QTest::addColumn<QString>("child");
        QTest::addColumn<QString>("parent");
        QTest::newRow("station has pumps") << QStringLiteral("pumps") << QStringLiteral("stations");
        QTest::newRow("pump has nozzles") << QStringLiteral("nozzles") << QStringLiteral("pumps");
        QTest::newRow("nozzle has readings")
            << QStringLiteral("nozzle_readings") << QStringLiteral("nozzles");
        QTest::newRow("reading has a sale")
            << QStringLiteral("sales") << QStringLiteral("nozzle_readings");
        QTest::newRow("station has creditors")
            << QStringLiteral("creditors") << QStringLiteral("stations");
        QTest::newRow("creditor has payments")
            << QStringLiteral("credit_payments") << QStringLiteral("creditors");
        QTest::newRow("station has inventory")
            << QStringLiteral("fuel_inventory") << QStringLiteral("stations");
        QTest::newRow("station has alerts")
            << QStringLiteral("alerts") << QStringLiteral("stations");
    }

    void hasEveryKeyRelationship()
    {
        QFETCH(QString, child);
        QFETCH(QString, parent);
        QVERIFY(m_c->scalar(QStringLiteral(
                                "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' "
                                "AND conrelid = to_regclass(?) AND confrelid = to_regclass(?))"),
                            { QString(QStringLiteral("highway_fuels.") + child),
                              QString(QStringLiteral("highway_fuels.") + parent) })
                    .toBool());
    }

    void aReadingHasAtMostOneSale()
    {
        // "Reading → (1) Sale": the sale's reading reference is unique.
        QVERIFY(
            m_c
                ->scalar(QStringLiteral(
                    "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = "
                    "i.indrelid "
                    "AND a.attnum = i.indkey[0] WHERE i.indrelid = 'highway_fuels.sales'::regclass "
                    "AND i.indisunique AND i.indnatts = 1 AND a.attname = 'reading_id')"))
                .toBool());
    }

    void everyForeignKeyIsDeferrable()
    {
        const QStringList notDeferrable = column(
            *m_c,
            QStringLiteral("SELECT conrelid::regclass || '.' || conname FROM pg_constraint c JOIN "
                           "pg_namespace n ON "
                           "n.oid = c.connamespace WHERE contype = 'f' AND NOT condeferrable "
                           "AND n.nspname IN ('public', 'highway_fuels')"));
        QVERIFY2(notDeferrable.isEmpty(), qPrintable(notDeferrable.join(u'\n')));
    }

    void everyForeignKeyHasAnIndexLeadingWithItsColumns()
    {
        // An index whose leading column is the key's first column serves the lookups a parent's
        // delete or update makes (composite keys here derive their other columns from the first).
        const QStringList unindexed = column(
            *m_c,
            QStringLiteral("SELECT c.conrelid::regclass || '.' || c.conname FROM pg_constraint c "
                           "JOIN pg_namespace n ON n.oid = c.connamespace "
                           "WHERE c.contype = 'f' AND n.nspname IN ('public', 'highway_fuels') AND "
                           "NOT EXISTS ("
                           "  SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND "
                           "i.indkey[0] = c.conkey[1])"));
        QVERIFY2(unindexed.isEmpty(), qPrintable(unindexed.join(u'\n')));
    }

    void everyTableHasAPrimaryKeyAndItsBusinessRulesAsComments()
    {
        const QStringList withoutKey = column(
            *m_c,
            QStringLiteral(
                "SELECT t.oid::regclass::text FROM pg_class t JOIN pg_namespace n ON n.oid = "
                "t.relnamespace "
                "WHERE t.relkind = 'r' AND n.nspname IN ('public', 'highway_fuels') AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conrelid = t.oid AND c.contype = 'p')"));
        QVERIFY2(withoutKey.isEmpty(), qPrintable(withoutKey.join(u'\n')));
        const QStringList undocumented = column(
            *m_c,
            QStringLiteral("SELECT t.oid::regclass::text FROM pg_class t JOIN pg_namespace n ON "
                           "n.oid = t.relnamespace "
                           "WHERE t.relkind = 'r' AND n.nspname IN ('public', 'highway_fuels') "
                           "AND obj_description(t.oid, 'pg_class') IS NULL"));
        QVERIFY2(undocumented.isEmpty(), qPrintable(undocumented.join(u'\n')));
        const QStringList undocumentedColumns =
            column(*m_c,
                   QStringLiteral(
                       "SELECT a.attrelid::regclass::text || '.' || a.attname FROM pg_attribute a "
                       "JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = "
                       "t.relnamespace WHERE t.relkind = 'r' AND n.nspname IN ('public', "
                       "'highway_fuels') AND a.attnum > 0 AND NOT a.attisdropped "
                       "AND col_description(t.oid, a.attnum) IS NULL"));
        QVERIFY2(undocumentedColumns.isEmpty(), qPrintable(undocumentedColumns.join(u'\n')));
        // Business rules: every foreign key and every CHECK says why, except a plain
        // "not blank" check, which speaks for itself.
        const QStringList undocumentedRules =
            column(*m_c,
                   QStringLiteral(
                       "SELECT c.conrelid::regclass::text || ' ' || c.conname FROM pg_constraint c "
                       "JOIN pg_namespace n ON n.oid = c.connamespace "
                       "WHERE n.nspname IN ('public', 'highway_fuels') AND c.contype IN ('c', 'f') "
                       "AND obj_description(c.oid, 'pg_constraint') IS NULL "
                       "AND pg_get_constraintdef(c.oid) !~ "
                       "'^CHECK \\(\\((btrim\\(\\w+\\)|\\w+) <> ''''::text\\)\\)$'"));
        QVERIFY2(undocumentedRules.isEmpty(), qPrintable(undocumentedRules.join(u'\n')));
    }

    void rollingEverythingBackLeavesNothingBehind()
    {
        TestDatabase db(QStringLiteral("fuelsync_roundtrip"));
        QVERIFY(db.isValid());
        auto c = db.connect();
        const SchemaSnapshot empty = SchemaSnapshot::capture(*c, { QStringLiteral("public") });
        QCOMPARE(migrate(db, MigrationPlan::Direction::Up).result,
                 MigrationRunReport::Result::Succeeded);
        TenantProvisioner::Options options;
        options.schema = QStringLiteral("round_trip");
        options.runner = QStringLiteral("tst_fuelsyncschema");
        QCOMPARE(
            TenantProvisioner::create(db.settings(), fuelsyncMigrations(), options, unwatched())
                .exitCode,
            0);
        const SchemaSnapshot tenantBefore; // an empty new schema
        // public's first rollback drops the registry: the tenant goes down and out of it first.
        QCOMPARE(migrate(db, MigrationPlan::Direction::Down, QStringLiteral("0")).result,
                 MigrationRunReport::Result::Refused);
        QCOMPARE(migrate(db, MigrationPlan::Direction::Down, QStringLiteral("0"),
                         { QStringLiteral("round_trip") })
                     .result,
                 MigrationRunReport::Result::Succeeded);
        c->exec(QStringLiteral("DELETE FROM public.tenants WHERE schema_name = 'round_trip'"));
        const MigrationRunReport down =
            migrate(db, MigrationPlan::Direction::Down, QStringLiteral("0"));
        QVERIFY2(down.result == MigrationRunReport::Result::Succeeded, qPrintable(down.error));
        const QStringList publicLeft =
            empty.changesTo(SchemaSnapshot::capture(*c, { QStringLiteral("public") }),
                            // The audit stays: it records these rollbacks.
                            { QStringLiteral("schema_migrations"),
                              QStringLiteral("fuelsync_audit") });
        QVERIFY2(publicLeft.isEmpty(), qPrintable(publicLeft.join(u'\n')));
        const QStringList tenantLeft =
            tenantBefore.changesTo(SchemaSnapshot::capture(*c, { QStringLiteral("round_trip") }),
                                   { QStringLiteral("schema_migrations") });
        QVERIFY2(tenantLeft.isEmpty(), qPrintable(tenantLeft.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestFuelSyncSchema)
#include "tst_fuelsyncschema.moc"
