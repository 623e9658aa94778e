// The schema validator on a real server: a freshly migrated and seeded database has no error
// finding; each defect planted in one tenant is found with that tenant and that object, and the
// other tenants still match; bad requests say what is wrong.

#include "CliRunner.h"
#include "TestDatabase.h"
#include "browse/KeysetPager.h"
#include "browse/TableDefinitionReader.h"
#include "common/RequestError.h"
#include "db/DbError.h"
#include "db/SessionOptions.h"
#include "migrationfiles/MigrationSet.h"
#include "validate/ReferenceSchema.h"
#include "validate/SchemaValidator.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

QString describe(const SchemaValidator::Report &report)
{
    QStringList lines = report.summary;
    for (const ValidationFinding &f : report.findings) {
        lines.append(QStringLiteral("%1 %2 %3 %4: %5")
                         .arg(ValidationFinding::severityName(f.severity), f.check, f.schema,
                              f.object, f.problem));
    }
    for (const SchemaValidator::NotChecked &n : report.notChecked)
        lines.append(QStringLiteral("not checked %1 %2: %3").arg(n.schema, n.check, n.reason));
    return lines.join(u'\n');
}

const ValidationFinding *findingFor(const SchemaValidator::Report &report, const QString &check,
                                    const QString &schema, const QString &object)
{
    for (const ValidationFinding &f : report.findings) {
        if (f.check == check && f.schema == schema && f.object == object)
            return &f;
    }
    return nullptr;
}

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_set = MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(m_cache.isValid());
        // The English plural forms ("1 tenant matches"), as the front doors install them.
        QVERIFY(m_english.load(QStringLiteral(FUELSYNC_QM_DIR "/fuelsync_en.qm")));
        QCoreApplication::installTranslator(&m_english);
    }

    void aFreshDatabaseHasNoErrorFinding()
    {
        TestDatabase db(QStringLiteral("validate_fresh"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, options(), unwatched());
        QVERIFY2(report.count(ValidationFinding::Severity::Error) == 0,
                 qPrintable(describe(report)));
        QVERIFY2(report.notChecked.isEmpty(), qPrintable(describe(report)));
        QCOMPARE(report.exitCode(), 0);
        QVERIFY(report.tenantsChecked > 1);
        const QString newest = m_set.latest(MigrationScope::Tenant)->text();
        QVERIFY2(report.summary.contains(QStringLiteral("%1 tenants match the reference of %2")
                                             .arg(report.tenantsChecked)
                                             .arg(newest)),
                 qPrintable(describe(report)));

        // A comment missing from every tenant (FuelSync's schema leaves a few CHECKs without
        // one) is one group that names them all.
        bool everyTenant = false;
        for (const SchemaValidator::Report::Group &group : report.grouped()) {
            everyTenant |=
                group.finding.check == u"comments" && group.schemas.size() == report.tenantsChecked;
        }
        QVERIFY2(everyTenant, qPrintable(describe(report)));
        QVERIFY(report.grouped().size() < report.findings.size());

        // The second run takes the references from the cache and says the same.
        const SchemaValidator::Report again =
            SchemaValidator::run(db.settings(), m_set, options(), unwatched());
        QCOMPARE(again.summary, report.summary);
        QVERIFY(!QDir(m_cache.path()).entryList({ QStringLiteral("*.json") }).isEmpty());
    }

    void driftInOneTenantIsNamedAndTheOthersStillMatch()
    {
        TestDatabase db(QStringLiteral("validate_drift"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QStringList tenants = tenantsOf(*c);
        QCOMPARE(tenants.size(), 2); // the basic seed's
        const QString t = tenants.first();
        // A dropped index, an extra column, a changed default, a dropped foreign key.
        c->exec(QStringLiteral("DROP INDEX %1.sales_nozzle_id_sold_at_idx").arg(t));
        c->exec(QStringLiteral("ALTER TABLE %1.stations ADD COLUMN note text").arg(t));
        c->exec(
            QStringLiteral("ALTER TABLE %1.users ALTER COLUMN is_active SET DEFAULT false").arg(t));

        SchemaValidator::Options driftOnly = options();
        driftOnly.checks = QStringList { QStringLiteral("drift") };
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, driftOnly, unwatched());
        const QString all = describe(report);
        const ValidationFinding *index =
            findingFor(report, QStringLiteral("drift"), t,
                       QStringLiteral("index sales.sales_nozzle_id_sold_at_idx"));
        QVERIFY2(index, qPrintable(all));
        QCOMPARE(index->severity, ValidationFinding::Severity::Error);
        QVERIFY2(
            index->fixSql.startsWith(QStringLiteral("CREATE INDEX CONCURRENTLY "
                                                    "sales_nozzle_id_sold_at_idx ON \"%1\".sales")
                                         .arg(t)),
            qPrintable(index->fixSql));
        QVERIFY(index->fixOutsideTransaction);

        const ValidationFinding *column =
            findingFor(report, QStringLiteral("drift"), t, QStringLiteral("column stations.note"));
        QVERIFY2(column, qPrintable(all));
        QCOMPARE(column->severity, ValidationFinding::Severity::Warning);
        QVERIFY2(column->problem.startsWith(QStringLiteral("extra")), qPrintable(column->problem));

        const ValidationFinding *defaultChanged = findingFor(
            report, QStringLiteral("drift"), t, QStringLiteral("column users.is_active"));
        QVERIFY2(defaultChanged, qPrintable(all));
        QVERIFY2(defaultChanged->problem.contains(QStringLiteral("DEFAULT false"))
                     && defaultChanged->problem.contains(QStringLiteral("DEFAULT true")),
                 qPrintable(defaultChanged->problem));

        // Only that tenant: the others match, and the summary says which one differs.
        for (const ValidationFinding &f : report.findings)
            QVERIFY2(f.schema == t, qPrintable(all));
        const QString newest = m_set.latest(MigrationScope::Tenant)->text();
        QVERIFY2(report.summary.contains(QStringLiteral("1 tenant matches the reference of %1; "
                                                        "1 differs (%2)")
                                             .arg(newest, t)),
                 qPrintable(all));
        QCOMPARE(report.exitCode(), 1);

        // Checks can be chosen: versions alone finds nothing here.
        SchemaValidator::Options versionsOnly = options();
        versionsOnly.checks = QStringList { QStringLiteral("versions") };
        const SchemaValidator::Report versions =
            SchemaValidator::run(db.settings(), m_set, versionsOnly, unwatched());
        QVERIFY2(versions.findings.isEmpty(), qPrintable(describe(versions)));
        QCOMPARE(versions.checks, versionsOnly.checks);

        // A foreign key and a comment dropped by hand: their fixes, run as the fix script runs
        // them (in a transaction), put them back as the files made them.
        c->exec(QStringLiteral("ALTER TABLE %1.nozzles DROP CONSTRAINT nozzles_pump_fkey").arg(t));
        c->exec(QStringLiteral("COMMENT ON COLUMN %1.sales.volume IS NULL").arg(t));
        const SchemaValidator::Report dropped =
            SchemaValidator::run(db.settings(), m_set, driftOnly, unwatched());
        const ValidationFinding *key =
            findingFor(dropped, QStringLiteral("drift"), t,
                       QStringLiteral("constraint nozzles.nozzles_pump_fkey"));
        const ValidationFinding *comment =
            findingFor(dropped, QStringLiteral("drift"), t, QStringLiteral("comment sales.volume"));
        QVERIFY2(key && key->fixSql.contains(QStringLiteral("NOT VALID"))
                     && key->fixSql.contains(QStringLiteral("VALIDATE CONSTRAINT")),
                 qPrintable(describe(dropped)));
        QVERIFY2(comment && comment->fixSql.startsWith(QStringLiteral("COMMENT ON COLUMN")),
                 qPrintable(describe(dropped)));
        for (const ValidationFinding *f : { key, comment }) {
            c->exec(QStringLiteral("BEGIN"));
            c->exec(f->fixSql);
            c->exec(QStringLiteral("COMMIT"));
        }
        const SchemaValidator::Report mended =
            SchemaValidator::run(db.settings(), m_set, driftOnly, unwatched());
        QVERIFY2(!findingFor(mended, QStringLiteral("drift"), t,
                             QStringLiteral("constraint nozzles.nozzles_pump_fkey"))
                     && !findingFor(mended, QStringLiteral("drift"), t,
                                    QStringLiteral("comment sales.volume")),
                 qPrintable(describe(mended)));
    }

    // The digest reads keys, indexes and triggers as the catalog's numbers: each change only
    // those show (a key no longer deferrable, an index column sorted the other way or with
    // another fillfactor, a trigger moved after the row is written or without its transition
    // table), and a column's collation, made alone and undone before the next, still makes the
    // tenant differ, named object by object.
    void changesOnlyTheCatalogsNumbersShowAreFound()
    {
        TestDatabase db(QStringLiteral("validate_numbers"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QString t = tenantsOf(*c).first();
        QSqlQuery found = c->exec(
            QStringLiteral("SELECT tc.relname || '.' || tg.tgname, pg_get_triggerdef(tg.oid), "
                           "format('DROP TRIGGER %I ON %I.%I', tg.tgname, n.nspname, tc.relname) "
                           "FROM pg_trigger tg JOIN pg_class tc ON tc.oid = tg.tgrelid "
                           "JOIN pg_namespace n ON n.oid = tc.relnamespace "
                           "WHERE n.nspname = ? AND NOT tg.tgisinternal "
                           "AND pg_get_triggerdef(tg.oid) LIKE '% BEFORE UPDATE %' "
                           "ORDER BY 1 LIMIT 1"),
            { t });
        QVERIFY2(found.next(), "the tenant has no BEFORE UPDATE trigger to move");
        const QString trigger = found.value(0).toString();
        const QString triggerDefinition = found.value(1).toString();
        const QString dropTrigger = found.value(2).toString();
        found.finish();
        found = c->exec(
            QStringLiteral("SELECT tc.relname || '.' || tg.tgname, pg_get_triggerdef(tg.oid), "
                           "format('DROP TRIGGER %I ON %I.%I', tg.tgname, n.nspname, tc.relname), "
                           "format('CREATE TRIGGER %I AFTER INSERT ON %I.%I FOR EACH STATEMENT "
                           "EXECUTE FUNCTION %s()', tg.tgname, n.nspname, tc.relname, "
                           "tg.tgfoid::regproc) "
                           "FROM pg_trigger tg JOIN pg_class tc ON tc.oid = tg.tgrelid "
                           "JOIN pg_namespace n ON n.oid = tc.relnamespace "
                           "WHERE n.nspname = ? AND tg.tgnewtable IS NOT NULL "
                           "AND pg_get_triggerdef(tg.oid) LIKE '% AFTER INSERT %' "
                           "ORDER BY 1 LIMIT 1"),
            { t });
        QVERIFY2(found.next(), "the tenant has no trigger with a transition table");
        const QString transitionTrigger = found.value(0).toString();
        const QString transitionDefinition = found.value(1).toString();
        const QString dropTransition = found.value(2).toString();
        const QString withoutTransition = found.value(3).toString();
        found.finish();
        const QString index = QStringLiteral("%1.sales_nozzle_id_sold_at_idx").arg(t);
        const QString indexDefinition =
            c->scalar(QStringLiteral("SELECT pg_get_indexdef(?::regclass)"), { index }).toString();
        const QString indexComment =
            c->scalar(QStringLiteral("SELECT format('COMMENT ON INDEX %s IS %L', ?::text, "
                                     "obj_description(?::regclass, 'pg_class'))"),
                      { index, index })
                .toString();
        const QString keyDefinition =
            c->scalar(QStringLiteral("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                     "WHERE conname = 'nozzles_pump_fkey' AND connamespace = "
                                     "?::regnamespace"),
                      { t })
                .toString();
        QVERIFY2(keyDefinition.contains(QStringLiteral(" DEFERRABLE")), qPrintable(keyDefinition));

        const QString nameType =
            c->scalar(QStringLiteral("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                                     "WHERE attrelid = ?::regclass AND attname = 'name'"),
                      { QStringLiteral("%1.stations").arg(t) })
                .toString();
        struct Change
        {
            QString object;
            QStringList make;
            QStringList undo;
        };
        const QList<Change> changes {
            { QStringLiteral("constraint nozzles.nozzles_pump_fkey"),
              { QStringLiteral("ALTER TABLE %1.nozzles ALTER CONSTRAINT nozzles_pump_fkey "
                               "NOT DEFERRABLE")
                    .arg(t) },
              { QStringLiteral("ALTER TABLE %1.nozzles ALTER CONSTRAINT nozzles_pump_fkey %2")
                    .arg(
                        t,
                        keyDefinition.mid(keyDefinition.indexOf(QStringLiteral("DEFERRABLE")))) } },
            { QStringLiteral("index sales.sales_nozzle_id_sold_at_idx"),
              { QStringLiteral("DROP INDEX %1").arg(index),
                QStringLiteral("CREATE INDEX sales_nozzle_id_sold_at_idx ON %1.sales "
                               "(nozzle_id, sold_at DESC)")
                    .arg(t) },
              { QStringLiteral("DROP INDEX %1").arg(index), indexDefinition, indexComment } },
            { QStringLiteral("trigger ") + trigger,
              { dropTrigger,
                QString(triggerDefinition)
                    .replace(QStringLiteral(" BEFORE UPDATE "), QStringLiteral(" AFTER UPDATE ")) },
              { dropTrigger, triggerDefinition } },
            // Read by a statement trigger as new_rows: without it, every insert fails.
            { QStringLiteral("trigger ") + transitionTrigger,
              { dropTransition, withoutTransition },
              { dropTransition, transitionDefinition } },
            { QStringLiteral("index sales.sales_pkey"),
              { QStringLiteral("ALTER INDEX %1.sales_pkey SET (fillfactor = 30)").arg(t) },
              { QStringLiteral("ALTER INDEX %1.sales_pkey RESET (fillfactor)").arg(t) } },
            { QStringLiteral("column stations.name"),
              { QStringLiteral("ALTER TABLE %1.stations ALTER COLUMN name TYPE %2 COLLATE \"C\"")
                    .arg(t, nameType) },
              { QStringLiteral("ALTER TABLE %1.stations ALTER COLUMN name TYPE %2 "
                               "COLLATE \"default\"")
                    .arg(t, nameType) } },
        };
        SchemaValidator::Options driftOnly = options();
        driftOnly.checks = QStringList { QStringLiteral("drift") };
        const QString newest = m_set.latest(MigrationScope::Tenant)->text();
        for (const Change &change : changes) {
            for (const QString &sql : change.make)
                c->exec(sql);
            const SchemaValidator::Report report =
                SchemaValidator::run(db.settings(), m_set, driftOnly, unwatched());
            const QString all = describe(report);
            const ValidationFinding *f =
                findingFor(report, QStringLiteral("drift"), t, change.object);
            QVERIFY2(f, qPrintable(change.object + u'\n' + all));
            QVERIFY2(report.summary.contains(
                         QStringLiteral("1 tenant matches the reference of %1; 1 differs (%2)")
                             .arg(newest, t)),
                     qPrintable(all));
            if (change.object.startsWith(QStringLiteral("constraint "))) {
                // A key that differs is mended by its fix, run as the fix script runs it.
                QVERIFY2(f->fixSql.contains(QStringLiteral("DROP CONSTRAINT")), qPrintable(all));
                c->exec(QStringLiteral("BEGIN"));
                c->exec(f->fixSql);
                c->exec(QStringLiteral("COMMIT"));
                continue;
            }
            for (const QString &sql : change.undo)
                c->exec(sql);
        }
        // Undone, as the files made it: both tenants match again.
        const SchemaValidator::Report undone =
            SchemaValidator::run(db.settings(), m_set, driftOnly, unwatched());
        QVERIFY2(undone.summary.contains(
                     QStringLiteral("2 tenants match the reference of %1").arg(newest)),
                 qPrintable(describe(undone)));
    }

    void relationshipsIndexesAndCommentsAreFoundWhereTheyAre()
    {
        TestDatabase db(QStringLiteral("validate_catalog"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QString t = tenantsOf(*c).first();
        SchemaValidator::Options catalogChecks = options();
        catalogChecks.checks =
            QStringList { QStringLiteral("relationships"), QStringLiteral("indexes"),
                          QStringLiteral("comments") };
        const SchemaValidator::Report before =
            SchemaValidator::run(db.settings(), m_set, catalogChecks, unwatched());
        QVERIFY2(before.count(ValidationFinding::Severity::Error) == 0,
                 qPrintable(describe(before)));

        // A check added NOT VALID, a foreign key that is not deferrable and has no index, a copy
        // of an index, an index left invalid by a failed concurrent build, a column without a
        // comment.
        c->exec(QStringLiteral("ALTER TABLE %1.stations ADD CONSTRAINT stations_name_given "
                               "CHECK (length(name) > 0) NOT VALID")
                    .arg(t));
        c->exec(QStringLiteral("ALTER TABLE %1.nozzles ADD COLUMN spare_pump uuid "
                               "CONSTRAINT nozzles_spare_pump_fkey REFERENCES %1.pumps (id)")
                    .arg(t));
        c->exec(
            QStringLiteral("CREATE INDEX sales_copy_idx ON %1.sales (nozzle_id, sold_at)").arg(t));
        try {
            c->exec(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY sales_one_per_nozzle ON "
                                   "%1.sales (nozzle_id)")
                        .arg(t));
            QFAIL("the concurrent build should fail on duplicates");
        } catch (const DbError &) { }

        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, catalogChecks, unwatched());
        const QString all = describe(report);
        const ValidationFinding *notValid =
            findingFor(report, QStringLiteral("relationships"), t,
                       QStringLiteral("constraint stations.stations_name_given"));
        QVERIFY2(notValid && notValid->problem.contains(QStringLiteral("NOT VALID"))
                     && notValid->fixSql.contains(QStringLiteral("VALIDATE CONSTRAINT")),
                 qPrintable(all));
        const QString spare = QStringLiteral("constraint nozzles.nozzles_spare_pump_fkey");
        bool notDeferrable = false;
        bool noIndex = false;
        for (const ValidationFinding &f : report.findings) {
            if (f.schema != t || f.object != spare)
                continue;
            notDeferrable |= f.check == u"relationships" && f.problem.contains(u"DEFERRABLE");
            noIndex |= f.check == u"indexes"
                && f.fixSql
                    == QStringLiteral("CREATE INDEX CONCURRENTLY ON \"%1\".\"nozzles\" "
                                      "(spare_pump);")
                           .arg(t);
        }
        QVERIFY2(notDeferrable && noIndex, qPrintable(all));
        const ValidationFinding *copy = findingFor(report, QStringLiteral("indexes"), t,
                                                   QStringLiteral("index sales.sales_copy_idx"));
        QVERIFY2(copy && copy->problem.contains(QStringLiteral("sales_nozzle_id_sold_at_idx"))
                     && copy->fixSql.contains(QStringLiteral("DROP INDEX CONCURRENTLY")),
                 qPrintable(all));
        const ValidationFinding *invalid =
            findingFor(report, QStringLiteral("indexes"), t,
                       QStringLiteral("index sales.sales_one_per_nozzle"));
        QVERIFY2(invalid && invalid->severity == ValidationFinding::Severity::Error
                     && invalid->fixOutsideTransaction,
                 qPrintable(all));
        QVERIFY2(findingFor(report, QStringLiteral("comments"), t,
                            QStringLiteral("column nozzles.spare_pump")),
                 qPrintable(all));
        // The other tenant has none of them.
        const QString other = tenantsOf(*c).last();
        QVERIFY2(!findingFor(report, QStringLiteral("indexes"), other,
                             QStringLiteral("index sales.sales_copy_idx")),
                 qPrintable(all));
        QCOMPARE(report.count(ValidationFinding::Severity::Error), 1);
    }

    // Indexes the statistics say cost more than they give: a prefix of another index, one no
    // query has used, a table read by sequential scans; never an index a foreign key needs.
    void indexUsageAndPrefixesAreFound()
    {
        TestDatabase db(QStringLiteral("validate_usage"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QString t = tenantsOf(*c).first();
        c->exec(QStringLiteral("CREATE TABLE %1.meter_log (id bigint PRIMARY KEY, nozzle text, "
                               "taken_at timestamptz, note text)")
                    .arg(t));
        c->exec(QStringLiteral("INSERT INTO %1.meter_log SELECT g, 'n' || g % 40, "
                               "now() - g * interval '1 minute', repeat('x', 40) "
                               "FROM generate_series(1, 20000) AS g")
                    .arg(t));
        c->exec(
            QStringLiteral("CREATE INDEX meter_log_nozzle_idx ON %1.meter_log (nozzle)").arg(t));
        c->exec(QStringLiteral("CREATE INDEX meter_log_nozzle_taken_idx ON %1.meter_log "
                               "(nozzle, taken_at)")
                    .arg(t));
        // Descending is another order: not a prefix of the ascending one.
        c->exec(QStringLiteral("CREATE INDEX meter_log_nozzle_desc_idx ON %1.meter_log "
                               "(nozzle DESC)")
                    .arg(t));
        c->exec(QStringLiteral("ANALYZE %1.meter_log").arg(t));
        for (int i = 0; i < 60; ++i)
            c->exec(QStringLiteral("SELECT count(*) FROM %1.meter_log WHERE note = 'y'").arg(t));
        waitForStatistics(*c, t, QStringLiteral("meter_log"), 60);

        SchemaValidator::Options indexesOnly = options();
        indexesOnly.checks = QStringList { QStringLiteral("indexes") };
        indexesOnly.sizeThresholdBytes = 64 * 1024;
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, indexesOnly, unwatched());
        const QString all = describe(report);
        const ValidationFinding *prefix =
            findingFor(report, QStringLiteral("indexes"), t,
                       QStringLiteral("index meter_log.meter_log_nozzle_idx"));
        QVERIFY2(
            prefix && prefix->problem.contains(QStringLiteral("meter_log_nozzle_taken_idx"))
                && prefix->fixSql
                    == QStringLiteral("DROP INDEX CONCURRENTLY \"%1\".\"meter_log_nozzle_idx\";")
                           .arg(t),
            qPrintable(all));
        bool descCalledRedundant = false;
        bool unusedDesc = false;
        bool scanned = false;
        bool primaryKeyCalledUnused = false;
        for (const ValidationFinding &f : report.findings) {
            if (f.schema != t)
                continue;
            if (f.object == u"index meter_log.meter_log_nozzle_desc_idx") {
                descCalledRedundant |= f.problem.contains(QStringLiteral("lead"));
                unusedDesc |= f.problem.contains(QStringLiteral("no query has used"));
            }
            primaryKeyCalledUnused |= f.object == u"index meter_log.meter_log_pkey";
            scanned |= f.object == u"table meter_log"
                && f.problem.contains(QStringLiteral("sequential scans"));
        }
        QVERIFY2(!descCalledRedundant && unusedDesc && scanned && !primaryKeyCalledUnused,
                 qPrintable(all));
        // Below the size threshold nothing is called unused or scanned: small tables are cheap.
        const SchemaValidator::Report defaults = SchemaValidator::run(
            db.settings(), m_set,
            [&] {
                SchemaValidator::Options o = indexesOnly;
                o.sizeThresholdBytes = SchemaValidator::Options().sizeThresholdBytes;
                return o;
            }(),
            unwatched());
        for (const ValidationFinding &f : defaults.findings) {
            QVERIFY2(!f.problem.contains(QStringLiteral("no query has used"))
                         && !f.problem.contains(QStringLiteral("sequential scans")),
                     qPrintable(describe(defaults)));
        }
        // The index a foreign key needs is never called unused, however idle.
        for (const ValidationFinding &f : report.findings) {
            QVERIFY2(!(f.problem.contains(QStringLiteral("no query has used"))
                       && f.object.startsWith(QStringLiteral("index nozzles."))),
                     qPrintable(all));
        }
    }

    // The health check on a database with a sequence near its end, a table without a primary
    // key, a bloated table and index, and a session idle in its transaction; the same run on a
    // login that cannot see them says what it could not check.
    void healthFindsWhatTheServerSays()
    {
        TestDatabase db(QStringLiteral("validate_health"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QString t = tenantsOf(*c).first();
        c->exec(QStringLiteral("CREATE TABLE %1.pump_events (id serial PRIMARY KEY, what text)")
                    .arg(t));
        c->exec(QStringLiteral("INSERT INTO %1.pump_events (what) VALUES ('started')").arg(t));
        c->exec(QStringLiteral("SELECT setval('%1.pump_events_id_seq', 2000000000)").arg(t));
        c->exec(QStringLiteral("CREATE TABLE %1.loose_notes (note text)").arg(t));
        c->exec(QStringLiteral("CREATE TABLE %1.churn (id int PRIMARY KEY, payload text) "
                               "WITH (autovacuum_enabled = off)")
                    .arg(t));
        c->exec(QStringLiteral("INSERT INTO %1.churn SELECT g, repeat('p', 200) "
                               "FROM generate_series(1, 60000) AS g")
                    .arg(t));
        c->exec(QStringLiteral("DELETE FROM %1.churn WHERE id % 10 <> 0").arg(t));
        c->exec(QStringLiteral("ANALYZE %1.churn").arg(t));

        // A session that began a transaction and went quiet.
        auto idle = db.connect();
        const QString idlePid = idle->scalar(QStringLiteral("SELECT pg_backend_pid()")).toString();
        idle->exec(QStringLiteral("BEGIN"));
        idle->exec(QStringLiteral("SELECT count(*) FROM %1.loose_notes").arg(t));
        QTest::qWait(1500);

        SchemaValidator::Options healthOnly = options();
        healthOnly.checks = QStringList { QStringLiteral("health") };
        healthOnly.sessionSeconds = 1;
        healthOnly.sizeThresholdBytes = 512 * 1024;
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, healthOnly, unwatched());
        const QString all = describe(report);
        QVERIFY2(report.notChecked.isEmpty(), qPrintable(all));
        const ValidationFinding *sequence = findingFor(
            report, QStringLiteral("health"), t, QStringLiteral("sequence pump_events_id_seq"));
        QVERIFY2(sequence && sequence->severity == ValidationFinding::Severity::Error
                     && sequence->problem.contains(QStringLiteral("2000000000"))
                     && sequence->fixSql.contains(QStringLiteral("TYPE bigint"))
                     && sequence->fixSql.contains(QStringLiteral("AS bigint")),
                 qPrintable(all));
        QVERIFY2(
            findingFor(report, QStringLiteral("health"), t, QStringLiteral("table loose_notes")),
            qPrintable(all));
        const ValidationFinding *bloatedTable =
            findingFor(report, QStringLiteral("health"), t, QStringLiteral("table churn"));
        QVERIFY2(bloatedTable && bloatedTable->problem.contains(QStringLiteral("bloat")),
                 qPrintable(all));
        const ValidationFinding *bloatedIndex = findingFor(
            report, QStringLiteral("health"), t, QStringLiteral("index churn.churn_pkey"));
        QVERIFY2(
            bloatedIndex
                && bloatedIndex->fixSql.startsWith(QStringLiteral("REINDEX INDEX CONCURRENTLY"))
                && bloatedIndex->fixOutsideTransaction,
            qPrintable(all));
        const ValidationFinding *session = findingFor(report, QStringLiteral("health"), QString(),
                                                      QStringLiteral("session ") + idlePid);
        QVERIFY2(session && session->problem.contains(QStringLiteral("idle in a transaction"))
                     && session->problem.contains(QStringLiteral("loose_notes")),
                 qPrintable(all));
        for (const QString &object :
             { QStringLiteral("database"), QStringLiteral("connections"), QStringLiteral("cache"),
               QStringLiteral("largest tables"), QStringLiteral("pg_stat_statements") }) {
            QVERIFY2(findingFor(report, QStringLiteral("health"), QString(), object),
                     qPrintable(object + u'\n' + all));
        }
        // The other tenant has none of the planted defects.
        const QString other = tenantsOf(*c).last();
        for (const ValidationFinding &f : report.findings)
            QVERIFY2(f.schema != other, qPrintable(all));

        // The fix widens the sequence: the finding is gone.
        c->exec(sequence->fixSql);
        const SchemaValidator::Report mended =
            SchemaValidator::run(db.settings(), m_set, healthOnly, unwatched());
        QVERIFY2(!findingFor(mended, QStringLiteral("health"), t,
                             QStringLiteral("sequence pump_events_id_seq")),
                 qPrintable(describe(mended)));
        c->exec(QStringLiteral("SELECT setval('%1.pump_events_id_seq', 2000000000)").arg(t));

        // A login that may connect and read the tables but not the sequences, nor see others'
        // sessions: what it cannot see is not checked, never called healthy.
        const QString role =
            QStringLiteral("health_reader_%1").arg(QCoreApplication::applicationPid());
        c->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
        c->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'pw'").arg(role));
        for (const QString &schema : { QStringLiteral("public"), t }) {
            c->exec(QStringLiteral("GRANT USAGE ON SCHEMA %1 TO %2").arg(schema, role));
            c->exec(
                QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA %1 TO %2").arg(schema, role));
        }
        const SchemaValidator::Report limited = SchemaValidator::run(
            db.tcpSettings(role, QStringLiteral("pw")), m_set, healthOnly, unwatched());
        const QString limitedAll = describe(limited);
        bool sequencesNotChecked = false;
        for (const SchemaValidator::NotChecked &n : limited.notChecked) {
            sequencesNotChecked |= n.schema == t && n.check.contains(QStringLiteral("sequences"))
                && n.reason.contains(QStringLiteral("cannot be read by this login"));
        }
        QVERIFY2(sequencesNotChecked, qPrintable(limitedAll));
        QVERIFY2(!findingFor(limited, QStringLiteral("health"), QString(),
                             QStringLiteral("session ") + idlePid),
                 qPrintable(limitedAll));
        const ValidationFinding *hidden =
            findingFor(limited, QStringLiteral("health"), QString(), QStringLiteral("sessions"));
        QVERIFY2(
            hidden && hidden->problem.contains(QStringLiteral("sees only its own roles' sessions")),
            qPrintable(limitedAll));
        QCOMPARE(limited.exitCode(), 1);
        idle->exec(QStringLiteral("ROLLBACK"));
        for (const QString &schema : { QStringLiteral("public"), t }) {
            c->exec(
                QStringLiteral("REVOKE ALL ON ALL TABLES IN SCHEMA %1 FROM %2").arg(schema, role));
            c->exec(QStringLiteral("REVOKE ALL ON SCHEMA %1 FROM %2").arg(schema, role));
        }
        c->exec(QStringLiteral("DROP ROLE %1").arg(role));
    }

    void orphansAreCountedWithTheStateOfTheirConstraint()
    {
        TestDatabase db(QStringLiteral("validate_orphans"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QStringList tenants = tenantsOf(*c);
        const QString t = tenants.first();
        SchemaValidator::Options orphansOnly = options();
        orphansOnly.checks = QStringList { QStringLiteral("orphans") };
        const SchemaValidator::Report clean =
            SchemaValidator::run(db.settings(), m_set, orphansOnly, unwatched());
        QVERIFY2(clean.findings.isEmpty() && clean.notChecked.isEmpty(),
                 qPrintable(describe(clean)));

        // A foreign key dropped by hand, and a nozzle moved to a pump that does not exist.
        c->exec(QStringLiteral("ALTER TABLE %1.nozzles DROP CONSTRAINT nozzles_pump_fkey").arg(t));
        const QString ghost = QStringLiteral("00000000-0000-0000-0000-00000000abcd");
        c->exec(QStringLiteral("UPDATE %1.nozzles SET pump_id = ? "
                               "WHERE id = (SELECT min(id::text)::uuid FROM %1.nozzles)")
                    .arg(t),
                { ghost });
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, orphansOnly, unwatched());
        const QString all = describe(report);
        const ValidationFinding *orphan =
            findingFor(report, QStringLiteral("orphans"), t,
                       QStringLiteral("constraint nozzles.nozzles_pump_fkey"));
        QVERIFY2(orphan && orphan->severity == ValidationFinding::Severity::Error, qPrintable(all));
        QVERIFY2(orphan->problem.startsWith(QStringLiteral("1 row of nozzles refers to no row of "
                                                           "pumps (pump_id, station_id)"))
                     && orphan->problem.contains(ghost)
                     && orphan->problem.contains(QStringLiteral("dropped")),
                 qPrintable(orphan->problem));
        QCOMPARE(report.findings.size(), 1); // the other tenant has none

        // The finding's rows, as the window's grid reads them: the orphan and nothing else.
        QCOMPARE(orphan->rows.size(), 1);
        const TableDefinition nozzles =
            TableDefinitionReader::read(*c, t, QStringLiteral("nozzles"));
        BrowseOrder order;
        order.filters = orphan->rows;
        const RowPage page = KeysetPager(nozzles, order).first(*c);
        QCOMPARE(page.rows.size(), 1);
        int pumpColumn = -1;
        for (qsizetype i = 0; i < nozzles.columns.size(); ++i) {
            if (nozzles.columns.at(i).name == u"pump_id")
                pumpColumn = int(i);
        }
        QVERIFY(pumpColumn >= 0);
        QCOMPARE(page.rows.first().cells.at(pumpColumn), ghost);
        QVERIFY2(orphan->rows.first().describe().contains(QStringLiteral("refers to no row of")),
                 qPrintable(orphan->rows.first().describe()));
    }

    // Rows that break a CHECK of the reference the live table lost, and the station graph's
    // business rules over every station of a tenant, each found in the tenant that breaks them.
    void rowRulesAreFoundOverEveryStation()
    {
        TestDatabase db(QStringLiteral("validate_rules"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QString t = tenantsOf(*c).first();
        c->exec(QStringLiteral("ALTER TABLE %1.fuel_inventory DROP CONSTRAINT "
                               "fuel_inventory_current_stock_check")
                    .arg(t));
        c->exec(QStringLiteral("UPDATE %1.fuel_inventory SET current_stock = -50 "
                               "WHERE id = (SELECT min(id::text)::uuid FROM %1.fuel_inventory)")
                    .arg(t));
        // A nozzle's third reading below its second.
        c->exec(QStringLiteral(
                    "UPDATE %1.nozzle_readings SET reading = 0 WHERE id = (SELECT id FROM "
                    "(SELECT id, row_number() OVER (PARTITION BY nozzle_id ORDER BY recorded_at) "
                    "AS n, nozzle_id FROM %1.nozzle_readings) r WHERE n = 3 ORDER BY nozzle_id "
                    "LIMIT 1)")
                    .arg(t));
        c->exec(QStringLiteral("UPDATE %1.creditors SET outstanding_balance = credit_limit + 1000 "
                               "WHERE id = (SELECT min(id::text)::uuid FROM %1.creditors)")
                    .arg(t));
        c->exec(QStringLiteral("DELETE FROM %1.sales WHERE id = (SELECT min(id::text)::uuid FROM "
                               "%1.sales WHERE creditor_id IS NULL)")
                    .arg(t));

        SchemaValidator::Options orphansOnly = options();
        orphansOnly.checks = QStringList { QStringLiteral("orphans") };
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, orphansOnly, unwatched());
        const QString all = describe(report);
        const ValidationFinding *check = findingFor(
            report, QStringLiteral("orphans"), t,
            QStringLiteral("constraint fuel_inventory.fuel_inventory_current_stock_check"));
        QVERIFY2(check && check->severity == ValidationFinding::Severity::Error
                     && check->problem.startsWith(QStringLiteral("1 row of fuel_inventory"))
                     && check->problem.contains(QStringLiteral("lacks")),
                 qPrintable(all));
        for (const QString &rule :
             { QStringLiteral("rule stock-below-zero"), QStringLiteral("rule readings-go-down"),
               QStringLiteral("rule creditor-over-limit"),
               QStringLiteral("rule reading-without-sale") }) {
            const ValidationFinding *f = findingFor(report, QStringLiteral("orphans"), t, rule);
            QVERIFY2(f && f->problem.startsWith(QStringLiteral("1 ")),
                     qPrintable(rule + u'\n' + all));
        }
        // The other tenant breaks none of them.
        for (const ValidationFinding &f : report.findings)
            QVERIFY2(f.schema == t, qPrintable(all));
        QVERIFY2(report.notChecked.isEmpty(), qPrintable(all));

        // In the other tenant: the same check put back looser under its name lets a row through,
        // which is still counted against the reference's; a column dropped with its check leaves
        // nothing to count there (drift names the column), and the tenant is still checked.
        const QString u = tenantsOf(*c).last();
        c->exec(QStringLiteral("ALTER TABLE %1.fuel_inventory DROP CONSTRAINT "
                               "fuel_inventory_current_stock_check, ADD CONSTRAINT "
                               "fuel_inventory_current_stock_check CHECK (current_stock >= -1000)")
                    .arg(u));
        c->exec(QStringLiteral("UPDATE %1.fuel_inventory SET current_stock = -10 "
                               "WHERE id = (SELECT min(id::text)::uuid FROM %1.fuel_inventory)")
                    .arg(u));
        c->exec(QStringLiteral("ALTER TABLE %1.alerts DROP COLUMN message CASCADE").arg(u));
        const SchemaValidator::Report loosened =
            SchemaValidator::run(db.settings(), m_set, orphansOnly, unwatched());
        const QString said = describe(loosened);
        const ValidationFinding *looser = findingFor(
            loosened, QStringLiteral("orphans"), u,
            QStringLiteral("constraint fuel_inventory.fuel_inventory_current_stock_check"));
        QVERIFY2(looser && looser->problem.contains(QStringLiteral("another definition")),
                 qPrintable(said));
        QVERIFY2(loosened.notChecked.isEmpty(), qPrintable(said));
    }

    void versionsFindWhatTheFilesDoNotExplain()
    {
        TestDatabase db(QStringLiteral("validate_versions"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        auto c = db.connect();
        const QStringList tenants = tenantsOf(*c);
        QCOMPARE(tenants.size(), 2);
        const QString edited = tenants.at(0);
        const QString behind = tenants.at(1);
        const QString newest = m_set.latest(MigrationScope::Tenant)->text();
        // A checksum that is not the file's, a version with no file, a tenant behind, a
        // registered tenant without its schema and a tenant-like schema nobody registered.
        c->exec(QStringLiteral("UPDATE %1.schema_migrations SET checksum = repeat('0', 64) "
                               "WHERE version = '002'")
                    .arg(edited));
        c->exec(QStringLiteral("INSERT INTO %1.schema_migrations (version, description) "
                               "VALUES ('950', 'made by hand')")
                    .arg(edited));
        QCOMPARE(db.migrateTenant(behind, false, QString(), QStringLiteral("tst_validator")), 0);
        c->exec(QStringLiteral("INSERT INTO public.tenants (name, schema_name) "
                               "VALUES ('Gone', 'gone_tenant')"));
        c->exec(
            QStringLiteral("CREATE SCHEMA stray; CREATE TABLE stray.schema_migrations (id int)"));

        SchemaValidator::Options versionsOnly = options();
        versionsOnly.checks = QStringList { QStringLiteral("versions") };
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, versionsOnly, unwatched());
        const QString all = describe(report);
        QVERIFY2(
            findingFor(report, QStringLiteral("versions"), edited, QStringLiteral("version 002")),
            qPrintable(all));
        const ValidationFinding *noFile =
            findingFor(report, QStringLiteral("versions"), edited, QStringLiteral("version 950"));
        QVERIFY2(noFile && noFile->problem.contains(QStringLiteral("no migration file")),
                 qPrintable(all));
        const ValidationFinding *late =
            findingFor(report, QStringLiteral("versions"), behind, QStringLiteral("schema"));
        QVERIFY2(late && late->problem.contains(newest), qPrintable(all));
        const ValidationFinding *gone =
            findingFor(report, QStringLiteral("versions"), QStringLiteral("gone_tenant"),
                       QStringLiteral("schema"));
        QVERIFY2(gone && gone->severity == ValidationFinding::Severity::Error, qPrintable(all));
        const ValidationFinding *stray = findingFor(
            report, QStringLiteral("versions"), QStringLiteral("stray"), QStringLiteral("schema"));
        QVERIFY2(stray && stray->problem.contains(QStringLiteral("not registered")),
                 qPrintable(all));
        QCOMPARE(report.exitCode(), 1);

        // Drift over all of them: the tenant without its schema and the one whose newest
        // version has no file are not checked, each with why, and the others still are.
        SchemaValidator::Options driftAll = options();
        driftAll.checks = QStringList { QStringLiteral("drift") };
        const SchemaValidator::Report partial =
            SchemaValidator::run(db.settings(), m_set, driftAll, unwatched());
        bool goneNotChecked = false;
        bool unexplainedNotChecked = false;
        for (const SchemaValidator::NotChecked &n : partial.notChecked) {
            goneNotChecked |= n.schema == u"gone_tenant";
            unexplainedNotChecked |= n.schema == edited && n.reason.contains(u"950");
        }
        QVERIFY2(goneNotChecked && unexplainedNotChecked, qPrintable(describe(partial)));
        QVERIFY2(!partial.summary.filter(QStringLiteral("1 tenant matches")).isEmpty(),
                 qPrintable(describe(partial)));
        QCOMPARE(partial.exitCode(), 1);

        // Drift compares the tenant behind with the reference of the version it records, so it
        // is not a difference.
        SchemaValidator::Options driftOnly = options();
        driftOnly.checks = QStringList { QStringLiteral("drift") };
        driftOnly.tenants = QStringList { behind };
        const SchemaValidator::Report drift =
            SchemaValidator::run(db.settings(), m_set, driftOnly, unwatched());
        QVERIFY2(drift.findings.isEmpty(), qPrintable(describe(drift)));
        QVERIFY2(
            !drift.summary.filter(QStringLiteral("1 tenant matches the reference of")).isEmpty(),
            qPrintable(describe(drift)));
    }

    void whatTheTimeLimitDoesNotReachIsNotChecked()
    {
        TestDatabase db(QStringLiteral("validate_deadline"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        SchemaValidator::Options limited = options();
        limited.checks = QStringList { QStringLiteral("orphans") };
        limited.maxSeconds = 1;
        // A lock held on a tenant's table keeps the first orphan query waiting past the limit
        // (the statement timeout ends it), so the tenants are not reached in time.
        auto blocker = db.connect(QStringLiteral("blocker"));
        const QString first = tenantsOf(*blocker).first();
        blocker->begin();
        blocker->exec(QStringLiteral("LOCK TABLE %1.alerts IN ACCESS EXCLUSIVE MODE").arg(first));
        limited.statementTimeoutMs = 1500;
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), m_set, limited, unwatched());
        blocker->rollback();
        QVERIFY2(report.findings.isEmpty(), qPrintable(describe(report)));
        QStringList notChecked;
        for (const SchemaValidator::NotChecked &n : report.notChecked)
            notChecked.append(n.schema);
        notChecked.sort();
        QCOMPARE(notChecked, tenantsOf(*db.connect()));
        QCOMPARE(report.exitCode(), 1);

        // The command line takes it, and refuses a value that is not a number of seconds.
        const CliRunner cli;
        const CliResult bad =
            cli.run({ QStringLiteral("--db"), db.uri(), QStringLiteral("validate"),
                      QStringLiteral("--max-seconds=soon") });
        QVERIFY2(bad.exitCode == 2 && bad.stdErr.contains(QStringLiteral("--max-seconds")),
                 qPrintable(bad.describe()));
    }

    void aFileForAnotherEnvironmentIsNotPending()
    {
        TestDatabase db(QStringLiteral("validate_environments"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        QTemporaryDir dir;
        QVERIFY(copyMigrations(dir.path()));
        const QString newest = m_set.latest(MigrationScope::Tenant)->text();
        QVERIFY(writeFile(dir.filePath(QStringLiteral("schema/950_production_only.sql")),
                          QStringLiteral("-- version: 950\n-- description: Production only\n"
                                         "-- scope: tenant\n-- depends: %1\n"
                                         "-- transaction: per-migration\n"
                                         "-- environments: production\n\n"
                                         "ALTER TABLE pumps ADD COLUMN audit text;\n")
                              .arg(newest)));
        QVERIFY(
            writeFile(dir.filePath(QStringLiteral("rollbacks/950_rollback_production_only.sql")),
                      QStringLiteral("-- rollback: 950\nALTER TABLE pumps DROP COLUMN audit;\n")));
        const MigrationSet set = MigrationSet::load(dir.path());
        QVERIFY2(set.problems().isEmpty(), "the set loads");
        SchemaValidator::Options versionsOnly = options();
        versionsOnly.checks = QStringList { QStringLiteral("versions") };
        // The database declares no environment (development): 950 is not for it.
        const SchemaValidator::Report report =
            SchemaValidator::run(db.settings(), set, versionsOnly, unwatched());
        QVERIFY2(report.findings.isEmpty(), qPrintable(describe(report)));
        // Declared production, every tenant is behind by 950.
        db.connect()->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = "
                                          "'production'")
                               .arg(db.name()));
        const SchemaValidator::Report production =
            SchemaValidator::run(db.settings(), set, versionsOnly, unwatched());
        QCOMPARE(production.findings.size(), 2);
        for (const ValidationFinding &f : production.findings)
            QVERIFY2(f.problem.contains(QStringLiteral("950")), qPrintable(describe(production)));
    }

    void badRequestsSayWhatIsWrongAndChangeNothing()
    {
        TestDatabase db(QStringLiteral("validate_bad"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        SchemaValidator::Options unknownCheck = options();
        unknownCheck.checks = QStringList { QStringLiteral("speling") };
        try {
            SchemaValidator::run(db.settings(), m_set, unknownCheck, unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("no check named 'speling'"))
                         && e.message().contains(QStringLiteral("drift")),
                     qPrintable(e.message()));
        }
        SchemaValidator::Options unknownTenant = options();
        unknownTenant.tenants = QStringList { QStringLiteral("nobody's") };
        try {
            SchemaValidator::run(db.settings(), m_set, unknownTenant, unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("nobody's")), qPrintable(e.message()));
        }

        // A read-only session reads the versions; a reference it cannot build is said so, and
        // no database is left behind.
        {
            auto c = db.connect();
            const int before = databaseCount(*c);
            SessionOptions readOnly;
            readOnly.readOnly = true;
            const ConnectionSettings reader = readOnly.applyTo(db.settings());
            SchemaValidator::Options versionsOnly = options();
            versionsOnly.checks = QStringList { QStringLiteral("versions") };
            const SchemaValidator::Report versions =
                SchemaValidator::run(reader, m_set, versionsOnly, unwatched());
            QVERIFY2(versions.findings.isEmpty(), qPrintable(describe(versions)));
            // A read-only session cannot build a reference on the server: it is built in a
            // local throwaway cluster of the same major version instead, and the schemas are
            // compared as on any login.
            SchemaValidator::Options uncached = options();
            QTemporaryDir empty;
            uncached.cacheDir = empty.path();
            uncached.checks = QStringList { QStringLiteral("drift") };
            const SchemaValidator::Report local =
                SchemaValidator::run(reader, m_set, uncached, unwatched());
            QVERIFY2(local.notChecked.isEmpty() && local.findings.isEmpty(),
                     qPrintable(describe(local)));
            QVERIFY2(local.summary.join(u'\n').contains(QStringLiteral("2 tenants match")),
                     qPrintable(describe(local)));
            QVERIFY(!QDir(empty.path()).entryList({ QStringLiteral("*.json") }).isEmpty());
            // The local cluster is gone again.
            QVERIFY(QDir::temp()
                        .entryList({ QStringLiteral("fuelsync-reference-*") }, QDir::Dirs)
                        .isEmpty());
            QCOMPARE(databaseCount(*c), before);
        }

        // A file that fails: the reference cannot be built, and the message says which file.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(copyMigrations(dir.path()));
        const QString broken = QFileInfo(m_set.migrations().first().path).fileName();
        {
            QFile file(dir.filePath(QStringLiteral("schema/") + broken));
            QVERIFY(file.open(QIODevice::Append));
            file.write("\nSELECT * FROM no_such_table_anywhere;\n");
        }
        const MigrationSet brokenSet = MigrationSet::load(dir.path());
        QVERIFY2(brokenSet.problems().isEmpty(), "the copy loads");
        auto c = db.connect();
        const int databasesBefore = databaseCount(*c);
        SchemaValidator::Options driftOnly = options();
        driftOnly.checks = QStringList { QStringLiteral("drift") };
        const SchemaValidator::Report unbuilt =
            SchemaValidator::run(db.settings(), brokenSet, driftOnly, unwatched());
        // Nothing compared is called clean: every schema is not checked, with the reason.
        QVERIFY2(unbuilt.findings.isEmpty() && unbuilt.summary.isEmpty(),
                 qPrintable(describe(unbuilt)));
        QCOMPARE(unbuilt.notChecked.size(), 3); // public and both tenants
        for (const SchemaValidator::NotChecked &n : unbuilt.notChecked) {
            QVERIFY2(n.reason.contains(QStringLiteral("cannot build the reference schema"))
                         && n.reason.contains(broken)
                         && n.reason.contains(QStringLiteral("no_such_table_anywhere")),
                     qPrintable(n.reason));
        }
        QCOMPARE(unbuilt.exitCode(), 1);
        QCOMPARE(databaseCount(*c), databasesBefore); // the scratch database is gone again
    }

    void theCommandLineSaysItAndWritesTheFixes()
    {
        TestDatabase db(QStringLiteral("validate_cli"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        const CliRunner cli;
        const QStringList base { QStringLiteral("--db"), db.uri(), QStringLiteral("--quiet"),
                                 QStringLiteral("validate") };
        CliOptions cached;
        cached.environment.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache.path());
        QTemporaryDir data;
        cached.environment.insert(QStringLiteral("XDG_DATA_HOME"), data.path());

        CliResult clean = cli.run(base, cached);
        QVERIFY2(clean.exitCode == 0, qPrintable(clean.describe()));
        QVERIFY2(clean.stdOut.contains(QStringLiteral("2 tenants match the reference of")),
                 qPrintable(clean.describe()));
        QVERIFY2(clean.stdOut.contains(QStringLiteral("0 errors, 0 warnings, ")),
                 qPrintable(clean.describe()));

        auto c = db.connect();
        const QString t = tenantsOf(*c).first();
        c->exec(QStringLiteral("DROP INDEX %1.sales_nozzle_id_sold_at_idx").arg(t));
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("fixes.sql"));
        CliResult found =
            cli.run(base + QStringList { QStringLiteral("--fix-script=") + script }, cached);
        QVERIFY2(found.exitCode == 1, qPrintable(found.describe()));
        QVERIFY2(found.stdOut.contains(QStringLiteral("ERROR  drift  %1  index "
                                                      "sales.sales_nozzle_id_sold_at_idx")
                                           .arg(t)),
                 qPrintable(found.describe()));
        QFile file(script);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString fixes = QString::fromUtf8(file.readAll());
        QVERIFY2(fixes.contains(QStringLiteral("CREATE INDEX CONCURRENTLY "
                                               "sales_nozzle_id_sold_at_idx ON \"%1\".sales")
                                    .arg(t)),
                 qPrintable(fixes));
        QVERIFY2(!fixes.contains(QStringLiteral("BEGIN;")), qPrintable(fixes));

        // Running the fix script mends it: the next validation is clean again.
        c->exec(QStringLiteral("CREATE INDEX CONCURRENTLY sales_nozzle_id_sold_at_idx ON "
                               "%1.sales USING btree (nozzle_id, sold_at)")
                    .arg(t));
        QCOMPARE(cli.run(base + QStringList { QStringLiteral("--check=drift") }, cached).exitCode,
                 0);

        const CliResult json = cli.run(base + QStringList { QStringLiteral("--json") }, cached);
        QVERIFY2(json.exitCode == 0, qPrintable(json.describe()));
        QCOMPARE(json.json().value(QStringLiteral("errors")).toInt(), 0);
        QCOMPARE(json.json().value(QStringLiteral("tenantsChecked")).toInt(), 2);

        // Bad usage is exit 2 and says what is wrong.
        const CliResult badCheck =
            cli.run(base + QStringList { QStringLiteral("--check=speling") }, cached);
        QVERIFY2(badCheck.exitCode == 2 && badCheck.stdErr.contains(QStringLiteral("speling")),
                 qPrintable(badCheck.describe()));
        const CliResult badTenant =
            cli.run(base + QStringList { QStringLiteral("--tenant=nobody") }, cached);
        QVERIFY2(badTenant.exitCode == 2 && badTenant.stdErr.contains(QStringLiteral("nobody")),
                 qPrintable(badTenant.describe()));

        // Every run that reached the server is on record, newest first; bad usage ran nothing.
        const QStringList history { QStringLiteral("--db"), db.uri(), QStringLiteral("--quiet"),
                                    QStringLiteral("validate"), QStringLiteral("history") };
        const CliResult listed = cli.run(history, cached);
        QVERIFY2(listed.exitCode == 0
                     && listed.stdOut.contains(QStringLiteral("Validations of this database"))
                     && listed.stdOut.contains(QStringLiteral("drifted: %1").arg(t)),
                 qPrintable(listed.describe()));
        const CliResult runs = cli.run(history + QStringList { QStringLiteral("--json") }, cached);
        QVERIFY2(runs.exitCode == 0, qPrintable(runs.describe()));
        const QJsonArray entries = runs.json().value(QStringLiteral("runs")).toArray();
        QCOMPARE(entries.size(), 4);
        const QJsonObject newest = entries.first().toObject();
        QCOMPARE(newest.value(QStringLiteral("exit_code")).toInt(), 0);
        QCOMPARE(newest.value(QStringLiteral("tenants_checked")).toInt(), 2);
        const QJsonObject withDrift = entries.at(2).toObject();
        QCOMPARE(withDrift.value(QStringLiteral("exit_code")).toInt(), 1);
        QCOMPARE(withDrift.value(QStringLiteral("drifted")).toArray().first().toString(), t);
        QVERIFY(!withDrift.value(QStringLiteral("runner")).toString().isEmpty());
        QVERIFY(QFileInfo(runs.json().value(QStringLiteral("folder")).toString())
                    .absoluteFilePath()
                    .startsWith(QDir(data.path()).absolutePath()));
    }

    // migrate up --validate: a tenant that drifted refuses the run before anything changes;
    // --allow-drift migrates it and says so; the validation after the run is printed, and both
    // validations are on record.
    void migrateUpValidatesBeforeAndAfter()
    {
        TestDatabase db(QStringLiteral("validate_migrate"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        QVERIFY2(db.migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_validator")),
                 qPrintable(db.errorString()));
        QTemporaryDir dir;
        QVERIFY(copyMigrations(dir.path()));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("schema/006_add_station_opening_date.sql")),
                          QStringLiteral("-- version: 006\n-- description: Add the date a station "
                                         "opened\n-- scope: tenant\n-- depends: 005\n"
                                         "-- transaction: per-migration\n-- environments: all\n\n"
                                         "ALTER TABLE stations ADD COLUMN opened_on date;\n")));
        QVERIFY(writeFile(
            dir.filePath(QStringLiteral("rollbacks/006_rollback_station_opening_date.sql")),
            QStringLiteral("-- rollback: 006\nALTER TABLE stations DROP COLUMN "
                           "opened_on;\n")));
        auto c = db.connect();
        const QStringList tenants = tenantsOf(*c);
        const QString drifted = tenants.first();
        c->exec(QStringLiteral("DROP INDEX %1.sales_nozzle_id_sold_at_idx").arg(drifted));
        auto applied = [&c](const QString &schema) {
            return c
                ->scalar(QStringLiteral("SELECT count(*) FROM %1.schema_migrations "
                                        "WHERE version = '006'")
                             .arg(schema))
                .toInt();
        };

        const CliRunner cli;
        CliOptions env;
        env.environment.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache.path());
        QTemporaryDir data;
        env.environment.insert(QStringLiteral("XDG_DATA_HOME"), data.path());
        const QStringList up { QStringLiteral("--db"),         db.uri(),
                               QStringLiteral("--migrations"), dir.path(),
                               QStringLiteral("--quiet"),      QStringLiteral("migrate"),
                               QStringLiteral("up"),           QStringLiteral("--validate") };
        const CliResult refused = cli.run(up, env);
        QVERIFY2(refused.exitCode != 0, qPrintable(refused.describe()));
        const QString said = refused.stdOut + refused.stdErr;
        QVERIFY2(said.contains(QStringLiteral("%1 drifted from the reference").arg(drifted))
                     && said.contains(QStringLiteral("sales_nozzle_id_sold_at_idx"))
                     && said.contains(QStringLiteral("--allow-drift")),
                 qPrintable(refused.describe()));
        for (const QString &schema : tenants)
            QCOMPARE(applied(schema), 0); // nothing was migrated, not even the clean tenant

        const CliResult allowed =
            cli.run(up + QStringList { QStringLiteral("--allow-drift") }, env);
        const QString allowedSaid = allowed.stdOut + allowed.stdErr;
        // Migrated, the drift said, and the validation after the run finds it still there.
        QVERIFY2(allowedSaid.contains(QStringLiteral("--allow-drift"))
                     && allowedSaid.contains(QStringLiteral("After the run"))
                     && allowedSaid.contains(QStringLiteral("the reference of 006; 1 differs")),
                 qPrintable(allowed.describe()));
        QCOMPARE(allowed.exitCode, 1); // the drift is still an error after the run
        for (const QString &schema : tenants)
            QCOMPARE(applied(schema), 1);

        // Both validations before and the one after are on record.
        const CliResult history = cli.run({ QStringLiteral("--db"), db.uri(),
                                            QStringLiteral("--quiet"), QStringLiteral("validate"),
                                            QStringLiteral("history"), QStringLiteral("--json") },
                                          env);
        QCOMPARE(history.json().value(QStringLiteral("runs")).toArray().size(), 3);

        // --allow-drift alone is bad usage.
        const CliResult alone = cli.run(
            { QStringLiteral("--db"), db.uri(), QStringLiteral("--migrations"), dir.path(),
              QStringLiteral("migrate"), QStringLiteral("up"), QStringLiteral("--allow-drift") },
            env);
        QCOMPARE(alone.exitCode, 2);
    }

private:
    SchemaValidator::Options options() const
    {
        SchemaValidator::Options o;
        o.cacheDir = m_cache.path();
        return o;
    }

    static QStringList tenantsOf(DbConnection &c)
    {
        QStringList tenants;
        QSqlQuery q = c.exec(QStringLiteral("SELECT schema_name FROM public.tenants ORDER BY 1"));
        while (q.next())
            tenants.append(q.value(0).toString());
        return tenants;
    }

    // The reference's scratch databases on the cluster (other suites create databases of their
    // own at the same time; only this one builds references).
    // A copy of the checkout's migration files in `path` (schema/ and rollbacks/).
    bool copyMigrations(const QString &path) const
    {
        QDir root(path);
        if (!root.mkpath(QStringLiteral("schema")) || !root.mkpath(QStringLiteral("rollbacks")))
            return false;
        for (const MigrationFile &file : m_set.migrations()) {
            if (!QFile::copy(
                    file.path,
                    root.filePath(QStringLiteral("schema/") + QFileInfo(file.path).fileName())))
                return false;
            if (!file.rollbackPath.isEmpty()
                && !QFile::copy(file.rollbackPath,
                                root.filePath(QStringLiteral("rollbacks/")
                                              + QFileInfo(file.rollbackPath).fileName())))
                return false;
        }
        return true;
    }

    // Waits until the statistics collector shows `scans` sequential scans of the table (they are
    // sent when a session's transaction ends, not at once).
    static void waitForStatistics(DbConnection &c, const QString &schema, const QString &table,
                                  int scans)
    {
        for (int i = 0; i < 50; ++i) {
            c.exec(QStringLiteral("SELECT pg_stat_clear_snapshot()"));
            if (c.scalar(QStringLiteral("SELECT seq_scan FROM pg_stat_user_tables "
                                        "WHERE schemaname = ? AND relname = ?"),
                         { schema, table })
                    .toInt()
                >= scans)
                return;
            QTest::qWait(100);
        }
    }

    static bool writeFile(const QString &path, const QString &text)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0;
    }

    static int databaseCount(DbConnection &c)
    {
        QSqlQuery q = c.exec(QStringLiteral(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'fuelsync\\_reference\\_%'"));
        q.next();
        return q.value(0).toInt();
    }

    MigrationSet m_set;
    QTemporaryDir m_cache;
    QTranslator m_english;
};

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
