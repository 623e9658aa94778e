// `migrate lint` without a database: each rule finds what it is about (and only that) at the
// right line, acknowledgements work and are checked, and FuelSync's own migrations pass.

#include "MigrationDir.h"
#include "lint/MigrationLinter.h"
#include "migrationfiles/MigrationSet.h"

#include <QtTest>

using namespace fuelsync;
using test::MigrationDir;

namespace {

// public 001: plans. tenant 002: stations, pumps (a deferrable, indexed key to stations).
void addBase(const MigrationDir &dir)
{
    dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
            QStringLiteral("CREATE TABLE plans (id uuid PRIMARY KEY, name text NOT NULL);"),
            QStringLiteral("DROP TABLE plans;"));
    dir.add(QStringLiteral("002"), QStringLiteral("stations"), QStringLiteral("tenant"),
            QStringLiteral(
                "CREATE TABLE stations (id uuid PRIMARY KEY, name text NOT NULL, code text);\n"
                "CREATE TABLE pumps (\n"
                "    id uuid PRIMARY KEY,\n"
                "    station_id uuid NOT NULL REFERENCES stations (id) DEFERRABLE INITIALLY "
                "IMMEDIATE,\n"
                "    label text NOT NULL,\n"
                "    capacity numeric\n"
                ");\n"
                "CREATE INDEX pumps_station_id_idx ON pumps (station_id);"),
            QStringLiteral("DROP TABLE pumps; DROP TABLE stations;"), QStringLiteral("001"));
}

// The rules the findings of one version break, sorted ("rule" once per finding).
QStringList rulesOf(const LintReport &report, const QString &version)
{
    QStringList rules;
    for (const LintFinding &finding : report.findings) {
        if (finding.version == version && !finding.acknowledged)
            rules.append(finding.rule);
    }
    rules.sort();
    return rules;
}

QString describe(const LintReport &report)
{
    QStringList lines;
    for (const LintFinding &f : report.findings)
        lines.append(QStringLiteral("%1 [%2] %3").arg(f.location(), f.rule, f.message));
    return lines.join(u'\n');
}

} // namespace

class TestMigrationLinter : public QObject
{
    Q_OBJECT

private slots:
    void eachRuleFindsItsStatement_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("rules");
        const QString tenant = QStringLiteral("tenant");
        const QString platform = QStringLiteral("public");

