#include "CommandLine.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace fuelsync::cli {

namespace {

// The short forms: -h, -y, -q, -j N (or -jN).
QString longName(const QString &shortForm)
{
    if (shortForm == u"-h")
        return QStringLiteral("help");
    if (shortForm == u"-y")
        return QStringLiteral("yes");
    if (shortForm == u"-q")
        return QStringLiteral("quiet");
    if (shortForm == u"-j")
        return QStringLiteral("jobs");
    return {};
}

} // namespace

bool CommandLine::parse(const QStringList &arguments, const QHash<QString, Value> &known,
                        QString *error)
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
        } else if (argument.startsWith(u"-j") && argument.size() > 2) {
            name = QStringLiteral("jobs");
            value = argument.mid(2);
            hasValue = true;
        } else {
            name = longName(argument);
            if (name.isEmpty()) {
                *error = QCoreApplication::translate("CommandLine",
                                                     "unknown option %1 (see 'fuelsync-db help')")
                             .arg(argument);
                return false;
            }
        }
        const auto kind = known.constFind(name);
        if (kind == known.cend()) {
            *error = QCoreApplication::translate("CommandLine",
                                                 "unknown option --%1 (see 'fuelsync-db help')")
                         .arg(name);
            return false;
        }
        if (*kind == Value::OptionalVersion && !hasValue && i + 1 < arguments.size()
            && versionValue.match(arguments.at(i + 1)).hasMatch()) {
            value = arguments.at(++i);
            hasValue = true;
        }
        if (*kind == Value::Required && !hasValue) {
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
        if (*kind == Value::None && hasValue) {
            *error = QCoreApplication::translate("CommandLine", "--%1 takes no value").arg(name);
            return false;
        }
        if (!m_values.contains(name))
            m_given.append(name);
        m_values[name].append(value);
    }
    return true;
}

} // namespace fuelsync::cli
