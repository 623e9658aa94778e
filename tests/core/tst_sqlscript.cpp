#include "sql/SqlScript.h"

#include <QElapsedTimer>
#include <QTest>

using fuelsync::SqlScript;
using fuelsync::SqlScriptProblem;
using fuelsync::SqlStatement;
using fuelsync::SqlToken;

namespace {

QString sql(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

QStringList statementTexts(const SqlScript &script)
{
    QStringList texts;
    for (const SqlStatement &statement : script.statements())
        texts.append(statement.text);
    return texts;
}

QList<int> statementLines(const SqlScript &script)
{
    QList<int> lines;
    for (const SqlStatement &statement : script.statements())
        lines.append(statement.line);
    return lines;
}

QList<int> statementEndLines(const SqlScript &script)
{
    QList<int> lines;
    for (const SqlStatement &statement : script.statements())
        lines.append(statement.endLine);
    return lines;
}

QString kindName(SqlToken::Kind kind)
{
    switch (kind) {
    case SqlToken::Kind::Word:
        return QStringLiteral("Word");
    case SqlToken::Kind::QuotedIdentifier:
        return QStringLiteral("QuotedIdentifier");
    case SqlToken::Kind::String:
        return QStringLiteral("String");
    case SqlToken::Kind::DollarString:
        return QStringLiteral("DollarString");
    case SqlToken::Kind::Number:
        return QStringLiteral("Number");
    case SqlToken::Kind::Parameter:
        return QStringLiteral("Parameter");
    case SqlToken::Kind::Operator:
        return QStringLiteral("Operator");
    case SqlToken::Kind::Punctuation:
        return QStringLiteral("Punctuation");
    }
    return QStringLiteral("?");
}

// "Word SELECT", "String 'x'", ...: readable in a failing comparison.
QStringList describeTokens(const QList<SqlToken> &tokens)
{
    QStringList described;
    for (const SqlToken &token : tokens)
        described.append(kindName(token.kind) + u' ' + token.text);
    return described;
}

QList<SqlToken> allTokens(const SqlScript &script)
{
    QList<SqlToken> tokens;
    for (const SqlStatement &statement : script.statements())
        tokens.append(statement.tokens);
    return tokens;
}

QString describeProblems(const SqlScript &script)
{
    QStringList lines;
    for (const SqlScriptProblem &problem : script.problems())
        lines.append(QString::number(problem.line) + u": " + problem.message);
    return lines.join(u'\n');
}

SqlStatement onlyStatement(const QString &text)
{
    const SqlScript script = SqlScript::parse(text);
    if (script.statements().size() != 1)
        qWarning("expected one statement, got %d", int(script.statements().size()));
    return script.statements().value(0);
}

} // namespace

class TestSqlScript : public QObject
{
    Q_OBJECT

private slots:
    // Tokens
    void lexesTokenKinds_data();
    void lexesTokenKinds();
    void recordsTokenLinesAndOffsets();
    void tokenIsWordIgnoresCase();

    // Splitting
    void splitsOnTopLevelSemicolons_data();
    void splitsOnTopLevelSemicolons();
    void skipsEmptyScripts_data();
    void skipsEmptyScripts();
    void keepsSemicolonsInsideLiteralsAndComments_data();
    void keepsSemicolonsInsideLiteralsAndComments();
    void keepsSemicolonsInsideDollarQuotes_data();
    void keepsSemicolonsInsideDollarQuotes();
    void distinguishesParametersFromDollarQuotes();
    void keepsSemicolonsInsideParentheses();
    void keepsBeginAtomicBodyTogether_data();
    void keepsBeginAtomicBodyTogether();
    void splitsTransactionControlStatements();
    void followsStandardConformingStringsSetting_data();
    void followsStandardConformingStringsSetting();

    // Positions
    void countsLinesAfterMultiLineCommentsAndStrings();
    void recordsStatementOffsets();
    void countsCrLfAsOneLine();
    void treatsLoneCarriageReturnAsWhitespace();
    void ignoresByteOrderMark();

    // Problems
    void reportsUnterminatedConstructsWithStartLine_data();
    void reportsUnterminatedConstructsWithStartLine();
    void reportsPsqlMetaCommands_data();
    void reportsPsqlMetaCommands();
    void ignoresBackslashesInsideLiteralsAndComments_data();
    void ignoresBackslashesInsideLiteralsAndComments();
    void reportsCopyFromStdin_data();
    void reportsCopyFromStdin();
    void acceptsCopyFromServerFile_data();
    void acceptsCopyFromServerFile();

    // Statement inspection
    void leadingWordsStopAtFirstNonWord();
    void startsWithMatchesLeadingWords();
    void detectsCreateIndexConcurrently_data();
    void detectsCreateIndexConcurrently();
    void hasTopLevelWordIgnoresParentheses_data();
    void hasTopLevelWordIgnoresParentheses();

    // Real-world input
    void parsesPgDumpSchemaOnlyScript();
    void parsesFiveMegabyteScriptQuickly();
};

// --- Tokens -------------------------------------------------------------------------------------

void TestSqlScript::lexesTokenKinds_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("tokens");

