// fuelsync-db's command table: every command's --help lists exactly the options the command
// accepts, an option of another command is refused before anything runs, the usage lists every
// command, and the words pick the right command (env alone is env show; a group without its
// command says which there are). In-process, without a server.

#include "CliRunner.h"
#include "CommandLine.h"
#include "CommandTable.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::cli;
using namespace fuelsync::test;

namespace {

// The option names a --help text lists: the lines "  --name..." under its two option headings.
QSet<QString> listedOptions(const QString &help)
{
    static const QRegularExpression line(QStringLiteral("^  --([a-z-]+)"));
    QSet<QString> names;
    bool inOptions = false;
    for (const QString &text : help.split(u'\n')) {
        if (text == u"Options:" || text == u"Options for every command:") {
            inOptions = true;
            continue;
        }
        if (text.isEmpty() || !text.startsWith(u' ')) {
            inOptions = false;
            continue;
        }
        const auto match = line.match(text);
        if (inOptions && match.hasMatch())
            names.insert(match.captured(1));
    }
    return names;
}

// An argument that gives `option` a value of the kind it takes.
QString given(const QString &name, CommandLine::Value value)
{
    switch (value) {
    case CommandLine::Value::None:
        return QStringLiteral("--") + name;
    case CommandLine::Value::OptionalVersion:
        return QStringLiteral("--%1=003").arg(name);
    case CommandLine::Value::Required:
        break;
    }
    return QStringLiteral("--%1=x").arg(name);
}

} // namespace

class CommandTableTest : public QObject
{
    Q_OBJECT

private:
    CliRunner cli;
    const CommandTable &table = CommandTable::instance();

private slots:
    void everyCommandHasAHandlerAndTheUsageListsIt()
    {
        const CliResult usage = cli.run({ QStringLiteral("--help") });
        QCOMPARE(usage.exitCode, 0);
        QVERIFY(table.commands().size() >= 25);
        for (const CliCommand &command : table.commands()) {
            QVERIFY2(command.run, qPrintable(command.name()));
            QVERIFY2(!command.summary.isEmpty(), qPrintable(command.name()));
            // The synopsis may be wrapped: compare it word by word.
            const QString flat = usage.stdOut.simplified();
            QVERIFY2(flat.contains(command.synopsis().simplified()),
                     qPrintable(command.synopsis()));
        }
        // `help` says the same as --help; no command at all is a usage error that shows it.
        QCOMPARE(cli.run({ QStringLiteral("help") }).stdOut, usage.stdOut);
        const CliResult nothing = cli.run({});
        QCOMPARE(nothing.exitCode, 2);
        QCOMPARE(nothing.stdOut, usage.stdOut);
    }

    // The acceptance check: each command's --help lists exactly the options it accepts, each
    // of them passes, and every other option fuelsync-db knows is refused, before anything runs.
    void eachCommandsHelpListsExactlyTheOptionsItAccepts()
    {
        const QHash<QString, CommandLine::Value> known = table.knownOptions();
        for (const CliCommand &command : table.commands()) {
            const CliResult help =
                cli.run(command.words + QStringList { QStringLiteral("--help") });
            QVERIFY2(help.exitCode == 0, qPrintable(help.describe()));
            QVERIFY2(help.stdOut.startsWith(QStringLiteral("Usage: fuelsync-db ") + command.name()),
                     qPrintable(help.stdOut));
            const QStringList accepted = table.acceptedOptions(command);
            const QSet<QString> expected(accepted.cbegin(), accepted.cend());
            QCOMPARE(listedOptions(help.stdOut), expected);
            // `help WORDS` is the same text.
            QCOMPARE(cli.run(QStringList { QStringLiteral("help") } + command.words).stdOut,
                     help.stdOut);

            for (auto it = known.cbegin(); it != known.cend(); ++it) {
                if (it.key() == u"help")
                    continue;
                CommandLine line;
                QString error;
                QVERIFY(line.parse(command.words + QStringList { given(it.key(), it.value()) },
                                   known, &error));
                const QString refusal = table.refusal(command, line);
                if (expected.contains(it.key())) {
                    QVERIFY2(refusal.isEmpty(),
                             qPrintable(command.name() + QStringLiteral(": ") + refusal));
                    continue;
                }
                QVERIFY2(!refusal.isEmpty(),
                         qPrintable(command.name() + QStringLiteral(" took --") + it.key()));
                // The whole program refuses it with a usage error, and runs nothing: a command
                // that would change something is given nowhere to connect to.
                const CliResult run =
                    cli.run(command.words
                            + QStringList { given(it.key(), it.value()), QStringLiteral("--db"),
                                            QStringLiteral("host=/nonexistent port=1") });
                QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
                QVERIFY2(run.stdErr.contains(QStringLiteral("--") + it.key()),
                         qPrintable(run.describe()));
            }
        }
    }

    // One name, one meaning: an option that several commands take takes a value in all of them
    // or in none, so the parser (which knows every option) reads it the same way for each.
    void anOptionTakesAValueTheSameWayEverywhere()
    {
        QHash<QString, CommandLine::Value> seen;
        QList<CliOption> all = table.globalOptions();
        for (const CliCommand &command : table.commands()) {
            QSet<QString> own;
            for (const CliOption &option : command.options) {
                QVERIFY2(!own.contains(option.name),
                         qPrintable(command.name() + QStringLiteral(" twice: ") + option.name));
                own.insert(option.name);
                QVERIFY2(!option.help.isEmpty(), qPrintable(option.name));
                all.append(option);
            }
        }
        for (const CliOption &option : std::as_const(all)) {
            if (seen.contains(option.name))
                QVERIFY2(seen.value(option.name) == option.value, qPrintable(option.name));
            seen.insert(option.name, option.value);
        }
    }

