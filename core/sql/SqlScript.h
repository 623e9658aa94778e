#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace fuelsync {

// One lexical token of PostgreSQL SQL. Comments and whitespace are not tokens.
struct SqlToken
{
    enum class Kind {
        Word, // keyword or unquoted identifier: CREATE, stations, now
        QuotedIdentifier, // "Mixed Case"
        String, // 'text', E'text', U&'text', B'0101', X'ff'
        DollarString, // $$body$$, $fn$body$fn$
        Number, // 42, 3.14, 1e6
        Parameter, // $1
        Operator, // = <> :: || ->> etc.
        Punctuation, // ( ) , [ ] ; .
    };

    Kind kind = Kind::Word;
    QString text; // exact source text
    int offset = 0; // position in the script
    int line = 1; // 1-based line of the token's first character

    // Word tokens compared case-insensitively, e.g. isWord("create").
    bool isWord(const char *word) const;
};

// One statement of a script, without its terminating semicolon.
struct SqlStatement
{
    QString text; // source text from the first token to the end of the last token
    int offset = 0; // offset of the first token in the script
    int line = 1; // 1-based line of the first token
    int endLine = 1; // 1-based line of the last token
    QList<SqlToken> tokens;

    // The first `count` Word tokens, upper-cased, stopping at the first token that is not a Word.
    QStringList leadingWords(int count) const;
    // Whether the statement's leading Word tokens are exactly these words (case-insensitive).
    bool startsWith(std::initializer_list<const char *> words) const;
    // Whether a Word token equal to `word` appears anywhere at the top level of the statement
    // (outside parentheses), case-insensitive.
    bool hasTopLevelWord(const char *word) const;
};

struct SqlScriptProblem
{
    int line = 1;
    QString message;
};

// Splits a PostgreSQL script into statements the way psql does, so that each one can be sent on
// its own and a server error can be mapped back to a file line.
//
// Understands: -- and nested /* */ comments; '...' with '' escapes; E'...' with backslash
// escapes; U&'...'; "quoted identifiers"; $tag$ dollar quotes $tag$; parentheses (a ';' inside
// parentheses does not end a statement, e.g. CREATE RULE ... DO (a; b)); and BEGIN ATOMIC ... END
// bodies of CREATE [OR REPLACE] FUNCTION/PROCEDURE.
//
// Reports as problems (with the line): an unterminated string, quoted identifier, dollar quote or
// block comment; a psql meta-command (a backslash outside any literal or comment, normally at the
// start of a line: \i, \connect, \set); and COPY ... FROM STDIN, whose data only psql can send.
class SqlScript
{
public:
    static SqlScript parse(const QString &text);

    const QList<SqlStatement> &statements() const { return m_statements; }
    const QList<SqlScriptProblem> &problems() const { return m_problems; }
    bool isValid() const { return m_problems.isEmpty(); }

private:
    QList<SqlStatement> m_statements;
    QList<SqlScriptProblem> m_problems;
};

} // namespace fuelsync