    QTest::newRow("words") << sql("SELECT name FROM stations")
                           << QStringList { "Word SELECT", "Word name", "Word FROM",
                                            "Word stations" };
    QTest::newRow("identifier characters")
        << sql("foo$bar x$$ _t1 café")
        << QStringList { "Word foo$bar", "Word x$$", "Word _t1", "Word café" };
    QTest::newRow("quoted identifiers")
        << sql(R"("Mixed Case" "a""b" U&"d\0061t" u&"x")")
        << QStringList { R"(QuotedIdentifier "Mixed Case")", R"(QuotedIdentifier "a""b")",
                         R"(QuotedIdentifier U&"d\0061t")", R"(QuotedIdentifier u&"x")" };
    QTest::newRow("plain strings")
        << sql("'it''s' '' 'x'") << QStringList { "String 'it''s'", "String ''", "String 'x'" };
    QTest::newRow("backslash is literal in a plain string")
        << sql(R"('C:\' 'x')") << QStringList { R"(String 'C:\')", "String 'x'" };
    QTest::newRow("E strings") << sql(R"(E'it\'s' e'a\\' E'x''y')")
                               << QStringList { R"(String E'it\'s')", R"(String e'a\\')",
                                                "String E'x''y'" };
    QTest::newRow("prefixed strings")
        << sql(R"(U&'d\0061t' u&'x' B'0101' b'1' X'ff' x'0A' N'abc' n'z')")
        << QStringList { R"(String U&'d\0061t')", "String u&'x'", "String B'0101'", "String b'1'",
                         "String X'ff'",          "String x'0A'", "String N'abc'",  "String n'z'" };
    QTest::newRow("prefix letter ending a longer word is not a prefix")
        << sql(R"(WHERE'x' somee'a\' be'y')")
        << QStringList { "Word WHERE",     "String 'x'", "Word somee",
                         R"(String 'a\')", "Word be",    "String 'y'" };
    QTest::newRow("U& without a quote")
        << sql("U&x") << QStringList { "Word U", "Operator &", "Word x" };
    QTest::newRow("dollar quotes")
        << sql("$$a$$ $fn$ b $fn$ $_$c$_$")
        << QStringList { "DollarString $$a$$", "DollarString $fn$ b $fn$", "DollarString $_$c$_$" };
    QTest::newRow("dollar tag inside another tag")
        << sql("$outer$ x $inner$ y $inner$ z $outer$")
        << QStringList { "DollarString $outer$ x $inner$ y $inner$ z $outer$" };
    QTest::newRow("dollar tags are case-sensitive")
        << sql("$A$ $a$ $A$ 1") << QStringList { "DollarString $A$ $a$ $A$", "Number 1" };
    QTest::newRow("non-ASCII dollar tag")
        << sql("$körper$x$körper$") << QStringList { "DollarString $körper$x$körper$" };
    QTest::newRow("parameters") << sql("$1 + $23")
                                << QStringList { "Parameter $1", "Operator +", "Parameter $23" };
    QTest::newRow("dollar without closing tag")
        << sql("$foo") << QStringList { "Punctuation $", "Word foo" };
    QTest::newRow("numbers") << sql("42 3.14 .5 1. 1e10 1.5E-3 2e+7 0x1F 0o17 0b101 1_000_000")
                             << QStringList { "Number 42",    "Number 3.14",     "Number .5",
                                              "Number 1.",    "Number 1e10",     "Number 1.5E-3",
                                              "Number 2e+7",  "Number 0x1F",     "Number 0o17",
                                              "Number 0b101", "Number 1_000_000" };
    QTest::newRow("PL/pgSQL range")
        << sql("1..10") << QStringList { "Number 1", "Operator ..", "Number 10" };
    QTest::newRow("operators") << sql("a::int <> b || c ->> 'k' @> d != e <= f ~~* g")
                               << QStringList { "Word a",       "Operator ::",  "Word int",
                                                "Operator <>",  "Word b",       "Operator ||",
                                                "Word c",       "Operator ->>", "String 'k'",
                                                "Operator @>",  "Word d",       "Operator !=",
                                                "Word e",       "Operator <=",  "Word f",
                                                "Operator ~~*", "Word g" };
    QTest::newRow("sign after an operator is its own token")
        << sql("x=-1") << QStringList { "Word x", "Operator =", "Operator -", "Number 1" };
    QTest::newRow("sign kept after an operator with @")
        << sql("x@-1") << QStringList { "Word x", "Operator @-", "Number 1" };
    QTest::newRow("operator stops before a comment")
        << sql("a+/*c*/b a*--c\nb")
        << QStringList { "Word a", "Operator +", "Word b", "Word a", "Operator *", "Word b" };
    QTest::newRow("punctuation") << sql("f(a, b[1]).c : x")
                                 << QStringList { "Word f",        "Punctuation (", "Word a",
                                                  "Punctuation ,", "Word b",        "Punctuation [",
                                                  "Number 1",      "Punctuation ]", "Punctuation )",
                                                  "Punctuation .", "Word c",        "Punctuation :",
                                                  "Word x" };
    QTest::newRow("assignment") << sql("x := 1")
                                << QStringList { "Word x", "Operator :=", "Number 1" };
    QTest::newRow("comments and whitespace are not tokens")
        << sql("/* a /* nested */ b */ SELECT -- tail\n\t1\r\n")
        << QStringList { "Word SELECT", "Number 1" };
}

void TestSqlScript::lexesTokenKinds()
{
    QFETCH(QString, script);
    QFETCH(QStringList, tokens);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(describeTokens(allTokens(parsed)), tokens);
}

void TestSqlScript::recordsTokenLinesAndOffsets()
{
    const SqlStatement statement = onlyStatement(sql("SELECT\n  'a\nb',\n  x"));
    QCOMPARE(statement.tokens.size(), 4);
    const QList<SqlToken> &t = statement.tokens;
    QCOMPARE(t[0].text, QStringLiteral("SELECT"));
    QCOMPARE(t[0].line, 1);
    QCOMPARE(t[0].offset, 0);
    QCOMPARE(t[1].text, QStringLiteral("'a\nb'"));
    QCOMPARE(t[1].line, 2);
    QCOMPARE(t[1].offset, 9);
    QCOMPARE(t[2].text, QStringLiteral(","));
    QCOMPARE(t[2].line, 3);
    QCOMPARE(t[2].offset, 14);
    QCOMPARE(t[3].text, QStringLiteral("x"));
    QCOMPARE(t[3].line, 4);
    QCOMPARE(t[3].offset, 18);
}

void TestSqlScript::tokenIsWordIgnoresCase()
{
    const SqlStatement statement = onlyStatement(sql(R"(Create 'create' "create" crEATE)"));
    QCOMPARE(statement.tokens.size(), 4);
    QVERIFY(statement.tokens[0].isWord("CREATE"));
    QVERIFY(statement.tokens[0].isWord("create"));
    QVERIFY(!statement.tokens[0].isWord("CREAT"));
    QVERIFY(!statement.tokens[0].isWord("CREATED"));
    QVERIFY(!statement.tokens[1].isWord("create")); // a string
    QVERIFY(!statement.tokens[2].isWord("create")); // a quoted identifier
    QVERIFY(statement.tokens[3].isWord("Create"));
}

// --- Splitting ----------------------------------------------------------------------------------

