#pragma once

#include "CommandLine.h"
#include "common/ChangeConfirmation.h"
#include "db/ConnectionSettings.h"
#include "environment/DeploymentEnvironment.h"
#include "roles/FuelsyncRole.h"

#include <QTextStream>

#include <functional>
#include <optional>

namespace fuelsync {
class DbConnection;
}

namespace fuelsync::cli {

// Where one run of fuelsync-db talks: its output and its messages, and whether a person is there
// to answer a question (a terminal on stdin) or to watch a live counter (a terminal on stderr).
// main() gives the process's own; the in-process tests give buffers and no terminal.
struct CliConsole
{
    QTextStream &out;
    QTextStream &err;
    bool stdinIsTerminal = false;
    bool stderrIsTerminal = false;
    // fuelsync-db's own path, for what runs it later (a backup schedule's timer).
    QString program;
};

// What every command needs from the global options: where to connect, where the migrations are,
// the environment asked for, the lock timeout, and the output streams. Problems with the options
// are reported as usage errors (exit status 2).
class CliContext
{
public:
    CliContext(const CommandLine &commandLine, const CliConsole &console);

    const CommandLine &args() const { return m_args; }
    QTextStream &out() { return m_console.out; }
    QTextStream &err() { return m_console.err; }
    // A person at a terminal can be asked (passwords, confirmations).
    bool interactive() const { return m_console.stdinIsTerminal; }
    // Progress can be drawn as a live counter.
    bool stderrIsTerminal() const { return m_console.stderrIsTerminal; }
    const QString &program() const { return m_console.program; }
    bool quiet() const { return m_args.has(QStringLiteral("quiet")); }
    bool verbose() const { return m_args.has(QStringLiteral("verbose")); }

    // --sandbox, --db, --profile, or libpq's defaults. When the server asks for a password and none
    // is known, asks on the terminal (never on a command line). Returns false after printing why.
    bool connection(ConnectionSettings *settings, int *exitCode);
    // The name of the --profile when it is marked read-only (its sessions are then opened
    // read-only, so the server refuses every write); empty otherwise.
    const QString &readOnlyProfile() const { return m_readOnlyProfile; }
    // What names the connection for folders of its own: the profile, "sandbox", or
    // user@host:port/db.
    QString connectionName(const ConnectionSettings &settings) const;
    // --migrations, FUELSYNC_MIGRATIONS_DIR, ./migrations, the installed copy, the source tree.
    QString migrationsDirectory() const;
    bool environment(std::optional<DeploymentEnvironment> *environment);
    // --lock-timeout and --jobs: set only when given (what core's options hold otherwise is the
    // default); false after saying what is wrong with the value.
    bool lockTimeoutMs(int *milliseconds);
    bool jobs(int *jobs);
    QString runner() const;

    // Connects (connection()), runs `work` on one session of its own whose application name says
    // which command it is ("migrate plan"), and turns what it throws into the exit status: a
    // refused request gives `requestExit`, a connection that could not be made 3, a statement
    // the server refused 1.
    int withSession(const QString &command, int requestExit,
                    const std::function<int(DbConnection &, const ConnectionSettings &)> &work);

    // Asks for a change that core says must be confirmed (`asked`; nothing to ask: true): with
    // --yes it goes on; with no terminal on stdin it is refused, saying that asked.what needs
    // --yes in a script; at a terminal, `about` is shown and the answer must be exactly
    // asked.answer (the database's or schema's name, or "yes").
    bool confirm(const ChangeConfirmation &asked, const QString &about = {});
    // At a terminal: asks `question`; true only when the answer is exactly `expected`. Without
    // one: false.
    bool ask(const QString &question, const QString &expected);

    // The command about to run writes, and needs `role`: connection() then refuses a support
    // login or a release manager without it (after connecting, before anything runs), and
    // records the refusal in the audit.
    void setWritingCommand(const QString &name, FuelsyncRole role);
    // For a writing command: when --profile names a read-only profile, says so and returns the
    // exit status (1), before anything connects; 0 otherwise.
    int refuseOnReadOnlyProfile();

    // When the --profile is read-only and `text` is the server's (or the runner's) refusal to
    // write, says that the profile is why.
    void explainReadOnly(const QString &text);

    // Prints "fuelsync-db: <message>" to stderr and returns `exitCode`.
    int fail(const QString &message, int exitCode);
    // The same for an error core threw (RequestError, DbError), with its exit status
    // (ExitStatus::of; 130 after a cancel).
    int fail(const std::exception &error, bool cancelled = false);
    // The message of the last fail(), e.g. why connection() failed.
    const QString &lastError() const { return m_lastError; }

    static std::optional<int> parseDurationMs(const QString &text);

private:
    const CommandLine &m_args;
    CliConsole m_console;
    QString m_readOnlyProfile;
    QString m_lastError;
    QString m_writingCommand;
    FuelsyncRole m_writingRole = FuelsyncRole::Maintainer;

    // connection()'s check of the login for a writing command; false after saying why.
    bool admitsWriter(DbConnection &connection, int *exitCode);
};

} // namespace fuelsync::cli
