#include "LocalCluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QThread>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <clocale>
#include <csignal>
#include <cstring>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fuelsync {

namespace {

const QString formatTag = QStringLiteral("fuelsync-local-cluster");
constexpr int formatVersion = 1;

constexpr int initdbTimeoutMs = 300'000;
constexpr int startWaitSeconds = 120; // pg_ctl -t
constexpr int stopWaitSeconds = 60;
constexpr int commandSlackMs = 30'000; // on top of pg_ctl's own wait
constexpr int startAttempts = 5;
constexpr int logTailLines = 20;
// A unix socket path must fit sockaddr_un.sun_path (108 bytes on Linux) including the
// "/.s.PGSQL.<port>" file name.
constexpr int maxSocketDirBytes = 90;
const QString serverOsUserName = QStringLiteral("postgres");

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// The OS account the PostgreSQL programs run as when we are root.
struct Account
{
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
    QString name;
    QString home;
};

std::optional<Account> accountFromPasswd(const passwd *pw)
{
    Account account;
    account.uid = pw->pw_uid;
    account.gid = pw->pw_gid;
    account.name = QString::fromLocal8Bit(pw->pw_name);
    account.home = QString::fromLocal8Bit(pw->pw_dir);
    int count = 32;
    for (int attempt = 0; attempt < 4; ++attempt) {
        account.groups.resize(static_cast<size_t>(count));
        int found = count;
        if (::getgrouplist(pw->pw_name, pw->pw_gid, account.groups.data(), &found) >= 0) {
            account.groups.resize(static_cast<size_t>(found));
            return account;
        }
        count = std::max(found, count * 2);
    }
    account.groups = { pw->pw_gid };
    return account;
}

template<typename Lookup> std::optional<Account> lookupAccount(Lookup lookup)
{
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(static_cast<size_t>(size > 0 ? size : 16384));
    passwd entry {};
    passwd *result = nullptr;
    while (true) {
        const int rc = lookup(&entry, buffer.data(), buffer.size(), &result);
        if (rc == ERANGE) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (rc != 0 || !result)
            return std::nullopt;
        return accountFromPasswd(result);
    }
}

std::optional<Account> accountByName(const QString &name)
{
    const QByteArray encoded = name.toLocal8Bit();
    return lookupAccount([&](passwd *entry, char *buf, size_t len, passwd **result) {
        return ::getpwnam_r(encoded.constData(), entry, buf, len, result);
    });
}

std::optional<Account> accountByUid(uid_t uid)
{
    return lookupAccount([&](passwd *entry, char *buf, size_t len, passwd **result) {
        return ::getpwuid_r(uid, entry, buf, len, result);
    });
}

// Who runs initdb, pg_ctl and the server: ourselves (an empty account), or, when we are root,
// the owner of an existing data directory, else the OS user "postgres".
bool resolveAccount(const QString &dataDir, std::optional<Account> *account, QString *error)
{
    account->reset();
    if (::geteuid() != 0)
        return true;
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(dataDir).constData(), &st) == 0 && st.st_uid != 0) {
        *account = accountByUid(st.st_uid);
        if (!*account) {
            *error = QCoreApplication::translate(
                         "LocalCluster",
                         "the data directory %1 belongs to user id %2, which has no account on "
                         "this system")
                         .arg(native(dataDir), QString::number(st.st_uid));
            return false;
        }
        return true;
    }
    *account = accountByName(serverOsUserName);
    if (!*account) {
        *error = QCoreApplication::translate(
                     "LocalCluster",
                     "PostgreSQL refuses to run as root, and there is no OS user \"%1\" to run it "
                     "as: install postgresql, which creates the postgres user")
                     .arg(serverOsUserName);
        return false;
    }
    return true;
}