void TestSqlScript::splitsOnTopLevelSemicolons_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("two on one line")
        << sql("SELECT 1; SELECT 2;") << QStringList { "SELECT 1", "SELECT 2" };
    QTest::newRow("one per line") << sql("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n")
                                  << QStringList { "CREATE TABLE t (id int)",
                                                   "INSERT INTO t VALUES (1)" };
    QTest::newRow("last statement without semicolon")
        << sql("SELECT 1;\nSELECT 2\n") << QStringList { "SELECT 1", "SELECT 2" };
    QTest::newRow("empty statements skipped")
        << sql(";;SELECT 1;;;  ;") << QStringList { "SELECT 1" };
    QTest::newRow("comment-only statements skipped")
        << sql("SELECT 1;\n-- just a comment\n;/* and another */;\n") << QStringList { "SELECT 1" };
    QTest::newRow("leading comments and whitespace not in the text")
        << sql("-- header\n/* block */\n  SELECT 1 ; ") << QStringList { "SELECT 1" };
    QTest::newRow("comments between tokens stay in the text")
        << sql("SELECT 1 /* one */ + -- two\n 1;")
        << QStringList { "SELECT 1 /* one */ + -- two\n 1" };
    QTest::newRow("trailing comment not in the text")
        << sql("SELECT 1 -- one\n;") << QStringList { "SELECT 1" };
    QTest::newRow("unbalanced closing parenthesis")
        << sql("SELECT 1); SELECT 2;") << QStringList { "SELECT 1)", "SELECT 2" };
    QTest::newRow("begin and end as column names")
        << sql("SELECT begin, stop AS end FROM t; SELECT 2;")
        << QStringList { "SELECT begin, stop AS end FROM t", "SELECT 2" };
}

void TestSqlScript::splitsOnTopLevelSemicolons()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(statementTexts(parsed), statements);
}

void TestSqlScript::skipsEmptyScripts_data()
{
    QTest::addColumn<QString>("script");

    QTest::newRow("empty") << QString();
    QTest::newRow("whitespace") << sql("  \n\t\r\n");
    QTest::newRow("comments") << sql("-- only\n/* comments /* nested */ */\n--");
    QTest::newRow("semicolons") << sql(";;\n;");
    QTest::newRow("byte order mark") << QString(QChar(0xFEFF));
}

void TestSqlScript::skipsEmptyScripts()
{
    QFETCH(QString, script);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QVERIFY(parsed.statements().isEmpty());
}

void TestSqlScript::keepsSemicolonsInsideLiteralsAndComments_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("string") << sql("SELECT 'a;b'; SELECT 2;")
                            << QStringList { "SELECT 'a;b'", "SELECT 2" };
    QTest::newRow("doubled quote") << sql("SELECT 'it''s; fine'; SELECT 2")
                                   << QStringList { "SELECT 'it''s; fine'", "SELECT 2" };
    QTest::newRow("plain string ending in a backslash")
        << sql(R"(SELECT 'C:\'; SELECT 2;)") << QStringList { R"(SELECT 'C:\')", "SELECT 2" };
    QTest::newRow("E string with escaped quote")
        << sql(R"(SELECT E'it\'s; fine'; SELECT 2;)")
        << QStringList { R"(SELECT E'it\'s; fine')", "SELECT 2" };
    QTest::newRow("E string ending in an escaped backslash")
        << sql(R"(SELECT E'a\\'; SELECT 'b;';)")
        << QStringList { R"(SELECT E'a\\')", "SELECT 'b;'" };
    QTest::newRow("quoted identifier") << sql(R"(SELECT 1 AS "a;""b"; SELECT 2;)")
                                       << QStringList { R"(SELECT 1 AS "a;""b")", "SELECT 2" };
    QTest::newRow("line comment") << sql("SELECT 1 -- no; split\n+ 1; SELECT 2;")
                                  << QStringList { "SELECT 1 -- no; split\n+ 1", "SELECT 2" };
    QTest::newRow("double dash inside a string")
        << sql("SELECT '--not a comment;'; SELECT 2;")
        << QStringList { "SELECT '--not a comment;'", "SELECT 2" };
    QTest::newRow("comment markers inside strings")
        << sql("SELECT '/*'; SELECT '*/';") << QStringList { "SELECT '/*'", "SELECT '*/'" };
    QTest::newRow("quotes inside comments")
        << sql("SELECT 1; -- don't\nSELECT 2; /* \"x $$ */ SELECT 3;")
        << QStringList { "SELECT 1", "SELECT 2", "SELECT 3" };
    QTest::newRow("nested comment with quotes and semicolons")
        << sql("SELECT 1 /* a /* b; 'c */ d; \"e */ + 1; SELECT 2;")
        << QStringList { "SELECT 1 /* a /* b; 'c */ d; \"e */ + 1", "SELECT 2" };
    QTest::newRow("nested comments across lines")
        << sql("/* outer\n  /* inner; */\n  still a comment;\n*/\nSELECT 1;")
        << QStringList { "SELECT 1" };
}

void TestSqlScript::keepsSemicolonsInsideLiteralsAndComments()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(statementTexts(parsed), statements);
}

void TestSqlScript::keepsSemicolonsInsideDollarQuotes_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("empty tag") << sql("SELECT $$a; b$$; SELECT 2;")
                               << QStringList { "SELECT $$a; b$$", "SELECT 2" };
    QTest::newRow("named tag") << sql("SELECT $fn$a; $$ b$fn$; SELECT 2;")
                               << QStringList { "SELECT $fn$a; $$ b$fn$", "SELECT 2" };
    QTest::newRow("tag inside another tag")
        << sql("SELECT $outer$ x; $inner$ y; $inner$ z; $outer$; SELECT 2;")
        << QStringList { "SELECT $outer$ x; $inner$ y; $inner$ z; $outer$", "SELECT 2" };
    QTest::newRow("tag case differs")
        << sql("SELECT $Tag$ a; $tag$ b; $Tag$; SELECT 2;")
        << QStringList { "SELECT $Tag$ a; $tag$ b; $Tag$", "SELECT 2" };
    QTest::newRow("dollars inside an identifier")
        << sql("SELECT a$$b FROM t; SELECT $$;$$;")
        << QStringList { "SELECT a$$b FROM t", "SELECT $$;$$" };
    QTest::newRow("DO block") << sql("DO $$\n"
                                     "BEGIN\n"
                                     "    RAISE NOTICE 'x; y';\n"
                                     "    PERFORM 1;\n"
                                     "END\n"
                                     "$$;\n"
                                     "SELECT 2;\n")
                              << QStringList { "DO $$\n"
                                               "BEGIN\n"
                                               "    RAISE NOTICE 'x; y';\n"
                                               "    PERFORM 1;\n"
                                               "END\n"
                                               "$$",
                                               "SELECT 2" };
    QTest::newRow("DO block with language")
        << sql("DO LANGUAGE plpgsql $do$ BEGIN NULL; END $do$; SELECT 1")
        << QStringList { "DO LANGUAGE plpgsql $do$ BEGIN NULL; END $do$", "SELECT 1" };
    QTest::newRow("trigger function")
        << sql("CREATE OR REPLACE FUNCTION touch() RETURNS trigger\n"
               "LANGUAGE plpgsql AS $body$\n"
               "BEGIN\n"
               "    NEW.updated_at := now(); -- it's; fine\n"
               "    RETURN NEW;\n"
               "END;\n"
               "$body$;\n"
               "CREATE TRIGGER t_touch BEFORE UPDATE ON t\n"
               "    FOR EACH ROW EXECUTE FUNCTION touch();\n")
        << QStringList { "CREATE OR REPLACE FUNCTION touch() RETURNS trigger\n"
                         "LANGUAGE plpgsql AS $body$\n"
                         "BEGIN\n"
                         "    NEW.updated_at := now(); -- it's; fine\n"
                         "    RETURN NEW;\n"
                         "END;\n"
                         "$body$",
                         "CREATE TRIGGER t_touch BEFORE UPDATE ON t\n"
                         "    FOR EACH ROW EXECUTE FUNCTION touch()" };
}

