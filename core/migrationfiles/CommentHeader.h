#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

// The block of `-- key: value` comment lines at the top of a migration or seed file.
//
// The header is every leading line that is blank or a `--` comment, up to the first line of SQL.
// A comment of the form `-- key: value` whose key is one the caller knows is a field; a key that is
// unknown but within two edits of a known one is reported (a typo such as `-- depend: 001` must
// not silently drop a dependency); any other comment is free text.
class CommentHeader
{
public:
    struct Field
    {
        QString key;
        QString value;
        int line = 0;
    };
    struct Problem
    {
        int line = 0;
        QString message;
    };

    static CommentHeader parse(const QString &text, const QStringList &knownKeys,
                               const QStringList &repeatableKeys = {});

    const QList<Field> &fields() const { return m_fields; }
    const QList<Problem> &problems() const { return m_problems; }
    bool has(const QString &key) const;
    QString value(const QString &key) const;
    int line(const QString &key) const;
    QList<Field> all(const QString &key) const;
    int endLine() const { return m_endLine; } // last line of the header block

private:
    QList<Field> m_fields;
    QList<Problem> m_problems;
    int m_endLine = 0;
};

} // namespace fuelsync
