#include "CliRunner.h"

#include "FuelsyncDb.h"
#include "fuelsync_version.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QThread>
#include <QTranslator>

#include <csignal>
#include <optional>
#include <unistd.h>

namespace fuelsync::test {

QJsonObject CliResult::json() const
{
    return QJsonDocument::fromJson(stdOut.toUtf8()).object();
}

QString CliResult::describe() const
{
    QString text;
    if (!started)
        text = QStringLiteral("did not start: %1").arg(errorString);
    else if (timedOut)
        text = QStringLiteral("timed out");
    else if (crashed)
        text = QStringLiteral("crashed or was killed");
    else
        text = QStringLiteral("exit code %1").arg(exitCode);
    return text + QStringLiteral("\n--- stdout ---\n") + stdOut
        + QStringLiteral("\n--- stderr ---\n") + stdErr;
}

CliProcess::~CliProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

qint64 CliProcess::pid() const
{
    return m_process.processId();
}

bool CliProcess::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

void CliProcess::collect()
{
    m_stdOut += m_process.readAllStandardOutput();
    m_stdErr += m_process.readAllStandardError();
}

QString CliProcess::stdOutSoFar()
{
    collect();
    return QString::fromUtf8(m_stdOut);
}

QString CliProcess::stdErrSoFar()
{
    collect();
    return QString::fromUtf8(m_stdErr);
}

bool CliProcess::waitForOutput(const QString &text, int timeoutMs)
{
    return waitUntil(
        [&] {
            return QString::fromUtf8(m_stdOut).contains(text)
                || QString::fromUtf8(m_stdErr).contains(text);
        },
        timeoutMs, 20);
}

bool CliProcess::waitUntil(const std::function<bool()> &condition, int timeoutMs, int pollMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        collect();
        if (condition())
            return true;
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return false;
        // Also reads stderr into QProcess's buffer while it waits on stdout.
        if (!m_process.waitForReadyRead(pollMs) && m_process.state() == QProcess::NotRunning) {
            collect();
            return condition();
        }
    }
}

void CliProcess::kill()
{
    m_process.kill();
}

void CliProcess::interrupt()
{
    if (m_process.processId() > 0)
        ::kill(static_cast<pid_t>(m_process.processId()), SIGINT);
}

void CliProcess::terminate()
{
    if (m_process.processId() > 0)
        ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
}

void CliProcess::killGroup()
{
    Q_ASSERT(m_ownProcessGroup);
    if (m_ownProcessGroup && m_process.processId() > 0)
        ::kill(-static_cast<pid_t>(m_process.processId()), SIGKILL);
}

CliResult CliProcess::wait(int timeoutMs)
{
    CliResult result;
    result.started = m_started;
    result.errorString = m_error;
    if (!m_started)
        return result;
    if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs)) {
        result.timedOut = true;
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    collect();
    result.crashed = m_process.exitStatus() == QProcess::CrashExit;
    result.exitCode = result.crashed ? -1 : m_process.exitCode();
    result.stdOut = QString::fromUtf8(m_stdOut);
    result.stdErr = QString::fromUtf8(m_stdErr);
    return result;
}

CliRunner::CliRunner()
    : m_program(programFromEnvironment())
    , m_inProcess(true)
{ }

CliRunner::CliRunner(QString program)
    : m_program(std::move(program))
{ }

QString CliRunner::programFromEnvironment()
{
    return qEnvironmentVariable("FUELSYNC_CLI");
}