void TestSqlScript::keepsSemicolonsInsideDollarQuotes()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(statementTexts(parsed), statements);
}

void TestSqlScript::distinguishesParametersFromDollarQuotes()
{
    const SqlScript parsed =
        SqlScript::parse(sql("PREPARE q(int, int) AS SELECT $1 + $2; EXECUTE q(1, 2);"));
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(statementTexts(parsed),
             (QStringList { "PREPARE q(int, int) AS SELECT $1 + $2", "EXECUTE q(1, 2)" }));
    const QList<SqlToken> &tokens = parsed.statements().first().tokens;
    QCOMPARE(tokens[tokens.size() - 3].kind, SqlToken::Kind::Parameter);
    QCOMPARE(tokens[tokens.size() - 3].text, QStringLiteral("$1"));
    QCOMPARE(tokens.last().kind, SqlToken::Kind::Parameter);
    QCOMPARE(tokens.last().text, QStringLiteral("$2"));
}

void TestSqlScript::keepsSemicolonsInsideParentheses()
{
    const SqlScript parsed =
        SqlScript::parse(sql("CREATE RULE log_update AS ON UPDATE TO stations DO ALSO (\n"
                             "    INSERT INTO audit VALUES (OLD.id, 'update');\n"
                             "    NOTIFY stations_changed;\n"
                             ");\n"
                             "SELECT 2;\n"));
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(parsed.statements().size(), 2);
    QVERIFY(parsed.statements()[0].text.endsWith(u"NOTIFY stations_changed;\n)"));
    QCOMPARE(parsed.statements()[0].line, 1);
    QCOMPARE(parsed.statements()[0].endLine, 4);
    QCOMPARE(parsed.statements()[1].text, QStringLiteral("SELECT 2"));
    QCOMPARE(parsed.statements()[1].line, 5);
}

void TestSqlScript::keepsBeginAtomicBodyTogether_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QList<int>>("lines");

    QTest::newRow("function") << sql("CREATE FUNCTION station_count() RETURNS bigint\n"
                                     "LANGUAGE sql\n"
                                     "BEGIN ATOMIC\n"
                                     "    SELECT 1;\n"
                                     "    SELECT count(*) FROM stations;\n"
                                     "END;\n"
                                     "SELECT 2;\n")
                              << QList<int> { 1, 7 };
    QTest::newRow("or replace procedure")
        << sql("CREATE OR REPLACE PROCEDURE archive(p_id int)\n"
               "LANGUAGE sql\n"
               "BEGIN ATOMIC\n"
               "    INSERT INTO archive SELECT * FROM stations WHERE id = p_id;\n"
               "    DELETE FROM stations WHERE id = p_id;\n"
               "END;\n"
               "CALL archive(1);\n")
        << QList<int> { 1, 7 };
    QTest::newRow("CASE ... END inside the body")
        << sql("CREATE FUNCTION sign_word(x int) RETURNS text\n"
               "LANGUAGE sql\n"
               "BEGIN ATOMIC\n"
               "    SELECT CASE WHEN x < 0 THEN 'negative' ELSE 'not negative' END;\n"
               "END;\n"
               "SELECT 2;\n")
        << QList<int> { 1, 6 };
    QTest::newRow("lower case") << sql("create function f() returns int language sql\n"
                                       "begin atomic select 1; end;\n"
                                       "select 2")
                                << QList<int> { 1, 3 };
    QTest::newRow("RETURN CASE without BEGIN")
        << sql("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\n"
               "RETURN CASE WHEN x > 0 THEN 1 ELSE 0 END;\n"
               "SELECT 2;\n")
        << QList<int> { 1, 3 };
    QTest::newRow("BEGIN outside CREATE FUNCTION")
        << sql("CREATE TABLE t (begin_at int);\nBEGIN;\nSELECT 1;\nEND;\n")
        << QList<int> { 1, 2, 3, 4 };
}

void TestSqlScript::keepsBeginAtomicBodyTogether()
{
    QFETCH(QString, script);
    QFETCH(QList<int>, lines);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(statementLines(parsed), lines);
}

void TestSqlScript::splitsTransactionControlStatements()
{
    const SqlScript parsed = SqlScript::parse(
        sql("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\n"
            "BEGIN;\n"
            "CREATE TABLE a (id int);\n"
            "INSERT INTO a VALUES (f());\n"
            "COMMIT;\n"
            "BEGIN WORK;\n"
            "UPDATE a SET id = 2;\n"
            "END;\n"
            "START TRANSACTION;\n"
            "ROLLBACK;\n"));
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QStringList firstWords;
    for (const SqlStatement &statement : parsed.statements())
        firstWords.append(statement.leadingWords(1).value(0));
    QCOMPARE(firstWords,
             (QStringList { "CREATE", "BEGIN", "CREATE", "INSERT", "COMMIT", "BEGIN", "UPDATE",
                            "END", "START", "ROLLBACK" }));
    QCOMPARE(statementLines(parsed), (QList<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }));
}

