#include "CommentHeader.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace fuelsync {

namespace {

int editDistance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            current[j] = std::min({ previous[j] + 1, current[j - 1] + 1, substitution });
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

} // namespace

CommentHeader CommentHeader::parse(const QString &text, const QStringList &knownKeys,
                                   const QStringList &repeatableKeys)
{
    static const QRegularExpression fieldPattern(
        QStringLiteral("^--\\s*([A-Za-z][A-Za-z_-]*)\\s*:(.*)$"));
    CommentHeader header;
    int lineNumber = 0;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(u'\n', start);
        if (end < 0)
            end = text.size();
        QString line = text.mid(start, end - start);
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (lineNumber == 0 && line.startsWith(QChar(0xFEFF)))
            line.remove(0, 1);
        ++lineNumber;
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith(u"--"))
            break;
        header.m_endLine = lineNumber;
        if (const auto match = fieldPattern.match(trimmed); match.hasMatch()) {
            const QString key = match.captured(1).toLower();
            const QString value = match.captured(2).trimmed();
            if (knownKeys.contains(key)) {
                if (header.has(key) && !repeatableKeys.contains(key)) {
                    header.m_problems.append(
                        { lineNumber,
                          QCoreApplication::translate("CommentHeader",
                                                      "the header field '%1' appears twice (first "
                                                      "on line %2)")
                              .arg(key)
                              .arg(header.line(key)) });
                } else {
                    header.m_fields.append({ key, value, lineNumber });
                }
            } else {
                for (const QString &known : knownKeys) {
                    if (editDistance(key, known) <= 2 && key.size() > 2) {
                        header.m_problems.append(
                            { lineNumber,
                              QCoreApplication::translate(
                                  "CommentHeader", "unknown header field '%1': did you mean '%2'?")
                                  .arg(key, known) });
                        break;
                    }
                }
            }
        }
        if (end == text.size())
            break;
        start = end + 1;
    }
    return header;
}

bool CommentHeader::has(const QString &key) const
{
    return line(key) > 0;
}

QString CommentHeader::value(const QString &key) const
{
    for (const Field &field : m_fields) {
        if (field.key == key)
            return field.value;
    }
    return {};
}

int CommentHeader::line(const QString &key) const
{
    for (const Field &field : m_fields) {
        if (field.key == key)
            return field.line;
    }
    return 0;
}

QList<CommentHeader::Field> CommentHeader::all(const QString &key) const
{
    QList<Field> result;
    for (const Field &field : m_fields) {
        if (field.key == key)
            result.append(field);
    }
    return result;
}

} // namespace fuelsync
