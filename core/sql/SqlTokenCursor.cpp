#include "SqlTokenCursor.h"

#include <utility>

namespace fuelsync {

SqlTokenCursor::SqlTokenCursor(QList<SqlToken> tokens)
    : m_tokens(std::move(tokens))
{ }

const SqlToken *SqlTokenCursor::peek(qsizetype ahead) const
{
    const qsizetype at = m_position + ahead;
    return at < m_tokens.size() ? &m_tokens.at(at) : nullptr;
}

int SqlTokenCursor::line() const
{
    if (m_tokens.isEmpty())
        return 0;
    return m_tokens.at(std::min(m_position, m_tokens.size() - 1)).line;
}

void SqlTokenCursor::advance(qsizetype count)
{
    m_position = std::min(m_position + count, m_tokens.size());
}

bool SqlTokenCursor::peekWord(const char *word, qsizetype ahead) const
{
    const SqlToken *token = peek(ahead);
    return token && token->isWord(word);
}

bool SqlTokenCursor::peekPunctuation(const char *text, qsizetype ahead) const
{
    const SqlToken *token = peek(ahead);
    return token && token->kind == SqlToken::Kind::Punctuation
        && token->text == QLatin1StringView(text);
}

bool SqlTokenCursor::peekWords(std::initializer_list<const char *> words, qsizetype ahead) const
{
    for (const char *word : words) {
        if (!peekWord(word, ahead++))
            return false;
    }
    return true;
}

bool SqlTokenCursor::accept(std::initializer_list<const char *> words)
{
    if (!peekWords(words))
        return false;
    advance(qsizetype(words.size()));
    return true;
}

bool SqlTokenCursor::acceptPunctuation(const char *text)
{
    if (!peekPunctuation(text))
        return false;
    advance();
    return true;
}

bool SqlTokenCursor::isIdentifier(const SqlToken &token)
{
    return token.kind == SqlToken::Kind::Word || token.kind == SqlToken::Kind::QuotedIdentifier;
}

QString SqlTokenCursor::identifierOf(const SqlToken &token)
{
    if (token.kind == SqlToken::Kind::QuotedIdentifier) {
        QString text = token.text.mid(1, token.text.size() - 2);
        text.replace(QStringLiteral("\"\""), QStringLiteral("\""));
        return text;
    }
    // PostgreSQL folds ASCII letters only.
    QString folded = token.text;
    for (QChar &c : folded) {
        if (c.unicode() >= u'A' && c.unicode() <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    return folded;
}

QString SqlTokenCursor::readIdentifier()
{
    const SqlToken *token = peek();
    if (!token || !isIdentifier(*token))
        return {};
    advance();
    return identifierOf(*token);
}

SqlName SqlTokenCursor::readName()
{
    SqlName result;
    const SqlToken *first = peek();
    if (!first || !isIdentifier(*first))
        return result;
    result.line = first->line;
    result.name = identifierOf(*first);
    advance();
    // schema.name (a third part, database.schema.name, keeps the last two).
    while (peekPunctuation(".") && peek(1) && isIdentifier(*peek(1))) {
        result.schema = result.name;
        result.name = identifierOf(*peek(1));
        advance(2);
    }
    return result;
}

QList<QList<SqlToken>> SqlTokenCursor::readParenthesizedList()
{
    QList<QList<SqlToken>> parts;
    if (!peekPunctuation("("))
        return parts;
    advance();
    QList<SqlToken> current;
    int depth = 0;
    while (!atEnd()) {
        const SqlToken &token = *peek();
        advance();
        if (token.kind == SqlToken::Kind::Punctuation) {
            if (token.text == u"(" || token.text == u"[") {
                ++depth;
            } else if (token.text == u")" || token.text == u"]") {
                if (depth == 0)
                    break;
                --depth;
            } else if (token.text == u"," && depth == 0) {
                parts.append(current);
                current.clear();
                continue;
            }
        }
        current.append(token);
    }
    if (!current.isEmpty() || !parts.isEmpty())
        parts.append(current);
    return parts;
}

QList<QList<SqlToken>> SqlTokenCursor::restSplitAtCommas()
{
    QList<QList<SqlToken>> parts;
    QList<SqlToken> current;
    int depth = 0;
    while (!atEnd()) {
        const SqlToken &token = *peek();
        advance();
        if (token.kind == SqlToken::Kind::Punctuation) {
            if (token.text == u"(" || token.text == u"[")
                ++depth;
            else if ((token.text == u")" || token.text == u"]") && depth > 0)
                --depth;
            else if (token.text == u"," && depth == 0) {
                parts.append(current);
                current.clear();
                continue;
            }
        }
        current.append(token);
    }
    if (!current.isEmpty())
        parts.append(current);
    return parts;
}

} // namespace fuelsync
