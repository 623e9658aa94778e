// What a run would do, read without changing anything: the plan with its lint findings and
// approval refusals, and for a rollback the recorded SQL and the data it destroys.

#include "MigrationDir.h"
#include "TestDatabase.h"
#include "catalog/SchemaSnapshot.h"
#include "lint/DataLossReader.h"
#include "migrate/MigrationPreview.h"
#include "migrate/MigrationRunner.h"

#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

void writeSet(const MigrationDir &dir)
{
    dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
            QStringLiteral("CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL,\n"
                           "  schema_name text NOT NULL UNIQUE);"),
            QStringLiteral("DROP TABLE tenants;"));
    dir.add(QStringLiteral("002"), QStringLiteral("stations"), QStringLiteral("tenant"),
            QStringLiteral("CREATE TABLE stations (id serial PRIMARY KEY, name text NOT NULL);\n"
                           "CREATE TABLE notes (body text);"),
            QStringLiteral("DROP TABLE notes;\nDROP TABLE stations;"), QStringLiteral("001"));
    dir.add(QStringLiteral("003"), QStringLiteral("region"), QStringLiteral("tenant"),
            QStringLiteral("ALTER TABLE stations ADD COLUMN region text;"),
            QStringLiteral("ALTER TABLE stations DROP COLUMN region, DROP CONSTRAINT IF EXISTS x;\n"
                           "DELETE FROM stations WHERE name = 'temp';"),
            QStringLiteral("002"));
}

MigrationRunOptions optionsFor(MigrationPlan::Direction direction)
{
    MigrationRunOptions options;
    options.direction = direction;
    options.runner = QStringLiteral("tst_migrationpreview");
    return options;
}

} // namespace

class TestMigrationPreview : public QObject
{
    Q_OBJECT

private slots:
    void dataLossIsReadFromTheStatements()
    {
        const auto losses = DataLossReader::read(QStringLiteral(
            "-- DROP TABLE in a comment\n"
            "DROP TABLE IF EXISTS pumps, public.\"Old Nozzles\" CASCADE;\n"
            "ALTER TABLE ONLY stations DROP COLUMN IF EXISTS fax, DROP CONSTRAINT c,\n"
            "  DROP region;\n"
            "TRUNCATE alerts;\n"
            "DELETE FROM sales;\n"
            "DELETE FROM readings WHERE id < 10;\n"
            "DROP SCHEMA legacy CASCADE;\n"
            "DROP INDEX pumps_idx;\n"
            "SELECT 'DROP TABLE x';"));
        QStringList sentences;
        for (const auto &loss : losses)
            sentences.append(QStringLiteral("%1: %2").arg(loss.line).arg(loss.sentence));
        QCOMPARE(sentences,
                 (QStringList { QStringLiteral("2: drops the table pumps and all of its rows"),
                                QStringLiteral("2: drops the table public.Old Nozzles and all of "
                                               "its rows"),
                                QStringLiteral("3: drops the column stations.fax and every value "
                                               "in it"),
                                QStringLiteral("4: drops the column stations.region and every "
                                               "value in it"),
                                QStringLiteral("5: deletes every row of alerts"),
                                QStringLiteral("6: deletes every row of sales"),
                                QStringLiteral("7: deletes rows of readings"),
                                QStringLiteral("8: drops the schema legacy and everything in "
                                               "it") }));
    }

