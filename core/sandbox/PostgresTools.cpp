#include "PostgresTools.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <algorithm>

namespace fuelsync {

namespace {

constexpr int versionTimeoutMs = 15000;

bool isExecutableFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

// "pg_ctl (PostgreSQL) 15.4 (Debian 15.4-1.pgdg120+1)" -> 15; 0 when the text is not understood.
int majorFromVersionText(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(R"(\(PostgreSQL\)\s+(\d+))"));
    const QRegularExpressionMatch match = pattern.match(text);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

// /usr/lib/postgresql/15/bin -> 15; 0 when the directory does not say.
int majorFromDirectory(const QString &binDir)
{
    QDir dir(binDir);
    if (dir.dirName() != u"bin" || !dir.cdUp())
        return 0;
    bool numeric = false;
    const int major = dir.dirName().toInt(&numeric);
    return numeric ? major : 0;
}

QString versionOutput(const QString &pgCtl, QString *problem)
{
    QProcess process;
    process.setProgram(pgCtl);
    process.setArguments({ QStringLiteral("--version") });
    process.start();
    if (!process.waitForStarted(versionTimeoutMs)) {
        *problem = process.errorString();
        return {};
    }
    if (!process.waitForFinished(versionTimeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        *problem = QCoreApplication::translate("LocalCluster", "it did not answer within %1 s")
                       .arg(versionTimeoutMs / 1000);
        return {};
    }
    QString out = QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *problem = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
        return {};
    }
    return out;
}

} // namespace

QString PostgresTools::program(const QString &name) const
{
    return QDir(m_binDir).filePath(name);
}

bool PostgresTools::has(const QString &name) const
{
    return isExecutableFile(program(name));
}

std::optional<PostgresTools> PostgresTools::fromDirectory(const QString &binDir, QString *error)
{
    PostgresTools tools;
    tools.m_binDir = QDir::cleanPath(QFileInfo(binDir).absoluteFilePath());
    for (const char *name : { "initdb", "pg_ctl", "postgres" }) {
        if (!tools.has(QString::fromLatin1(name))) {
            if (error) {
                *error =
                    QCoreApplication::translate("LocalCluster",
                                                "%1 has no PostgreSQL server program %2")
                        .arg(QDir::toNativeSeparators(tools.m_binDir), QString::fromLatin1(name));
            }
            return std::nullopt;
        }
    }

    QString problem;
    tools.m_versionText = versionOutput(tools.pgCtl(), &problem);
    tools.m_majorVersion = majorFromVersionText(tools.m_versionText);
    if (tools.m_majorVersion == 0)
        tools.m_majorVersion = majorFromDirectory(tools.m_binDir);
    if (tools.m_majorVersion == 0) {
        if (error) {
            *error = QCoreApplication::translate("LocalCluster",
                                                 "cannot tell the PostgreSQL version of %1: %2")
                         .arg(QDir::toNativeSeparators(tools.pgCtl()),
                              problem.isEmpty() ? tools.m_versionText : problem);
        }
        return std::nullopt;
    }
    return tools;
}

std::optional<PostgresTools> PostgresTools::locate(QString *error)
{
    const QStringList pathDirs = qEnvironmentVariable("PATH").split(u':', Qt::SkipEmptyParts);
    for (const QString &dir : pathDirs) {
        const QString initdb = QDir(dir).filePath(QStringLiteral("initdb"));
        if (!isExecutableFile(initdb)
            || !isExecutableFile(QDir(dir).filePath(QStringLiteral("pg_ctl"))))
            continue;
        // A PATH directory may hold only links to the programs (/usr/local/bin/initdb ->
        // /usr/lib/postgresql/15/bin/initdb); the installation itself, with pg_dump and psql
        // next to the server, is where they point.
        QStringList candidates;
        const QString linkedDir = QFileInfo(initdb).canonicalPath();
        if (!linkedDir.isEmpty() && linkedDir != QFileInfo(dir).canonicalFilePath())
            candidates.append(linkedDir);
        candidates.append(dir);
        for (const QString &candidate : candidates) {
            if (auto tools = fromDirectory(candidate, nullptr))
                return tools;
        }
    }

    const QDir debianRoot(QStringLiteral("/usr/lib/postgresql"));
    QList<int> majors;
    for (const QString &name : debianRoot.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const int major = name.toInt(&numeric);
        if (numeric)
            majors.append(major);
    }
    std::sort(majors.begin(), majors.end(), std::greater<>());
    QString lastProblem;
    for (int major : majors) {
        const QString binDir = debianRoot.filePath(QStringLiteral("%1/bin").arg(major));
        if (auto tools = fromDirectory(binDir, &lastProblem))
            return tools;
    }

    if (error) {
        *error = QCoreApplication::translate(
            "LocalCluster",
            "the PostgreSQL server programs (initdb, pg_ctl, postgres) were found neither "
            "on PATH nor in /usr/lib/postgresql/<version>/bin; install them (on Debian "
            "and Ubuntu: apt install postgresql-15, or the package postgresql for the "
            "distribution's own version)");
        if (!lastProblem.isEmpty())
            *error += QStringLiteral(" (%1)").arg(lastProblem);
    }
    return std::nullopt;
}

} // namespace fuelsync