void TestSqlScript::followsStandardConformingStringsSetting_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("count");

    QTest::newRow("on by default") << sql(R"(SELECT 'a\'; SELECT 2;)") << 2;
    QTest::newRow("SET off") << sql(
        "SET standard_conforming_strings = off;\nSELECT 'it\\'s; ok';\nSELECT 2;")
                             << 3;
    QTest::newRow("SET off, then on")
        << sql(R"(SET standard_conforming_strings TO off; SET standard_conforming_strings = 'on';
                  SELECT 'a\'; SELECT 2;)")
        << 4;
    QTest::newRow("RESET") << sql(R"(SET standard_conforming_strings = false;
                                     RESET standard_conforming_strings; SELECT 'a\'; SELECT 2;)")
                           << 4;
}

void TestSqlScript::followsStandardConformingStringsSetting()
{
    QFETCH(QString, script);
    QFETCH(int, count);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(parsed.statements().size(), count);
    QCOMPARE(parsed.statements().last().text, QStringLiteral("SELECT 2"));
}

// --- Positions ----------------------------------------------------------------------------------

namespace {

const char *const MultiLineScript = "/* header\n"
                                    "   still header */ SELECT 1;\n"
                                    "SELECT 'a\n"
                                    "b';\n"
                                    "-- note: it's here\n"
                                    "\n"
                                    "SELECT $$\n"
                                    "x;\n"
                                    "$$ AS body,\n"
                                    "  2\n"
                                    ";\n"
                                    "SELECT \"odd\n"
                                    "name\";SELECT E'\\\n"
                                    "';\n"
                                    "SELECT 3";

} // namespace

void TestSqlScript::countsLinesAfterMultiLineCommentsAndStrings()
{
    const SqlScript parsed = SqlScript::parse(sql(MultiLineScript));
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(parsed.statements().size(), 6);
    QCOMPARE(statementLines(parsed), (QList<int> { 2, 3, 7, 12, 13, 15 }));
    QCOMPARE(statementEndLines(parsed), (QList<int> { 2, 4, 10, 13, 14, 15 }));
    QCOMPARE(parsed.statements()[2].text, QStringLiteral("SELECT $$\nx;\n$$ AS body,\n  2"));
}

void TestSqlScript::recordsStatementOffsets()
{
    const QString script = sql("-- c\nSELECT 1;  /* x */ SELECT 'two';\n  SELECT 3");
    const SqlScript parsed = SqlScript::parse(script);
    QCOMPARE(parsed.statements().size(), 3);
    for (const SqlStatement &statement : parsed.statements()) {
        QCOMPARE(script.mid(statement.offset, statement.text.size()), statement.text);
        QCOMPARE(statement.tokens.first().offset, statement.offset);
    }
    QCOMPARE(parsed.statements()[0].offset, 5);
    QCOMPARE(parsed.statements()[1].offset, 24);
    QCOMPARE(parsed.statements()[2].offset, 40);
}

void TestSqlScript::countsCrLfAsOneLine()
{
    const QString lf = sql(MultiLineScript);
    QString crlf = lf;
    crlf.replace(u'\n', QStringLiteral("\r\n"));

    const SqlScript fromLf = SqlScript::parse(lf);
    const SqlScript fromCrLf = SqlScript::parse(crlf);
    QVERIFY2(fromCrLf.isValid(), qPrintable(describeProblems(fromCrLf)));
    QCOMPARE(statementLines(fromCrLf), statementLines(fromLf));
    QCOMPARE(statementEndLines(fromCrLf), statementEndLines(fromLf));
    QStringList texts = statementTexts(fromCrLf);
    for (QString &text : texts)
        text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    QCOMPARE(texts, statementTexts(fromLf));
}

void TestSqlScript::treatsLoneCarriageReturnAsWhitespace()
{
    const SqlScript parsed = SqlScript::parse(sql("SELECT\r1;\rSELECT 2;\r"));
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(statementTexts(parsed), (QStringList { "SELECT\r1", "SELECT 2" }));
    QCOMPARE(describeTokens(parsed.statements().first().tokens),
             (QStringList { "Word SELECT", "Number 1" }));
}

void TestSqlScript::ignoresByteOrderMark()
{
    const QString script = QChar(0xFEFF) + sql("SELECT 1;\nSELECT 2;");
    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(statementTexts(parsed), (QStringList { "SELECT 1", "SELECT 2" }));
    QCOMPARE(statementLines(parsed), (QList<int> { 1, 2 }));
    QCOMPARE(parsed.statements().first().offset, 1); // offsets index the text as given
    QCOMPARE(parsed.statements().first().tokens.first().text, QStringLiteral("SELECT"));
}

// --- Problems -----------------------------------------------------------------------------------

void TestSqlScript::reportsUnterminatedConstructsWithStartLine_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("statementCount");
    QTest::addColumn<bool>("swallowsRest"); // the last statement runs to the end of the file

    QTest::newRow("string") << sql("SELECT 1;\nSELECT 'abc;\nSELECT 2;\n") << 2
                            << QStringLiteral("unterminated quoted string") << 2 << true;
    QTest::newRow("E string ending in an escaped quote")
        << sql("SELECT E'abc\\';\nSELECT 2;") << 1 << QStringLiteral("unterminated quoted string")
        << 1 << true;
    QTest::newRow("quoted identifier")
        << sql("SELECT 1 AS \"x;\nSELECT 2;") << 1
        << QStringLiteral("unterminated quoted identifier") << 1 << true;
    QTest::newRow("dollar quote with tag")
        << sql("SELECT 1;\n\nDO $body$\nBEGIN\nEND;\n$Body$;\n") << 3
        << QStringLiteral("unterminated dollar-quoted string ($body$)") << 2 << true;
    QTest::newRow("dollar quote without tag")
        << sql("SELECT $$ abc") << 1 << QStringLiteral("unterminated dollar-quoted string ($$)")
        << 1 << true;
    QTest::newRow("nested block comment")
        << sql("SELECT 1;\n/* outer\n /* inner */\nSELECT 2;\n") << 2
        << QStringLiteral("unterminated /* comment") << 1 << false;
}