bool changeOwner(const QString &path, const Account &account, QString *error)
{
    if (::lchown(QFile::encodeName(path).constData(), account.uid, account.gid) != 0) {
        *error =
            QCoreApplication::translate("LocalCluster", "cannot hand %1 over to the OS user %2: %3")
                .arg(native(path), account.name, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}

bool changeOwnerOfTree(const QString &root, const Account &account, QString *error)
{
    if (!changeOwner(root, account, error))
        return false;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (!changeOwner(it.next(), account, error))
            return false;
    }
    return true;
}

// The first ancestor of dir that the account cannot enter (search permission), or empty.
QString firstBlockedAncestor(const QString &dir, const Account &account, mode_t *modeOut)
{
    QString path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    while (true) {
        const QString parent = QFileInfo(path).path();
        if (parent == path)
            return {};
        path = parent;
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(path).constData(), &st) != 0)
            return path;
        bool allowed = false;
        if (st.st_uid == account.uid) {
            allowed = st.st_mode & S_IXUSR;
        } else if (std::find(account.groups.begin(), account.groups.end(), st.st_gid)
                   != account.groups.end()) {
            allowed = st.st_mode & S_IXGRP;
        } else {
            allowed = st.st_mode & S_IXOTH;
        }
        if (!allowed) {
            *modeOut = st.st_mode & 07777;
            return path;
        }
    }
}

QString outputText(const QByteArray &bytes)
{
    return QString::fromLocal8Bit(bytes).trimmed();
}

// Runs one PostgreSQL program to its end, as `account` when given. On failure, *failure says
// what went wrong, with the program's own error output.
bool runTool(const QString &program, const QStringList &arguments, int timeoutMs,
             const std::optional<Account> &account, const QString &workingDirectory,
             QString *failure)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setWorkingDirectory(workingDirectory);
    process.setStandardInputFile(QProcess::nullDevice());
    if (account) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), account->home);
        environment.insert(QStringLiteral("USER"), account->name);
        environment.insert(QStringLiteral("LOGNAME"), account->name);
        process.setProcessEnvironment(environment);
        const Account &target = *account;
        // Runs in the forked child before exec: only async-signal-safe calls (the group list was
        // read in the parent, so no initgroups() and its file access here).
        process.setChildProcessModifier([target]() {
            if (::setgroups(target.groups.size(), target.groups.data()) != 0
                || ::setgid(target.gid) != 0 || ::setuid(target.uid) != 0
                || ::getuid() != target.uid) {
                static const char message[] = "fuelsync: cannot switch to the PostgreSQL user\n";
                if (::write(STDERR_FILENO, message, sizeof message - 1) < 0) { }
                ::_exit(126);
            }
        });
    }
    const QString toolName = QFileInfo(program).fileName();
    process.start();
    if (!process.waitForStarted(timeoutMs)) {
        *failure = QCoreApplication::translate("LocalCluster", "cannot run %1: %2")
                       .arg(native(program), process.errorString());
        return false;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        QString message = QCoreApplication::translate(
                              "LocalCluster", "%1 did not finish within %2 s and was stopped")
                              .arg(toolName)
                              .arg(timeoutMs / 1000);
        const QString err = outputText(process.readAllStandardError());
        if (!err.isEmpty())
            message += QStringLiteral(":\n") + err;
        *failure = message;
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QString output = outputText(process.readAllStandardError());
        if (output.isEmpty())
            output = outputText(process.readAllStandardOutput());
        QString message = process.exitStatus() == QProcess::NormalExit
            ? QCoreApplication::translate("LocalCluster", "%1 failed (exit code %2)")
                  .arg(toolName)
                  .arg(process.exitCode())
            : QCoreApplication::translate("LocalCluster", "%1 crashed").arg(toolName);
        if (!output.isEmpty())
            message += QStringLiteral(":\n") + output;
        *failure = message;
        return false;
    }
    return true;
}

bool writeFileAtomically(const QString &path, const QByteArray &content, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()
        || !file.commit()) {
        *error = QCoreApplication::translate("LocalCluster", "cannot write %1: %2")
                     .arg(native(path), file.errorString());
        return false;
    }
    return true;
}

// A value for postgresql.conf: always quoted, quotes doubled.
QString confValue(const QString &value)
{
    QString escaped = value;
    escaped.replace(u'\\', QStringLiteral("\\\\"));
    escaped.replace(u'\'', QStringLiteral("''"));
    return u'\'' + escaped + u'\'';
}

