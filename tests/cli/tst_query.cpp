// The support desk from the command line: `query` runs SQL read-only (the server refuses what
// writes, for a login that may write too), once per tenant with --all-tenants or --tenant (a
// tenant behind in version is listed with its version and the others answer), prints table, CSV
// (PostgreSQL's NULL rules) or JSON; `search` finds a station by part of its name in the 300th
// of 300 tenants.

#include "CliRunner.h"
#include "TestDatabase.h"
#include "db/DbConnection.h"
#include "query/TenantSearch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

QString dataFingerprint(DbConnection &c)
{
    QStringList tables;
    QSqlQuery q = c.exec(QStringLiteral(
        "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname !~ "
        "'^(pg_|information_schema)' AND c.relname <> 'fuelsync_audit' ORDER BY 1"));
    while (q.next())
        tables.append(q.value(0).toString());
    q = QSqlQuery();
    QStringList parts;
    parts.append(c.scalar(QStringLiteral("SELECT count(*) FROM pg_class")).toString());
    for (const QString &table : std::as_const(tables)) {
        parts.append(table + u'='
                     + c.scalar(QStringLiteral("SELECT md5(coalesce(string_agg(t::text, '|' "
                                               "ORDER BY t::text), '')) FROM %1 t")
                                    .arg(table))
                           .toString());
    }
    return parts.join(u'\n');
}

} // namespace

class QueryCliTest : public QObject
{
    Q_OBJECT

    CliRunner cli;
    std::unique_ptr<TestDatabase> m_db;

