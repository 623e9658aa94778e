// fuelsync-testcluster start|stop STATEFILE: the throwaway PostgreSQL cluster of one test run,
// started by ctest's fixture setup test and removed by its cleanup test.

#include "TestCluster.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"
#include "sandbox/LocalCluster.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <unistd.h>

using namespace fuelsync;
using fuelsync::test::TestCluster;

namespace {

constexpr int waitForOtherRunSeconds = 840;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

bool isAlive(qint64 pid)
{
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

// Whether the cluster in the state file belongs to another ctest run that is still going (two
// runs in one build directory share the state file's path).
bool ownedByOtherLiveRun(const TestCluster &cluster)
{
    const qint64 owner = cluster.ownerPid();
    if (owner == ::getppid() || owner == QCoreApplication::applicationPid() || !isAlive(owner))
        return false;
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(owner));
    if (!cmdline.open(QIODevice::ReadOnly))
        return true;
    return cmdline.readAll().contains("ctest");
}

QString randomPassword()
{
    QString password;
    for (int i = 0; i < 3; ++i)
        password += QString::number(QRandomGenerator::system()->generate64(), 16);
    return password;
}

bool removeCluster(const QString &rootDir, QString *error)
{
    // A folder left before initialize() wrote cluster.json is empty; destroy() refuses it.
    if (!LocalCluster::looksLikeClusterRoot(rootDir) && QDir().rmdir(rootDir))
        return true;
    return LocalCluster(rootDir).destroy(error);
}

int stopCluster(const QString &stateFile)
{
    if (!QFile::exists(stateFile)) {
        out() << "no test cluster to stop (" << stateFile << " does not exist)\n";
        return 0;
    }
    QString error;
    const std::optional<TestCluster> state = TestCluster::fromStateFile(stateFile, &error);
    if (!state) {
        err() << error << "\n";
        QFile::remove(stateFile);
        return 0;
    }
    if (ownedByOtherLiveRun(*state)) {
        out() << "the test cluster in " << state->rootDir()
              << " belongs to another test run that is still going (process " << state->ownerPid()
              << "); leaving it\n";
        return 0;
    }
    if (!removeCluster(state->rootDir(), &error)) {
        err() << "cannot remove the test cluster: " << error << "\n";
        return 1;
    }
    QFile::remove(stateFile);
    out() << "test cluster in " << state->rootDir() << " stopped and removed\n";
    return 0;
}

// A state file left behind: wait for a run that still uses it, or clean up after an aborted one.
void clearEarlierCluster(const QString &stateFile)
{
    QDeadlineTimer deadline(waitForOtherRunSeconds * 1000);
    bool announced = false;
    while (QFile::exists(stateFile)) {
        QString error;
        const std::optional<TestCluster> state = TestCluster::fromStateFile(stateFile, &error);
        if (!state) {
            QFile::remove(stateFile);
            return;
        }
        if (!ownedByOtherLiveRun(*state) || deadline.hasExpired()) {
            out() << "removing the test cluster of an earlier run in " << state->rootDir() << "\n";
            if (!removeCluster(state->rootDir(), &error))
                err() << "warning: " << error << "\n";
            QFile::remove(stateFile);
            return;
        }
        if (!announced) {
            out() << "waiting for the test run " << state->ownerPid()
                  << " to finish with its cluster (" << stateFile << ")\n";
            out().flush();
            announced = true;
        }
        QThread::sleep(1);
    }
}

int startCluster(const QString &stateFile)
{
    clearEarlierCluster(stateFile);

    // The server runs as the OS user "postgres" when we are root, so the folder must be where
    // that user can reach it: /tmp, not root's own TMPDIR.
    const QString base = ::geteuid() == 0 ? QStringLiteral("/tmp") : QDir::tempPath();
    QTemporaryDir temporary(base + QStringLiteral("/fuelsync-test-XXXXXX"));
    if (!temporary.isValid()) {
        err() << "cannot create a temporary folder: " << temporary.errorString() << "\n";
        return 1;
    }
    temporary.setAutoRemove(false);
    const QString rootDir = temporary.path();

    TestCluster state;
    state.setRootDir(rootDir);
    state.setOwnerPid(::getppid());
    QString error;
    // Written before anything else, so that `stop` cleans up whatever this leaves behind.
    if (!state.writeStateFile(stateFile, &error)) {
        err() << error << "\n";
        QDir().rmdir(rootDir);
        return 1;
    }

    auto fail = [&](const QString &message) {
        err() << "cannot start the test cluster: " << message << "\n";
        QString cleanupError;
        if (LocalCluster::looksLikeClusterRoot(rootDir)) {
            if (!LocalCluster(rootDir).destroy(&cleanupError))
                err() << "warning: " << cleanupError << "\n";
        } else {
            // Our fresh temporary folder, still empty: initialize() failed before it wrote
            // anything.
            QDir().rmdir(rootDir);
        }
        QFile::remove(stateFile);
        return 1;
    };

    LocalClusterOptions options;
    options.superuser = QStringLiteral("postgres");
    options.tcp = true;
    options.fastUnsafe = true;
    options.settings = { QStringLiteral("max_connections=200") };
    options.name = QStringLiteral("fuelsync-test");
    LocalCluster cluster(rootDir);
    if (!cluster.initialize(options, &error) || !cluster.start(&error))
        return fail(error);

    const QString password = randomPassword();
    try {
        auto admin = DbConnection::open(cluster.connectionSettings(QStringLiteral("postgres")),
                                        QStringLiteral("testcluster"));
        // Only hex digits: safe to put in the statement as a literal.
        admin->exec(QStringLiteral("ALTER ROLE %1 PASSWORD '%2'")
                        .arg(SqlIdentifier::quote(cluster.superuser()), password));
    } catch (const DbError &e) {
        return fail(e.text());
    }

    state.setSocketDir(cluster.socketDir());
    state.setPort(cluster.port());
    state.setSuperuser(cluster.superuser());
    state.setPassword(password);
    if (!state.writeStateFile(stateFile, &error))
        return fail(error);
    out() << "test cluster (PostgreSQL " << cluster.majorVersion() << ") running in " << rootDir
          << ", port " << cluster.port() << "\n";
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 3 || (arguments.at(1) != u"start" && arguments.at(1) != u"stop")) {
        err() << "usage: fuelsync-testcluster start|stop STATEFILE\n";
        return 2;
    }
    const QString stateFile = QFileInfo(arguments.at(2)).absoluteFilePath();
    return arguments.at(1) == u"start" ? startCluster(stateFile) : stopCluster(stateFile);
}
