// LocalCluster and PostgresTools: a PostgreSQL cluster the program runs itself. Each test makes
// its own clusters in a scratch folder; none needs the shared test cluster.

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "sandbox/LocalCluster.h"
#include "sandbox/PostgresTools.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace fuelsync;

namespace {

// The first column of the first row, or the error.
QString queryValue(const ConnectionSettings &settings, const QString &sql, bool *ok)
{
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("tst_localcluster"));
        *ok = true;
        return connection->scalar(sql).toString();
    } catch (const DbError &e) {
        *ok = false;
        return e.text();
    }
}

bool execute(const ConnectionSettings &settings, const QStringList &statements, QString *error)
{
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("tst_localcluster"));
        for (const QString &sql : statements)
            connection->exec(sql);
        return true;
    } catch (const DbError &e) {
        *error = e.text();
        return false;
    }
}

sockaddr_in loopback(int port)
{
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(0x7f000001U);
    address.sin_port = htons(static_cast<uint16_t>(port));
    return address;
}

// Holds 127.0.0.1:port as a listening socket, as another program would.
class PortBlocker
{
public:
    explicit PortBlocker(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const sockaddr_in address = loopback(port);
        m_ok = m_fd >= 0
            && ::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0
            && ::listen(m_fd, 1) == 0;
    }
    ~PortBlocker()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    PortBlocker(const PortBlocker &) = delete;
    PortBlocker &operator=(const PortBlocker &) = delete;
    bool ok() const { return m_ok; }

private:
    int m_fd = -1;
    bool m_ok = false;
};

bool acceptsTcp(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in address = loopback(port);
    const bool connected =
        ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

LocalClusterOptions fastOptions()
{
    LocalClusterOptions options;
    options.fastUnsafe = true;
    options.name = QStringLiteral("fuelsync-tst-localcluster");
    return options;
}

} // namespace

class TestLocalCluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void locatesPostgresTools();
    void toolsFromMissingDirectoryExplainWhy();
    void initializeStartStopRestartKeepsDataAndDestroyRemovesFolder();
    void secondStartWhileRunningIsHarmless();
    void startMovesToAnotherPortWhenSavedPortIsTaken();
    void startAfterServerWasKilledRecovers();
    void failingStartReportsServerLog();
    void destroyRefusesFolderThatIsNotACluster();
    void initializeRefusesNonEmptyForeignFolder();
    void initializeRefusesManagedOrMalformedSettings_data();
    void initializeRefusesManagedOrMalformedSettings();
    void stopAndDestroyOfMissingClusterSucceed();
    void rootRefusesFolderThePostgresUserCannotReach();

private:
    QString newRoot(const QString &name);

    std::unique_ptr<QTemporaryDir> m_scratch;
    QStringList m_roots;
    // One TCP cluster shared by the tests that only start and stop it.
    std::unique_ptr<LocalCluster> m_shared;
};

QString TestLocalCluster::newRoot(const QString &name)
{
    const QString root = QDir(m_scratch->path()).filePath(name);
    m_roots.append(root);
    return root;
}