void TestSqlScript::reportsUnterminatedConstructsWithStartLine()
{
    QFETCH(QString, script);
    QFETCH(int, line);
    QFETCH(QString, message);
    QFETCH(int, statementCount);
    QFETCH(bool, swallowsRest);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY(!parsed.isValid());
    QCOMPARE(parsed.problems().size(), 1);
    QCOMPARE(parsed.problems().first().line, line);
    QVERIFY2(parsed.problems().first().message.startsWith(message),
             qPrintable(parsed.problems().first().message));
    QCOMPARE(parsed.statements().size(), statementCount);
    if (swallowsRest) {
        const SqlStatement &last = parsed.statements().last();
        QCOMPARE(last.text, script.mid(last.offset));
    }
}

void TestSqlScript::reportsPsqlMetaCommands_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("include") << sql("SELECT 1;\n\\i other.sql\nSELECT 2;") << 2
                             << QStringLiteral("\\i") << QStringList { "SELECT 1", "SELECT 2" };
    QTest::newRow("indented connect") << sql("  \\connect fuelsync\nSELECT 1;") << 1
                                      << QStringLiteral("\\connect") << QStringList { "SELECT 1" };
    QTest::newRow("set") << sql("\\set ON_ERROR_STOP on\nSELECT 1;") << 1 << QStringLiteral("\\set")
                         << QStringList { "SELECT 1" };
    QTest::newRow("CRLF") << sql("SELECT 1;\r\n\\unrestrict abc\r\n") << 2
                          << QStringLiteral("\\unrestrict") << QStringList { "SELECT 1" };
    QTest::newRow("after a byte order mark")
        << QString(QChar(0xFEFF) + sql("\\restrict Xy1\nSELECT 1;")) << 1
        << QStringLiteral("\\restrict") << QStringList { "SELECT 1" };
    QTest::newRow("end of copy data")
        << sql("\\.\nSELECT 1;") << 1 << QStringLiteral("\\.") << QStringList { "SELECT 1" };
    QTest::newRow("arguments are not read as SQL")
        << sql("\\echo 'unbalanced\nSELECT 1;") << 1 << QStringLiteral("\\echo")
        << QStringList { "SELECT 1" };
    QTest::newRow("\\copy data lines are skipped")
        << sql("\\copy t (a, b) from stdin\n1\tit's\n\\.\nSELECT 1;") << 1
        << QStringLiteral("\\copy") << QStringList { "SELECT 1" };
    QTest::newRow("in the middle of a line")
        << sql("SELECT 1 \\gset\n;SELECT 2;") << 1 << QStringLiteral("\\gset")
        << QStringList { "SELECT 1", "SELECT 2" };
}

void TestSqlScript::reportsPsqlMetaCommands()
{
    QFETCH(QString, script);
    QFETCH(int, line);
    QFETCH(QString, command);
    QFETCH(QStringList, statements);

    const SqlScript parsed = SqlScript::parse(script);
    QCOMPARE(parsed.problems().size(), 1);
    const SqlScriptProblem &problem = parsed.problems().first();
    QCOMPARE(problem.line, line);
    QVERIFY2(problem.message.contains(u"psql meta-command"), qPrintable(problem.message));
    QVERIFY2(problem.message.contains(u'"' + command + u'"'), qPrintable(problem.message));
    QVERIFY2(problem.message.contains(u"plain SQL"), qPrintable(problem.message));
    QCOMPARE(statementTexts(parsed), statements);
}

void TestSqlScript::ignoresBackslashesInsideLiteralsAndComments_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("statementCount");

    QTest::newRow("plain string") << sql("SELECT 'line one\n\\i not a command';") << 1;
    QTest::newRow("plain string with backslashes") << sql(R"(SELECT '\', '\\'; SELECT 2;)") << 2;
    QTest::newRow("E string") << sql(
        "SELECT E'\\\\';\nSELECT E'a\\'\n\\i still inside';\nSELECT 3;")
                              << 3;
    QTest::newRow("dollar quote") << sql("DO $$\nBEGIN\n\\i nothing\nEND $$;") << 1;
    QTest::newRow("block comment") << sql("/*\n\\i commented out\n*/ SELECT 1;") << 1;
    QTest::newRow("line comment") << sql("-- \\i in a comment\nSELECT 1;") << 1;
    QTest::newRow("quoted identifier") << sql("SELECT 1 AS \"\n\\x\";") << 1;
}

void TestSqlScript::ignoresBackslashesInsideLiteralsAndComments()
{
    QFETCH(QString, script);
    QFETCH(int, statementCount);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(parsed.statements().size(), statementCount);
}

void TestSqlScript::reportsCopyFromStdin_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("line");
    QTest::addColumn<QList<int>>("expectedLines");

    QTest::newRow("pg_dump data section") << sql("COPY public.stations (id, name) FROM stdin;\n"
                                                 "1\tO'Brien's; station\n"
                                                 "2\t\\N\n"
                                                 "\\.\n"
                                                 "\n"
                                                 "SELECT 1;\n")
                                          << 1 << QList<int> { 1, 6 };
    QTest::newRow("lower case with options")
        << sql("copy t from STDIN with (format csv);\na,\"b\n\\.\n") << 1 << QList<int> { 1 };
    QTest::newRow("over several lines")
        << sql("SELECT 1;\nCOPY t\n  FROM\n  STDIN;\n1\n\\.\nSELECT 2;") << 2
        << QList<int> { 1, 2, 7 };
    QTest::newRow("data without end marker")
        << sql("COPY t FROM stdin;\n1\t'x\n") << 1 << QList<int> { 1 };
    QTest::newRow("at the end without semicolon")
        << sql("SELECT 1;\nCOPY t FROM STDIN") << 2 << QList<int> { 1, 2 };
    QTest::newRow("CRLF") << sql("COPY t FROM stdin;\r\n1\r\n\\.\r\nSELECT 2;\r\n") << 1
                          << QList<int> { 1, 4 };
}

void TestSqlScript::reportsCopyFromStdin()
{
    QFETCH(QString, script);
    QFETCH(int, line);
    QFETCH(QList<int>, expectedLines);

    const SqlScript parsed = SqlScript::parse(script);
    QCOMPARE(parsed.problems().size(), 1);
    const SqlScriptProblem &problem = parsed.problems().first();
    QCOMPARE(problem.line, line);
    QVERIFY2(problem.message.contains(u"STDIN"), qPrintable(problem.message));
    QVERIFY2(problem.message.contains(u"psql"), qPrintable(problem.message));
    QVERIFY2(problem.message.contains(u"INSERT"), qPrintable(problem.message));
    QVERIFY2(problem.message.contains(u"file on the database server"), qPrintable(problem.message));
    QCOMPARE(statementLines(parsed), expectedLines);
}