    void theWordsPickTheCommand()
    {
        const auto named = [this](const QStringList &words) {
            const CliCommand *command = table.find(words);
            return command ? command->name() : QString();
        };
        QCOMPARE(named({ QStringLiteral("migrate"), QStringLiteral("up") }),
                 QStringLiteral("migrate up"));
        QCOMPARE(named({ QStringLiteral("env") }), QStringLiteral("env show"));
        QCOMPARE(named({ QStringLiteral("env"), QStringLiteral("set"), QStringLiteral("staging") }),
                 QStringLiteral("env set"));
        QCOMPARE(named({ QStringLiteral("backup"), QStringLiteral("schedule"),
                         QStringLiteral("add"), QStringLiteral("nightly") }),
                 QStringLiteral("backup schedule add"));
        QCOMPARE(named({ QStringLiteral("backup"), QStringLiteral("scheduled"),
                         QStringLiteral("nightly") }),
                 QStringLiteral("backup scheduled"));
        QVERIFY(named({ QStringLiteral("migrate") }).isEmpty());
        QVERIFY(named({ QStringLiteral("migrat") }).isEmpty());

        CliResult result = cli.run({ QStringLiteral("migrate") });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stdErr.contains(
                     QStringLiteral("migrate needs a command: up, down, plan, status, create")),
                 qPrintable(result.describe()));
        result = cli.run(
            { QStringLiteral("backup"), QStringLiteral("schedule"), QStringLiteral("sometimes") });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stdErr.contains(
                     QStringLiteral("unknown backup schedule command 'sometimes' (add, list, "
                                    "remove)")),
                 qPrintable(result.describe()));
        result = cli.run({ QStringLiteral("backup"), QStringLiteral("--help") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.stdOut.contains(QStringLiteral("backup restore ID --tenant=SCHEMA")),
                 qPrintable(result.describe()));
        // A word too many is refused, not ignored.
        result =
            cli.run({ QStringLiteral("migrate"), QStringLiteral("up"), QStringLiteral("006") });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stdErr.contains(QStringLiteral("'migrate up' does not take '006'")),
                 qPrintable(result.describe()));
        // The sandbox's commands take no connection.
        result = cli.run({ QStringLiteral("sandbox"), QStringLiteral("status"),
                           QStringLiteral("--db"), QStringLiteral("host=x") });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stdErr.contains(QStringLiteral("takes no --db")),
                 qPrintable(result.describe()));
    }

    void theParserReadsOptionsAsTheTableSays()
    {
        const QHash<QString, CommandLine::Value> known = table.knownOptions();
        CommandLine line;
        QString error;
        QVERIFY2(line.parse(
                     { QStringLiteral("-j3"), QStringLiteral("migrate"), QStringLiteral("--tenant"),
                       QStringLiteral("a"), QStringLiteral("--tenant=b"), QStringLiteral("up"),
                       QStringLiteral("--version"), QStringLiteral("004"), QStringLiteral("-q"),
                       QStringLiteral("--"), QStringLiteral("--not-an-option") },
                     known, &error),
                 qPrintable(error));
        QCOMPARE(line.words(),
                 (QStringList { QStringLiteral("migrate"), QStringLiteral("up"),
                                QStringLiteral("--not-an-option") }));
        QCOMPARE(line.value(QStringLiteral("jobs")), QStringLiteral("3"));
        QCOMPARE(line.values(QStringLiteral("tenant")),
                 (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
        QCOMPARE(line.value(QStringLiteral("version")), QStringLiteral("004"));
        QVERIFY(line.has(QStringLiteral("quiet")));
        QCOMPARE(line.given(),
                 (QStringList { QStringLiteral("jobs"), QStringLiteral("tenant"),
                                QStringLiteral("version"), QStringLiteral("quiet") }));

        // --version alone is the tool's version: a following word that is not one stays a word.
        CommandLine alone;
        QVERIFY(
            alone.parse({ QStringLiteral("--version"), QStringLiteral("migrate") }, known, &error));
        QVERIFY(alone.has(QStringLiteral("version")));
        QVERIFY(alone.value(QStringLiteral("version")).isEmpty());
        QCOMPARE(alone.words(), QStringList { QStringLiteral("migrate") });

        const QList<std::pair<QStringList, QString>> bad {
            { { QStringLiteral("--frobnicate") }, QStringLiteral("unknown option --frobnicate") },
            { { QStringLiteral("-x") }, QStringLiteral("unknown option -x") },
            { { QStringLiteral("--tenant") }, QStringLiteral("--tenant needs a value") },
            { { QStringLiteral("--as=") }, QStringLiteral("--as was given an empty value") },
            { { QStringLiteral("--json=yes") }, QStringLiteral("--json takes no value") },
        };
        for (const auto &[arguments, message] : bad) {
            CommandLine refused;
            QVERIFY(!refused.parse(arguments, known, &error));
            QVERIFY2(error.contains(message), qPrintable(error));
        }
    }
};

QTEST_GUILESS_MAIN(CommandTableTest)
#include "tst_commandtable.moc"
