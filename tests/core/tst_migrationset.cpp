// The migration files as a whole, and the planner, without a database: every problem of a set is
// reported in one pass, and plans come out in the right order with the right refusals.

#include "MigrationDir.h"
#include "migrate/MigrationPlan.h"
#include "migrate/MigrationScaffold.h"
#include "migrationfiles/MigrationSet.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace fuelsync;

namespace {

using test::MigrationDir;

QString header(const QString &version, const QString &scope, const QString &depends = {},
               const QString &extra = {})
{
    return MigrationDir::header(version, scope, depends, extra);
}

QString allProblems(const MigrationSet &set)
{
    return test::problemsOf(set);
}

bool hasProblem(const MigrationSet &set, const QString &fragment)
{
    return allProblems(set).contains(fragment);
}

AppliedMigration applied(const MigrationFile &file, const QString &checksum = {})
{
    AppliedMigration row;
    row.versionText = file.version.text();
    row.version = file.version;
    row.checksum = checksum.isEmpty() ? file.checksum : checksum;
    row.hasRollbackSql = true;
    return row;
}

SchemaState tenant(const QString &name)
{
    SchemaState state;
    state.schema = name;
    state.exists = true;
    return state;
}

} // namespace

class TestMigrationSet : public QObject
{
    Q_OBJECT

private slots:
    void loadsFuelSyncHubMigrations()
    {
        const MigrationSet set =
            MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        QVERIFY2(set.isValid(), qPrintable(allProblems(set)));
        QVERIFY(set.migrations().size() >= 5);
        QCOMPARE(set.migrations().first().scope, MigrationScope::Public);
        for (const MigrationFile &m : set.migrations()) {
            QVERIFY2(!m.rollbackSql.isEmpty() || !m.isReversible(), qPrintable(m.displayPath));
            QCOMPARE(m.checksum.size(), 64);
            QVERIFY(!m.script.statements().isEmpty());
        }
    }

    void versionsCompareAsNumbers()
    {
        const auto v = [](const char *t) {
            return *MigrationVersion::parse(QLatin1StringView(t));
        };
        QVERIFY(v("9") < v("010"));
        QVERIFY(v("001") == v("1"));
        QVERIFY(v("1.2") < v("1.10"));
        QVERIFY(v("1") < v("1.0"));
        QVERIFY(v("20240101000000") > v("999"));
        QVERIFY(!MigrationVersion::parse(QStringLiteral("1a")));
        QVERIFY(!MigrationVersion::parse(QStringLiteral("")));
        QVERIFY(!MigrationVersion::parse(QStringLiteral("1..2")));
    }

