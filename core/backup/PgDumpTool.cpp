#include "PgDumpTool.h"

#include "common/RequestError.h"
#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <csignal>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fuelsync {

namespace {

QString versionOf(const QString &program)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, { QStringLiteral("--version") });
    if (!process.waitForFinished(15'000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0)
        return QString();
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

} // namespace

int PgDumpTool::majorOf(const QString &versionText)
{
    static const QRegularExpression number(QStringLiteral("^(?:.*\\(PostgreSQL\\)\\s+)?(\\d+)"));
    const QRegularExpressionMatch match = number.match(versionText);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

void PgDumpTool::ownProcessGroup(QProcess &process)
{
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([parent] {
        ::setpgid(0, 0);
        ::umask(077);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The parent may have died before the line above: then nobody would kill this one.
        if (::getppid() != parent)
            ::_exit(1);
    });
}

ConnectionSettings PgDumpTool::toolSettings(const ConnectionSettings &settings,
                                            int serverVersionNumber)
{
    if (serverVersionNumber < 140000)
        return settings;
    SessionOptions options;
    options.clientCheckIntervalMs = 2000;
    return options.applyTo(settings);
}

PgDumpTool::Run PgDumpTool::run(const QString &program, const QStringList &arguments,
                                const QProcessEnvironment &environment, const JobControl *control)
{
    const auto cancelled = [control] {
        return control && control->isCancelled();
    };
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    ownProcessGroup(process);
    process.start(program, arguments);
    Run run;
    while (!process.waitForFinished(100) && process.state() != QProcess::NotRunning) {
        if (cancelled()) {
            process.kill();
            process.waitForFinished(5000);
            break;
        }
    }
    if (cancelled()) {
        run.cancelled = true;
        return run;
    }
    run.output = process.readAllStandardOutput();
    run.ok = process.error() != QProcess::FailedToStart
        && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (!run.ok) {
        run.error = QString::fromUtf8(process.readAllStandardError()).trimmed();
        if (run.error.isEmpty())
            run.error = process.errorString();
    }
    return run;
}

QProcessEnvironment PgDumpTool::environmentFor(const ConnectionSettings &settings,
                                               const QString &applicationName)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (settings.hasPassword())
        environment.insert(QStringLiteral("PGPASSWORD"), settings.password());
    environment.insert(QStringLiteral("PGAPPNAME"), applicationName);
    return environment;
}

PgDumpTool PgDumpTool::locate(int serverMajor, const QString &binDir)
{
    QString pgDump;
    if (!binDir.isEmpty()) {
        pgDump = QDir(binDir).filePath(QStringLiteral("pg_dump"));
    } else {
        // Debian keeps each major version's client programs apart; the newest serves every
        // older server.
        int newest = 0;
        const QDir versions(QStringLiteral("/usr/lib/postgresql"));
        for (const QString &entry : versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QString candidate = versions.filePath(entry + QStringLiteral("/bin/pg_dump"));
            if (entry.toInt() > newest && QFileInfo(candidate).isExecutable()) {
                newest = entry.toInt();
                pgDump = candidate;
            }
        }
        if (pgDump.isEmpty())
            pgDump = QStandardPaths::findExecutable(QStringLiteral("pg_dump"));
    }
    const QString install =
        QCoreApplication::translate("PgDumpTool",
                                    "install the PostgreSQL %1 client programs (Debian: apt-get "
                                    "install postgresql-client-%1), or name their directory "
                                    "with --pg-bin")
            .arg(serverMajor);
    if (pgDump.isEmpty() || !QFileInfo(pgDump).isExecutable())
        throw RequestError(
            QCoreApplication::translate("PgDumpTool", "pg_dump was not found: %1").arg(install));
    PgDumpTool tool;
    tool.pgDump = pgDump;
    tool.pgRestore = QFileInfo(pgDump).dir().filePath(QStringLiteral("pg_restore"));
    tool.versionText = versionOf(pgDump);
    tool.major = majorOf(tool.versionText);
    if (tool.major == 0)
        throw RequestError(
            QCoreApplication::translate("PgDumpTool", "%1 did not say its version: %2")
                .arg(pgDump, install));
    if (tool.major < serverMajor)
        throw RequestError(QCoreApplication::translate("PgDumpTool",
                                                       "%1 is version %2, older than the "
                                                       "server (PostgreSQL %3): it cannot dump "
                                                       "it faithfully. Nothing was done; %4")
                               .arg(pgDump)
                               .arg(tool.major)
                               .arg(serverMajor)
                               .arg(install));
    if (!QFileInfo(tool.pgRestore).isExecutable())
        throw RequestError(
            QCoreApplication::translate("PgDumpTool", "pg_restore is missing next to %1: %2")
                .arg(pgDump, install));
    return tool;
}

} // namespace fuelsync