const QRegularExpression &settingPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$)"));
    return pattern;
}

bool validateSettings(const QStringList &settings, QString *error)
{
    static const QStringList managed { QStringLiteral("port"),
                                       QStringLiteral("unix_socket_directories"),
                                       QStringLiteral("listen_addresses") };
    for (const QString &setting : settings) {
        const QRegularExpressionMatch match = settingPattern().match(setting);
        if (!match.hasMatch() || setting.contains(u'\n') || setting.contains(u'\r')) {
            *error = QCoreApplication::translate(
                         "LocalCluster", "the server setting \"%1\" is not of the form name=value")
                         .arg(setting);
            return false;
        }
        if (managed.contains(match.captured(1).toLower())) {
            *error = QCoreApplication::translate(
                         "LocalCluster",
                         "the server setting %1 is managed by the cluster itself and cannot be "
                         "given")
                         .arg(match.captured(1));
            return false;
        }
    }
    return true;
}

QString chooseLocale()
{
    // C.UTF-8 sorts like C but knows the characters; older systems may lack it.
    if (locale_t probe = ::newlocale(LC_ALL_MASK, "C.UTF-8", locale_t {})) {
        ::freelocale(probe);
        return QStringLiteral("C.UTF-8");
    }
    return QStringLiteral("C");
}

int dataDirectoryMajor(const QString &dataDir)
{
    QFile file(QDir(dataDir).filePath(QStringLiteral("PG_VERSION")));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return QString::fromLatin1(file.readLine()).trimmed().toInt();
}

// Whether pid is a live (not zombie) PostgreSQL process.
bool isServerProcessAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        if (close >= 0 && close + 2 < text.size()) {
            const char state = text.at(close + 2);
            if (state == 'Z' || state == 'X')
                return false;
        }
    }
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (cmdline.open(QIODevice::ReadOnly)) {
        const QByteArray text = cmdline.readAll();
        // A process id reused by something else after a crash left postmaster.pid behind.
        if (!text.isEmpty() && !text.contains("postgres") && !text.contains("postmaster"))
            return false;
    }
    return true;
}