void TestLocalCluster::initTestCase()
{
    QString error;
    if (!PostgresTools::locate(&error))
        QFAIL(qPrintable(error));
    // Run as root, the server runs as "postgres", which must be able to enter the scratch folder.
    const QString base = ::geteuid() == 0 ? QStringLiteral("/tmp") : QDir::tempPath();
    m_scratch = std::make_unique<QTemporaryDir>(base + QStringLiteral("/fuelsync-lctest-XXXXXX"));
    QVERIFY(m_scratch->isValid());
    QVERIFY(QFile::setPermissions(m_scratch->path(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                      | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
                                      | QFile::ExeOther));

    m_shared = std::make_unique<LocalCluster>(newRoot(QStringLiteral("shared")));
    LocalClusterOptions options = fastOptions();
    options.tcp = true;
    QVERIFY2(m_shared->initialize(options, &error), qPrintable(error));
    QVERIFY2(m_shared->start(&error), qPrintable(error));
}

void TestLocalCluster::cleanupTestCase()
{
    // Whatever a failed test left running.
    for (const QString &root : std::as_const(m_roots)) {
        if (!LocalCluster::looksLikeClusterRoot(root))
            continue; // the folders that tests made to be refused
        QString error;
        if (!LocalCluster(root).destroy(&error))
            qWarning("%s", qPrintable(error));
    }
}

void TestLocalCluster::locatesPostgresTools()
{
    QString error;
    const std::optional<PostgresTools> tools = PostgresTools::locate(&error);
    QVERIFY2(tools, qPrintable(error));
    QVERIFY(tools->majorVersion() >= 10);
    QVERIFY(QFileInfo(tools->initdb()).isExecutable());
    QVERIFY(QFileInfo(tools->pgCtl()).isExecutable());
    QVERIFY(QFileInfo(tools->postgres()).isExecutable());
    QCOMPARE(QFileInfo(tools->pgDump()).path(), tools->binDir());
}

void TestLocalCluster::toolsFromMissingDirectoryExplainWhy()
{
    QString error;
    QVERIFY(!PostgresTools::fromDirectory(m_scratch->filePath(QStringLiteral("nothing")), &error));
    QVERIFY2(error.contains(QStringLiteral("initdb")), qPrintable(error));
}

void TestLocalCluster::initializeStartStopRestartKeepsDataAndDestroyRemovesFolder()
{
    const QString root = newRoot(QStringLiteral("lifecycle"));
    LocalCluster cluster(root);
    QVERIFY(!cluster.isInitialized());
    QVERIFY(!cluster.isRunning());

    QString error;
    QVERIFY2(cluster.initialize(fastOptions(), &error), qPrintable(error));
    QVERIFY(cluster.isInitialized());
    QVERIFY(QFileInfo::exists(cluster.stateFile()));
    QVERIFY(QFileInfo::exists(QDir(cluster.dataDir()).filePath(QStringLiteral("PG_VERSION"))));
    QCOMPARE(QFileInfo(cluster.socketDir()).permissions()
                 & (QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup),
             QFileDevice::Permissions());
    QVERIFY(!cluster.isRunning());

    QVERIFY2(cluster.start(&error), qPrintable(error));
    QVERIFY(cluster.isRunning());
    QVERIFY(cluster.serverPid());
    QVERIFY(cluster.port() > 0);
    QVERIFY(!cluster.tcpEnabled());

    const ConnectionSettings settings = cluster.connectionSettings(QStringLiteral("postgres"));
    QCOMPARE(settings.host(), cluster.socketDir());
    QCOMPARE(settings.port(), QString::number(cluster.port()));
    QCOMPARE(settings.user(), QStringLiteral("postgres"));
    QCOMPARE(settings.database(), QStringLiteral("postgres"));
    QVERIFY2(execute(settings,
                     { QStringLiteral("CREATE TABLE kept (v text)"),
                       QStringLiteral("INSERT INTO kept VALUES ('still here')") },
                     &error),
             qPrintable(error));
    bool ok = false;
    QCOMPARE(queryValue(settings, QStringLiteral("SHOW listen_addresses"), &ok), QString());
    QVERIFY(ok);
    QCOMPARE(queryValue(settings, QStringLiteral("SHOW fsync"), &ok), QStringLiteral("off"));
    QCOMPARE(queryValue(settings, QStringLiteral("SHOW server_encoding"), &ok),
             QStringLiteral("UTF8"));

    QVERIFY2(cluster.stop(&error), qPrintable(error));
    QVERIFY(!cluster.isRunning());
    QVERIFY(!QFileInfo::exists(QDir(cluster.dataDir()).filePath(QStringLiteral("postmaster.pid"))));

    // A new object (a later run of the program) reads everything back from cluster.json.
    LocalCluster again(root);
    QVERIFY(again.isInitialized());
    QCOMPARE(again.port(), cluster.port());
    QCOMPARE(again.superuser(), QStringLiteral("postgres"));
    QVERIFY2(again.start(&error), qPrintable(error));
    const QString value = queryValue(again.connectionSettings(QStringLiteral("postgres")),
                                     QStringLiteral("SELECT v FROM kept"), &ok);
    QVERIFY2(ok, qPrintable(value));
    QCOMPARE(value, QStringLiteral("still here"));

    QVERIFY2(again.destroy(&error), qPrintable(error));
    QVERIFY(!QFileInfo::exists(root));
    QVERIFY(!again.isRunning());
}

void TestLocalCluster::secondStartWhileRunningIsHarmless()
{
    QVERIFY(m_shared->isRunning());
    const int port = m_shared->port();
    const std::optional<qint64> pid = m_shared->serverPid();
    QVERIFY(pid);

    QString error;
    QVERIFY2(m_shared->start(&error), qPrintable(error));
    LocalCluster other(m_shared->rootDir());
    QVERIFY2(other.start(&error), qPrintable(error));

    QCOMPARE(m_shared->serverPid(), pid);
    QCOMPARE(m_shared->port(), port);
    QCOMPARE(other.port(), port);
    bool ok = false;
    const QString one = queryValue(m_shared->connectionSettings(QStringLiteral("postgres")),
                                   QStringLiteral("SELECT 1"), &ok);
    QVERIFY2(ok, qPrintable(one));
}

void TestLocalCluster::startMovesToAnotherPortWhenSavedPortIsTaken()
{
    QString error;
    QVERIFY2(m_shared->stop(&error), qPrintable(error));
    const int savedPort = m_shared->port();
    QVERIFY(LocalCluster::isPortFree(savedPort));

    PortBlocker blocker(savedPort);
    QVERIFY(blocker.ok());
    QVERIFY(!LocalCluster::isPortFree(savedPort));

    QVERIFY2(m_shared->start(&error), qPrintable(error));
    QVERIFY(m_shared->port() != savedPort);
    QVERIFY(acceptsTcp(m_shared->port()));
    bool ok = false;
    QCOMPARE(queryValue(m_shared->connectionSettings(QStringLiteral("postgres")),
                        QStringLiteral("SHOW port"), &ok),
             QString::number(m_shared->port()));
    QCOMPARE(queryValue(m_shared->connectionSettings(QStringLiteral("postgres")),
                        QStringLiteral("SHOW listen_addresses"), &ok),
             QStringLiteral("127.0.0.1"));
    // The new port is remembered.
    QCOMPARE(LocalCluster(m_shared->rootDir()).port(), m_shared->port());
}

void TestLocalCluster::startAfterServerWasKilledRecovers()
{
    QString error;
    QVERIFY2(m_shared->start(&error), qPrintable(error));
    QVERIFY2(execute(m_shared->connectionSettings(QStringLiteral("postgres")),
                     { // The cluster runs with synchronous_commit=off: make this commit
                       // reach the WAL before the kill.
                       QStringLiteral("SET synchronous_commit = on"),
                       QStringLiteral("CREATE TABLE survives_crash (v int)"),
                       QStringLiteral("INSERT INTO survives_crash VALUES (42)") },
                     &error),
             qPrintable(error));
    const std::optional<qint64> pid = m_shared->serverPid();
    QVERIFY(pid);
    QCOMPARE(::kill(static_cast<pid_t>(*pid), SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_shared->isRunning(), 30'000);
    // Its postmaster.pid and socket lock files are left behind.
    QVERIFY(
        QFileInfo::exists(QDir(m_shared->dataDir()).filePath(QStringLiteral("postmaster.pid"))));

    QVERIFY2(m_shared->start(&error), qPrintable(error));
    bool ok = false;
    const QString value = queryValue(m_shared->connectionSettings(QStringLiteral("postgres")),
                                     QStringLiteral("SELECT v FROM survives_crash"), &ok);
    QVERIFY2(ok, qPrintable(value));
    QCOMPARE(value, QStringLiteral("42"));
}

void TestLocalCluster::failingStartReportsServerLog()
{
    LocalCluster cluster(newRoot(QStringLiteral("broken")));
    LocalClusterOptions options = fastOptions();
    options.settings = { QStringLiteral("work_mem=banana") };
    QString error;
    QVERIFY2(cluster.initialize(options, &error), qPrintable(error));

    QVERIFY(!cluster.start(&error));
    QVERIFY(!cluster.isRunning());
    QVERIFY2(error.contains(QStringLiteral("did not start")), qPrintable(error));
    QVERIFY2(error.contains(cluster.logFile()), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("\"work_mem\"")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("banana")), qPrintable(error));
    QVERIFY(cluster.logTail().join(u'\n').contains(QStringLiteral("banana")));

    QVERIFY2(cluster.destroy(&error), qPrintable(error));
}

void TestLocalCluster::destroyRefusesFolderThatIsNotACluster()
{
    const QString root = newRoot(QStringLiteral("someone-elses"));
    QVERIFY(QDir().mkpath(root));
    QFile precious(QDir(root).filePath(QStringLiteral("precious.txt")));
    QVERIFY(precious.open(QIODevice::WriteOnly));
    precious.write("keep me");
    precious.close();

    QString error;
    QVERIFY(!LocalCluster(root).destroy(&error));
    QVERIFY2(error.contains(QStringLiteral("cluster.json")), qPrintable(error));
    QVERIFY(precious.exists());

    // A cluster.json that this class did not write does not count either.
    QFile foreign(QDir(root).filePath(QStringLiteral("cluster.json")));
    QVERIFY(foreign.open(QIODevice::WriteOnly));
    foreign.write("{\"port\": 5432}");
    foreign.close();
    QVERIFY(!LocalCluster(root).destroy(&error));
    QVERIFY(precious.exists());
}

void TestLocalCluster::initializeRefusesNonEmptyForeignFolder()
{
    const QString root = newRoot(QStringLiteral("occupied"));
    QVERIFY(QDir().mkpath(root));
    QFile file(QDir(root).filePath(QStringLiteral("notes.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();

    LocalCluster cluster(root);
    QString error;
    QVERIFY(!cluster.initialize(fastOptions(), &error));
    QVERIFY2(error.contains(QStringLiteral("not empty")), qPrintable(error));
    QVERIFY(!QFileInfo::exists(cluster.stateFile()));
    QVERIFY(!QFileInfo::exists(cluster.dataDir()));
}

void TestLocalCluster::initializeRefusesManagedOrMalformedSettings_data()
{
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("expected");
    QTest::newRow("port is managed") << QStringLiteral("port=5432") << QStringLiteral("managed");
    QTest::newRow("socket folder is managed")
        << QStringLiteral("unix_socket_directories=/tmp") << QStringLiteral("managed");
    QTest::newRow("no value") << QStringLiteral("max_connections") << QStringLiteral("name=value");
    QTest::newRow("line break") << QStringLiteral("work_mem=1MB\nport=1")
                                << QStringLiteral("name=value");
}

void TestLocalCluster::initializeRefusesManagedOrMalformedSettings()
{
    QFETCH(QString, setting);
    QFETCH(QString, expected);
    const QString root = newRoot(QStringLiteral("settings"));
    LocalClusterOptions options = fastOptions();
    options.settings = { setting };
    QString error;
    QVERIFY(!LocalCluster(root).initialize(options, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!QFileInfo::exists(root));
}

void TestLocalCluster::stopAndDestroyOfMissingClusterSucceed()
{
    LocalCluster missing(m_scratch->filePath(QStringLiteral("never-created")));
    QString error;
    QVERIFY(!missing.isInitialized());
    QVERIFY(!missing.isRunning());
    QVERIFY2(missing.stop(&error), qPrintable(error));
    QVERIFY2(missing.destroy(&error), qPrintable(error));
    QVERIFY(!missing.start(&error));
    QVERIFY2(error.contains(QStringLiteral("no database cluster")), qPrintable(error));
}

void TestLocalCluster::rootRefusesFolderThePostgresUserCannotReach()
{
    if (::geteuid() != 0)
        QSKIP("only root hands the cluster to the postgres user");
    const QString hidden = m_scratch->filePath(QStringLiteral("hidden"));
    QVERIFY(QDir().mkpath(hidden));
    QVERIFY(QFile::setPermissions(hidden, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

    const QString root = QDir(hidden).filePath(QStringLiteral("cluster"));
    m_roots.append(root);
    QString error;
    QVERIFY(!LocalCluster(root).initialize(fastOptions(), &error));
    QVERIFY2(error.contains(hidden), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("postgres")), qPrintable(error));
    QVERIFY(!QFileInfo::exists(root));
}

QTEST_GUILESS_MAIN(TestLocalCluster)
#include "tst_localcluster.moc"
