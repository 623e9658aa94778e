#include "SqlHighlighter.h"

#include <QSet>
#include <QTextBlockUserData>

namespace fuelsync {

namespace {

// The dollar-quote tag a line ends inside of, carried to the next line.
class DollarTag : public QTextBlockUserData
{
public:
    explicit DollarTag(QString tag)
        : text(std::move(tag))
    { }
    QString text;
};

const QSet<QString> &keywords()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        for (const char *word :
             { "add",        "all",        "alter",     "and",          "as",         "asc",
               "begin",      "between",    "by",        "cascade",      "case",       "check",
               "column",     "comment",    "commit",    "concurrently", "constraint", "create",
               "default",    "deferrable", "delete",    "desc",         "distinct",   "do",
               "drop",       "else",       "end",       "exists",       "foreign",    "from",
               "function",   "grant",      "group",     "having",       "if",         "immediate",
               "in",         "index",      "initially", "insert",       "into",       "is",
               "join",       "key",        "language",  "left",         "like",       "limit",
               "not",        "null",       "on",        "or",           "order",      "primary",
               "references", "rename",     "replace",   "restrict",     "returns",    "revoke",
               "rollback",   "schema",     "select",    "sequence",     "set",        "table",
               "then",       "to",         "trigger",   "truncate",     "type",       "union",
               "unique",     "update",     "using",     "valid",        "values",     "view",
               "when",       "where",      "with",      "return",       "returning",  "for",
               "each",       "row",        "execute",   "procedure",    "declare",    "raise",
               "exception",  "perform",    "loop",      "while",        "elsif",      "true",
               "false",      "only",       "owned",     "partition",    "of",         "generated",
               "always",     "identity",   "stored",    "include",      "nulls",      "first",
               "last",       "no",         "action",    "temporary",    "temp",       "unlogged" })
            set.insert(QString::fromLatin1(word));
        return set;
    }();
    return words;
}

bool isWordStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isWordPart(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    m_keyword.setForeground(QColor(0x1d, 0x4e, 0x89));
    m_keyword.setFontWeight(QFont::Bold);
    m_string.setForeground(QColor(0x2e, 0x7d, 0x32));
    m_comment.setForeground(QColor(0x80, 0x86, 0x8f));
    m_comment.setFontItalic(true);
    m_number.setForeground(QColor(0xa3, 0x4a, 0x00));
    m_quotedIdentifier.setForeground(QColor(0x6a, 0x1b, 0x9a));
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    int state = previousBlockState() < 0 ? Normal : previousBlockState();
    QString dollarTag;
    if (state == InDollar) {
        const QTextBlock previous = currentBlock().previous();
        if (auto *data = dynamic_cast<DollarTag *>(previous.userData()))
            dollarTag = data->text;
    }

    auto finishString = [&](qsizetype from) {
        // Inside '...': '' is an escaped quote.
        qsizetype j = from;
        while (j < n) {
            if (text.at(j) == u'\'') {
                if (j + 1 < n && text.at(j + 1) == u'\'') {
                    j += 2;
                    continue;
                }
                setFormat(from, j + 1 - from, m_string);
                return j + 1;
            }
            ++j;
        }
        setFormat(from, n - from, m_string);
        state = InString;
        return n;
    };
    auto finishBlockComment = [&](qsizetype from) {
        const qsizetype end = text.indexOf(QStringLiteral("*/"), from);
        if (end < 0) {
            setFormat(from, n - from, m_comment);
            state = InBlockComment;
            return n;
        }
        setFormat(from, end + 2 - from, m_comment);
        return end + 2;
    };
    auto finishDollar = [&](qsizetype from) {
        const qsizetype end = text.indexOf(dollarTag, from);
        if (end < 0) {
            setFormat(from, n - from, m_string);
            state = InDollar;
            return n;
        }
        setFormat(from, end + dollarTag.size() - from, m_string);
        return end + dollarTag.size();
    };

    if (state == InString) {
        state = Normal;
        i = finishString(0);
    } else if (state == InBlockComment) {
        state = Normal;
        i = finishBlockComment(0);
    } else if (state == InDollar) {
        state = Normal;
        i = finishDollar(0);
    }

    while (i < n && state == Normal) {
        const QChar c = text.at(i);
        if (c == u'-' && i + 1 < n && text.at(i + 1) == u'-') {
            setFormat(i, n - i, m_comment);
            break;
        }
        if (c == u'/' && i + 1 < n && text.at(i + 1) == u'*') {
            i = finishBlockComment(i);
            continue;
        }
        if (c == u'\'') {
            i = finishString(i);
            continue;
        }
        if (c == u'"') {
            const qsizetype end = text.indexOf(u'"', i + 1);
            const qsizetype stop = end < 0 ? n : end + 1;
            setFormat(i, stop - i, m_quotedIdentifier);
            i = stop;
            continue;
        }
        if (c == u'$') {
            qsizetype j = i + 1;
            while (j < n && (text.at(j).isLetterOrNumber() || text.at(j) == u'_'))
                ++j;
            if (j < n && text.at(j) == u'$' && (j == i + 1 || !text.at(i + 1).isDigit())) {
                dollarTag = text.mid(i, j + 1 - i);
                const qsizetype bodyStart = j + 1;
                setFormat(i, bodyStart - i, m_string);
                i = finishDollar(bodyStart);
                continue;
            }
            ++i;
            continue;
        }
        if (c.isDigit()) {
            qsizetype j = i;
            while (j < n && (text.at(j).isDigit() || text.at(j) == u'.'))
                ++j;
            setFormat(i, j - i, m_number);
            i = j;
            continue;
        }
        if (isWordStart(c)) {
            qsizetype j = i;
            while (j < n && isWordPart(text.at(j)))
                ++j;
            if (keywords().contains(text.mid(i, j - i).toLower()))
                setFormat(i, j - i, m_keyword);
            i = j;
            continue;
        }
        ++i;
    }
    setCurrentBlockState(state);
    setCurrentBlockUserData(state == InDollar ? new DollarTag(dollarTag) : nullptr);
}

} // namespace fuelsync
