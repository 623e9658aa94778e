#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace fuelsync::cli {

// fuelsync-db's arguments, split into words (migrate up, tenant create SCHEMA) and options, which
// may come before or after the words. `--name=value` and `--name value` both work; "--" ends the
// options. Which options exist, and which take a value, is the command table's (CommandTable).
class CommandLine
{
public:
    enum class Value {
        None, // a flag: --json
        Required, // --tenant=SCHEMA, --tenant SCHEMA
        // Takes the next argument only when it looks like a version (1, 003, 1.2): --version
        // alone prints the tool's version, --version 003 names a migration.
        OptionalVersion,
    };

    // False, with `error` saying why, for an option that is not in `known`, a missing or empty
    // value, or a value given to a flag.
    bool parse(const QStringList &arguments, const QHash<QString, Value> &known, QString *error);

    const QStringList &words() const { return m_words; }
    QString word(int index) const { return m_words.value(index); }

    bool has(const QString &option) const { return m_values.contains(option); }
    QString value(const QString &option) const { return m_values.value(option).value(0); }
    QStringList values(const QString &option) const { return m_values.value(option); }
    // The options given, in the order first given.
    const QStringList &given() const { return m_given; }

private:
    QStringList m_words;
    QHash<QString, QStringList> m_values;
    QStringList m_given;
};

} // namespace fuelsync::cli