    QStringList args() const { return { QStringLiteral("--db"), m_db->conninfo() }; }

private slots:
    void initTestCase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("query"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("test")),
                 qPrintable(m_db->errorString()));
    }

    // One statement to every tenant: basic_demo_2 is taken back to 004, before alerts existed.
    // Its failure names its version; basic_demo_1 answers; exit 1; nothing changed.
    void everyTenantAnswersOrSaysWhyNot()
    {
        QCOMPARE(m_db->migrateTenant(QStringLiteral("basic_demo_2"), false, QStringLiteral("004")),
                 0);
        auto admin = m_db->connect();
        const QString before = dataFingerprint(*admin);
        CliResult result =
            cli.run(args()
                    + QStringList { QStringLiteral("query"), QStringLiteral("--all-tenants"),
                                    QStringLiteral("--format=json"),
                                    QStringLiteral("SELECT count(*) AS alerts, "
                                                   "min(severity) FROM alerts") });
        QCOMPARE(result.exitCode, 1);
        const QJsonObject json = result.json();
        QCOMPARE(json.value(QStringLiteral("columns")).toArray(),
                 (QJsonArray { QStringLiteral("tenant"), QStringLiteral("alerts"),
                               QStringLiteral("min") }));
        const QJsonArray rows = json.value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value(QStringLiteral("tenant")).toString(),
                 QStringLiteral("basic_demo_1"));
        QVERIFY(rows.first().toObject().value(QStringLiteral("alerts")).isDouble());
        const QJsonArray failures = json.value(QStringLiteral("failures")).toArray();
        QCOMPARE(failures.size(), 1);
        QCOMPARE(failures.first().toObject().value(QStringLiteral("tenant")).toString(),
                 QStringLiteral("basic_demo_2"));
        QCOMPARE(failures.first().toObject().value(QStringLiteral("version")).toString(),
                 QStringLiteral("004"));
        QVERIFY2(result.stdErr.contains(
                     QStringLiteral("basic_demo_2 (at 004): relation \"alerts\" does not exist")),
                 qPrintable(result.describe()));

        // Table format, one tenant named; a tenant that is not one is refused.
        result = cli.run(args()
                         + QStringList { QStringLiteral("query"),
                                         QStringLiteral("--tenant=basic_demo_2"),
                                         QStringLiteral("SELECT count(*) AS n FROM stations") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.stdOut.contains(QStringLiteral("basic_demo_2 |")),
                 qPrintable(result.stdOut));
        result = cli.run(args()
                         + QStringList { QStringLiteral("query"), QStringLiteral("--tenant=public"),
                                         QStringLiteral("SELECT 1") });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stdErr.contains(QStringLiteral("public is not a tenant schema")),
                 qPrintable(result.describe()));
        // Two statements are not one question.
        result = cli.run(args()
                         + QStringList { QStringLiteral("query"), QStringLiteral("--all-tenants"),
                                         QStringLiteral("SELECT 1; SELECT 2") });
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.stdErr.contains(QStringLiteral("one statement")),
                 qPrintable(result.describe()));
        // Writing through every tenant is refused by each, and nothing changes.
        result = cli.run(args()
                         + QStringList { QStringLiteral("query"), QStringLiteral("--all-tenants"),
                                         QStringLiteral("DELETE FROM sales") });
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.stdErr.contains(QStringLiteral(
                     "basic_demo_1: cannot execute DELETE in a read-only transaction")),
                 qPrintable(result.describe()));
        QCOMPARE(dataFingerprint(*admin), before);
        // The refusal is on record, once for the run, naming the tenants.
        QCOMPARE(admin
                     ->scalar(QStringLiteral("SELECT (what->>'refusedIn')::int FROM "
                                             "public.fuelsync_audit WHERE kind = 'query' AND "
                                             "outcome = 'refused' AND what->>'statement' = "
                                             "'DELETE FROM sales'"))
                     .toInt(),
                 2);
        QCOMPARE(m_db->migrateTenant(QStringLiteral("basic_demo_2"), true), 0);
    }

    // The database itself: statements from stdin, read-only for the superuser too; CSV keeps
    // NULL and '' apart.
    void readOnlyForEveryLogin()
    {
        auto admin = m_db->connect();
        const QString before = dataFingerprint(*admin);
        CliResult result = cli.run(
            args() + QStringList { QStringLiteral("query"), QStringLiteral("--format=csv") },
            CliOptions().withStdin(
                QStringLiteral("SELECT NULL::text AS a, ''::text AS b, 'x,y' AS c;\n")));
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.stdOut, QStringLiteral("a,b,c\r\n,\"\",\"x,y\"\r\n"));
        for (const QString &sql :
             { QStringLiteral("UPDATE basic_demo_1.stations SET name = 'x'"),
               QStringLiteral("COMMIT; DELETE FROM basic_demo_1.sales"),
               QStringLiteral("SELECT 1; COMMIT; DELETE FROM basic_demo_1.sales"),
               QStringLiteral("CREATE TABLE public.query_t (id int)") }) {
            result = cli.run(args() + QStringList { QStringLiteral("query"), sql });
            QVERIFY2(result.exitCode == 1, qPrintable(sql + u'\n' + result.describe()));
            QVERIFY2(result.stdErr.contains(QStringLiteral("read-only"))
                         || result.stdErr.contains(QStringLiteral("never commits"))
                         || result.stdErr.contains(QStringLiteral("multiple commands")),
                     qPrintable(result.describe()));
        }
        QCOMPARE(dataFingerprint(*admin), before);
    }

    // 300 tenants (schemas with a stations table of their own); a station in the 300th is found
    // by part of its name, whatever its case; a text nobody has finds nothing.
    void searchFindsAStationInThe300thTenant()
    {
        TestDatabase db(QStringLiteral("search"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        auto admin = db.connect();
        admin->exec(QStringLiteral(
            "CREATE TABLE public.tenants (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
            "name text NOT NULL, schema_name text NOT NULL UNIQUE)"));
        admin->exec(QStringLiteral(
            "DO $$ BEGIN FOR i IN 1..300 LOOP "
            "EXECUTE format('CREATE SCHEMA %I', 't' || lpad(i::text, 3, '0')); "
            "EXECUTE format('CREATE TABLE %I.stations (id uuid PRIMARY KEY DEFAULT "
            "gen_random_uuid(), name text NOT NULL, city text)', 't' || lpad(i::text, 3, '0')); "
            "EXECUTE format('INSERT INTO %I.stations (name, city) SELECT ''Station '' || g, "
            "''City '' || g FROM generate_series(1, 10) g', 't' || lpad(i::text, 3, '0')); "
            "INSERT INTO public.tenants (name, schema_name) VALUES ('Tenant ' || i, "
            "'t' || lpad(i::text, 3, '0')); END LOOP; END $$"));
        admin->exec(QStringLiteral(
            "INSERT INTO t300.stations (name, city) VALUES ('Andheri East Fuel Station 7', "
            "'Mumbai')"));
        CliResult result =
            cli.run({ QStringLiteral("--db"), db.conninfo(), QStringLiteral("search"),
                      QStringLiteral("aNdHeRi"), QStringLiteral("--json") });
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QJsonArray hits = QJsonDocument::fromJson(result.stdOut.toUtf8()).array();
        QCOMPARE(hits.size(), 1);
        const QJsonObject hit = hits.first().toObject();
        QCOMPARE(hit.value(QStringLiteral("tenant")).toString(), QStringLiteral("t300"));
        QCOMPARE(hit.value(QStringLiteral("kind")).toString(), QStringLiteral("Stations"));
        QCOMPARE(hit.value(QStringLiteral("label")).toString(),
                 QStringLiteral("Andheri East Fuel Station 7"));
        QCOMPARE(hit.value(QStringLiteral("detail")).toString(), QStringLiteral("Mumbai"));
        QCOMPARE(hit.value(QStringLiteral("stationId")).toString(),
                 hit.value(QStringLiteral("id")).toString());

        // In core: one query per chunk, whatever the chunk's size; tenants by name.
        const TenantSearch::Plan plan = TenantSearch::plan(*admin);
        QCOMPARE(plan.schemas, 300);
        for (const int chunk : { 1, 7, 300 }) {
            const QList<SearchHit> found =
                TenantSearch::search(*admin, plan, QStringLiteral("east fuel"), 50, chunk);
            QCOMPARE(found.size(), 1);
            QCOMPARE(found.first().schema, QStringLiteral("t300"));
        }
        // The window's searcher, its queries prepared once, finds the same, search after search.
        TenantSearcher searcher(*admin, plan, 50, 7);
        searcher.warmUp();
        for (const QString &text :
             { QStringLiteral("east fuel"), QStringLiteral("city 10"), QStringLiteral("station 3"),
               QStringLiteral("nothing-here"), QStringLiteral("east fuel") }) {
            const QList<SearchHit> once = TenantSearch::search(*admin, plan, text, 50, 7);
            const QList<SearchHit> kept = searcher.search(text);
            QCOMPARE(kept.size(), once.size());
            for (qsizetype i = 0; i < kept.size(); ++i)
                QCOMPARE(kept.at(i).key, once.at(i).key);
        }
        const QList<SearchHit> tenants =
            TenantSearch::search(*admin, plan, QStringLiteral("tenant 29"));
        QCOMPARE(tenants.size(), 1 + 10); // Tenant 29 and Tenant 290 to 299
        QCOMPARE(tenants.first().kind, SearchHit::Kind::Tenant);
        QCOMPARE(TenantSearch::search(*admin, plan, QStringLiteral("City 10")).size(), 50);
        // Quotes, pattern characters and backslashes are text like any other.
        for (const QString &odd :
             { QStringLiteral("%"), QStringLiteral("_"),
               QStringLiteral("'; DROP TABLE t001.stations; --"), QStringLiteral("\\\\") })
            QVERIFY(TenantSearch::search(*admin, plan, odd).isEmpty());
        QVERIFY(admin->relationExists(QStringLiteral("t001"), QStringLiteral("stations")));
        result = cli.run({ QStringLiteral("--db"), db.conninfo(), QStringLiteral("search"),
                           QStringLiteral("zzz-nothing") });
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.stdOut.trimmed(), QStringLiteral("No match."));
    }
};

QTEST_GUILESS_MAIN(QueryCliTest)
#include "tst_query.moc"
