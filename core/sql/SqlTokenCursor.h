#pragma once

#include "SqlScript.h"

#include <QList>
#include <QString>

#include <initializer_list>

namespace fuelsync {

// A name as PostgreSQL reads it: unquoted words folded to lower case, quoted identifiers as they
// are. `schema` is empty when the name was not qualified.
struct SqlName
{
    QString schema;
    QString name;
    int line = 0;

    bool isValid() const { return !name.isEmpty(); }
    QString text() const { return schema.isEmpty() ? name : schema + u'.' + name; }
};

// Reads a statement's tokens front to back, the way a hand-written parser for a few DDL shapes
// needs: keywords matched case-insensitively, names folded, parenthesized groups skipped or split
// at their top-level commas. Reading past the end yields nothing and never fails.
class SqlTokenCursor
{
public:
    explicit SqlTokenCursor(QList<SqlToken> tokens);

    bool atEnd() const { return m_position >= m_tokens.size(); }
    const SqlToken *peek(qsizetype ahead = 0) const;
    int line() const; // of the next token (or the last one at the end)
    qsizetype position() const { return m_position; }
    void advance(qsizetype count = 1);

    bool peekWord(const char *word, qsizetype ahead = 0) const;
    // Whether these words follow each other from `ahead` on.
    bool peekWords(std::initializer_list<const char *> words, qsizetype ahead = 0) const;
    bool peekPunctuation(const char *text, qsizetype ahead = 0) const;
    // Consumes the words if they are next, in this order; otherwise consumes nothing.
    bool accept(std::initializer_list<const char *> words);
    bool acceptPunctuation(const char *text);

    // A possibly schema-qualified name (name, "Name", schema.name); invalid if none is next.
    SqlName readName();
    // A single identifier, folded; empty if none is next.
    QString readIdentifier();

    // At "(": the tokens inside it, split at its top-level commas, and the cursor after ")".
    // Anywhere else: nothing, and the cursor stays.
    QList<QList<SqlToken>> readParenthesizedList();
    // The rest of the tokens, split at top-level commas.
    QList<QList<SqlToken>> restSplitAtCommas();

    // Folds an identifier token as PostgreSQL does (lower case unless quoted, quotes removed).
    static QString identifierOf(const SqlToken &token);
    static bool isIdentifier(const SqlToken &token);

private:
    QList<SqlToken> m_tokens;
    qsizetype m_position = 0;
};

} // namespace fuelsync