QStringList pidFileLines(const QString &dataDir)
{
    QFile file(QDir(dataDir).filePath(QStringLiteral("postmaster.pid")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(file.readAll()).split(u'\n');
}

QString readLogFrom(const QString &path, qint64 offset)
{
    constexpr qint64 maxBytes = qint64(256) * 1024;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = file.size();
    if (offset > size)
        offset = 0;
    offset = std::max(offset, size - maxBytes);
    file.seek(offset);
    return QString::fromLocal8Bit(file.readAll());
}

QStringList lastLines(const QString &text, int count)
{
    QStringList lines = text.split(u'\n');
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines;
}

bool looksLikePortTaken(const QString &log)
{
    return log.contains(QStringLiteral("could not bind"))
        || log.contains(QStringLiteral("Address already in use"))
        || log.contains(QStringLiteral("could not create any TCP/IP sockets"));
}

// After a crash (or SIGKILL) of the server its lock files stay behind. The server treats them as
// stale only when their process is gone, but a dead postmaster can linger as a zombie where
// nothing reaps orphans (containers), and its process id can be reused: then it refuses to start.
// Called only when no live server owns the data directory; the socket folder is private to the
// cluster, and the server still guards the data itself through its shared memory interlock.
void removeStaleLockFiles(const QString &dataDir, const QString &socketDir)
{
    QFile::remove(QDir(dataDir).filePath(QStringLiteral("postmaster.pid")));
    const QDir sockets(socketDir);
    for (const QString &name : sockets.entryList({ QStringLiteral(".s.PGSQL.*") },
                                                 QDir::AllEntries | QDir::Hidden | QDir::System))
        QFile::remove(sockets.filePath(name));
}

} // namespace

LocalCluster::LocalCluster(const QString &rootDir)
    : m_rootDir(QDir::cleanPath(QFileInfo(rootDir).absoluteFilePath()))
{
    loadState();
}

QString LocalCluster::dataDir() const
{
    return QDir(m_rootDir).filePath(QStringLiteral("data"));
}

QString LocalCluster::socketDir() const
{
    return QDir(m_rootDir).filePath(QStringLiteral("run"));
}

QString LocalCluster::logFile() const
{
    return QDir(m_rootDir).filePath(QStringLiteral("postgres.log"));
}

QString LocalCluster::stateFile() const
{
    return QDir(m_rootDir).filePath(QStringLiteral("cluster.json"));
}

void LocalCluster::loadState()
{
    m_state = State {};
    QFile file(stateFile());
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    if (json.value(QStringLiteral("format")).toString() != formatTag)
        return;
    m_state.initialized = json.value(QStringLiteral("initialized")).toBool();
    m_state.port = json.value(QStringLiteral("port")).toInt();
    m_state.superuser = json.value(QStringLiteral("superuser")).toString();
    m_state.toolsDir = json.value(QStringLiteral("toolsDir")).toString();
    m_state.majorVersion = json.value(QStringLiteral("majorVersion")).toInt();
    m_state.tcp = json.value(QStringLiteral("tcp")).toBool();
    m_state.fastUnsafe = json.value(QStringLiteral("fastUnsafe")).toBool();
    for (const QJsonValue v : json.value(QStringLiteral("settings")).toArray())
        m_state.settings.append(v.toString());
    m_state.name = json.value(QStringLiteral("name")).toString();
}

bool LocalCluster::saveState(QString *error) const
{
    QJsonObject json;
    json.insert(QStringLiteral("format"), formatTag);
    json.insert(QStringLiteral("formatVersion"), formatVersion);
    json.insert(QStringLiteral("initialized"), m_state.initialized);
    json.insert(QStringLiteral("port"), m_state.port);
    json.insert(QStringLiteral("superuser"), m_state.superuser);
    json.insert(QStringLiteral("socketDir"), socketDir());
    json.insert(QStringLiteral("toolsDir"), m_state.toolsDir);
    json.insert(QStringLiteral("majorVersion"), m_state.majorVersion);
    json.insert(QStringLiteral("tcp"), m_state.tcp);
    json.insert(QStringLiteral("fastUnsafe"), m_state.fastUnsafe);
    json.insert(QStringLiteral("settings"), QJsonArray::fromStringList(m_state.settings));
    json.insert(QStringLiteral("name"), m_state.name);
    QString ignored;
    return writeFileAtomically(stateFile(), QJsonDocument(json).toJson(), error ? error : &ignored);
}

bool LocalCluster::writeServerConfig(QString *error) const
{
    QStringList lines {
        QStringLiteral("# Written by FuelSync Admin at every start of this cluster; change the "
                       "settings in ../cluster.json."),
        QStringLiteral("unix_socket_directories = %1").arg(confValue(socketDir())),
        QStringLiteral("listen_addresses = %1")
            .arg(confValue(m_state.tcp ? QStringLiteral("127.0.0.1") : QString())),
    };
    if (m_state.port > 0)
        lines.append(QStringLiteral("port = %1").arg(m_state.port));
    if (!m_state.name.isEmpty())
        lines.append(QStringLiteral("cluster_name = %1").arg(confValue(m_state.name)));
    if (m_state.fastUnsafe) {
        lines.append(QStringLiteral("fsync = off"));
        lines.append(QStringLiteral("synchronous_commit = off"));
        lines.append(QStringLiteral("full_page_writes = off"));
    }
    for (const QString &setting : m_state.settings) {
        const QRegularExpressionMatch match = settingPattern().match(setting);
        if (match.hasMatch()) {
            lines.append(
                QStringLiteral("%1 = %2").arg(match.captured(1), confValue(match.captured(2))));
        }
    }
    const QString path = QDir(dataDir()).filePath(QStringLiteral("fuelsync.conf"));
    if (!writeFileAtomically(path, (lines.join(u'\n') + u'\n').toUtf8(), error))
        return false;
    std::optional<Account> account;
    if (!resolveAccount(dataDir(), &account, error))
        return false;
    return !account || changeOwner(path, *account, error);
}

std::optional<PostgresTools> LocalCluster::resolveTools(QString *error) const
{
    const int dataMajor = dataDirectoryMajor(dataDir());
    const int wanted = dataMajor > 0 ? dataMajor : m_state.majorVersion;
    if (!m_state.toolsDir.isEmpty()) {
        auto saved = PostgresTools::fromDirectory(m_state.toolsDir, nullptr);
        if (saved && (wanted == 0 || saved->majorVersion() == wanted))
            return saved;
    }
    if (wanted > 0) {
        auto debian = PostgresTools::fromDirectory(
            QStringLiteral("/usr/lib/postgresql/%1/bin").arg(wanted), nullptr);
        if (debian && debian->majorVersion() == wanted)
            return debian;
    }
    auto found = PostgresTools::locate(error);
    if (!found)
        return std::nullopt;
    if (wanted > 0 && found->majorVersion() != wanted) {
        if (error) {
            *error = QCoreApplication::translate(
                         "LocalCluster",
                         "the cluster in %1 was created by PostgreSQL %2, but the programs found "
                         "(%3) are version %4: install PostgreSQL %2 (on Debian and Ubuntu: "
                         "postgresql-%2)")
                         .arg(native(m_rootDir), QString::number(wanted), native(found->binDir()),
                              QString::number(found->majorVersion()));
        }
        return std::nullopt;
    }
    return found;
}

bool LocalCluster::isInitialized() const
{
    QFile file(stateFile());
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    return json.value(QStringLiteral("format")).toString() == formatTag
        && json.value(QStringLiteral("initialized")).toBool()
        && QFileInfo::exists(QDir(dataDir()).filePath(QStringLiteral("PG_VERSION")));
}

bool LocalCluster::looksLikeClusterRoot(const QString &dir)
{
    QFile file(QDir(dir).filePath(QStringLiteral("cluster.json")));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    return json.value(QStringLiteral("format")).toString() == formatTag;
}

bool LocalCluster::initialize(const LocalClusterOptions &options, QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    loadState();
    if (isInitialized()) {
        message = QCoreApplication::translate("LocalCluster", "%1 already holds a database cluster")
                      .arg(native(m_rootDir));
        return false;
    }
    if (options.superuser.trimmed().isEmpty()) {
        message = QCoreApplication::translate("LocalCluster",
                                              "the cluster needs the name of its superuser");
        return false;
    }
    if (options.port < 0 || options.port > 65535) {
        message = QCoreApplication::translate("LocalCluster", "%1 is not a port number")
                      .arg(options.port);
        return false;
    }
    if (!validateSettings(options.settings, &message))
        return false;
    if (QFile::encodeName(socketDir()).size() > maxSocketDirBytes) {
        message = QCoreApplication::translate(
                      "LocalCluster",
                      "the path %1 is too long for the server's unix socket (at most %2 bytes); "
                      "choose a shorter folder")
                      .arg(native(socketDir()), QString::number(maxSocketDirBytes));
        return false;
    }

    const QFileInfo rootInfo(m_rootDir);
    const bool rootExisted = rootInfo.exists();
    if (rootExisted && !rootInfo.isDir()) {
        message = QCoreApplication::translate("LocalCluster", "%1 exists and is not a folder")
                      .arg(native(m_rootDir));
        return false;
    }
    const bool ours = looksLikeClusterRoot(m_rootDir);
    if (rootExisted && !ours
        && !QDir(m_rootDir)
                .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)
                .isEmpty()) {
        message = QCoreApplication::translate(
                      "LocalCluster",
                      "%1 is not empty and holds no FuelSync cluster; choose a new or empty "
                      "folder")
                      .arg(native(m_rootDir));
        return false;
    }

    std::optional<PostgresTools> tools = options.tools;
    if (!tools) {
        tools = PostgresTools::locate(&message);
        if (!tools)
            return false;
    }
    std::optional<Account> account;
    if (ours && QFileInfo::exists(dataDir())) {
        // Left behind by an interrupted initialize().
        if (!QDir(dataDir()).removeRecursively()) {
            message = QCoreApplication::translate("LocalCluster",
                                                  "cannot remove the unfinished data directory %1")
                          .arg(native(dataDir()));
            return false;
        }
    }
    if (!resolveAccount(dataDir(), &account, &message))
        return false;

    if (!QDir().mkpath(m_rootDir)) {
        message = QCoreApplication::translate("LocalCluster", "cannot create the folder %1")
                      .arg(native(m_rootDir));
        return false;
    }
    if (account) {
        mode_t mode = 0;
        const QString blocked = firstBlockedAncestor(m_rootDir, *account, &mode);
        if (!blocked.isEmpty()) {
            if (!rootExisted)
                QDir().rmdir(m_rootDir);
            message = QCoreApplication::translate(
                          "LocalCluster",
                          "the PostgreSQL server runs as the OS user %1 (PostgreSQL refuses to run "
                          "as root), and %1 cannot enter %2 (mode %3); choose a folder outside it, "
                          "for example under /tmp or /var/lib, or allow it with chmod o+x %2")
                          .arg(account->name, native(blocked),
                               QString::number(mode, 8).rightJustified(4, u'0'));
            return false;
        }
    }

    m_state = State {};
    m_state.port = options.port;
    m_state.superuser = options.superuser.trimmed();
    m_state.toolsDir = tools->binDir();
    m_state.majorVersion = tools->majorVersion();
    m_state.tcp = options.tcp;
    m_state.fastUnsafe = options.fastUnsafe;
    m_state.settings = options.settings;
    m_state.name = options.name;
    // cluster.json first: from now on destroy() accepts this folder, even if initdb fails.
    if (!saveState(&message))
        return false;
    if (!QDir().mkpath(socketDir())
        || !QFile::setPermissions(socketDir(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        message = QCoreApplication::translate("LocalCluster", "cannot create the socket folder %1")
                      .arg(native(socketDir()));
        return false;
    }
    if (account && !changeOwnerOfTree(m_rootDir, *account, &message))
        return false;

    QStringList arguments { QStringLiteral("-D"),
                            dataDir(),
                            QStringLiteral("-U"),
                            m_state.superuser,
                            QStringLiteral("-E"),
                            QStringLiteral("UTF8"),
                            QStringLiteral("--locale=%1").arg(chooseLocale()),
                            QStringLiteral("--auth-local=trust"),
                            QStringLiteral("--auth-host=scram-sha-256") };
    if (options.fastUnsafe)
        arguments.append(QStringLiteral("--no-sync"));
    QString failure;
    if (!runTool(tools->initdb(), arguments, initdbTimeoutMs, account, m_rootDir, &failure)) {
        message = QCoreApplication::translate("LocalCluster",
                                              "cannot create the database cluster in %1: %2")
                      .arg(native(m_rootDir), failure);
        return false;
    }

    QFile mainConfig(QDir(dataDir()).filePath(QStringLiteral("postgresql.conf")));
    if (!mainConfig.open(QIODevice::WriteOnly | QIODevice::Append)
        || mainConfig.write("\n# Settings of FuelSync Admin's LocalCluster (rewritten at every "
                            "start)\ninclude = 'fuelsync.conf'\n")
            < 0) {
        message = QCoreApplication::translate("LocalCluster", "cannot extend %1: %2")
                      .arg(native(mainConfig.fileName()), mainConfig.errorString());
        return false;
    }
    mainConfig.close();
    if (!writeServerConfig(&message))
        return false;
    m_state.initialized = true;
    return saveState(&message);
}

std::optional<qint64> LocalCluster::serverPid() const
{
    const QStringList lines = pidFileLines(dataDir());
    if (lines.isEmpty())
        return std::nullopt;
    bool numeric = false;
    const qint64 pid = lines.first().trimmed().toLongLong(&numeric);
    if (!numeric || !isServerProcessAlive(pid))
        return std::nullopt;
    return pid;
}

bool LocalCluster::isRunning() const
{
    return serverPid().has_value();
}

bool LocalCluster::runningPortFromPidFile(int *port) const
{
    // postmaster.pid: pid, data directory, start time, port, socket directory, ...
    const QStringList lines = pidFileLines(dataDir());
    if (lines.size() < 4)
        return false;
    bool numeric = false;
    const int value = lines.at(3).trimmed().toInt(&numeric);
    if (!numeric || value <= 0)
        return false;
    *port = value;
    return true;
}

bool LocalCluster::start(QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    loadState();
    if (!isInitialized()) {
        message = QCoreApplication::translate("LocalCluster", "there is no database cluster in %1")
                      .arg(native(m_rootDir));
        return false;
    }
    if (isRunning()) {
        int runningPort = 0;
        if (runningPortFromPidFile(&runningPort) && runningPort != m_state.port) {
            m_state.port = runningPort;
            saveState(nullptr);
        }
        return true;
    }

    const std::optional<PostgresTools> tools = resolveTools(&message);
    if (!tools)
        return false;
    std::optional<Account> account;
    if (!resolveAccount(dataDir(), &account, &message))
        return false;
    // The socket folder may have been cleaned away (tmp cleaners); it must stay private.
    if (!QDir().mkpath(socketDir())
        || !QFile::setPermissions(socketDir(),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        message = QCoreApplication::translate("LocalCluster", "cannot create the socket folder %1")
                      .arg(native(socketDir()));
        return false;
    }
    if (!QFileInfo::exists(logFile())) {
        QFile log(logFile());
        if (!log.open(QIODevice::WriteOnly)) {
            message =
                QCoreApplication::translate("LocalCluster", "cannot create the server log %1: %2")
                    .arg(native(logFile()), log.errorString());
            return false;
        }
    }
    if (account
        && (!changeOwner(m_rootDir, *account, &message)
            || !changeOwner(socketDir(), *account, &message)
            || !changeOwner(logFile(), *account, &message)))
        return false;
    removeStaleLockFiles(dataDir(), socketDir());

    QString failure;
    QString newLog;
    for (int attempt = 1; attempt <= startAttempts; ++attempt) {
        if (m_state.port <= 0 || (m_state.tcp && !isPortFree(m_state.port))) {
            m_state.port = findFreePort(&message);
            if (m_state.port == 0)
                return false;
        }
        if (!saveState(&message) || !writeServerConfig(&message))
            return false;
        const qint64 logOffset = QFileInfo(logFile()).size();
        const QStringList arguments { QStringLiteral("start"),
                                      QStringLiteral("-D"),
                                      dataDir(),
                                      QStringLiteral("-l"),
                                      logFile(),
                                      QStringLiteral("-w"),
                                      QStringLiteral("-t"),
                                      QString::number(startWaitSeconds) };
        if (runTool(tools->pgCtl(), arguments, startWaitSeconds * 1000 + commandSlackMs, account,
                    m_rootDir, &failure))
            return true;
        newLog = readLogFrom(logFile(), logOffset);
        if (isRunning()) {
            // pg_ctl gave up waiting, but the server is there: do not leave it behind.
            QString stopError;
            stop(&stopError, StopMode::Immediate);
        }
        // Another program took the port between our check and the server's bind: try another.
        if (!(m_state.tcp && looksLikePortTaken(newLog)))
            break;
        m_state.port = 0;
    }
    QStringList tail = lastLines(newLog, logTailLines);
    if (tail.isEmpty())
        tail = logTail(logTailLines);
    message =
        QCoreApplication::translate("LocalCluster", "the PostgreSQL server in %1 did not start: %2")
            .arg(native(m_rootDir), failure);
    if (!tail.isEmpty()) {
        message += u'\n'
            + QCoreApplication::translate("LocalCluster", "Last lines of the server log %1:")
                  .arg(native(logFile()))
            + u'\n' + tail.join(u'\n');
    }
    return false;
}

bool LocalCluster::stopBySignal(qint64 pid, StopMode mode, QString *error) const
{
    // What pg_ctl does: SIGINT is a fast shutdown, SIGQUIT an immediate one.
    if (::kill(static_cast<pid_t>(pid), mode == StopMode::Fast ? SIGINT : SIGQUIT) != 0
        && errno != ESRCH) {
        *error =
            QCoreApplication::translate("LocalCluster", "cannot stop the server (process %1): %2")
                .arg(pid)
                .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    QElapsedTimer timer;
    timer.start();
    while (isServerProcessAlive(pid)) {
        if (timer.elapsed() > qint64(stopWaitSeconds) * 1000) {
            *error = QCoreApplication::translate("LocalCluster",
                                                 "the server (process %1) did not stop within %2 s")
                         .arg(pid)
                         .arg(stopWaitSeconds);
            return false;
        }
        QThread::msleep(50);
    }
    return true;
}

bool LocalCluster::stop(QString *error, StopMode mode)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    const std::optional<qint64> pid = serverPid();
    if (!pid)
        return true;
    QString toolsError;
    const std::optional<PostgresTools> tools = resolveTools(&toolsError);
    if (!tools) {
        // The programs are gone (PostgreSQL uninstalled or upgraded): stop it the way pg_ctl
        // would.
        return stopBySignal(*pid, mode, &message);
    }
    std::optional<Account> account;
    if (!resolveAccount(dataDir(), &account, &message))
        return false;
    const QStringList arguments { QStringLiteral("stop"),
                                  QStringLiteral("-D"),
                                  dataDir(),
                                  QStringLiteral("-m"),
                                  mode == StopMode::Fast ? QStringLiteral("fast")
                                                         : QStringLiteral("immediate"),
                                  QStringLiteral("-w"),
                                  QStringLiteral("-t"),
                                  QString::number(stopWaitSeconds) };
    QString failure;
    if (runTool(tools->pgCtl(), arguments, stopWaitSeconds * 1000 + commandSlackMs, account,
                m_rootDir, &failure)
        || !isRunning())
        return true;
    message =
        QCoreApplication::translate("LocalCluster", "cannot stop the PostgreSQL server in %1: %2")
            .arg(native(m_rootDir), failure);
    return false;
}

bool LocalCluster::destroy(QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    if (!QFileInfo::exists(m_rootDir)) {
        m_state = State {};
        return true;
    }
    if (!looksLikeClusterRoot(m_rootDir)) {
        message = QCoreApplication::translate(
                      "LocalCluster",
                      "refusing to remove %1: it has no cluster.json, so it is not a folder of a "
                      "FuelSync cluster")
                      .arg(native(m_rootDir));
        return false;
    }
    loadState();
    if (isRunning()) {
        QString stopError;
        if (!stop(&stopError, StopMode::Immediate)) {
            message = QCoreApplication::translate("LocalCluster",
                                                  "not removing %1 while its server runs: %2")
                          .arg(native(m_rootDir), stopError);
            return false;
        }
    }
    if (!QDir(m_rootDir).removeRecursively()) {
        message = QCoreApplication::translate("LocalCluster", "could not remove all of %1")
                      .arg(native(m_rootDir));
        return false;
    }
    m_state = State {};
    return true;
}

ConnectionSettings LocalCluster::connectionSettings(const QString &database) const
{
    ConnectionSettings settings;
    settings.set(QStringLiteral("host"), socketDir());
    if (m_state.port > 0)
        settings.set(QStringLiteral("port"), QString::number(m_state.port));
    settings.set(QStringLiteral("user"), m_state.superuser);
    if (!database.isEmpty())
        settings.set(QStringLiteral("dbname"), database);
    return settings;
}

QStringList LocalCluster::logTail(int lines) const
{
    return lastLines(readLogFrom(logFile(), 0), lines);
}

int LocalCluster::findFreePort(QString *error)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        if (error) {
            *error = QCoreApplication::translate("LocalCluster", "cannot look for a free port: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
        }
        return 0;
    }
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(0x7f000001U) /* 127.0.0.1 */;
    address.sin_port = 0;
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    } else if (error) {
        *error = QCoreApplication::translate("LocalCluster", "cannot look for a free port: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    ::close(fd);
    return port;
}

bool LocalCluster::isPortFree(int port)
{
    if (port <= 0 || port > 65535)
        return false;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    // As the server binds: with SO_REUSEADDR, so a port in TIME_WAIT counts as free.
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(0x7f000001U) /* 127.0.0.1 */;
    address.sin_port = htons(static_cast<uint16_t>(port));
    const bool free = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return free;
}

} // namespace fuelsync