        QTest::newRow("a new table done right")
            << tenant
            << QStringLiteral(
                   "CREATE TABLE nozzles (id uuid PRIMARY KEY, pump_id uuid NOT NULL,\n"
                   "  CONSTRAINT nozzles_pump_fk FOREIGN KEY (pump_id) REFERENCES pumps (id)\n"
                   "    ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE);\n"
                   "CREATE INDEX nozzles_pump_idx ON nozzles (pump_id);\n"
                   "ALTER TABLE nozzles ADD COLUMN fuel text NOT NULL;\n"
                   "CREATE INDEX nozzles_fuel_idx ON nozzles (fuel);")
            << QStringList {};
        QTest::newRow("NOT NULL without a default")
            << tenant << QStringLiteral("ALTER TABLE stations ADD COLUMN region text NOT NULL;")
            << QStringList { QStringLiteral("not-null-without-default") };
        QTest::newRow("NOT NULL with a default")
            << tenant
            << QStringLiteral(
                   "ALTER TABLE stations ADD COLUMN region text NOT NULL DEFAULT 'north';")
            << QStringList {};
        QTest::newRow("an identity column fills itself, rewriting the table")
            << tenant
            << QStringLiteral("ALTER TABLE stations ADD COLUMN seq bigint NOT NULL GENERATED "
                              "ALWAYS AS IDENTITY;")
            << QStringList { QStringLiteral("rewriting-default") };
        QTest::newRow("a default computed row by row")
            << tenant
            << QStringLiteral("ALTER TABLE stations ADD COLUMN token uuid NOT NULL DEFAULT "
                              "gen_random_uuid();\n"
                              "ALTER TABLE pumps ADD COLUMN seq bigserial;\n"
                              "ALTER TABLE pumps ADD COLUMN since timestamptz DEFAULT now();")
            << QStringList { QStringLiteral("rewriting-default"),
                             QStringLiteral("rewriting-default") };
        QTest::newRow("TRUNCATE") << tenant
                                  << QStringLiteral("TRUNCATE TABLE ONLY pumps, stations;")
                                  << QStringList { QStringLiteral("truncate-table"),
                                                   QStringLiteral("truncate-table") };
        QTest::newRow("a column the same file added to an existing table: its rows are there")
            << tenant
            << QStringLiteral("ALTER TABLE stations ADD COLUMN region text;\n"
                              "UPDATE stations SET region = 'north';\n"
                              "ALTER TABLE stations ALTER COLUMN region TYPE varchar(20),\n"
                              "  ALTER COLUMN region SET NOT NULL;\n"
                              "ALTER TABLE stations RENAME COLUMN region TO area;\n"
                              "ALTER TABLE stations DROP COLUMN area;")
            << QStringList { QStringLiteral("column-type-change"), QStringLiteral("set-not-null") };
        QTest::newRow("added without a default and SET NOT NULL in one statement")
            << tenant
            << QStringLiteral("ALTER TABLE stations ADD COLUMN i int, ALTER COLUMN i SET NOT NULL;")
            << QStringList { QStringLiteral("not-null-without-default") };
        QTest::newRow("DEFAULT NULL is no default")
            << tenant
            << QStringLiteral("ALTER TABLE stations ADD COLUMN e int NOT NULL DEFAULT NULL::int;")
            << QStringList { QStringLiteral("not-null-without-default") };
        QTest::newRow("serial brings its own default")
            << tenant << QStringLiteral("ALTER TABLE stations ADD COLUMN s serial NOT NULL;")
            << QStringList { QStringLiteral("rewriting-default") };
        QTest::newRow("IS NOT NULL inside a CHECK is not the column's NOT NULL")
            << tenant
            << QStringLiteral("ALTER TABLE stations ADD COLUMN g int CHECK (g > 0 OR code IS NOT "
                              "NULL);")
            << QStringList { QStringLiteral("constraint-without-not-valid") };
        QTest::newRow("a new column with a foreign key on an existing table")
            << tenant
            << QStringLiteral("ALTER TABLE pumps ADD COLUMN backup_of uuid REFERENCES pumps (id) "
                              "DEFERRABLE;\n"
                              "CREATE INDEX CONCURRENTLY pumps_backup_idx ON pumps (backup_of);")
            << QStringList { QStringLiteral("concurrently-in-transaction"),
                             QStringLiteral("constraint-without-not-valid") };
        QTest::newRow("the documented way to SET NOT NULL")
            << tenant
            << QStringLiteral(
                   "ALTER TABLE stations ADD CONSTRAINT code_nn CHECK (code IS NOT NULL) "
                   "NOT VALID;\n"
                   "ALTER TABLE stations VALIDATE CONSTRAINT code_nn;\n"
                   "ALTER TABLE stations ALTER COLUMN code SET NOT NULL;")
            << QStringList {};
        QTest::newRow("an index ON ONLY a partitioned parent builds nothing")
            << tenant << QStringLiteral("CREATE INDEX pumps_label_parent ON ONLY pumps (label);")
            << QStringList {};
        QTest::newRow("REINDEX SCHEMA in a wrapped file")
            << tenant << QStringLiteral("REINDEX SCHEMA public;")
            << QStringList { QStringLiteral("concurrently-in-transaction") };
        QTest::newRow("an unclosed parenthesis hides nothing")
            << tenant
            << QStringLiteral("CREATE TABLE z (id int PRIMARY KEY, a int;\n"
                              "ALTER TABLE stations DROP COLUMN code;")
            << QStringList { QStringLiteral("file-problem") };
        QTest::newRow("public. in a function body written as a string")
            << tenant
            << QStringLiteral("CREATE FUNCTION n() RETURNS bigint LANGUAGE sql\n"
                              "AS 'SELECT count(*) FROM public.stations WHERE name <> ''x''';")
            << QStringList { QStringLiteral("public-prefix-in-tenant") };
        QTest::newRow("SET NOT NULL")
            << tenant << QStringLiteral("ALTER TABLE stations ALTER COLUMN code SET NOT NULL;")
            << QStringList { QStringLiteral("set-not-null") };
        QTest::newRow("an index on an existing table")
            << tenant
            << QStringLiteral("CREATE INDEX pumps_label_idx ON pumps USING btree (label);")
            << QStringList { QStringLiteral("index-without-concurrently") };
        QTest::newRow("a unique index, schema-qualified, IF NOT EXISTS")
            << platform
            << QStringLiteral(
                   "CREATE UNIQUE INDEX IF NOT EXISTS plans_name_key ON public.plans (name);")
            << QStringList { QStringLiteral("index-without-concurrently") };
        QTest::newRow("a foreign key that is not deferrable")
            << tenant
            << QStringLiteral("CREATE TABLE nozzles (id uuid PRIMARY KEY,\n"
                              "  pump_id uuid REFERENCES pumps ON DELETE CASCADE);\n"
                              "CREATE INDEX ON nozzles (pump_id);")
            << QStringList { QStringLiteral("fk-not-deferrable") };
        QTest::newRow("NOT DEFERRABLE said out loud")
            << tenant
            << QStringLiteral("CREATE TABLE nozzles (id uuid PRIMARY KEY,\n"
                              "  pump_id uuid REFERENCES pumps (id) NOT DEFERRABLE);\n"
                              "CREATE INDEX ON nozzles (pump_id);")
            << QStringList { QStringLiteral("fk-not-deferrable") };
        QTest::newRow("a foreign key without an index")
            << tenant
            << QStringLiteral("CREATE TABLE nozzles (id uuid PRIMARY KEY,\n"
                              "  pump_id uuid REFERENCES pumps (id) DEFERRABLE);")
            << QStringList { QStringLiteral("fk-without-index") };
        QTest::newRow("an expression or partial index does not cover a key")
            << tenant
            << QStringLiteral("CREATE TABLE nozzles (id uuid PRIMARY KEY,\n"
                              "  pump_id uuid REFERENCES pumps (id) DEFERRABLE);\n"
                              "CREATE INDEX a ON nozzles ((pump_id::text));\n"
                              "CREATE INDEX b ON nozzles (pump_id) WHERE id IS NOT NULL;")
            << QStringList { QStringLiteral("fk-without-index") };
        QTest::newRow("an index on the key's rows that are not NULL covers it")
            << tenant
            << QStringLiteral(
                   "CREATE TABLE nozzles (id uuid PRIMARY KEY,\n"
                   "  pump_id uuid REFERENCES pumps (id) DEFERRABLE);\n"
                   "CREATE INDEX b ON nozzles (pump_id, id) WHERE (pump_id IS NOT NULL);")
            << QStringList {};
        QTest::newRow("a composite key covered by an index in another order, or a primary key")
            << tenant
            << QStringLiteral("CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));\n"
                              "CREATE TABLE b (id int PRIMARY KEY, x int, y int,\n"
                              "  FOREIGN KEY (x, y) REFERENCES a (x, y) DEFERRABLE);\n"
                              "CREATE INDEX b_yx ON b (y, x, id);\n"
                              "CREATE TABLE c (x int, y int, PRIMARY KEY (x, y),\n"
                              "  FOREIGN KEY (x, y) REFERENCES a DEFERRABLE);")
            << QStringList {};
        QTest::newRow("a new CHECK on an existing table")
            << tenant
            << QStringLiteral(
                   "ALTER TABLE pumps ADD CONSTRAINT pumps_capacity_positive CHECK (capacity > 0);")
            << QStringList { QStringLiteral("constraint-without-not-valid") };
        QTest::newRow("NOT VALID, then VALIDATE")
            << tenant
            << QStringLiteral("ALTER TABLE pumps ADD CONSTRAINT c CHECK (capacity > 0) NOT VALID;\n"
                              "ALTER TABLE pumps VALIDATE CONSTRAINT c;")
            << QStringList {};
        QTest::newRow("a new foreign key on an existing table")
            << tenant
            << QStringLiteral(
                   "ALTER TABLE stations ADD COLUMN main_pump uuid;\n"
                   "CREATE INDEX CONCURRENTLY stations_main_pump_idx ON stations (main_pump);\n"
                   "ALTER TABLE stations ADD FOREIGN KEY (main_pump) REFERENCES pumps (id) "
                   "DEFERRABLE;")
            << QStringList { QStringLiteral("concurrently-in-transaction"),
                             QStringLiteral("constraint-without-not-valid") };
        QTest::newRow("a unique constraint on an existing table, and one from an index")
            << tenant
            << QStringLiteral(
                   "ALTER TABLE stations ADD CONSTRAINT stations_code_key UNIQUE (code);\n"
                   "ALTER TABLE pumps ADD CONSTRAINT pumps_label_key UNIQUE USING INDEX "
                   "pumps_label_idx;")
            << QStringList { QStringLiteral("constraint-without-not-valid") };
        QTest::newRow("a column type change")
            << tenant
            << QStringLiteral("ALTER TABLE stations ALTER COLUMN name TYPE varchar(200);\n"
                              "ALTER TABLE ONLY pumps ALTER capacity SET DATA TYPE numeric(12,3) "
                              "USING capacity::numeric(12,3);")
            << QStringList { QStringLiteral("column-type-change"),
                             QStringLiteral("column-type-change") };
        QTest::newRow("drops") << tenant
                               << QStringLiteral(
                                      "ALTER TABLE stations DROP COLUMN IF EXISTS code;\n"
                                      "DROP TABLE IF EXISTS pumps CASCADE;\n"
                                      "DROP SCHEMA legacy CASCADE;")
                               << QStringList { QStringLiteral("drop-column"),
                                                QStringLiteral("drop-schema"),
                                                QStringLiteral("drop-table") };
        QTest::newRow("dropping what the same file created")
            << tenant
            << QStringLiteral("CREATE TABLE scratch (id int PRIMARY KEY, note text);\n"
                              "ALTER TABLE scratch DROP COLUMN note;\n"
                              "DROP TABLE scratch;")
            << QStringList {};
        QTest::newRow("renames") << tenant
                                 << QStringLiteral(
                                        "ALTER TABLE stations RENAME COLUMN code TO site_code;\n"
                                        "ALTER TABLE pumps RENAME TO dispensers;\n"
                                        "ALTER TABLE dispensers RENAME CONSTRAINT a TO b;")
                                 << QStringList { QStringLiteral("rename-column"),
                                                  QStringLiteral("rename-table") };
        QTest::newRow("a table without a primary key")
            << tenant
            << QStringLiteral("CREATE TABLE notes (body text);\n"
                              "CREATE TABLE later (id int, body text);\n"
                              "ALTER TABLE later ADD PRIMARY KEY (id);\n"
                              "CREATE TEMP TABLE t (x int);")
            << QStringList { QStringLiteral("table-without-primary-key") };
        QTest::newRow("transaction control in a wrapped file")
            << tenant
            << QStringLiteral("BEGIN;\nALTER TABLE stations ADD COLUMN region text;\nCOMMIT;")
            << QStringList { QStringLiteral("transaction-control"),
                             QStringLiteral("transaction-control") };
        QTest::newRow("public. in front of a tenant table")
            << tenant
            << QStringLiteral("UPDATE public.stations SET name = upper(name);\n"
                              "SELECT count(*) FROM public.plans;\n"
                              "UPDATE \"public\".\"pumps\" SET label = label;")
            << QStringList { QStringLiteral("public-prefix-in-tenant"),
                             QStringLiteral("public-prefix-in-tenant") };
        QTest::newRow("public. in a function body")
            << tenant
            << QStringLiteral("CREATE FUNCTION station_count() RETURNS bigint LANGUAGE sql AS\n"
                              "$fn$\n  SELECT count(*)\n  FROM public.stations\n$fn$;")
            << QStringList { QStringLiteral("public-prefix-in-tenant") };
        QTest::newRow("strings and comments are not statements")
            << tenant
            << QStringLiteral("-- DROP TABLE pumps;\n"
                              "COMMENT ON TABLE stations IS 'never DROP TABLE pumps; or "
                              "public.stations';\n/* ALTER TABLE stations DROP COLUMN name; */")
            << QStringList {};
        QTest::newRow("quoted names are their own tables")
            << tenant
            << QStringLiteral("CREATE TABLE \"Pumps\" (id int PRIMARY KEY);\n"
                              "CREATE INDEX pumps_lower ON \"Pumps\" (id);\n"
                              "CREATE INDEX pumps_other ON \"pumps\" (label);")
            << QStringList { QStringLiteral("index-without-concurrently") };
    }

    void eachRuleFindsItsStatement()
    {
        QFETCH(QString, scope);
        QFETCH(QString, sql);
        QFETCH(QStringList, rules);
        MigrationDir dir;
        addBase(dir);
        dir.add(QStringLiteral("003"), QStringLiteral("change"), scope, sql,
                QStringLiteral("SELECT 1;"), QStringLiteral("002"));
        const LintReport report = MigrationLinter::lint(dir.load());
        QVERIFY2(rulesOf(report, QStringLiteral("001")).isEmpty(), qPrintable(describe(report)));
        QVERIFY2(rulesOf(report, QStringLiteral("002")).isEmpty(), qPrintable(describe(report)));
        rules.sort();
        QCOMPARE(rulesOf(report, QStringLiteral("003")), rules);
    }

    void findingsPointToTheFileAndLine()
    {
        MigrationDir dir;
        addBase(dir);
        dir.add(QStringLiteral("003"), QStringLiteral("change"), QStringLiteral("tenant"),
                QStringLiteral("ALTER TABLE stations ADD COLUMN a text;\n"
                               "\n"
                               "CREATE INDEX stations_a\n"
                               "    ON stations (a);\n"
                               "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
                               "BEGIN\n"
                               "  DELETE FROM public.pumps;\n"
                               "END $$;"),
                QStringLiteral("SELECT 1;"), QStringLiteral("002"));
        const LintReport report = MigrationLinter::lint(dir.load());
        const int headerLines =
            MigrationDir::header(QStringLiteral("003"), QStringLiteral("tenant")).count(u'\n');
        QCOMPARE(report.findings.size(), 2);
        const LintFinding &index = report.findings.at(0);
        QCOMPARE(index.rule, QStringLiteral("index-without-concurrently"));
        QCOMPARE(index.file, QStringLiteral("migrations/schema/003_change.sql"));
        QCOMPARE(index.line, headerLines + 3);
        QCOMPARE(index.location(),
                 QStringLiteral("migrations/schema/003_change.sql:%1").arg(headerLines + 3));
        QVERIFY(index.message.contains(QStringLiteral("stations_a")));
        QVERIFY(!index.reason.isEmpty() && index.fix.contains(QStringLiteral("CONCURRENTLY")));
        const LintFinding &prefix = report.findings.at(1);
        QCOMPARE(prefix.rule, QStringLiteral("public-prefix-in-tenant"));
        QCOMPARE(prefix.line, headerLines + 7);
        QCOMPARE(report.errors(), 2);
    }

    void aHeaderLineAcknowledgesAFindingWithItsReason()
    {
        MigrationDir dir;
        addBase(dir);
        dir.write(QStringLiteral("schema/003_drop_code.sql"),
                  (MigrationDir::header(
                       QStringLiteral("003"), QStringLiteral("tenant"), QStringLiteral("002"),
                       QStringLiteral("-- lint-ack: drop-column the app stopped reading code in "
                                      "release 2.3"))
                   + QStringLiteral("ALTER TABLE stations DROP COLUMN code;\n"))
                      .toUtf8());
        dir.write(QStringLiteral("rollbacks/003_rollback_drop_code.sql"),
                  "ALTER TABLE stations ADD COLUMN code text;\n");
        const LintReport report = MigrationLinter::lint(dir.load());
        QCOMPARE(report.findings.size(), 1);
        QVERIFY(report.findings.first().acknowledged);
        QCOMPARE(report.findings.first().acknowledgement,
                 QStringLiteral("the app stopped reading code in release 2.3"));
        QCOMPARE(report.errors(), 0);
        QCOMPARE(report.acknowledged(), 1);
        QVERIFY(!report.hasErrors());
    }

    void aBadAcknowledgementIsAFindingItself_data()
    {
        QTest::addColumn<QString>("ack");
        QTest::addColumn<QString>("severity");
        QTest::addColumn<QString>("message");
        QTest::newRow("no such rule")
            << QStringLiteral("drop-colum typo") << QStringLiteral("error")
            << QStringLiteral("names no lint rule");
        QTest::newRow("no reason") << QStringLiteral("drop-column") << QStringLiteral("error")
                                   << QStringLiteral("needs a reason");
        QTest::newRow("nothing to acknowledge")
            << QStringLiteral("rename-table: kept for later") << QStringLiteral("warning")
            << QStringLiteral("acknowledges nothing");
        QTest::newRow("a rule the runner enforces")
            << QStringLiteral("transaction-control because") << QStringLiteral("error")
            << QStringLiteral("cannot be acknowledged");
    }

    void aBadAcknowledgementIsAFindingItself()
    {
        QFETCH(QString, ack);
        QFETCH(QString, severity);
        QFETCH(QString, message);
        MigrationDir dir;
        addBase(dir);
        dir.write(
            QStringLiteral("schema/003_drop_code.sql"),
            (MigrationDir::header(QStringLiteral("003"), QStringLiteral("tenant"),
                                  QStringLiteral("002"), QStringLiteral("-- lint-ack: ") + ack)
             + QStringLiteral("ALTER TABLE stations DROP COLUMN code;\n"))
                .toUtf8());
        dir.write(QStringLiteral("rollbacks/003_rollback_drop_code.sql"), "SELECT 1;\n");
        const LintReport report = MigrationLinter::lint(dir.load());
        const auto ackFinding =
            std::find_if(report.findings.cbegin(), report.findings.cend(),
                         [](const LintFinding &f) { return f.rule == u"acknowledgement"; });
        QVERIFY2(ackFinding != report.findings.cend(), qPrintable(describe(report)));
        QCOMPARE(LintRule::severityName(ackFinding->severity), severity);
        QVERIFY2(ackFinding->message.contains(message), qPrintable(ackFinding->message));
        QCOMPARE(ackFinding->line, 7);
        QVERIFY(report.hasErrors()); // the drop itself stays an error
    }

    void aMigrationWithoutRollbackAndAnIrreversibleOne()
    {
        MigrationDir dir;
        addBase(dir);
        dir.write(QStringLiteral("schema/003_no_rollback.sql"),
                  (MigrationDir::header(QStringLiteral("003"), QStringLiteral("tenant"),
                                        QStringLiteral("002"))
                   + QStringLiteral("ALTER TABLE stations ADD COLUMN region text;\n"))
                      .toUtf8());
        dir.write(QStringLiteral("schema/004_irreversible.sql"),
                  (MigrationDir::header(QStringLiteral("004"), QStringLiteral("tenant"),
                                        QStringLiteral("002"),
                                        QStringLiteral("-- irreversible: merges two columns"))
                   + QStringLiteral("UPDATE stations SET name = name || coalesce(code, '');\n"))
                      .toUtf8());
        const LintReport report = MigrationLinter::lint(dir.load());
        QCOMPARE(rulesOf(report, QStringLiteral("003")),
                 QStringList { QStringLiteral("missing-rollback") });
        QCOMPARE(rulesOf(report, QStringLiteral("004")),
                 QStringList { QStringLiteral("irreversible") });
        QCOMPARE(report.errors(), 1);
        QCOMPARE(report.warnings(), 1);
    }

    void laterFilesSeeWhatEarlierOnesBuilt()
    {
        // 003 adds a table; 004 indexes it: the table now exists, so the index needs CONCURRENTLY.
        MigrationDir dir;
        addBase(dir);
        dir.add(QStringLiteral("003"), QStringLiteral("tanks"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE tanks (id uuid PRIMARY KEY, station_id uuid);"),
                QStringLiteral("DROP TABLE tanks;"), QStringLiteral("002"));
        dir.add(QStringLiteral("004"), QStringLiteral("tank_index"), QStringLiteral("tenant"),
                QStringLiteral("CREATE INDEX tanks_station ON tanks (station_id);\n"
                               "ALTER TABLE tanks ADD CONSTRAINT tanks_station_fk FOREIGN KEY "
                               "(station_id) REFERENCES stations (id) DEFERRABLE NOT VALID;"),
                QStringLiteral("DROP INDEX tanks_station;"), QStringLiteral("003"));
        const LintReport report = MigrationLinter::lint(dir.load());
        QCOMPARE(rulesOf(report, QStringLiteral("003")), QStringList {});
        QCOMPARE(rulesOf(report, QStringLiteral("004")),
                 QStringList { QStringLiteral("index-without-concurrently") });
    }

    void anIndexInALaterMigrationServesAForeignKey()
    {
        // The key in 003, its index built CONCURRENTLY in 004 (the table exists by then).
        MigrationDir dir;
        addBase(dir);
        dir.add(QStringLiteral("003"), QStringLiteral("tanks"), QStringLiteral("tenant"),
                QStringLiteral("CREATE TABLE tanks (id uuid PRIMARY KEY,\n"
                               "  station_id uuid REFERENCES stations (id) DEFERRABLE);"),
                QStringLiteral("DROP TABLE tanks;"), QStringLiteral("002"));
        dir.write(QStringLiteral("schema/004_tank_index.sql"),
                  (MigrationDir::header(QStringLiteral("004"), QStringLiteral("tenant"),
                                        QStringLiteral("003"))
                       .replace(QStringLiteral("per-migration"), QStringLiteral("none"))
                   + QStringLiteral("CREATE INDEX CONCURRENTLY IF NOT EXISTS tanks_station "
                                    "ON tanks (station_id);\n"))
                      .toUtf8());
        dir.write(QStringLiteral("rollbacks/004_rollback_tank_index.sql"),
                  "DROP INDEX IF EXISTS tanks_station;\n");
        LintReport report = MigrationLinter::lint(dir.load());
        QVERIFY2(!report.hasErrors(), qPrintable(describe(report)));

        // Without it, the key's own file is blamed.
        dir.remove(QStringLiteral("schema/004_tank_index.sql"));
        dir.remove(QStringLiteral("rollbacks/004_rollback_tank_index.sql"));
        report = MigrationLinter::lint(dir.load());
        QCOMPARE(rulesOf(report, QStringLiteral("003")),
                 QStringList { QStringLiteral("fk-without-index") });
    }

    void aFileThatManagesItsTransactionsKeepsConcurrentlyOutsideThem()
    {
        MigrationDir dir;
        addBase(dir);
        dir.write(QStringLiteral("schema/003_own_transactions.sql"),
                  (MigrationDir::header(QStringLiteral("003"), QStringLiteral("tenant"),
                                        QStringLiteral("002"))
                       .replace(QStringLiteral("per-migration"), QStringLiteral("none"))
                   + QStringLiteral("BEGIN;\n"
                                    "CREATE INDEX CONCURRENTLY a ON pumps (label);\n"
                                    "COMMIT;\n"
                                    "CREATE INDEX CONCURRENTLY b ON pumps (capacity);\n"))
                      .toUtf8());
        dir.write(QStringLiteral("rollbacks/003_rollback_own_transactions.sql"), "SELECT 1;\n");
        const LintReport report = MigrationLinter::lint(dir.load());
        QCOMPARE(rulesOf(report, QStringLiteral("003")),
                 QStringList { QStringLiteral("concurrently-in-transaction") });
        QCOMPARE(report.forVersion(QStringLiteral("003")).first().line,
                 MigrationDir::header(QStringLiteral("003"), QStringLiteral("tenant")).count(u'\n')
                     + 2);
    }

    void fuelsyncOwnMigrationsPass()
    {
        const MigrationSet set =
            MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY(!set.migrations().isEmpty());
        const LintReport report = MigrationLinter::lint(set);
        QVERIFY2(!report.hasErrors(), qPrintable(describe(report)));
    }
};

QTEST_GUILESS_MAIN(TestMigrationLinter)
#include "tst_migrationlinter.moc"
