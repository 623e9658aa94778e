#include "FuelsyncDb.h"

#include "CommandLine.h"
#include "CommandTable.h"
#include "db/ExitStatus.h"

#include <QCoreApplication>

namespace fuelsync::cli {

int FuelsyncDb::run(const QStringList &arguments, const CliConsole &console)
{
    const CommandTable &table = CommandTable::instance();
    CommandLine line;
    CliContext context(line, console);
    QString error;
    if (!line.parse(arguments, table.knownOptions(), &error))
        return context.fail(error, ExitStatus::Usage);

    const bool help = line.has(QStringLiteral("help"));
    QStringList words = line.words();
    if (words.isEmpty() && line.has(QStringLiteral("version"))) {
        context.out() << "fuelsync-db " << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitStatus::Done;
    }
    // `help` alone, or `help migrate up`, as --help does.
    const bool helpWord = !words.isEmpty() && words.first() == u"help";
    if (helpWord)
        words.removeFirst();
    if (words.isEmpty()) {
        context.out() << table.usage();
        return help || helpWord ? ExitStatus::Done : ExitStatus::Usage;
    }

    const CliCommand *command = table.find(words);
    if (!command) {
        // A group's word (migrate, backup schedule) without a command of it, or with one it
        // does not have.
        QStringList prefix = words;
        while (!prefix.isEmpty() && table.commandsUnder(prefix).isEmpty())
            prefix.removeLast();
        if (prefix.isEmpty())
            return context.fail(QCoreApplication::translate("fuelsync-db",
                                                            "unknown command '%1' (see "
                                                            "'fuelsync-db help')")
                                    .arg(words.first()),
                                ExitStatus::Usage);
        if (help || helpWord) {
            context.out() << table.groupHelp(prefix);
            return ExitStatus::Done;
        }
        QStringList next;
        for (const CliCommand *c : table.commandsUnder(prefix))
            next.append(c->words.at(prefix.size()));
        next.removeDuplicates();
        const QString group = prefix.join(u' ');
        return context.fail(
            words.size() == prefix.size()
                ? QCoreApplication::translate("fuelsync-db", "%1 needs a command: %2")
                      .arg(group, next.join(QStringLiteral(", ")))
                : QCoreApplication::translate("fuelsync-db", "unknown %1 command '%2' (%3)")
                      .arg(group, words.at(prefix.size()), next.join(QStringLiteral(", "))),
            ExitStatus::Usage);
    }
    if (help || helpWord) {
        context.out() << table.help(*command);
        return ExitStatus::Done;
    }
    const QString refusal = table.refusal(*command, line);
    if (!refusal.isEmpty())
        return context.fail(refusal, ExitStatus::Usage);
    if (command->writes(line)) {
        // Setting the approval policy is the maintainers', approving the release managers'.
        const FuelsyncRole role =
            line.has(QStringLiteral("policy")) ? FuelsyncRole::Maintainer : *command->writesAs;
        context.setWritingCommand(line.has(QStringLiteral("policy"))
                                      ? command->name() + QStringLiteral(" --policy")
                                      : command->name(),
                                  role);
        if (const int refused = context.refuseOnReadOnlyProfile())
            return refused;
    }
    return command->run(context);
}

} // namespace fuelsync::cli