    void reportsEveryProblemOfTheSetTogether()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("base"), QStringLiteral("public"));
        // duplicate version: 002 and 2
        dir.add(QStringLiteral("002"), QStringLiteral("first"), QStringLiteral("tenant"));
        dir.add(QStringLiteral("2"), QStringLiteral("second"), QStringLiteral("tenant"));
        // missing dependency
        dir.add(QStringLiteral("003"), QStringLiteral("needs_ghost"), QStringLiteral("tenant"),
                QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"), QStringLiteral("042"));
        // cycle
        dir.add(QStringLiteral("004"), QStringLiteral("cycle_a"), QStringLiteral("tenant"),
                QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"), QStringLiteral("005"));
        dir.add(QStringLiteral("005"), QStringLiteral("cycle_b"), QStringLiteral("tenant"),
                QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"), QStringLiteral("004"));
        // malformed header: no scope
        dir.write(QStringLiteral("schema/006_no_scope.sql"),
                  "-- version: 006\n-- description: No scope\nSELECT 1;\n");
        dir.write(QStringLiteral("rollbacks/006_rollback_no_scope.sql"), "SELECT 1;\n");
        // missing rollback file
        dir.write(QStringLiteral("schema/007_no_rollback.sql"),
                  header(QStringLiteral("007"), QStringLiteral("tenant")).toUtf8() + "SELECT 1;\n");

        const MigrationSet set = dir.load();
        QVERIFY(!set.isValid());
        const QString problems = allProblems(set);
        QVERIFY2(problems.contains(QStringLiteral("version 2 is used twice")),
                 qPrintable(problems));
        QVERIFY2(problems.contains(QStringLiteral("depends on 042, which does not exist")),
                 qPrintable(problems));
        QVERIFY2(problems.contains(QStringLiteral("dependency cycle: 004 → 005 → 004"))
                     || problems.contains(QStringLiteral("dependency cycle: 005 → 004 → 005")),
                 qPrintable(problems));
        QVERIFY2(
            problems.contains(QStringLiteral("006_no_scope.sql:1: the header has no '-- scope:'")),
            qPrintable(problems));
        QVERIFY2(
            problems.contains(QStringLiteral("007_no_rollback.sql: there is no rollback file")),
            qPrintable(problems));
    }

    void planRefusesAnInvalidSet()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("base"), QStringLiteral("public"),
                QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"), QStringLiteral("009"));
        const MigrationSet set = dir.load();
        const MigrationPlan plan = MigrationPlan::up(set, DatabaseMigrationState(), {});
        QVERIFY(plan.isRefused());
        QVERIFY(!plan.hasWork());
    }

    void headerProblemsPointAtTheirLine_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("version mismatch")
            << QByteArray("-- version: 004\n-- description: x\n-- scope: tenant\nSELECT 1;\n")
            << QStringLiteral(
                   "010_x.sql:1: the header says version 004 but the file name says 010");
        QTest::newRow("bad scope")
            << QByteArray("-- version: 010\n-- description: x\n-- scope: tenants\nSELECT 1;\n")
            << QStringLiteral("010_x.sql:3: scope must be public or tenant, not 'tenants'");
        QTest::newRow("typo in a field name")
            << QByteArray("-- version: 010\n-- description: x\n-- scope: tenant\n-- depend: "
                          "001\nSELECT 1;\n")
            << QStringLiteral(
                   "010_x.sql:4: unknown header field 'depend': did you mean 'depends'?");
        QTest::newRow("bad transaction mode")
            << QByteArray("-- version: 010\n-- description: x\n-- scope: tenant\n-- transaction: "
                          "maybe\nSELECT 1;\n")
            << QStringLiteral("010_x.sql:4: transaction must be per-migration or none");
        QTest::newRow("bad environment")
            << QByteArray("-- version: 010\n-- description: x\n-- scope: tenant\n-- environments: "
                          "prod-eu\nSELECT 1;\n")
            << QStringLiteral("010_x.sql:4: 'prod-eu' is not an environment");
        QTest::newRow("no description")
            << QByteArray("-- version: 010\n-- scope: tenant\nSELECT 1;\n")
            << QStringLiteral("010_x.sql:1: the header has no '-- description:'");
        QTest::newRow("not UTF-8")
            << QByteArray("-- version: 010\n-- description: caf\xe9\n-- scope: tenant\nSELECT 1;\n")
            << QStringLiteral("010_x.sql: the file is not valid UTF-8 text");
        QTest::newRow("unterminated string")
            << QByteArray("-- version: 010\n-- description: x\n-- scope: tenant\n\nSELECT 'oops;\n")
            << QStringLiteral("010_x.sql:5: unterminated quoted string");
        QTest::newRow("psql meta-command")
            << QByteArray("-- version: 010\n-- description: x\n-- scope: tenant\n\\i other.sql\n")
            << QStringLiteral("010_x.sql:4: psql meta-command");
        QTest::newRow("empty migration")
            << QByteArray("-- version: 010\n-- description: x\n-- scope: tenant\n-- nothing yet\n")
            << QStringLiteral("010_x.sql: has no SQL statements yet");
    }

    void headerProblemsPointAtTheirLine()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        MigrationDir dir;
        dir.write(QStringLiteral("schema/010_x.sql"), content);
        dir.write(QStringLiteral("rollbacks/010_rollback_x.sql"), "SELECT 1;\n");
        const MigrationSet set = dir.load();
        QVERIFY2(hasProblem(set, expected), qPrintable(allProblems(set)));
    }

    void transactionControlIsRefusedInWrappedMigrations_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("expected");
        QTest::newRow("BEGIN") << QStringLiteral("BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;")
                               << QStringLiteral(":8: BEGIN inside a migration");
        QTest::newRow("COMMIT") << QStringLiteral("CREATE TABLE t (id int);\nCOMMIT;")
                                << QStringLiteral(":9: COMMIT inside a migration");
        QTest::newRow("START TRANSACTION") << QStringLiteral("START TRANSACTION;")
                                           << QStringLiteral(":8: START TRANSACTION inside");
        QTest::newRow("CREATE INDEX CONCURRENTLY")
            << QStringLiteral("CREATE INDEX CONCURRENTLY i ON t (id);")
            << QStringLiteral(
                   ":8: CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
        QTest::newRow("VACUUM") << QStringLiteral("VACUUM t;")
                                << QStringLiteral(":8: VACUUM cannot run");
    }

    void transactionControlIsRefusedInWrappedMigrations()
    {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("x"), QStringLiteral("public"), sql);
        const MigrationSet set = dir.load();
        QVERIFY2(hasProblem(set, expected), qPrintable(allProblems(set)));
    }

    void statementsThatNeedNoTransactionAreFineWithTransactionNone()
    {
        MigrationDir dir;
        dir.write(QStringLiteral("schema/001_index.sql"),
                  "-- version: 001\n-- description: index\n-- scope: tenant\n"
                  "-- transaction: none\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (id);\n");
        dir.write(QStringLiteral("rollbacks/001_rollback_index.sql"),
                  "DROP INDEX CONCURRENTLY IF EXISTS i;\n");
        const MigrationSet set = dir.load();
        QVERIFY2(set.isValid(), qPrintable(allProblems(set)));
        QCOMPARE(set.migrations().first().transaction, TransactionMode::None);
    }

    void savepointsAndRollbackToSavepointAreAllowed()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("x"), QStringLiteral("public"),
                QStringLiteral("SAVEPOINT a; ROLLBACK TO SAVEPOINT a; RELEASE a;"));
        QVERIFY2(dir.load().isValid(), qPrintable(allProblems(dir.load())));
    }

    // Issue 15, item 9: two files of one version (006 twice, or 05 beside 005), each with its
    // rollback file, are reported as the duplicate they are, and nothing else.
    void aDuplicateVersionIsReportedAlone_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::newRow("006 twice") << QStringLiteral("006") << QStringLiteral("006");
        QTest::newRow("05 beside 005") << QStringLiteral("005") << QStringLiteral("05");
    }

    void aDuplicateVersionIsReportedAlone()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("base"), QStringLiteral("public"));
        dir.add(first, QStringLiteral("dup_one"), QStringLiteral("tenant"));
        dir.add(second, QStringLiteral("dup_two"), QStringLiteral("tenant"));
        const MigrationSet set = dir.load();
        QCOMPARE(set.problems().size(), 1);
        QVERIFY2(set.problems().first().message.contains(QStringLiteral("is used twice")),
                 qPrintable(allProblems(set)));
    }

    void rollbackFilesAreMatchedByVersion()
    {
        MigrationDir dir;
        // The seed's own naming: 003_add_inventory_system -> 003_rollback_inventory_system.
        dir.write(QStringLiteral("schema/003_add_inventory_system.sql"),
                  header(QStringLiteral("003"), QStringLiteral("tenant")).toUtf8() + "SELECT 1;\n");
        dir.write(QStringLiteral("rollbacks/003_rollback_inventory_system.sql"), "SELECT 3;\n");
        const MigrationSet set = dir.load();
        QVERIFY2(set.isValid(), qPrintable(allProblems(set)));
        QCOMPARE(set.migrations().first().rollbackSql, QStringLiteral("SELECT 3;\n"));
    }

    void rollbackProblemsAreReported_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("expected");
        QTest::newRow("orphan")
            << QStringLiteral("orphan")
            << QStringLiteral("there is no migration 009 in schema/ for this rollback file");
        QTest::newRow("two files")
            << QStringLiteral("two") << QStringLiteral("version 001 has two rollback files");
        QTest::newRow("irreversible and rollback")
            << QStringLiteral("irreversible")
            << QStringLiteral("says it is irreversible, yet this rollback file exists");
        QTest::newRow("empty rollback")
            << QStringLiteral("empty")
            << QStringLiteral("has no SQL statements: write the SQL that undoes migration 001");
    }

    void rollbackProblemsAreReported()
    {
        QFETCH(QString, setup);
        QFETCH(QString, expected);
        MigrationDir dir;
        if (setup == u"irreversible") {
            dir.write(QStringLiteral("schema/001_x.sql"),
                      header(QStringLiteral("001"), QStringLiteral("public"), {},
                             QStringLiteral("-- irreversible: drops data"))
                              .toUtf8()
                          + "SELECT 1;\n");
            dir.write(QStringLiteral("rollbacks/001_rollback_x.sql"), "SELECT 1;\n");
        } else {
            dir.add(QStringLiteral("001"), QStringLiteral("x"), QStringLiteral("public"));
        }
        if (setup == u"orphan")
            dir.write(QStringLiteral("rollbacks/009_rollback_ghost.sql"), "SELECT 1;\n");
        if (setup == u"two")
            dir.write(QStringLiteral("rollbacks/001_rollback_other.sql"), "SELECT 1;\n");
        if (setup == u"empty")
            dir.write(QStringLiteral("rollbacks/001_rollback_x.sql"), "-- to do\n");
        const MigrationSet set = dir.load();
        QVERIFY2(hasProblem(set, expected), qPrintable(allProblems(set)));
    }

    void irreversibleMigrationNeedsNoRollbackFile()
    {
        MigrationDir dir;
        dir.write(QStringLiteral("schema/001_x.sql"),
                  header(QStringLiteral("001"), QStringLiteral("public"), {},
                         QStringLiteral("-- irreversible: drops the legacy column"))
                          .toUtf8()
                      + "SELECT 1;\n");
        const MigrationSet set = dir.load();
        QVERIFY2(set.isValid(), qPrintable(allProblems(set)));
        QCOMPARE(set.migrations().first().irreversibleReason,
                 QStringLiteral("drops the legacy column"));
    }

    void checksumIsSha256OfTheFileWithCrLfReadAsLf()
    {
        const QByteArray unix = "-- version: 1\nSELECT 1;\n";
        const QByteArray windows = "-- version: 1\r\nSELECT 1;\r\n";
        QCOMPARE(MigrationSet::checksumOf(unix), MigrationSet::checksumOf(windows));
        QCOMPARE(MigrationSet::checksumOf(unix),
                 QString::fromLatin1(
                     QCryptographicHash::hash(unix, QCryptographicHash::Sha256).toHex()));
        QVERIFY(MigrationSet::checksumOf(unix)
                != MigrationSet::checksumOf("-- version: 1\nSELECT 2;\n"));
    }

    void lintAcknowledgementsInTheHeaderLeaveTheChecksumAlone()
    {
        const QByteArray plain = "-- version: 1\n-- scope: tenant\n\nDROP TABLE x;\n";
        const QByteArray acknowledged = "-- version: 1\n-- lint-ack: drop-table replaced by y\n"
                                        "-- scope: tenant\n--lint-ack : drop-table again\n\n"
                                        "DROP TABLE x;\n";
        QCOMPARE(MigrationSet::checksumOf(acknowledged), MigrationSet::checksumOf(plain));
        // Below the header it is an ordinary comment, and every other header line counts.
        QVERIFY(MigrationSet::checksumOf(plain + "-- lint-ack: drop-table\n")
                != MigrationSet::checksumOf(plain));
        QVERIFY(MigrationSet::checksumOf("-- version: 1\n-- scope: public\n\nDROP TABLE x;\n")
                != MigrationSet::checksumOf(plain));
    }

    void lintAcknowledgementsAreRead()
    {
        MigrationDir dir;
        dir.write(QStringLiteral("schema/001_x.sql"),
                  header(QStringLiteral("001"), QStringLiteral("public"), {},
                         QStringLiteral("-- lint-ack: drop-table: replaced by y\n"
                                        "-- lint-ack: rename-column \u2014 the app reads both"))
                          .toUtf8()
                      + "DROP TABLE x;\n");
        dir.write(QStringLiteral("rollbacks/001_rollback_x.sql"), "SELECT 1;\n");
        const MigrationSet set = dir.load();
        QVERIFY2(set.isValid(), qPrintable(allProblems(set)));
        const auto &acks = set.migrations().first().lintAcknowledgements;
        QCOMPARE(acks.size(), 2);
        QCOMPARE(acks.at(0).rule, QStringLiteral("drop-table"));
        QCOMPARE(acks.at(0).reason, QStringLiteral("replaced by y"));
        QCOMPARE(acks.at(0).line, 7);
        QCOMPARE(acks.at(1).rule, QStringLiteral("rename-column"));
        QCOMPARE(acks.at(1).reason, QStringLiteral("the app reads both"));
    }

    void phasesFollowScopesAndDependencies()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("public"));
        dir.add(QStringLiteral("002"), QStringLiteral("b"), QStringLiteral("tenant"),
                QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"), QStringLiteral("001"));
        dir.add(QStringLiteral("003"), QStringLiteral("c"), QStringLiteral("tenant"));
        dir.add(QStringLiteral("004"), QStringLiteral("d"), QStringLiteral("public"),
                QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"), QStringLiteral("002"));
        dir.add(QStringLiteral("005"), QStringLiteral("e"), QStringLiteral("public"));
        dir.add(QStringLiteral("006"), QStringLiteral("f"), QStringLiteral("tenant"));
        const MigrationSet set = dir.load();
        QVERIFY2(set.isValid(), qPrintable(allProblems(set)));
        const auto phases = MigrationPlan::phaseNumbers(set);
        // Version order throughout: public, then tenants, then the public migrations numbered
        // after them (which wait until every tenant has 002 and 003), then the last tenant one.
        QCOMPARE(phases.value(QStringLiteral("1")), 0);
        QCOMPARE(phases.value(QStringLiteral("2")), 1);
        QCOMPARE(phases.value(QStringLiteral("3")), 1);
        QCOMPARE(phases.value(QStringLiteral("4")), 2);
        QCOMPARE(phases.value(QStringLiteral("5")), 2);
        QCOMPARE(phases.value(QStringLiteral("6")), 3);
    }

    void planAppliesPublicFirstThenEachTenantsPendingMigrations()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("public"));
        dir.add(QStringLiteral("002"), QStringLiteral("b"), QStringLiteral("tenant"),
                QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"), QStringLiteral("001"));
        dir.add(QStringLiteral("003"), QStringLiteral("c"), QStringLiteral("tenant"));
        const MigrationSet set = dir.load();
        DatabaseMigrationState state;
        state.hasTenantRegistry = true;
        SchemaState ahead = tenant(QStringLiteral("tenant_a"));
        ahead.applied.insert(QStringLiteral("2"), applied(set.migrations().at(1)));
        state.tenants = { ahead, tenant(QStringLiteral("tenant_b")) };

        const MigrationPlan plan = MigrationPlan::up(set, state, {});
        QVERIFY(!plan.isRefused());
        QCOMPARE(plan.phases().size(), 2);
        QCOMPARE(plan.phases().at(0).scope, MigrationScope::Public);
        QCOMPARE(plan.phases().at(0).work.first().migrations.size(), 1);
        const PlanPhase &tenants = plan.phases().at(1);
        QCOMPARE(tenants.work.size(), 2);
        QCOMPARE(tenants.work.at(0).schema, QStringLiteral("tenant_a"));
        QCOMPARE(tenants.work.at(0).migrations.size(), 1); // only 003
        QCOMPARE(tenants.work.at(1).migrations.size(), 2); // 002 and 003
        QCOMPARE(
            plan.versions(),
            QStringList({ QStringLiteral("001"), QStringLiteral("002"), QStringLiteral("003") }));

        MigrationPlanOptions upTo2;
        upTo2.target = MigrationVersion::parse(QStringLiteral("2"));
        QCOMPARE(MigrationPlan::up(set, state, upTo2).versions(),
                 QStringList({ QStringLiteral("001"), QStringLiteral("002") }));
    }

    void planRefusesAChangedAppliedFileNamingBothChecksums()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("public"));
        const MigrationSet set = dir.load();
        DatabaseMigrationState state;
        const QString old(64, u'a');
        state.publicSchema.schema = QStringLiteral("public");
        state.publicSchema.applied.insert(QStringLiteral("1"),
                                          applied(set.migrations().first(), old));
        const MigrationPlan plan = MigrationPlan::up(set, state, {});
        QVERIFY(plan.isRefused());
        const QString text = plan.refusals().first().text();
        QVERIFY2(text.contains(QStringLiteral("001_a.sql")), qPrintable(text));
        QVERIFY2(text.contains(old), qPrintable(text));
        QVERIFY2(text.contains(set.migrations().first().checksum), qPrintable(text));
    }

    void planRefusesPendingMigrationsOlderThanAppliedOnes()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("tenant"));
        dir.add(QStringLiteral("002"), QStringLiteral("b"), QStringLiteral("tenant"));
        const MigrationSet set = dir.load();
        DatabaseMigrationState state;
        SchemaState t = tenant(QStringLiteral("tenant_a"));
        t.applied.insert(QStringLiteral("2"), applied(set.migrations().at(1)));
        state.tenants = { t };
        const MigrationPlan plan = MigrationPlan::up(set, state, {});
        QVERIFY(plan.isRefused());
        QVERIFY(plan.refusals().first().message.contains(QStringLiteral("out of order")));
    }

    void planRefusesAppliedVersionsWithoutFiles()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("public"));
        const MigrationSet set = dir.load();
        DatabaseMigrationState state;
        AppliedMigration ghost;
        ghost.versionText = QStringLiteral("007");
        ghost.version = MigrationVersion::parse(ghost.versionText);
        state.publicSchema.applied.insert(QStringLiteral("7"), ghost);
        const MigrationPlan plan = MigrationPlan::up(set, state, {});
        QVERIFY(plan.isRefused());
        QVERIFY(
            plan.refusals().first().message.contains(QStringLiteral("no migration file for it")));
    }

    void planSkipsMigrationsMeantForOtherEnvironments()
    {
        MigrationDir dir;
        dir.write(QStringLiteral("schema/001_demo.sql"),
                  "-- version: 001\n-- description: Demo data\n-- scope: public\n"
                  "-- environments: development\nSELECT 1;\n");
        dir.write(QStringLiteral("rollbacks/001_rollback_demo.sql"), "SELECT 1;\n");
        const MigrationSet set = dir.load();
        MigrationPlanOptions production;
        production.environment = DeploymentEnvironment::Production;
        const MigrationPlan plan = MigrationPlan::up(set, DatabaseMigrationState(), production);
        QVERIFY(!plan.hasWork());
        QVERIFY(plan.notes().first().contains(QStringLiteral("development only")));
        QVERIFY(MigrationPlan::up(set, DatabaseMigrationState(), {}).hasWork());
    }

    void planDownRollsBackTheNewestOrEverythingAboveTheTarget()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("public"));
        dir.add(QStringLiteral("002"), QStringLiteral("b"), QStringLiteral("tenant"));
        dir.add(QStringLiteral("003"), QStringLiteral("c"), QStringLiteral("tenant"));
        const MigrationSet set = dir.load();
        DatabaseMigrationState state;
        state.publicSchema.schema = QStringLiteral("public");
        state.publicSchema.applied.insert(QStringLiteral("1"), applied(set.migrations().at(0)));
        SchemaState t = tenant(QStringLiteral("tenant_a"));
        t.applied.insert(QStringLiteral("2"), applied(set.migrations().at(1)));
        t.applied.insert(QStringLiteral("3"), applied(set.migrations().at(2)));
        state.tenants = { t };

        const MigrationPlan newest = MigrationPlan::down(set, state, {});
        QCOMPARE(newest.versions(), QStringList({ QStringLiteral("003") }));

        MigrationPlanOptions toNothing;
        toNothing.target = MigrationVersion::parse(QStringLiteral("0"));
        const MigrationPlan all = MigrationPlan::down(set, state, toNothing);
        QCOMPARE(
            all.versions(),
            QStringList({ QStringLiteral("003"), QStringLiteral("002"), QStringLiteral("001") }));
        QCOMPARE(all.phases().size(), 2);
        QCOMPARE(all.phases().first().scope, MigrationScope::Tenant);

        MigrationPlanOptions keep2;
        keep2.target = MigrationVersion::parse(QStringLiteral("002"));
        QCOMPARE(MigrationPlan::down(set, state, keep2).versions(),
                 QStringList({ QStringLiteral("003") }));
    }

    void planDownRefusesWhatWasAppliedWithoutRollbackSql()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("public"));
        const MigrationSet set = dir.load();
        DatabaseMigrationState state;
        AppliedMigration row = applied(set.migrations().first());
        row.hasRollbackSql = false;
        state.publicSchema.schema = QStringLiteral("public");
        state.publicSchema.applied.insert(QStringLiteral("1"), row);
        const MigrationPlan plan = MigrationPlan::down(set, state, {});
        QVERIFY(plan.isRefused());
        QVERIFY(plan.refusals().first().message.contains(QStringLiteral("without rollback SQL")));
    }

    void createWritesTheNextNumberedFilesWithHeaders()
    {
        MigrationDir dir;
        dir.add(QStringLiteral("001"), QStringLiteral("a"), QStringLiteral("public"));
        dir.add(QStringLiteral("002"), QStringLiteral("b"), QStringLiteral("tenant"));
        const auto created = MigrationScaffold::create(
            dir.path(), QStringLiteral("Add opening date!"), MigrationScope::Tenant);
        QCOMPARE(created.version, QStringLiteral("003"));
        QVERIFY(created.schemaFile.endsWith(QStringLiteral("schema/003_add_opening_date.sql")));
        QVERIFY(created.rollbackFile.endsWith(
            QStringLiteral("rollbacks/003_rollback_add_opening_date.sql")));
        QFile file(created.schemaFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.startsWith(
            QStringLiteral("-- version: 003\n-- description: Add opening date\n"
                           "-- scope: tenant\n-- depends: 002\n"
                           "-- transaction: per-migration\n-- environments: all\n")));
        // Freshly created files hold no SQL yet: the set refuses to run them until written.
        const MigrationSet set = dir.load();
        QVERIFY(
            hasProblem(set, QStringLiteral("003_add_opening_date.sql: has no SQL statements yet")));
        QVERIFY_THROWS_EXCEPTION(
            std::exception,
            MigrationScaffold::create(dir.path(), QStringLiteral("!!!"), MigrationScope::Tenant));
    }
};

QTEST_GUILESS_MAIN(TestMigrationSet)
#include "tst_migrationset.moc"