void TestSqlScript::acceptsCopyFromServerFile_data()
{
    QTest::addColumn<QString>("script");

    QTest::newRow("server file") << sql("COPY t FROM '/srv/file.csv' WITH (FORMAT csv);");
    QTest::newRow("file named stdin") << sql("COPY t FROM 'stdin';");
    QTest::newRow("to stdout") << sql("COPY t TO STDOUT;");
    QTest::newRow("stdin inside parentheses")
        << sql("COPY (SELECT * FROM stdin) TO '/tmp/out.csv';");
    QTest::newRow("not a COPY") << sql("SELECT * FROM stdin;");
}

void TestSqlScript::acceptsCopyFromServerFile()
{
    QFETCH(QString, script);

    const SqlScript parsed = SqlScript::parse(script);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(parsed.statements().size(), 1);
}

// --- Statement inspection -----------------------------------------------------------------------

void TestSqlScript::leadingWordsStopAtFirstNonWord()
{
    const SqlStatement index = onlyStatement(sql("create unique index concurrently idx on t (a)"));
    QCOMPARE(index.leadingWords(3), (QStringList { "CREATE", "UNIQUE", "INDEX" }));
    QCOMPARE(index.leadingWords(20),
             (QStringList { "CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", "IDX", "ON", "T" }));
    QCOMPARE(index.leadingWords(0), QStringList());
    QCOMPARE(onlyStatement(sql("SELECT 1, 2")).leadingWords(4), QStringList { "SELECT" });
    QCOMPARE(onlyStatement(sql(R"("quoted" x)")).leadingWords(4), QStringList());
    QCOMPARE(onlyStatement(sql("/* c */ Begin -- c\n Work")).leadingWords(2),
             (QStringList { "BEGIN", "WORK" }));
}

void TestSqlScript::startsWithMatchesLeadingWords()
{
    const SqlStatement statement =
        onlyStatement(sql("CREATE UNIQUE INDEX CONCURRENTLY idx ON t (a)"));
    QVERIFY(statement.startsWith({ "CREATE" }));
    QVERIFY(statement.startsWith({ "create", "unique", "index" }));
    QVERIFY(
        statement.startsWith({ "CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", "idx", "ON", "t" }));
    QVERIFY(statement.startsWith({}));
    QVERIFY(!statement.startsWith({ "CREATE", "INDEX" }));
    QVERIFY(!statement.startsWith(
        { "CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", "idx", "ON", "t", "a" }));
    QVERIFY(!onlyStatement(sql("CREATE")).startsWith({ "CREATE", "TABLE" }));
    QVERIFY(!onlyStatement(sql(R"("CREATE" TABLE)")).startsWith({ "CREATE" }));
}

void TestSqlScript::detectsCreateIndexConcurrently_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("concurrently");

    QTest::newRow("CREATE INDEX CONCURRENTLY")
        << sql("CREATE INDEX CONCURRENTLY i ON t (a)") << true;
    QTest::newRow("create unique index concurrently")
        << sql("create unique index concurrently if not exists i on t (a)") << true;
    QTest::newRow("plain index") << sql("CREATE INDEX i ON t (a)") << false;
    QTest::newRow("word inside a longer name")
        << sql("CREATE INDEX concurrently_idx ON t (a)") << false;
    QTest::newRow("inside parentheses") << sql("CREATE INDEX i ON t ((concurrently))") << false;
    QTest::newRow("inside a string")
        << sql("CREATE INDEX i ON t (a) WHERE note <> 'CONCURRENTLY'") << false;
    QTest::newRow("quoted identifier") << sql(R"(CREATE INDEX "concurrently" ON t (a))") << false;
    QTest::newRow("not an index") << sql("CREATE TABLE t (a int) -- INDEX CONCURRENTLY") << false;
}

void TestSqlScript::detectsCreateIndexConcurrently()
{
    QFETCH(QString, script);
    QFETCH(bool, concurrently);

    const SqlStatement statement = onlyStatement(script);
    QCOMPARE(statement.startsWith({ "CREATE" }) && statement.hasTopLevelWord("INDEX")
                 && statement.hasTopLevelWord("CONCURRENTLY"),
             concurrently);
}

void TestSqlScript::hasTopLevelWordIgnoresParentheses_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("word");
    QTest::addColumn<bool>("found");

    QTest::newRow("top level") << sql("ALTER TABLE t DETACH PARTITION p CONCURRENTLY")
                               << QStringLiteral("concurrently") << true;
    QTest::newRow("only in a subquery")
        << sql("SELECT (SELECT concurrently FROM t)") << QStringLiteral("CONCURRENTLY") << false;
    QTest::newRow("after parentheses")
        << sql("SELECT f(a) FROM t WHERE x IN (SELECT 1)") << QStringLiteral("FROM") << true;
    QTest::newRow("nested parentheses")
        << sql("SELECT f(a, (b)) AS x") << QStringLiteral("b") << false;
    QTest::newRow("quoted identifier")
        << sql(R"(SELECT "from" x)") << QStringLiteral("FROM") << false;
    QTest::newRow("inside a dollar quote")
        << sql("DO $$ BEGIN DROP TABLE t; END $$") << QStringLiteral("DROP") << false;
}

void TestSqlScript::hasTopLevelWordIgnoresParentheses()
{
    QFETCH(QString, script);
    QFETCH(QString, word);
    QFETCH(bool, found);

    QCOMPARE(onlyStatement(script).hasTopLevelWord(word.toLatin1().constData()), found);
}

// --- Real-world input ---------------------------------------------------------------------------