std::unique_ptr<CliProcess> CliRunner::start(const QStringList &arguments,
                                             const CliOptions &options) const
{
    std::unique_ptr<CliProcess> run(new CliProcess);
    if (m_program.isEmpty()) {
        run->m_error = QStringLiteral(
            "FUELSYNC_CLI is not set, so the command-line tool cannot be found: run the tests "
            "with ctest");
        return run;
    }
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : options.unsetEnvironment)
        environment.remove(name);
    for (auto it = options.environment.cbegin(); it != options.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    QProcess &process = run->m_process;
    process.setProcessEnvironment(environment);
    process.setProgram(m_program);
    process.setArguments(arguments);
    if (!options.workingDirectory.isEmpty())
        process.setWorkingDirectory(options.workingDirectory);
    if (options.ownProcessGroup) {
        process.setChildProcessModifier([] { ::setpgid(0, 0); });
        run->m_ownProcessGroup = true;
    }
    process.start();
    if (!process.waitForStarted(options.timeoutMs)) {
        run->m_error = QStringLiteral("cannot run %1: %2").arg(m_program, process.errorString());
        return run;
    }
    run->m_started = true;
    if (!options.stdinText.isEmpty())
        process.write(options.stdinText.toUtf8());
    process.closeWriteChannel();
    return run;
}

CliResult CliRunner::run(const QStringList &arguments, const CliOptions &options) const
{
    if (m_inProcess && !options.process && options.stdinText.isEmpty())
        return runInProcess(arguments, options);
    return start(arguments, options)->wait(options.timeoutMs);
}

namespace {

// Sets environment variables for its lifetime, and puts back what was there.
class ScopedEnvironment
{
public:
    void set(const QString &name, const QString &value)
    {
        keep(name);
        qputenv(name.toLocal8Bit().constData(), value.toLocal8Bit());
    }
    void unset(const QString &name)
    {
        keep(name);
        qunsetenv(name.toLocal8Bit().constData());
    }
    ~ScopedEnvironment()
    {
        for (auto it = m_saved.crbegin(); it != m_saved.crend(); ++it) {
            if (it->second)
                qputenv(it->first.constData(), *it->second);
            else
                qunsetenv(it->first.constData());
        }
    }

private:
    void keep(const QString &name)
    {
        const QByteArray key = name.toLocal8Bit();
        m_saved.append({ key,
                         qEnvironmentVariableIsSet(key.constData())
                             ? std::optional<QByteArray>(qgetenv(key.constData()))
                             : std::nullopt });
    }
    QList<std::pair<QByteArray, std::optional<QByteArray>>> m_saved;
};

} // namespace

CliResult CliRunner::runInProcess(const QStringList &arguments, const CliOptions &options) const
{
    // What main() sets up: the names QStandardPaths and the stores go by, and the English plural
    // forms ("1 schema").
    static const bool translated = [] {
        static QTranslator english;
        return english.load(QStringLiteral(FUELSYNC_QM_DIR "/fuelsync_en.qm"))
            && QCoreApplication::installTranslator(&english);
    }();
    Q_UNUSED(translated);
    const QString applicationName = QCoreApplication::applicationName();
    const QString organizationName = QCoreApplication::organizationName();
    const QString applicationVersion = QCoreApplication::applicationVersion();
    QCoreApplication::setApplicationName(QStringLiteral("fuelsync-admin"));
    QCoreApplication::setOrganizationName(QStringLiteral("FuelSync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FUELSYNC_VERSION));
    const QString directory = QDir::currentPath();
    if (!options.workingDirectory.isEmpty())
        QDir::setCurrent(options.workingDirectory);

    CliResult result;
    {
        ScopedEnvironment environment;
        for (const QString &name : options.unsetEnvironment)
            environment.unset(name);
        for (auto it = options.environment.cbegin(); it != options.environment.cend(); ++it)
            environment.set(it.key(), it.value());
        QTextStream out(&result.stdOut);
        QTextStream err(&result.stdErr);
        result.started = true;
        result.exitCode =
            cli::FuelsyncDb::run(arguments, cli::CliConsole { out, err, false, false, m_program });
        out.flush();
        err.flush();
    }

    QDir::setCurrent(directory);
    QCoreApplication::setApplicationName(applicationName);
    QCoreApplication::setOrganizationName(organizationName);
    QCoreApplication::setApplicationVersion(applicationVersion);
    return result;
}

} // namespace fuelsync::test
