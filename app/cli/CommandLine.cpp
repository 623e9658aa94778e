#include "CommandLine.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace fuelsync::cli {

namespace {

struct OptionSpec
{
    const char *name;
    bool takesValue;
};

// Every option fuelsync-db knows; which command takes which is checked by the command.
constexpr OptionSpec knownOptions[] = {
    { "db", true },          { "sandbox", false },     { "migrations", true },
    { "env", true },         { "lock-timeout", true }, { "quiet", false },
    { "help", false },       { "json", false },        { "version", false },
    { "tenant", true },      { "jobs", true },         { "dry-run", false },
    { "yes", false },        { "name", true },         { "scope", true },
    { "no-migrate", false }, { "set", true },          { "param", true },
    { "verbose", false },    { "comment", true },      { "down", false },
    { "dest", true },        { "pg-bin", true },       { "restore-test", false },
    { "profile", true },     { "keep-last", true },    { "keep-daily", true },
    { "keep-weekly", true }, { "keep-monthly", true }, { "as", true },
    { "public", false },     { "at", true },           { "days", true },
    { "verify", true },      { "no-systemd", false },  { "schemas-per-archive", true },
    { "migrate", false },
};

const OptionSpec *findOption(const QString &name)
{
    for (const OptionSpec &spec : knownOptions) {
        if (name == QLatin1StringView(spec.name))
            return &spec;
    }
    return nullptr;
}

} // namespace

const QStringList &CommandLine::globalOptions()
{
    static const QStringList options = { QStringLiteral("db"),           QStringLiteral("sandbox"),
                                         QStringLiteral("migrations"),   QStringLiteral("env"),
                                         QStringLiteral("lock-timeout"), QStringLiteral("quiet"),
                                         QStringLiteral("help"),         QStringLiteral("verbose"),
                                         QStringLiteral("profile") };
    return options;
}

bool CommandLine::parse(const QStringList &arguments, QString *error)
{
    static const QRegularExpression versionValue(
        QRegularExpression::anchoredPattern(QStringLiteral("[0-9]+(\\.[0-9]+)*")));
    bool optionsEnded = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (optionsEnded || !argument.startsWith(u'-') || argument == u"-") {
            m_words.append(argument);
            continue;
        }
        if (argument == u"--") {
            optionsEnded = true;
            continue;
        }
        QString name;
        QString value;
        bool hasValue = false;
        if (argument.startsWith(u"--")) {
            name = argument.mid(2);
            const qsizetype equals = name.indexOf(u'=');
            if (equals >= 0) {
                value = name.mid(equals + 1);
                name = name.left(equals);
                hasValue = true;
            }
        } else if (argument == u"-h") {
            name = QStringLiteral("help");
        } else if (argument == u"-y") {
            name = QStringLiteral("yes");
        } else if (argument == u"-q") {
            name = QStringLiteral("quiet");
        } else if (argument == u"-j") {
            name = QStringLiteral("jobs");
        } else if (argument.startsWith(u"-j")) {
            name = QStringLiteral("jobs");
            value = argument.mid(2);
            hasValue = true;
        } else {
            *error = QCoreApplication::translate("CommandLine",
                                                 "unknown option %1 (see 'fuelsync-db help')")
                         .arg(argument);
            return false;
        }
        const OptionSpec *spec = findOption(name);
        if (!spec) {
            *error = QCoreApplication::translate("CommandLine",
                                                 "unknown option --%1 (see 'fuelsync-db help')")
                         .arg(name);
            return false;
        }
        if (name == u"version" && !hasValue && i + 1 < arguments.size()
            && versionValue.match(arguments.at(i + 1)).hasMatch()) {
            value = arguments.at(++i);
            hasValue = true;
        }
        if (spec->takesValue && !hasValue) {
            if (i + 1 >= arguments.size()) {
                *error = QCoreApplication::translate("CommandLine", "--%1 needs a value").arg(name);
                return false;
            }
            value = arguments.at(++i);
            hasValue = true;
        }
        if (hasValue && value.isEmpty()) {
            // An empty value never means "the default": --as= must not restore in place, nor
            // --dest= pick the default folder.
            *error = QCoreApplication::translate("CommandLine",
                                                 "--%1 was given an empty value; give a value, "
                                                 "or leave the option out")
                         .arg(name);
            return false;
        }
        if (!spec->takesValue && hasValue && name != u"version") {
            *error = QCoreApplication::translate("CommandLine", "--%1 takes no value").arg(name);
            return false;
        }
        m_values[name].append(value);
    }
    return true;
}

bool CommandLine::onlyAllows(const QStringList &commandOptions, const QString &command,
                             QString *error) const
{
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        if (globalOptions().contains(it.key()) || commandOptions.contains(it.key()))
            continue;
        *error = QCoreApplication::translate("CommandLine", "'%1' does not take --%2")
                     .arg(command, it.key());
        return false;
    }
    return true;
}

} // namespace fuelsync::cli
