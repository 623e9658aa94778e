// Approvals against a real server: the server stamps who and when, rows never change, only
// members of the release managers' role may approve, a file that cannot run is never approved,
// and a production run applies only what is approved as the files are now.

#include "MigrationDir.h"
#include "TestDatabase.h"
#include "approve/ApprovalStore.h"
#include "common/RequestError.h"
#include "db/DbError.h"
#include "migrate/MigrationRunner.h"
#include "migrate/MigrationStatus.h"

#include <QCoreApplication>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

// Lint-clean: 001 (public) tenants, 002 (tenant) stations.
void writeCleanSet(const MigrationDir &dir)
{
    dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
            QStringLiteral("CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL,\n"
                           "  schema_name text NOT NULL UNIQUE);"),
            QStringLiteral("DROP TABLE tenants;"));
    dir.add(QStringLiteral("002"), QStringLiteral("stations"), QStringLiteral("tenant"),
            QStringLiteral("CREATE TABLE stations (id serial PRIMARY KEY, name text NOT NULL);"),
            QStringLiteral("DROP TABLE stations;"), QStringLiteral("001"));
}

int approvalCount(DbConnection &c)
{
    if (!ApprovalStore::exists(c))
        return 0;
    return c.scalar(QStringLiteral("SELECT count(*) FROM public.migration_approvals")).toInt();
}

// The message of the RequestError `approve` throws, or empty when it approved.
QString approveError(DbConnection &c, const MigrationSet &set, const QString &version)
{
    try {
        ApprovalStore::approve(c, set, version, QStringLiteral("development"), QString());
        return {};
    } catch (const RequestError &e) {
        return e.message();
    }
}

QString uniqueRole(const char *name)
{
    return QStringLiteral("appr_%1_%2")
        .arg(QLatin1StringView(name))
        .arg(QCoreApplication::applicationPid());
}

MigrationRunReport runUp(const TestDatabase &db, const MigrationSet &set, bool dryRun = false)
{
    MigrationRunOptions options;
    options.runner = QStringLiteral("tst_approvals");
    options.dryRun = dryRun;
    options.jobs = 2;
    MigrationRunner runner(db.settings(), set, options);
    return runner.run(unwatched());
}

QString refusalsOf(const MigrationRunReport &report)
{
    QStringList lines;
    for (const MigrationProblem &p : report.refusals)
        lines.append(p.text());
    return lines.join(u'\n') + report.error;
}

bool tableExists(DbConnection &c, const QString &name)
{
    return c.scalar(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"), { name }).toBool();
}

} // namespace