void TestSqlScript::parsesPgDumpSchemaOnlyScript()
{
    const QString dump = sql(R"sql(--
-- PostgreSQL database dump
--

-- Dumped from database version 15.4 (Debian 15.4-1.pgdg120+1)
-- Dumped by pg_dump version 15.4 (Debian 15.4-1.pgdg120+1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: fuel; Type: SCHEMA; Schema: -; Owner: fuelsync
--

CREATE SCHEMA fuel;


ALTER SCHEMA fuel OWNER TO fuelsync;

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: fuel; Owner: fuelsync
--

CREATE FUNCTION fuel.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
BEGIN
    -- don't touch rows that didn't change; see 'docs'
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$_$;


ALTER FUNCTION fuel.touch_updated_at() OWNER TO fuelsync;

--
-- Name: price_in(numeric, text); Type: FUNCTION; Schema: fuel; Owner: fuelsync
--

CREATE FUNCTION fuel.price_in(amount numeric, currency text) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $_$SELECT round($1 * CASE $2 WHEN 'EUR' THEN 1.0 ELSE 1.1 END, 2)$_$;


ALTER FUNCTION fuel.price_in(amount numeric, currency text) OWNER TO fuelsync;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: stations; Type: TABLE; Schema: fuel; Owner: fuelsync
--

CREATE TABLE fuel.stations (
    id bigint NOT NULL,
    name text NOT NULL,
    "Display Name" text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT stations_name_check CHECK ((name <> ''::text))
);


ALTER TABLE fuel.stations OWNER TO fuelsync;

--
-- Name: TABLE stations; Type: COMMENT; Schema: fuel; Owner: fuelsync
--

COMMENT ON TABLE fuel.stations IS 'Fuel stations; one row per site. Don''t delete -- archive instead.';


--
-- Name: stations_id_seq; Type: SEQUENCE; Schema: fuel; Owner: fuelsync
--

CREATE SEQUENCE fuel.stations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE fuel.stations_id_seq OWNED BY fuel.stations.id;

--
-- Name: stations id; Type: DEFAULT; Schema: fuel; Owner: fuelsync
--

ALTER TABLE ONLY fuel.stations ALTER COLUMN id SET DEFAULT nextval('fuel.stations_id_seq'::regclass);


--
-- Name: stations stations_pkey; Type: CONSTRAINT; Schema: fuel; Owner: fuelsync
--

ALTER TABLE ONLY fuel.stations
    ADD CONSTRAINT stations_pkey PRIMARY KEY (id);


--
-- Name: stations_name_key; Type: INDEX; Schema: fuel; Owner: fuelsync
--

CREATE UNIQUE INDEX stations_name_key ON fuel.stations USING btree (lower(name));


--
-- Name: stations stations_touch; Type: TRIGGER; Schema: fuel; Owner: fuelsync
--

CREATE TRIGGER stations_touch BEFORE UPDATE ON fuel.stations FOR EACH ROW EXECUTE FUNCTION fuel.touch_updated_at();


--
-- PostgreSQL database dump complete
--

)sql");

    const SqlScript parsed = SqlScript::parse(dump);
    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    const QList<SqlStatement> &statements = parsed.statements();
    QCOMPARE(statements.size(), 27);

    QCOMPARE(statements[0].text, QStringLiteral("SET statement_timeout = 0"));
    QCOMPARE(statements[0].line, 8);
    QCOMPARE(statements[5].text,
             QStringLiteral("SELECT pg_catalog.set_config('search_path', '', false)"));
    QCOMPARE(statements[10].leadingWords(3), (QStringList { "CREATE", "SCHEMA", "FUEL" }));
    QCOMPARE(statements[10].line, 23);

    const SqlStatement &trigger = statements[12];
    QVERIFY(trigger.startsWith({ "CREATE", "FUNCTION" }));
    QCOMPARE(trigger.line, 32);
    QCOMPARE(trigger.endLine, 42);
    QCOMPARE(trigger.tokens.last().kind, SqlToken::Kind::DollarString);
    QVERIFY(trigger.text.endsWith(u"RETURN NEW;\nEND;\n$_$"));

    const SqlStatement &priceIn = statements[14];
    QCOMPARE(priceIn.line, 51);
    QCOMPARE(priceIn.endLine, 53);

    const SqlStatement &table = statements[18];
    QVERIFY(table.startsWith({ "CREATE", "TABLE" }));
    QCOMPARE(table.line, 66);
    QCOMPARE(table.endLine, 72);

    const SqlStatement &comment = statements[20];
    QVERIFY(comment.startsWith({ "COMMENT", "ON", "TABLE" }));
    QCOMPARE(comment.line, 81);
    QCOMPARE(
        comment.tokens.last().text,
        QStringLiteral("'Fuel stations; one row per site. Don''t delete -- archive instead.'"));

    const SqlStatement &primaryKey = statements[24];
    QVERIFY(primaryKey.startsWith({ "ALTER", "TABLE", "ONLY" }));
    QCOMPARE(primaryKey.line, 109);
    QCOMPARE(primaryKey.endLine, 110);
    QVERIFY(primaryKey.hasTopLevelWord("CONSTRAINT"));

    QVERIFY(statements[25].startsWith({ "CREATE", "UNIQUE", "INDEX" }));
    QVERIFY(!statements[25].hasTopLevelWord("CONCURRENTLY"));
    QVERIFY(statements[26].startsWith({ "CREATE", "TRIGGER" }));
    QCOMPARE(statements[26].line, 124);
}

void TestSqlScript::parsesFiveMegabyteScriptQuickly()
{
    const QString chunk =
        sql("-- a chunk of a generated migration\n"
            "CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'it''s', price "
            "numeric(10, 2));\n"
            "INSERT INTO t (id, name, price) VALUES (1, E'a\\'b', 1.5), (2, $$x; y$$, 2e3), (3, "
            "\"Q\"::text, -4);\n"
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
            "BEGIN\n"
            "    NEW.name := upper(NEW.name); /* nested /* comment */ ; */\n"
            "    RETURN NEW;\n"
            "END;\n"
            "$fn$;\n");
    const int linesPerChunk = 9;
    const int repeats = 5 * 1024 * 1024 / int(chunk.size()) + 1;
    const QString script = chunk.repeated(repeats);
    QVERIFY(script.size() >= 5 * 1024 * 1024);

    QElapsedTimer timer;
    timer.start();
    const SqlScript parsed = SqlScript::parse(script);
    const qint64 elapsed = timer.elapsed();
    qInfo("parsed %lld characters, %d statements in %lld ms", qint64(script.size()),
          int(parsed.statements().size()), elapsed);

    QVERIFY2(parsed.isValid(), qPrintable(describeProblems(parsed)));
    QCOMPARE(parsed.statements().size(), 3 * repeats);
    QCOMPARE(parsed.statements().last().line, (repeats - 1) * linesPerChunk + 4);
    QCOMPARE(parsed.statements().last().endLine, repeats * linesPerChunk);
    // Generous for a loaded CI machine; a single pass takes a fraction of this.
    QVERIFY2(elapsed < 2000, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
}

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
