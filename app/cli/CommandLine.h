#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace fuelsync::cli {

// fuelsync-db's arguments: command words (migrate up, tenant create SCHEMA) and options, which may
// come before or after the command. `--name=value` and `--name value` both work; `--version`
// takes a value only when one follows (migrate up --version=003), and alone prints the tool's
// version.
class CommandLine
{
public:
    bool parse(const QStringList &arguments, QString *error);

    const QStringList &words() const { return m_words; }
    QString word(int index) const { return m_words.value(index); }

    bool has(const QString &option) const { return m_values.contains(option); }
    QString value(const QString &option) const { return m_values.value(option).value(0); }
    QStringList values(const QString &option) const { return m_values.value(option); }
    QStringList optionNames() const { return m_values.keys(); }

    // Returns false, naming the first option that `command` does not take.
    bool onlyAllows(const QStringList &commandOptions, const QString &command,
                    QString *error) const;

    static const QStringList &globalOptions();

private:
    QStringList m_words;
    QHash<QString, QStringList> m_values;
};

} // namespace fuelsync::cli
