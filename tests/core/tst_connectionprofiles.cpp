// Connection profiles: what makes one unusable is said in words a user can act on, they survive a
// round trip through the settings file without ever writing a password, and the session options
// they lead to are enforced by the server itself (a read-only session cannot write, a statement
// timeout stops a long query).

#include "TestDatabase.h"
#include "common/RequestError.h"
#include "connect/ConnectionProfile.h"
#include "connect/ConnectionProfileStore.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SessionOptions.h"
#include "db/SqlIdentifier.h"
#include "environment/EnvironmentResolver.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

class ConnectionProfilesTest : public QObject
{
    Q_OBJECT

private slots:
    void problemsAreNamed_data();
    void problemsAreNamed();
    void fieldsOverrideTheUri();
    void storeRoundTripsWithoutPasswords();
    void storeRefusesDuplicatesAndRenames();
    void storeKeepsOddNames();
    void readOnlySessionRefusesWrites();
    void statementTimeoutStopsLongQueries();
    void sessionOptionsKeepExistingOptions();
    void profileEnvironmentMeetsTheDeclaredOne();
};

void ConnectionProfilesTest::problemsAreNamed_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QString>("expected"); // a part of the problem, or "" for none

    ConnectionProfile good;
    good.name = QStringLiteral("prod");
    good.host = QStringLiteral("db.example.com");
    good.database = QStringLiteral("fuelsync_hub");
    QTest::newRow("good") << good << QString();

    ConnectionProfile p = good;
    p.name = QStringLiteral("  ");
    QTest::newRow("no name") << p << QStringLiteral("needs a name");

    p = good;
    p.host.clear();
    p.database.clear();
    QTest::newRow("nowhere") << p << QStringLiteral("give a connection URI");

    p = good;
    p.uri = QStringLiteral("postgresql://alice:secret@db.example.com/fuelsync_hub");
    QTest::newRow("password in uri") << p << QStringLiteral("contains a password");

    p = good;
    p.uri = QStringLiteral("host=db password=secret");
    QTest::newRow("password in conninfo") << p << QStringLiteral("contains a password");

    p = good;
    p.uri = QStringLiteral("postgresql://db.example.com/x?nonsense=1");
    QTest::newRow("bad uri") << p << QStringLiteral("URI is not valid");

    p = good;
    p.port = QStringLiteral("70000");
    QTest::newRow("bad port") << p << QStringLiteral("port must be a number");

    p = good;
    p.sslMode = QStringLiteral("maybe");
    QTest::newRow("bad sslmode") << p << QStringLiteral("unknown sslmode");

    p = good;
    p.sslMode = QStringLiteral("verify-full");
    QTest::newRow("verify-full without root") << p << QStringLiteral("root certificate");

    p = good;
    p.sslMode = QStringLiteral("verify-full");
    p.sslRootCert = QStringLiteral("/nonexistent/root.crt");
    QTest::newRow("missing root file") << p << QStringLiteral("does not exist");

    p = good;
    p.name = QStringLiteral("a/b");
    QTest::newRow("slash in name") << p << QStringLiteral("cannot contain");
}

void ConnectionProfilesTest::problemsAreNamed()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QString, expected);
    const QString problem = profile.problem();
    if (expected.isEmpty()) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QVERIFY2(problem.contains(expected), qPrintable(problem));
    ConnectionSettings settings;
    QString error;
    QVERIFY(!profile.toSettings(&settings, &error));
    QCOMPARE(error, problem);
}

void ConnectionProfilesTest::fieldsOverrideTheUri()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("root.crt"));
    QFile file(root);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();

    ConnectionProfile p;
    p.name = QStringLiteral("staging");
    p.uri = QStringLiteral("postgresql://bob@db1.example.com:6432/hub?application_name=x");
    p.host = QStringLiteral("db2.example.com");
    p.sslMode = QStringLiteral("verify-full");
    p.sslRootCert = root;
    ConnectionSettings settings;
    QString error;
    QVERIFY2(p.toSettings(&settings, &error), qPrintable(error));
    QCOMPARE(settings.host(), QStringLiteral("db2.example.com"));
    QCOMPARE(settings.port(), QStringLiteral("6432"));
    QCOMPARE(settings.user(), QStringLiteral("bob"));
    QCOMPARE(settings.database(), QStringLiteral("hub"));
    QCOMPARE(settings.value(QStringLiteral("sslmode")), QStringLiteral("verify-full"));
    QCOMPARE(settings.value(QStringLiteral("sslrootcert")), root);
    QCOMPARE(settings.value(QStringLiteral("application_name")), QStringLiteral("x"));
}

