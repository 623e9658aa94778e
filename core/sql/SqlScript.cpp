#include "SqlScript.h"

#include <QCoreApplication>
#include <QStringView>

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

// A single-pass lexer that follows PostgreSQL's lexical rules (src/backend/parser/scan.l) and
// psql's statement splitting (src/fe_utils/psqlscan.l), written from their documented behaviour.
//
// Characters PostgreSQL has no token for (a stray '$', control characters, ...) become
// one-character Punctuation tokens: the server rejects them, and the split stays right.

namespace fuelsync {

namespace {

constexpr char16_t ByteOrderMark = 0xFEFF;

bool isAsciiLetter(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

bool isHexDigit(char16_t c)
{
    return isDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// PostgreSQL treats every non-ASCII character as a letter in identifiers and dollar-quote tags.
bool isIdentifierStart(char16_t c)
{
    return isAsciiLetter(c) || c == u'_' || c >= 0x80;
}

bool isIdentifierContinuation(char16_t c)
{
    return isIdentifierStart(c) || isDigit(c) || c == u'$';
}

bool isDollarTagContinuation(char16_t c)
{
    return isIdentifierStart(c) || isDigit(c);
}

bool isBlank(char16_t c) // whitespace other than the newline
{
    return c == u' ' || c == u'\t' || c == u'\r' || c == u'\f' || c == u'\v';
}

bool isOperatorChar(char16_t c)
{
    switch (c) {
    case u'~':
    case u'!':
    case u'@':
    case u'#':
    case u'^':
    case u'&':
    case u'|':
    case u'`':
    case u'?':
    case u'+':
    case u'-':
    case u'*':
    case u'/':
    case u'%':
    case u'<':
    case u'>':
    case u'=':
        return true;
    default:
        return false;
    }
}

// Operator characters that let a multi-character operator end in '+' or '-'.
bool allowsTrailingSign(char16_t c)
{
    switch (c) {
    case u'~':
    case u'!':
    case u'@':
    case u'#':
    case u'^':
    case u'&':
    case u'|':
    case u'`':
    case u'?':
    case u'%':
        return true;
    default:
        return false;
    }
}

char16_t toAsciiUpper(char16_t c)
{
    return c >= u'a' && c <= u'z' ? static_cast<char16_t>(c - u'a' + u'A') : c;
}

// Keywords are ASCII; like PostgreSQL, leave the case of other letters alone.
bool equalsIgnoringAsciiCase(QStringView text, const char *word)
{
    qsizetype i = 0;
    for (; word[i] != '\0'; ++i) {
        if (i >= text.size()
            || toAsciiUpper(text[i].unicode())
                != toAsciiUpper(static_cast<char16_t>(static_cast<unsigned char>(word[i]))))
            return false;
    }
    return i == text.size();
}

QString asciiUpper(const QString &text)
{
    QString upper = text;
    for (QChar &c : upper)
        c = QChar(toAsciiUpper(c.unicode()));
    return upper;
}

// Whether the statement is COPY ... FROM STDIN (at the top level, outside parentheses).
bool isCopyFromStdin(const SqlStatement &statement)
{
    if (statement.tokens.isEmpty() || !statement.tokens.first().isWord("COPY"))
        return false;
    int depth = 0;
    const qsizetype count = statement.tokens.size();
    for (qsizetype i = 0; i < count; ++i) {
        const SqlToken &token = statement.tokens[i];
        if (token.kind == SqlToken::Kind::Punctuation) {
            if (token.text == u"(")
                ++depth;
            else if (token.text == u")" && depth > 0)
                --depth;
        } else if (depth == 0 && token.isWord("FROM") && i + 1 < count
                   && statement.tokens[i + 1].isWord("STDIN")) {
            return true;
        }
    }
    return false;
}

enum class LeadingWord { Other, Create, Or, Replace, Function, Procedure };

LeadingWord classifyLeadingWord(QStringView word)
{
    if (equalsIgnoringAsciiCase(word, "CREATE"))
        return LeadingWord::Create;
    if (equalsIgnoringAsciiCase(word, "OR"))
        return LeadingWord::Or;
    if (equalsIgnoringAsciiCase(word, "REPLACE"))
        return LeadingWord::Replace;
    if (equalsIgnoringAsciiCase(word, "FUNCTION"))
        return LeadingWord::Function;
    if (equalsIgnoringAsciiCase(word, "PROCEDURE"))
        return LeadingWord::Procedure;
    return LeadingWord::Other;
}

QString unterminatedStringMessage()
{
    return QCoreApplication::translate(
        "SqlScript",
        "unterminated quoted string: the ' that opens on this line is never closed, so the rest "
        "of the file is part of it");
}

QString unterminatedIdentifierMessage()
{
    return QCoreApplication::translate(
        "SqlScript",
        "unterminated quoted identifier: the \" that opens on this line is never closed, so the "
        "rest of the file is part of it");
}

QString unterminatedDollarQuoteMessage(const QString &delimiter)
{
    return QCoreApplication::translate("SqlScript",
                                       "unterminated dollar-quoted string (%1): no closing %1 "
                                       "follows, so the rest of the file is part of it")
        .arg(delimiter);
}

QString unterminatedCommentMessage()
{
    return QCoreApplication::translate(
        "SqlScript",
        "unterminated /* comment: it is never closed by a matching */ (comments nest, so each /* "
        "inside it needs its own */)");
}

QString metaCommandMessage(const QString &command)
{
    return QCoreApplication::translate("SqlScript",
                                       "psql meta-command \"%1\" is not SQL: migrations must be "
                                       "plain SQL, which is sent to the server without psql")
        .arg(command);
}

QString copyFromStdinMessage()
{
    return QCoreApplication::translate(
        "SqlScript",
        "COPY ... FROM STDIN needs psql to send its data stream: use INSERT statements, or COPY "
        "... FROM a file on the database server");
}

class Lexer
{
public:
    explicit Lexer(const QString &text)
        : m_text(text)
        , m_data(text.constData())
        , m_size(text.size())
    { }

    void run();

    QList<SqlStatement> statements;
    QList<SqlScriptProblem> problems;

private:
    char16_t at(qsizetype i) const { return i < m_size ? m_data[i].unicode() : u'\0'; }
    void report(int line, const QString &message) { problems.append({ line, message }); }

    void addToken(SqlToken::Kind kind, qsizetype start, qsizetype end, int startLine);
    QString tokenText(qsizetype start, qsizetype end);
    void trackWord(QStringView word);

    qsizetype skipLineComment(qsizetype pos) const;
    qsizetype skipBlockComment(qsizetype pos);
    qsizetype lexQuoted(qsizetype start, qsizetype bodyStart, char16_t quote, bool backslashEscapes,
                        SqlToken::Kind kind);
    qsizetype lexDollar(qsizetype pos);
    qsizetype lexNumber(qsizetype pos);
    qsizetype lexWord(qsizetype pos);
    qsizetype lexOperator(qsizetype pos);
    qsizetype lexMetaCommand(qsizetype pos);
    qsizetype skipCopyData(qsizetype pos);

    // Ends the current statement; `resume` is where lexing goes on, returns where it really does.
    qsizetype finishStatement(qsizetype resume, bool terminated);
    void trackStandardConformingStrings(const SqlStatement &statement);

    const QString &m_text;
    const QChar *m_data;
    qsizetype m_size;
    int m_line = 1;
    bool m_standardStrings = true; // standard_conforming_strings, as SET by the script

    // The statement being read.
    QList<SqlToken> m_tokens;
    qsizetype m_lastTokenEnd = 0;
    int m_lastTokenEndLine = 1;
    int m_parenDepth = 0;
    int m_openParenLine = 0; // of the outermost '(' still open
    int m_beginDepth = 0; // BEGIN ... END of CREATE FUNCTION/PROCEDURE, psql's heuristic
    int m_wordCount = 0;
    std::array<LeadingWord, 4> m_leadingWords {};

    // Recently seen short token texts: tokens with the same text ("(", ",", "CREATE", a column
    // name) share one QString, which saves most of the allocations and memory of a large script.
    static constexpr size_t TextCacheSize = 2048;
    QList<QString> m_textCache = QList<QString>(static_cast<qsizetype>(TextCacheSize));
};

void Lexer::run()
{
    // Every statement but the last ends in ';' and takes at least a few characters.
    statements.reserve(std::min(m_text.count(u';'), m_size / 16) + 1);

    qsizetype pos = m_size > 0 && m_data[0].unicode() == ByteOrderMark ? 1 : 0;
    while (pos < m_size) {
        const char16_t c = m_data[pos].unicode();
        const char16_t next = at(pos + 1);
        if (c == u'\n') {
            ++m_line;
            ++pos;
        } else if (isBlank(c)) {
            ++pos;
        } else if (c == u'-' && next == u'-') {
            pos = skipLineComment(pos);
        } else if (c == u'/' && next == u'*') {
            pos = skipBlockComment(pos);
        } else if (c == u'\'') {
            pos = lexQuoted(pos, pos + 1, u'\'', !m_standardStrings, SqlToken::Kind::String);
        } else if (c == u'"') {
            pos = lexQuoted(pos, pos + 1, u'"', false, SqlToken::Kind::QuotedIdentifier);
        } else if (c == u'$') {
            pos = lexDollar(pos);
        } else if (isDigit(c) || (c == u'.' && isDigit(next))) {
            pos = lexNumber(pos);
        } else if (isIdentifierStart(c)) {
            pos = lexWord(pos);
        } else if (c == u';') {
            if (m_parenDepth == 0 && m_beginDepth == 0) {
                pos = finishStatement(pos + 1, true);
            } else {
                addToken(SqlToken::Kind::Punctuation, pos, pos + 1, m_line);
                ++pos;
            }
        } else if (c == u'(' || c == u')') {
            if (c == u'(') {
                if (m_parenDepth++ == 0)
                    m_openParenLine = m_line;
            } else if (m_parenDepth > 0) {
                --m_parenDepth;
            }
            addToken(SqlToken::Kind::Punctuation, pos, pos + 1, m_line);
            ++pos;
        } else if ((c == u':' && (next == u':' || next == u'=')) || (c == u'.' && next == u'.')) {
            addToken(SqlToken::Kind::Operator, pos, pos + 2, m_line); // :: := ..
            pos += 2;
        } else if (isOperatorChar(c)) {
            pos = lexOperator(pos);
        } else if (c == u'\\') {
            pos = lexMetaCommand(pos);
        } else {
            addToken(SqlToken::Kind::Punctuation, pos, pos + 1, m_line); // , [ ] . : and others
            ++pos;
        }
    }
    finishStatement(m_size, false);

    // A COPY is reported when its statement ends, after problems found inside it.
    std::stable_sort(
        problems.begin(), problems.end(),
        [](const SqlScriptProblem &a, const SqlScriptProblem &b) { return a.line < b.line; });
}

void Lexer::addToken(SqlToken::Kind kind, qsizetype start, qsizetype end, int startLine)
{
    m_tokens.append({ kind, tokenText(start, end), static_cast<int>(start), startLine });
    m_lastTokenEnd = end;
    // Only a token left open at the end of the file can end with a newline.
    m_lastTokenEndLine = m_line - (end > start && m_data[end - 1] == u'\n' ? 1 : 0);
}

QString Lexer::tokenText(qsizetype start, qsizetype end)
{
    constexpr qsizetype MaxCachedLength = 32;
    const QStringView text(m_data + start, end - start);
    if (text.size() > MaxCachedLength)
        return text.toString();
    size_t hash = static_cast<size_t>(text.size());
    for (const QChar c : text)
        hash = hash * 31 + c.unicode();
    QString &cached = m_textCache[static_cast<qsizetype>(hash % TextCacheSize)];
    if (cached != text)
        cached = text.toString();
    return cached;
}

// psql keeps ';' inside BEGIN ... END of a SQL-standard function body (BEGIN ATOMIC) in the
// statement: it counts BEGIN, CASE (inside BEGIN) and END at parenthesis depth 0, but only in a
// statement whose leading words are CREATE [OR REPLACE] FUNCTION|PROCEDURE.
void Lexer::trackWord(QStringView word)
{
    if (m_wordCount < static_cast<int>(m_leadingWords.size()))
        m_leadingWords[static_cast<size_t>(m_wordCount)] = classifyLeadingWord(word);
    ++m_wordCount;

    const auto isRoutine = [](LeadingWord w) {
        return w == LeadingWord::Function || w == LeadingWord::Procedure;
    };
    const bool createsRoutine = m_leadingWords[0] == LeadingWord::Create
        && (isRoutine(m_leadingWords[1])
            || (m_leadingWords[1] == LeadingWord::Or && m_leadingWords[2] == LeadingWord::Replace
                && isRoutine(m_leadingWords[3])));
    if (!createsRoutine || m_parenDepth != 0)
        return;
    if (equalsIgnoringAsciiCase(word, "BEGIN"))
        ++m_beginDepth;
    else if (equalsIgnoringAsciiCase(word, "CASE") && m_beginDepth > 0)
        ++m_beginDepth;
    else if (equalsIgnoringAsciiCase(word, "END") && m_beginDepth > 0)
        --m_beginDepth;
}

qsizetype Lexer::skipLineComment(qsizetype pos) const
{
    while (pos < m_size && m_data[pos] != u'\n')
        ++pos;
    return pos; // the newline is whitespace
}

qsizetype Lexer::skipBlockComment(qsizetype pos)
{
    const int startLine = m_line;
    int depth = 1;
    qsizetype p = pos + 2;
    while (p < m_size) {
        const char16_t c = m_data[p].unicode();
        if (c == u'/' && at(p + 1) == u'*') {
            ++depth;
            p += 2;
        } else if (c == u'*' && at(p + 1) == u'/') {
            p += 2;
            if (--depth == 0)
                return p;
        } else {
            if (c == u'\n')
                ++m_line;
            ++p;
        }
    }
    report(startLine, unterminatedCommentMessage());
    return m_size;
}

// '...' and "..." with a doubled quote as an escaped quote; with backslashEscapes (E'...'), a
// backslash escapes the next character.
qsizetype Lexer::lexQuoted(qsizetype start, qsizetype bodyStart, char16_t quote,
                           bool backslashEscapes, SqlToken::Kind kind)
{
    const int startLine = m_line;
    qsizetype p = bodyStart;
    while (p < m_size) {
        const char16_t c = m_data[p].unicode();
        if (c == quote) {
            if (at(p + 1) != quote) {
                addToken(kind, start, p + 1, startLine);
                return p + 1;
            }
            p += 2;
            continue;
        }
        if (c == u'\\' && backslashEscapes && p + 1 < m_size) {
            if (m_data[p + 1] == u'\n')
                ++m_line;
            p += 2;
            continue;
        }
        if (c == u'\n')
            ++m_line;
        ++p;
    }
    addToken(kind, start, m_size, startLine);
    report(startLine,
           kind == SqlToken::Kind::String ? unterminatedStringMessage()
                                          : unterminatedIdentifierMessage());
    return m_size;
}

qsizetype Lexer::lexDollar(qsizetype pos)
{
    const char16_t next = at(pos + 1);
    if (isDigit(next)) { // $1: a positional parameter
        qsizetype p = pos + 1;
        while (p < m_size && isDigit(m_data[p].unicode()))
            ++p;
        addToken(SqlToken::Kind::Parameter, pos, p, m_line);
        return p;
    }

    qsizetype tagEnd = pos + 1;
    if (isIdentifierStart(next)) {
        while (tagEnd < m_size && isDollarTagContinuation(m_data[tagEnd].unicode()))
            ++tagEnd;
    }
    if (at(tagEnd) != u'$') { // "$foo" without a closing '$': a lone '$', then the word
        addToken(SqlToken::Kind::Punctuation, pos, pos + 1, m_line);
        return pos + 1;
    }

    // The body ends at the first exact (case-sensitive) repetition of the opening delimiter.
    const QStringView delimiter(m_data + pos, tagEnd + 1 - pos);
    const qsizetype bodyStart = tagEnd + 1;
    const QStringView text(m_data, m_size);
    const qsizetype close = text.indexOf(delimiter, bodyStart);
    const int startLine = m_line;
    const qsizetype end = close < 0 ? m_size : close + delimiter.size();
    m_line += static_cast<int>(text.sliced(bodyStart, end - bodyStart).count(u'\n'));
    addToken(SqlToken::Kind::DollarString, pos, end, startLine);
    if (close < 0)
        report(startLine, unterminatedDollarQuoteMessage(delimiter.toString()));
    return end;
}

// Lenient: 42, 1_000, 3.14, .5, 1., 1e10, 1.5E-3, 0x1F, 0o17, 0b101. Trailing letters are left to
// the next token (the server reports them).
qsizetype Lexer::lexNumber(qsizetype pos)
{
    const auto skipDigits = [this](qsizetype p) {
        while (p < m_size
               && (isDigit(m_data[p].unicode()) || (m_data[p] == u'_' && isDigit(at(p + 1)))))
            ++p;
        return p;
    };

    qsizetype p = pos;
    const char16_t radix = toAsciiUpper(at(pos + 1));
    if (m_data[pos] == u'0' && (radix == u'X' || radix == u'O' || radix == u'B')
        && (isHexDigit(at(pos + 2)) || at(pos + 2) == u'_')) {
        p = pos + 2;
        while (p < m_size && (isHexDigit(m_data[p].unicode()) || m_data[p] == u'_'))
            ++p;
        addToken(SqlToken::Kind::Number, pos, p, m_line);
        return p;
    }

    p = skipDigits(p);
    if (at(p) == u'.' && at(p + 1) != u'.') // 1..10 is 1, .., 10 (PL/pgSQL ranges)
        p = skipDigits(p + 1);
    if (toAsciiUpper(at(p)) == u'E') {
        qsizetype q = p + 1;
        if (at(q) == u'+' || at(q) == u'-')
            ++q;
        if (isDigit(at(q)))
            p = skipDigits(q);
    }
    addToken(SqlToken::Kind::Number, pos, p, m_line);
    return p;
}

qsizetype Lexer::lexWord(qsizetype pos)
{
    // A string or identifier prefix counts only at the start of a word: E'..', B'..', X'..',
    // N'..', U&'..', U&"..".
    const char16_t first = toAsciiUpper(m_data[pos].unicode());
    const char16_t next = at(pos + 1);
    if (next == u'\'') {
        if (first == u'E')
            return lexQuoted(pos, pos + 2, u'\'', true, SqlToken::Kind::String);
        if (first == u'N')
            return lexQuoted(pos, pos + 2, u'\'', !m_standardStrings, SqlToken::Kind::String);
        if (first == u'B' || first == u'X')
            return lexQuoted(pos, pos + 2, u'\'', false, SqlToken::Kind::String);
    }
    if (first == u'U' && next == u'&') {
        if (at(pos + 2) == u'\'')
            return lexQuoted(pos, pos + 3, u'\'', false, SqlToken::Kind::String);
        if (at(pos + 2) == u'"')
            return lexQuoted(pos, pos + 3, u'"', false, SqlToken::Kind::QuotedIdentifier);
    }

    qsizetype p = pos + 1;
    while (p < m_size && isIdentifierContinuation(m_data[p].unicode()))
        ++p;
    addToken(SqlToken::Kind::Word, pos, p, m_line);
    trackWord(QStringView(m_data + pos, p - pos));
    return p;
}

// PostgreSQL's operator rule: the longest run of operator characters, cut before a "--" or "/*"
// inside it; a multi-character operator ends in '+' or '-' only if it also holds one of
// ~ ! @ # ^ & | ` ? %, so "=-1" is "=", "-", "1".
qsizetype Lexer::lexOperator(qsizetype pos)
{
    qsizetype end = pos + 1;
    while (end < m_size && isOperatorChar(m_data[end].unicode())) {
        const char16_t c = m_data[end].unicode();
        const char16_t following = at(end + 1);
        if ((c == u'-' && following == u'-') || (c == u'/' && following == u'*'))
            break;
        ++end;
    }
    if (end - pos > 1 && (m_data[end - 1] == u'+' || m_data[end - 1] == u'-')) {
        const bool keepsSign = std::any_of(m_data + pos, m_data + end,
                                           [](QChar c) { return allowsTrailingSign(c.unicode()); });
        if (!keepsSign) {
            do {
                --end;
            } while (end - pos > 1 && (m_data[end - 1] == u'+' || m_data[end - 1] == u'-'));
        }
    }
    addToken(SqlToken::Kind::Operator, pos, end, m_line);
    return end;
}

// A backslash outside any literal or comment: psql reads it (usually at the start of a line) as
// a meta-command that takes the rest of the line. The server would only see a syntax error.
qsizetype Lexer::lexMetaCommand(qsizetype pos)
{
    constexpr qsizetype MaxShownLength = 40;
    qsizetype wordEnd = pos + 1;
    while (wordEnd < m_size && wordEnd - pos < MaxShownLength && m_data[wordEnd] != u'\n'
           && !isBlank(m_data[wordEnd].unicode()) && m_data[wordEnd] != u'\\')
        ++wordEnd;
    if (wordEnd == pos + 1 && at(wordEnd) == u'\\')
        ++wordEnd; // "\\"
    const QString command = m_text.mid(pos, wordEnd - pos);
    report(m_line, metaCommandMessage(command));

    const qsizetype lineEnd = skipLineComment(pos);
    if (command == u"\\copy") {
        // \copy ... from stdin reads data lines up to "\." like COPY does.
        const QStringList words = m_text.mid(wordEnd, lineEnd - wordEnd)
                                      .toLower()
                                      .simplified()
                                      .split(u' ', Qt::SkipEmptyParts);
        for (qsizetype i = 0; i + 1 < words.size(); ++i) {
            if (words[i] == u"from" && (words[i + 1] == u"stdin" || words[i + 1] == u"pstdin"))
                return skipCopyData(lineEnd);
        }
    }
    return lineEnd;
}

// Skips the data lines that follow COPY ... FROM STDIN, from the line after `pos` up to and
// including the line "\.", or to the end of the file; returns the position of that line's end.
qsizetype Lexer::skipCopyData(qsizetype pos)
{
    const QStringView text(m_data, m_size);
    qsizetype lineEnd = text.indexOf(u'\n', pos);
    while (lineEnd >= 0) {
        ++m_line;
        const qsizetype lineStart = lineEnd + 1;
        lineEnd = text.indexOf(u'\n', lineStart);
        const qsizetype end = lineEnd < 0 ? m_size : lineEnd;
        if (text.sliced(lineStart, end - lineStart).trimmed() == u"\\.")
            return end;
    }
    return m_size;
}

qsizetype Lexer::finishStatement(qsizetype resume, bool terminated)
{
    // A ';' inside parentheses does not end a statement (CREATE RULE ... DO (a; b)), so an
    // unclosed '(' takes the rest of the file with it: say so instead of hiding those statements.
    if (!terminated && m_parenDepth > 0 && !m_tokens.isEmpty())
        report(m_openParenLine,
               QCoreApplication::translate("SqlScript",
                                           "this '(' is never closed: everything after it, to the "
                                           "end of the file, was read as one statement"));
    m_parenDepth = 0;
    m_beginDepth = 0;
    m_wordCount = 0;
    m_leadingWords.fill(LeadingWord::Other);
    if (m_tokens.isEmpty())
        return resume;

    SqlStatement statement;
    const SqlToken &first = m_tokens.first();
    statement.offset = first.offset;
    statement.line = first.line;
    statement.endLine = m_lastTokenEndLine;
    statement.text = m_text.mid(first.offset, m_lastTokenEnd - first.offset);
    // m_tokens keeps its capacity for the next statement; each statement's list is exactly sized.
    statement.tokens.reserve(m_tokens.size());
    std::move(m_tokens.begin(), m_tokens.end(), std::back_inserter(statement.tokens));
    m_tokens.clear();

    trackStandardConformingStrings(statement);
    const bool copyFromStdin = isCopyFromStdin(statement);
    if (copyFromStdin)
        report(statement.line, copyFromStdinMessage());
    statements.append(std::move(statement));

    // The data of a COPY FROM STDIN follows on the next lines, up to "\." (pg_dump's data
    // sections): skip it rather than reading it as SQL.
    if (copyFromStdin && terminated)
        return skipCopyData(resume);
    return resume;
}

// psql lexes strings by the session's standard_conforming_strings; pg_dump output and old
// scripts SET it. With it off, '...' takes backslash escapes like E'...'.
void Lexer::trackStandardConformingStrings(const SqlStatement &statement)
{
    const QList<SqlToken> &tokens = statement.tokens;
    const qsizetype count = tokens.size();
    if (count == 2 && tokens[0].isWord("RESET")
        && (tokens[1].isWord("standard_conforming_strings") || tokens[1].isWord("ALL"))) {
        m_standardStrings = true;
        return;
    }
    if (count == 2 && tokens[0].isWord("DISCARD") && tokens[1].isWord("ALL")) {
        m_standardStrings = true;
        return;
    }
    if (count < 4 || !tokens[0].isWord("SET"))
        return;
    qsizetype i = 1;
    if (tokens[i].isWord("SESSION") || tokens[i].isWord("LOCAL"))
        ++i;
    if (i + 3 != count || !tokens[i].isWord("standard_conforming_strings"))
        return;
    const SqlToken &assign = tokens[i + 1];
    if (!assign.isWord("TO") && !(assign.kind == SqlToken::Kind::Operator && assign.text == u"="))
        return;
    const SqlToken &valueToken = tokens[i + 2];
    QString value = valueToken.text.toLower();
    if (valueToken.kind == SqlToken::Kind::String && value.startsWith(u'\'') && value.size() >= 2)
        value = value.mid(1, value.size() - 2);
    if (value == u"on" || value == u"true" || value == u"yes" || value == u"1"
        || value == u"default")
        m_standardStrings = true;
    else if (value == u"off" || value == u"false" || value == u"no" || value == u"0")
        m_standardStrings = false;
}

} // namespace

bool SqlToken::isWord(const char *word) const
{
    return kind == Kind::Word && equalsIgnoringAsciiCase(text, word);
}

QStringList SqlStatement::leadingWords(int count) const
{
    QStringList words;
    for (const SqlToken &token : tokens) {
        if (words.size() >= count || token.kind != SqlToken::Kind::Word)
            break;
        words.append(asciiUpper(token.text));
    }
    return words;
}

bool SqlStatement::startsWith(std::initializer_list<const char *> words) const
{
    qsizetype i = 0;
    for (const char *word : words) {
        if (i >= tokens.size() || !tokens[i].isWord(word))
            return false;
        ++i;
    }
    return true;
}

bool SqlStatement::hasTopLevelWord(const char *word) const
{
    int depth = 0;
    for (const SqlToken &token : tokens) {
        if (token.kind == SqlToken::Kind::Punctuation) {
            if (token.text == u"(")
                ++depth;
            else if (token.text == u")" && depth > 0)
                --depth;
        } else if (depth == 0 && token.isWord(word)) {
            return true;
        }
    }
    return false;
}

SqlScript SqlScript::parse(const QString &text)
{
    Lexer lexer(text);
    lexer.run();
    SqlScript script;
    script.m_statements = std::move(lexer.statements);
    script.m_problems = std::move(lexer.problems);
    return script;
}

} // namespace fuelsync
