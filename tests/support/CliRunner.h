#pragma once

#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace fuelsync::test {

// What one run of the command-line tool did.
struct CliResult
{
    bool started = false;
    bool timedOut = false; // still running at the deadline, then killed
    bool crashed = false; // ended by a signal (also after kill())
    int exitCode = -1;
    QString stdOut;
    QString stdErr;
    QString errorString; // why it did not start

    // Exit code and both outputs, for QVERIFY2 messages.
    QString describe() const;
    // Standard output read as a JSON object (--json); empty when it is not one.
    QJsonObject json() const;
};

// How to run it: runner.run(args, CliOptions().withStdin(sql).withEnv("PGPASSWORD", pw)).
struct CliOptions
{
    // Added to (or replacing values of) the inherited environment.
    QMap<QString, QString> environment;
    // Removed from it (PGPASSWORD, PGSERVICE, ...).
    QStringList unsetEnvironment;
    // Written to stdin, which is then closed (so stdin is always at its end).
    QString stdinText;
    int timeoutMs = 120'000;
    QString workingDirectory;
    // Run as a process of its own even where the runner runs in-process (for real exit codes,
    // signals, stdin, or a process's own environment).
    bool process = false;
    // Started as the leader of a process group of its own (implies process), so that
    // CliProcess::killGroup() reaches it and every child it started, as a shell's kill -- -PID or
    // a service manager's stop does, and nothing of the test's own group.
    bool ownProcessGroup = false;

    CliOptions &withEnv(const QString &name, const QString &value)
    {
        environment.insert(name, value);
        return *this;
    }
    CliOptions &withoutEnv(const QString &name)
    {
        unsetEnvironment.append(name);
        return *this;
    }
    CliOptions &withStdin(const QString &text)
    {
        stdinText = text;
        return *this;
    }
    CliOptions &withTimeout(int ms)
    {
        timeoutMs = ms;
        return *this;
    }
    CliOptions &inDirectory(const QString &directory)
    {
        workingDirectory = directory;
        return *this;
    }
    CliOptions &asProcess()
    {
        process = true;
        return *this;
    }
    CliOptions &inItsOwnProcessGroup()
    {
        process = true;
        ownProcessGroup = true;
        return *this;
    }
};

// A run that the test watches while it goes on, for example to kill it mid-way.
class CliProcess
{
public:
    ~CliProcess();
    CliProcess(const CliProcess &) = delete;
    CliProcess &operator=(const CliProcess &) = delete;

    bool isStarted() const { return m_started; }
    const QString &errorString() const { return m_error; }
    qint64 pid() const;
    bool isRunning() const;

    // Collects output until stdout or stderr contains text; false at the deadline or when the
    // process ended without printing it.
    bool waitForOutput(const QString &text, int timeoutMs = 30'000);
    // Collects output until condition() holds (polled every pollMs); false at the deadline.
    bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 30'000, int pollMs = 50);
    QString stdOutSoFar();
    QString stdErrSoFar();

    // SIGKILL: the process gets no chance to clean up.
    void kill();
    // SIGINT, as Ctrl-C in a terminal.
    void interrupt();
    // SIGTERM, as kill PID or a service manager's stop.
    void terminate();
    // SIGKILL to its whole process group; only for a run started inItsOwnProcessGroup().
    void killGroup();

    // Waits for the end; at the deadline it is killed and the result says timedOut.
    CliResult wait(int timeoutMs = 120'000);

private:
    friend class CliRunner;
    CliProcess() = default;
    void collect();

    QProcess m_process;
    bool m_started = false;
    bool m_ownProcessGroup = false;
    QString m_error;
    QByteArray m_stdOut;
    QByteArray m_stdErr;
};

// Runs the fuelsync-db command-line tool as a user would. CliRunner() runs it in-process
// (FuelsyncDb::run, with the options' environment and working directory in force for the run,
// and no terminal), which is what most tests want: the same code, without starting a process.
// A run with stdin text or CliOptions::asProcess(), start(), and CliRunner(program) run the
// program (FUELSYNC_CLI, set by ctest) as a process.
class CliRunner
{
public:
    CliRunner();
    explicit CliRunner(QString program);

    static QString programFromEnvironment();
    const QString &program() const { return m_program; }

    CliResult run(const QStringList &arguments, const CliOptions &options = {}) const;
    std::unique_ptr<CliProcess> start(const QStringList &arguments,
                                      const CliOptions &options = {}) const;

private:
    CliResult runInProcess(const QStringList &arguments, const CliOptions &options) const;

    QString m_program;
    bool m_inProcess = false;
};

} // namespace fuelsync::test