void ConnectionProfilesTest::storeRoundTripsWithoutPasswords()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("settings.ini"));
    ConnectionProfile p;
    p.name = QStringLiteral("production (EU)");
    p.host = QStringLiteral("db.example.com");
    p.port = QStringLiteral("5433");
    p.database = QStringLiteral("fuelsync_hub");
    p.user = QStringLiteral("support");
    p.sslMode = QStringLiteral("require");
    p.environment = DeploymentEnvironment::Production;
    p.readOnly = true;
    p.rememberPassword = true;
    {
        ConnectionProfileStore store(ini);
        QString error;
        QVERIFY2(store.save(p, QString(), &error), qPrintable(error));
    }
    ConnectionProfileStore again(ini);
    const auto found = again.find(p.name);
    QVERIFY(found);
    QCOMPARE(*found, p);
    QCOMPARE(again.profiles().size(), 1);

    // A profile with a password is refused, and nothing of it reaches the file.
    ConnectionProfile leaky = p;
    leaky.name = QStringLiteral("leaky");
    leaky.uri = QStringLiteral("postgresql://support:hunter2@db.example.com/fuelsync_hub");
    QString error;
    QVERIFY(!again.save(leaky, QString(), &error));
    QVERIFY2(error.contains(QStringLiteral("password")), qPrintable(error));
    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(!content.contains("hunter2"));
    QVERIFY(!content.contains("leaky"));
    QCOMPARE(again.profiles().size(), 1);
}

void ConnectionProfilesTest::storeRefusesDuplicatesAndRenames()
{
    QTemporaryDir dir;
    ConnectionProfileStore store(dir.filePath(QStringLiteral("s.ini")));
    ConnectionProfile a;
    a.name = QStringLiteral("a");
    a.database = QStringLiteral("x");
    ConnectionProfile b = a;
    b.name = QStringLiteral("b");
    QString error;
    QVERIFY(store.save(a, QString(), &error));
    QVERIFY(store.save(b, QString(), &error));
    ConnectionProfile renamed = b;
    renamed.name = QStringLiteral("a");
    QVERIFY(!store.save(renamed, QStringLiteral("b"), &error));
    QVERIFY2(error.contains(QStringLiteral("already a profile named a")), qPrintable(error));
    QCOMPARE(store.profiles().size(), 2);

    renamed.name = QStringLiteral("c");
    QVERIFY2(store.save(renamed, QStringLiteral("b"), &error), qPrintable(error));
    QStringList names;
    for (const auto &profile : store.profiles())
        names.append(profile.name);
    QCOMPARE(names, QStringList({ QStringLiteral("a"), QStringLiteral("c") }));
    store.remove(QStringLiteral("a"));
    QCOMPARE(store.profiles().size(), 1);
}

void ConnectionProfilesTest::storeKeepsOddNames()
{
    QTemporaryDir dir;
    ConnectionProfileStore store(dir.filePath(QStringLiteral("s.ini")));
    ConnectionProfile p;
    p.name = QStringLiteral("Ünïcode; [group] = 'quoted' %20");
    p.database = QStringLiteral("x");
    QString error;
    QVERIFY2(store.save(p, QString(), &error), qPrintable(error));
    const auto profiles = store.profiles();
    QCOMPARE(profiles.size(), 1);
    QCOMPARE(profiles.first().name, p.name);
}