class TestApprovals : public QObject
{
    Q_OBJECT

private slots:
    void theServerStampsWhoAndWhenAndRowsNeverChange()
    {
        TestDatabase db(QStringLiteral("approvals_stamp"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        const MigrationSet set = dir.load();
        auto c = db.connect();
        const MigrationApproval approval = ApprovalStore::approve(
            *c, set, QStringLiteral("2"), QStringLiteral("staging"), QStringLiteral("looks right"));
        QCOMPARE(approval.version, QStringLiteral("002"));
        QCOMPARE(approval.checksum, set.migrations().at(1).checksum);
        QCOMPARE(approval.approvedBy, db.settings().user());
        QCOMPARE(approval.environment, QStringLiteral("staging"));
        QCOMPARE(approval.comment, QStringLiteral("looks right"));
        QVERIFY(qAbs(approval.approvedAt.secsTo(QDateTime::currentDateTime())) < 60);

        // A forged approver or time is replaced by the server's.
        const QVariant stamped = c->scalar(QStringLiteral(
            "INSERT INTO public.migration_approvals (version, checksum, environment) "
            "OVERRIDING SYSTEM VALUE SELECT '001', repeat('a', 64), 'production' RETURNING "
            "approved_by"));
        QCOMPARE(stamped.toString(), db.settings().user());
        for (const QString &change :
             { QStringLiteral("UPDATE public.migration_approvals SET approved_by = 'mallory'"),
               QStringLiteral("DELETE FROM public.migration_approvals") }) {
            try {
                c->exec(change);
                QFAIL(qPrintable(change + QStringLiteral(" was allowed")));
            } catch (const DbError &e) {
                QVERIFY2(e.message().contains(QStringLiteral("never changed or deleted")),
                         qPrintable(e.text()));
            }
        }
        QCOMPARE(approvalCount(*c), 2);
        QCOMPARE(ApprovalStore::readAll(*c).first().approvedBy, db.settings().user());
    }

    void onlyMembersOfTheReleaseManagersRoleMayApprove()
    {
        TestDatabase db(QStringLiteral("approvals_roles"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        const MigrationSet set = dir.load();
        auto admin = db.connect();
        ApprovalStore::ensure(*admin);
        const QString alice = uniqueRole("alice");
        const QString bob = uniqueRole("bob");
        for (const QString &role : { alice, bob }) {
            admin->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
            admin->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'pw-%1'").arg(role));
        }
        admin->exec(QStringLiteral("GRANT fuelsync_release_managers TO %1").arg(alice));

        {
            auto asBob = DbConnection::open(db.tcpSettings(bob, QStringLiteral("pw-") + bob),
                                            QStringLiteral("bob"));
            const QString error = approveError(*asBob, set, QStringLiteral("001"));
            QVERIFY2(error.contains(QStringLiteral("%1 may not approve migrations").arg(bob)),
                     qPrintable(error));
            QVERIFY2(
                error.contains(QStringLiteral("roles grant %1 --as=release-manager").arg(bob)),
                qPrintable(error));
            QCOMPARE(approvalCount(*admin), 0);
        }
        {
            auto asAlice = DbConnection::open(db.tcpSettings(alice, QStringLiteral("pw-") + alice),
                                              QStringLiteral("alice"));
            const MigrationApproval approval = ApprovalStore::approve(
                *asAlice, set, QStringLiteral("001"), QStringLiteral("production"), QString());
            QCOMPARE(approval.approvedBy, alice);
            // Alice may add, not take away.
            try {
                asAlice->exec(QStringLiteral("DELETE FROM public.migration_approvals"));
                QFAIL("a release manager deleted an approval");
            } catch (const DbError &e) {
                QCOMPARE(e.sqlState(), QStringLiteral("42501"));
            }
        }
        QCOMPARE(approvalCount(*admin), 1);
        for (const QString &role : { alice, bob })
            admin->exec(QStringLiteral("DROP ROLE %1").arg(role));
    }

    void aFileThatCannotRunIsNeverApproved()
    {
        TestDatabase db(QStringLiteral("approvals_refused"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        dir.add(QStringLiteral("003"), QStringLiteral("drop_name"), QStringLiteral("tenant"),
                QStringLiteral("ALTER TABLE stations DROP COLUMN name;"),
                QStringLiteral("ALTER TABLE stations ADD COLUMN name text;"),
                QStringLiteral("002"));
        dir.write(QStringLiteral("schema/004_wrapped.sql"),
                  (MigrationDir::header(QStringLiteral("004"), QStringLiteral("tenant"),
                                        QStringLiteral("002"))
                   + QStringLiteral("BEGIN;\nSELECT 1;\nCOMMIT;\n"))
                      .toUtf8());
        dir.write(QStringLiteral("rollbacks/004_rollback_wrapped.sql"), "SELECT 1;\n");
        const MigrationSet set = dir.load();
        auto c = db.connect();

        QString error = approveError(*c, set, QStringLiteral("042"));
        QVERIFY2(error.contains(QStringLiteral("there is no migration 042")), qPrintable(error));
        error = approveError(*c, set, QStringLiteral("003"));
        QVERIFY2(error.contains(QStringLiteral("lint errors that are not acknowledged")),
                 qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("[drop-column]")), qPrintable(error));
        error = approveError(*c, set, QStringLiteral("004"));
        QVERIFY2(error.contains(QStringLiteral("problems the runner refuses")), qPrintable(error));
        QCOMPARE(approvalCount(*c), 0);

        QVERIFY(approveError(*c, set, QStringLiteral("001")).isEmpty());
        error = approveError(*c, set, QStringLiteral("001"));
        QVERIFY2(error.contains(QStringLiteral("already approved migration 001")),
                 qPrintable(error));
        QCOMPARE(approvalCount(*c), 1);
    }

    void productionRunsOnlyWhatIsApprovedAsItIsNow()
    {
        TestDatabase db(QStringLiteral("approvals_production"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        auto c = db.connect();
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(db.name()));

        // Nothing approved: refused, nothing changed; a dry run needs no approval.
        MigrationRunReport report = runUp(db, dir.load());
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QVERIFY2(refusalsOf(report).contains(
                     QStringLiteral("migration 001 is not approved for production")),
                 qPrintable(refusalsOf(report)));
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));
        report = runUp(db, dir.load(), /*dryRun=*/true);
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(refusalsOf(report)));
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));

        // 001 approved: public is migrated (002 has no tenant to run in yet).
        ApprovalStore::approve(*c, dir.load(), QStringLiteral("001"), QStringLiteral("production"),
                               QString());
        report = runUp(db, dir.load());
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(refusalsOf(report)));
        QVERIFY(tableExists(*c, QStringLiteral("public.tenants")));

        // A tenant arrives: 002 would run in it, and is not approved.
        c->exec(QStringLiteral("INSERT INTO public.tenants (name, schema_name) VALUES "
                               "('North Fuels', 'north_fuels')"));
        c->exec(QStringLiteral("CREATE SCHEMA north_fuels"));
        report = runUp(db, dir.load());
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QVERIFY2(refusalsOf(report).contains(QStringLiteral("migration 002 is not approved")),
                 qPrintable(refusalsOf(report)));
        QVERIFY(!refusalsOf(report).contains(QStringLiteral("migration 001")));
        QVERIFY(!tableExists(*c, QStringLiteral("north_fuels.stations")));

        ApprovalStore::approve(*c, dir.load(), QStringLiteral("002"), QStringLiteral("production"),
                               QString());
        report = runUp(db, dir.load());
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(refusalsOf(report)));
        QVERIFY(tableExists(*c, QStringLiteral("north_fuels.stations")));

