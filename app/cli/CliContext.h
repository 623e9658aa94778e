#pragma once

#include "CommandLine.h"
#include "db/ConnectionSettings.h"
#include "environment/DeploymentEnvironment.h"

#include <QTextStream>

#include <optional>

namespace fuelsync::cli {

// What every command needs from the global options: where to connect, where the migrations are,
// the environment asked for, the lock timeout, and the output streams. Problems with the options
// are reported as usage errors (exit status 2).
class CliContext
{
public:
    explicit CliContext(const CommandLine &commandLine);

    const CommandLine &args() const { return m_args; }
    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
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
    bool lockTimeoutMs(int *milliseconds);
    bool jobs(int *jobs);
    QString runner() const;

    // Asks for a change that must be confirmed: with --yes it goes on; with no terminal on stdin
    // it is refused, saying that `what` needs --yes in a script; at a terminal, `about` is shown
    // and the answer must be exactly `answer` (the database's name on production, else "yes").
    bool confirm(const QString &what, const QString &about, const QString &answer);

    // When the --profile is read-only and `text` is the server's (or the runner's) refusal to
    // write, says that the profile is why.
    void explainReadOnly(const QString &text);

    // Prints "fuelsync-db: <message>" to stderr and returns `exitCode`.
    int fail(const QString &message, int exitCode);
    // The message of the last fail(), e.g. why connection() failed.
    const QString &lastError() const { return m_lastError; }

    static std::optional<int> parseDurationMs(const QString &text);

private:
    const CommandLine &m_args;
    QTextStream m_out;
    QTextStream m_err;
    QString m_readOnlyProfile;
    QString m_lastError;
};

} // namespace fuelsync::cli