void ConnectionProfilesTest::readOnlySessionRefusesWrites()
{
    TestDatabase db(QStringLiteral("readonly"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    auto owner = db.connect();
    owner->exec(QStringLiteral("CREATE TABLE t (v int)"));

    const ConnectionSettings settings = SessionOptions { true, 0 }.applyTo(db.settings());
    auto session = DbConnection::open(settings, QStringLiteral("read-only test"));
    QCOMPARE(session->scalar(QStringLiteral("SHOW default_transaction_read_only")).toString(),
             QStringLiteral("on"));
    QCOMPARE(session->scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 0);
    try {
        session->exec(QStringLiteral("INSERT INTO t VALUES (1)"));
        QFAIL("a read-only session wrote");
    } catch (const DbError &error) {
        QCOMPARE(error.sqlState(), QStringLiteral("25006"));
        QVERIFY2(error.message().contains(QStringLiteral("read-only transaction")),
                 qPrintable(error.message()));
    }
    try {
        session->exec(QStringLiteral("CREATE TABLE u (v int)"));
        QFAIL("a read-only session created a table");
    } catch (const DbError &error) {
        QCOMPARE(error.sqlState(), QStringLiteral("25006"));
    }
    QCOMPARE(owner->scalar(QStringLiteral("SELECT count(*) FROM t")).toInt(), 0);
    QVERIFY(owner->scalar(QStringLiteral("SELECT to_regclass('u') IS NULL")).toBool());
}

void ConnectionProfilesTest::statementTimeoutStopsLongQueries()
{
    TestDatabase db(QStringLiteral("timeout"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    const ConnectionSettings settings = SessionOptions { false, 300 }.applyTo(db.settings());
    auto session = DbConnection::open(settings, QStringLiteral("timeout test"));
    QCOMPARE(session->scalar(QStringLiteral("SHOW statement_timeout")).toString(),
             QStringLiteral("300ms"));
    try {
        session->exec(QStringLiteral("SELECT pg_sleep(5)"));
        QFAIL("the statement timeout did not stop the query");
    } catch (const DbError &error) {
        QCOMPARE(error.kind(), DbError::Kind::Cancelled);
    }
    QCOMPARE(session->scalar(QStringLiteral("SELECT 1")).toInt(), 1);
}

void ConnectionProfilesTest::sessionOptionsKeepExistingOptions()
{
    TestDatabase db(QStringLiteral("options"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    ConnectionSettings base = db.settings();
    base.set(QStringLiteral("options"), QStringLiteral("-c search_path=pg_catalog"));
    const ConnectionSettings settings = SessionOptions { true, 5000 }.applyTo(base);
    auto session = DbConnection::open(settings, QStringLiteral("options test"));
    QCOMPARE(session->scalar(QStringLiteral("SHOW search_path")).toString(),
             QStringLiteral("pg_catalog"));
    QCOMPARE(session->scalar(QStringLiteral("SHOW statement_timeout")).toString(),
             QStringLiteral("5s"));
    QCOMPARE(session->scalar(QStringLiteral("SHOW default_transaction_read_only")).toString(),
             QStringLiteral("on"));
}

QTEST_GUILESS_MAIN(ConnectionProfilesTest)
// A profile names an environment, and so may the database: the stricter one is shown, and a
// disagreement is said, not hidden.
void ConnectionProfilesTest::profileEnvironmentMeetsTheDeclaredOne()
{
    using Env = DeploymentEnvironment;
    TestDatabase db(QStringLiteral("environment"));
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    const auto resolvedWith = [&db](std::optional<Env> declared, std::optional<Env> profile) {
        auto owner = db.connect();
        if (declared)
            EnvironmentResolver::declare(*owner, *declared);
        else
            owner->exec(QStringLiteral("ALTER DATABASE %1 RESET fuelsync.environment")
                            .arg(SqlIdentifier::quote(db.name())));
        auto fresh = db.connect(); // the declaration applies to new sessions
        return EnvironmentResolver::forProfile(*fresh, profile);
    };

    auto r = resolvedWith(std::nullopt, std::nullopt);
    QCOMPARE(r.environment, Env::Development);
    QVERIFY(r.assumed);
    QVERIFY(!r.disagreement);

    r = resolvedWith(std::nullopt, Env::Staging);
    QCOMPARE(r.environment, Env::Staging);
    QVERIFY(!r.assumed && !r.declaredInDatabase);

    r = resolvedWith(Env::Staging, Env::Staging);
    QCOMPARE(r.environment, Env::Staging);
    QVERIFY(r.declaredInDatabase);
    QVERIFY(!r.disagreement);

    // A profile cannot make a production database look like development...
    r = resolvedWith(Env::Production, Env::Development);
    QCOMPARE(r.environment, Env::Production);
    QVERIFY(r.disagreement);
    QCOMPARE(r.disagreement->declared, Env::Production);
    QCOMPARE(r.disagreement->profile, Env::Development);
    QVERIFY2(r.describe().contains(QStringLiteral("the database declares production, the profile "
                                                  "says development")),
             qPrintable(r.describe()));

    // ...and a production profile keeps its care on a database that says staging.
    r = resolvedWith(Env::Staging, Env::Production);
    QCOMPARE(r.environment, Env::Production);
    QVERIFY(r.disagreement);

    // A declaration that is not an environment is an error, not development.
    {
        auto owner = db.connect();
        owner->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'live'")
                        .arg(SqlIdentifier::quote(db.name())));
    }
    auto fresh = db.connect();
    try {
        EnvironmentResolver::forProfile(*fresh, Env::Production);
        QFAIL("an unknown declared environment was taken");
    } catch (const RequestError &error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("'live'")), error.what());
    }
}

#include "tst_connectionprofiles.moc"