        // 003 approved, then its file changed: the approval is void.
        dir.add(QStringLiteral("003"), QStringLiteral("region"), QStringLiteral("public"),
                QStringLiteral("ALTER TABLE tenants ADD COLUMN region text;"),
                QStringLiteral("ALTER TABLE tenants DROP COLUMN region;"), QStringLiteral("001"));
        ApprovalStore::approve(*c, dir.load(), QStringLiteral("003"), QStringLiteral("production"),
                               QString());
        dir.add(QStringLiteral("003"), QStringLiteral("region"), QStringLiteral("public"),
                QStringLiteral("ALTER TABLE tenants ADD COLUMN region text DEFAULT 'south';"),
                QStringLiteral("ALTER TABLE tenants DROP COLUMN region;"), QStringLiteral("001"));
        report = runUp(db, dir.load());
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QVERIFY2(
            refusalsOf(report).contains(QStringLiteral("migration 003 changed after %1 approved it")
                                            .arg(db.settings().user())),
            qPrintable(refusalsOf(report)));
        QVERIFY(
            !c->scalar(QStringLiteral("SELECT count(*) FROM information_schema.columns "
                                      "WHERE table_name = 'tenants' AND column_name = 'region'"))
                 .toBool());
        const MigrationStatus status =
            MigrationStatus::read(*c, dir.load(), {}, DeploymentEnvironment::Production);
        QVERIFY(status.versions.at(0).approval.has_value());
        QVERIFY(!status.versions.at(2).approval.has_value());
        QVERIFY(status.versions.at(2).voidedApproval.has_value());

