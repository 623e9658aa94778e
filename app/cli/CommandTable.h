#pragma once

#include "CommandLine.h"
#include "roles/FuelsyncRole.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync::cli {

class CliContext;

// One option as a command takes it.
struct CliOption
{
    QString name; // "tenant", given as --tenant
    CommandLine::Value value = CommandLine::Value::None;
    QString valueName; // "SCHEMA", shown as --tenant=SCHEMA
    QString help;
    bool repeatable = false; // may be given more than once: --tenant=a --tenant=b
    bool required = false; // the command needs it (shown without brackets)

    // "[--tenant=SCHEMA]...", as a synopsis shows it.
    QString synopsis() const;
};

// One command: its words, what follows them, its options and its handler.
struct CliCommand
{
    QStringList words; // { "migrate", "up" }
    QString arguments; // what follows the words: "SCHEMA", "[ID]"; empty: nothing
    int maxArguments = 0;
    QString group; // the usage section it is listed in
    QString summary; // what it does, a few sentences
    QList<CliOption> options; // its own; the global ones come on top
    // Whether it works on a database (--db, --sandbox, --profile); the sandbox's commands do not.
    bool connects = true;
    // Also run by its words without the last one: `env` is `env show`.
    bool isDefault = false;
    int (*run)(CliContext &context) = nullptr;
    // Set when the command writes: the role whose members may run it. A read-only profile is
    // refused before connecting; a support login or a release manager without that role after
    // connecting, before anything runs. The server's privileges decide all the same.
    std::optional<FuelsyncRole> writesAs = std::nullopt;
    // When set, it writes only with this option (backup verify --restore-test).
    QString writesWith = QString();

    QString name() const { return words.join(u' '); }
    // Whether this command line writes (writesAs, and writesWith when set).
    bool writes(const CommandLine &line) const;
    QString synopsis() const; // "migrate up [--version=V] [--tenant=SCHEMA]... ..."
    const CliOption *option(const QString &name) const;
};

// Every command of fuelsync-db, with its options and their help: the usage text, each command's
// --help, the options the parser knows, the check of which command takes which option, and the
// dispatch all come from it (and man pages and shell completion can). Built on first use, after
// the translator is installed.
class CommandTable
{
    Q_DECLARE_TR_FUNCTIONS(CommandTable)

public:
    static const CommandTable &instance();

    const QList<CliCommand> &commands() const { return m_commands; }
    // --db, --sandbox, --profile, --migrations, --env, --lock-timeout, --quiet, --verbose,
    // --help: taken by every command (the connection ones only by commands that connect).
    const QList<CliOption> &globalOptions() const { return m_global; }
    // Every option the parser knows, and whether it takes a value.
    QHash<QString, CommandLine::Value> knownOptions() const;

    // The command the leading words name (the longest match), or null.
    const CliCommand *find(const QStringList &words) const;
    // The commands under `prefix` ("migrate" -> up, down, plan, ...).
    QList<const CliCommand *> commandsUnder(const QStringList &prefix) const;

    // The options `command` accepts: its own and the global ones that apply to it.
    QStringList acceptedOptions(const CliCommand &command) const;
    // Why `line` does not suit `command` (an option it does not take, a word too many); empty
    // when it does.
    QString refusal(const CliCommand &command, const CommandLine &line) const;

    QString usage() const; // fuelsync-db --help
    QString help(const CliCommand &command) const; // fuelsync-db migrate up --help
    // The commands of a group prefix, as `fuelsync-db migrate --help` lists them.
    QString groupHelp(const QStringList &prefix) const;

private:
    CommandTable();
    static QString exitStatusText();
    bool isConnectionOption(const QString &name) const;

    QList<CliOption> m_global;
    QList<CliCommand> m_commands;
};

} // namespace fuelsync::cli