    void anUpPreviewShowsThePlanAndChangesNothing()
    {
        TestDatabase db(QStringLiteral("preview_up"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeSet(dir);
        auto set = std::make_shared<const MigrationSet>(dir.load());
        {
            MigrationRunOptions options = optionsFor(MigrationPlan::Direction::Up);
            options.target = MigrationVersion::parse(QStringLiteral("001"));
            MigrationRunner runner(db.settings(), *set, options);
            QCOMPARE(runner.run(unwatched()).result, MigrationRunReport::Result::Succeeded);
        }
        auto c = db.connect();
        for (const char *tenant : { "north", "south" }) {
            c->exec(QStringLiteral("INSERT INTO tenants (name, schema_name) VALUES (?, ?)"),
                    { QString::fromLatin1(tenant), QString::fromLatin1(tenant) });
            c->exec(QStringLiteral("CREATE SCHEMA %1").arg(QLatin1StringView(tenant)));
        }
        const SchemaSnapshot before =
            SchemaSnapshot::capture(*c, { QStringLiteral("public"), QStringLiteral("north") });

        const MigrationPreview preview =
            MigrationPreview::read(*c, set, optionsFor(MigrationPlan::Direction::Up));
        QCOMPARE(preview.versions(),
                 (QStringList { QStringLiteral("002"), QStringLiteral("003") }));
        QCOMPARE(preview.scopes(), QStringList { QStringLiteral("tenant") });
        QCOMPARE(preview.tenantCount(), 2);
        QVERIFY(!preview.touchesPublic());
        QVERIFY(preview.canRun());
        QCOMPARE(preview.lint.size(), 1); // notes has no primary key
        QCOMPARE(preview.lint.first().rule, QStringLiteral("table-without-primary-key"));
        QCOMPARE(SchemaSnapshot::capture(*c, { QStringLiteral("public"), QStringLiteral("north") }),
                 before);

        // Production: the approvals the runner would ask for are listed, and it cannot run.
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(db.name()));
        auto fresh = db.connect();
        const MigrationPreview production =
            MigrationPreview::read(*fresh, set, optionsFor(MigrationPlan::Direction::Up));
        QCOMPARE(production.approvalRefusals.size(), 2);
        QVERIFY(!production.canRun());
        QVERIFY(production.refusals().join(u'\n').contains(QStringLiteral("002 is not approved")));
        QCOMPARE(production.toJson().value(QStringLiteral("canRun")).toBool(), false);
    }

    void aRollbackPreviewShowsTheRecordedSqlAndWhatItDestroys()
    {
        TestDatabase db(QStringLiteral("preview_down"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeSet(dir);
        auto set = std::make_shared<const MigrationSet>(dir.load());
        auto c = db.connect();
        {
            MigrationRunOptions options = optionsFor(MigrationPlan::Direction::Up);
            options.target = MigrationVersion::parse(QStringLiteral("001"));
            MigrationRunner(db.settings(), *set, options).run(unwatched());
            c->exec(
                QStringLiteral("INSERT INTO tenants (name, schema_name) VALUES ('N', 'north')"));
            c->exec(QStringLiteral("CREATE SCHEMA north"));
            QCOMPARE(MigrationRunner(db.settings(), *set, optionsFor(MigrationPlan::Direction::Up))
                         .run(unwatched())
                         .result,
                     MigrationRunReport::Result::Succeeded);
        }
        // The file changes after it was applied: the preview shows what was recorded.
        dir.write(QStringLiteral("rollbacks/003_rollback_region.sql"), "SELECT 'edited';\n");
        MigrationRunOptions down = optionsFor(MigrationPlan::Direction::Down);
        const MigrationPreview preview =
            MigrationPreview::read(*c, std::make_shared<const MigrationSet>(dir.load()), down);
        QCOMPARE(preview.versions(), QStringList { QStringLiteral("003") });
        QCOMPARE(preview.rollbacks.size(), 1);
        const MigrationPreview::Rollback &rollback = preview.rollbacks.first();
        QVERIFY(rollback.sql.contains(QStringLiteral("DROP COLUMN region")));
        QCOMPARE(rollback.recordedIn, QStringLiteral("north"));
        QCOMPARE(rollback.schemas, 1);
        QCOMPARE(rollback.losses.size(), 2);
        QCOMPARE(rollback.losses.at(0).sentence,
                 QStringLiteral("drops the column stations.region and every value in it"));
        QCOMPARE(rollback.losses.at(1).kind, DataLossReader::Loss::Kind::SomeRows);
        QVERIFY(c->scalar(QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE "
                                         "table_schema = 'north' AND column_name = 'region'"))
                    .toInt()
                == 1);
    }

    void differentRecordedRollbacksAreCounted()
    {
        TestDatabase db(QStringLiteral("preview_variants"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeSet(dir);
        auto c = db.connect();
        MigrationRunOptions up = optionsFor(MigrationPlan::Direction::Up);
        up.target = MigrationVersion::parse(QStringLiteral("001"));
        MigrationRunner(db.settings(), dir.load(), up).run(unwatched());
        c->exec(QStringLiteral("INSERT INTO tenants (name, schema_name) VALUES ('N', 'north')"));
        c->exec(QStringLiteral("CREATE SCHEMA north"));
        up.target.reset();
        QCOMPARE(MigrationRunner(db.settings(), dir.load(), up).run(unwatched()).result,
                 MigrationRunReport::Result::Succeeded);
        // The rollback file changes (not the migration), then a second tenant is migrated.
        dir.write(QStringLiteral("rollbacks/003_rollback_region.sql"),
                  "ALTER TABLE stations DROP COLUMN region;\n");
        c->exec(QStringLiteral("INSERT INTO tenants (name, schema_name) VALUES ('S', 'south')"));
        c->exec(QStringLiteral("CREATE SCHEMA south"));
        QCOMPARE(MigrationRunner(db.settings(), dir.load(), up).run(unwatched()).result,
                 MigrationRunReport::Result::Succeeded);
        const MigrationPreview preview =
            MigrationPreview::read(*c, std::make_shared<const MigrationSet>(dir.load()),
                                   optionsFor(MigrationPlan::Direction::Down));
        QCOMPARE(preview.rollbacks.size(), 1);
        QCOMPARE(preview.rollbacks.first().schemas, 2);
        QCOMPARE(preview.rollbacks.first().variants, 2);
    }
};

QTEST_GUILESS_MAIN(TestMigrationPreview)
#include "tst_migrationpreview.moc"