        // A development database runs without approvals.
        TestDatabase dev(QStringLiteral("approvals_development"));
        QVERIFY(dev.isValid());
        report = runUp(dev, dir.load());
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(refusalsOf(report)));
    }

    void theGrantIsTheGateEvenWithInsertRights()
    {
        // A role that may INSERT (as the table's owner may) but is not a release manager.
        TestDatabase db(QStringLiteral("approvals_gate"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        auto admin = db.connect();
        ApprovalStore::ensure(*admin);
        const QString carol = uniqueRole("carol");
        admin->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(carol));
        admin->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'pw-%1'").arg(carol));
        admin->exec(QStringLiteral("GRANT INSERT ON public.migration_approvals TO %1").arg(carol));
        {
            auto asCarol = DbConnection::open(db.tcpSettings(carol, QStringLiteral("pw-") + carol),
                                              QStringLiteral("carol"));
            const QString error = approveError(*asCarol, dir.load(), QStringLiteral("001"));
            QVERIFY2(error.contains(QStringLiteral("may not approve migrations")),
                     qPrintable(error));
        }
        QCOMPARE(approvalCount(*admin), 0);
        admin->exec(QStringLiteral("DROP OWNED BY %1").arg(carol));
        admin->exec(QStringLiteral("DROP ROLE %1").arg(carol));
    }

    void anApprovalsTableSomeoneElseMadeIsNotTrusted()
    {
        TestDatabase db(QStringLiteral("approvals_forged"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        const MigrationSet set = dir.load();
        auto c = db.connect();
        const QString mallory = uniqueRole("mallory");
        c->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(mallory));
        c->exec(QStringLiteral("CREATE ROLE %1").arg(mallory));
        c->exec(QStringLiteral("CREATE TABLE public.migration_approvals (id bigint, version text, "
                               "checksum text, approved_by text, approved_at timestamptz, "
                               "environment text, comment text)"));
        c->exec(QStringLiteral("ALTER TABLE public.migration_approvals OWNER TO %1").arg(mallory));
        c->exec(QStringLiteral("INSERT INTO public.migration_approvals VALUES (1, '001', ?, "
                               "'release', now(), 'production', '')"),
                { set.migrations().first().checksum });
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(db.name()));
        const MigrationRunReport report = runUp(db, set);
        QVERIFY(report.result != MigrationRunReport::Result::Succeeded);
        QVERIFY2(refusalsOf(report).contains(QStringLiteral("not the table fuelsync-db keeps")),
                 qPrintable(refusalsOf(report)));
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));
        c->exec(QStringLiteral("DROP TABLE public.migration_approvals"));
        c->exec(QStringLiteral("DROP ROLE %1").arg(mallory));
    }

    void aConnectionCannotTalkItsWayOutOfProduction()
    {
        TestDatabase db(QStringLiteral("approvals_override"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        auto c = db.connect();
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(db.name()));
        ConnectionSettings sneaky;
        QString error;
        QVERIFY2(
            ConnectionSettings::parse(
                db.conninfo() + QStringLiteral(" options='-c fuelsync.environment=development'"),
                &sneaky, &error),
            qPrintable(error));
        MigrationRunOptions options;
        options.runner = QStringLiteral("tst_approvals");
        const MigrationRunReport report =
            MigrationRunner(sneaky, dir.load(), options).run(unwatched());
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QVERIFY(report.environment.startsWith(QStringLiteral("production")));
        QVERIFY(!tableExists(*c, QStringLiteral("public.tenants")));
    }

    void aNewTenantCatchesUpOnWhatProductionAlreadyRan()
    {
        // Migrated before approvals were kept, then declared production: a new tenant gets the
        // same files without anyone approving them again; a new file still needs approving.
        TestDatabase db(QStringLiteral("approvals_catch_up"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        MigrationDir dir;
        writeCleanSet(dir);
        auto c = db.connect();
        QCOMPARE(runUp(db, dir.load()).result, MigrationRunReport::Result::Succeeded);
        c->exec(
            QStringLiteral("INSERT INTO public.tenants (name, schema_name) VALUES ('N', 'north')"));
        c->exec(QStringLiteral("CREATE SCHEMA north"));
        QCOMPARE(runUp(db, dir.load()).result, MigrationRunReport::Result::Succeeded);
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(db.name()));
        c->exec(
            QStringLiteral("INSERT INTO public.tenants (name, schema_name) VALUES ('S', 'south')"));
        c->exec(QStringLiteral("CREATE SCHEMA south"));
        MigrationRunReport report = runUp(db, dir.load());
        QVERIFY2(report.result == MigrationRunReport::Result::Succeeded,
                 qPrintable(refusalsOf(report)));
        QVERIFY(tableExists(*c, QStringLiteral("south.stations")));

        dir.add(QStringLiteral("003"), QStringLiteral("region"), QStringLiteral("tenant"),
                QStringLiteral("ALTER TABLE stations ADD COLUMN region text;"),
                QStringLiteral("ALTER TABLE stations DROP COLUMN region;"), QStringLiteral("002"));
        report = runUp(db, dir.load());
        QCOMPARE(report.result, MigrationRunReport::Result::Refused);
        QVERIFY(refusalsOf(report).contains(QStringLiteral("migration 003 is not approved")));
    }
};

QTEST_GUILESS_MAIN(TestApprovals)
#include "tst_approvals.moc"
