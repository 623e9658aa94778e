#include "QueryConsole.h"

#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"
#include "sql/SqlScript.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

namespace fuelsync {
namespace {

const QString savepoint = QStringLiteral("fuelsync_console_statement");

// Statements that begin, end or name transactions and savepoints: after one of them the
// console's own savepoint may be gone, so it is not released by name.
bool controlsTransaction(const SqlStatement &statement)
{
    const QStringList words = statement.leadingWords(1);
    static const QStringList control {
        QStringLiteral("BEGIN"),     QStringLiteral("START"),    QStringLiteral("COMMIT"),
        QStringLiteral("END"),       QStringLiteral("ROLLBACK"), QStringLiteral("ABORT"),
        QStringLiteral("SAVEPOINT"), QStringLiteral("RELEASE"),  QStringLiteral("PREPARE"),
    };
    return !words.isEmpty() && control.contains(words.first());
}

SqlStatement parsed(const QString &text)
{
    const SqlScript script = SqlScript::parse(text);
    return script.statements().isEmpty() ? SqlStatement() : script.statements().first();
}

bool isCursorName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^fuelsync_result_[0-9]+$"));
    return pattern.match(name).hasMatch();
}

} // namespace

QueryConsole::QueryConsole(DbConnection &connection, Options options)
    : m_connection(connection)
    , m_options(std::move(options))
{
    setSearchPath(m_options.searchPath);
}

void QueryConsole::setSearchPath(const QStringList &schemas)
{
    m_options.searchPath = schemas;
    QStringList quoted;
    for (const QString &schema : schemas)
        quoted.append(SqlIdentifier::quote(schema));
    m_searchPath = quoted.isEmpty()
        ? QString()
        : QStringLiteral("SET LOCAL search_path = ") + quoted.join(QStringLiteral(", "));
    if (m_connection.serverTransaction() == DbConnection::ServerTransaction::InTransaction)
        m_connection.runAlone(m_searchPath.isEmpty() ? QStringLiteral("RESET search_path")
                                                     : m_searchPath);
}

QueryConsole::~QueryConsole()
{
    try {
        if (m_connection.isUsable() && transactionOpen())
            m_connection.runAlone(QStringLiteral("ROLLBACK"));
    } catch (const std::exception &) {
        // The session is going away with the console; the server rolls back what is open.
    }
}

bool QueryConsole::isQuery(const QString &statement)
{
    const SqlStatement s = parsed(statement);
    if (s.tokens.isEmpty())
        return false;
    const SqlToken &first = s.tokens.first();
    return first.isWord("select") || first.isWord("with") || first.isWord("values")
        || first.isWord("table")
        || (first.kind == SqlToken::Kind::Punctuation && first.text == u"(");
}

bool QueryConsole::transactionOpen() const
{
    const auto state = m_connection.serverTransaction();
    return state == DbConnection::ServerTransaction::InTransaction
        || state == DbConnection::ServerTransaction::Failed;
}

void QueryConsole::ensureTransaction()
{
    if (m_connection.serverTransaction() == DbConnection::ServerTransaction::Failed) {
        // Something left the transaction failed (a statement's own savepoints): start again.
        m_connection.runAlone(QStringLiteral("ROLLBACK"));
        m_pendingKinds.clear();
        m_pendingStatements.clear();
        m_pendingRows = 0;
    }
    const bool readOnly = m_options.mode == Mode::ReadOnly;
    if (m_connection.serverTransaction() == DbConnection::ServerTransaction::Idle) {
        m_pendingKinds.clear();
        m_pendingStatements.clear();
        m_pendingRows = 0;
        m_connection.runAlone(readOnly ? QStringLiteral("BEGIN TRANSACTION READ ONLY")
                                       : QStringLiteral("BEGIN"));
        // The first query takes the transaction's snapshot: from then on the server refuses to
        // make it read-write (SET TRANSACTION READ WRITE, set_config of transaction_read_only).
        m_connection.runAlone(QStringLiteral("SELECT 1"));
        if (!m_searchPath.isEmpty())
            m_connection.runAlone(m_searchPath);
    }
    if (readOnly) {
        const StatementResult check = m_connection.runAlone(
            QStringLiteral("SELECT current_setting('transaction_read_only')"));
        if (check.rows.isEmpty() || check.rows.first().cells.value(0) != u"on") {
            m_connection.runAlone(QStringLiteral("ROLLBACK"));
            throw RequestError(QCoreApplication::translate(
                "QueryConsole",
                "the console's transaction is not read-only any more; it was rolled back and "
                "the statement was not run"));
        }
    }
}

StatementOutcome QueryConsole::run(const QString &statement)
{
    QElapsedTimer timer;
    timer.start();
    m_connection.takeNotices();
    const SqlStatement parsedStatement = parsed(statement);
    // The one thing the server cannot refuse is a commit: a read-only transaction's NOTIFY is
    // sent when it commits. The console's read-only transaction is never committed.
    if (m_options.mode == Mode::ReadOnly
        && (parsedStatement.startsWith({ "COMMIT" }) || parsedStatement.startsWith({ "END" })
            || parsedStatement.startsWith({ "PREPARE", "TRANSACTION" }))) {
        const QString why = QCoreApplication::translate(
            "QueryConsole",
            "a read-only console never commits: its transaction is rolled back; the statement "
            "was not sent");
        recordRefusal(statement, why);
        throw RequestError(why);
    }
    if (m_options.mode == Mode::ReadWrite && controlsTransaction(parsedStatement)
        && !parsedStatement.startsWith({ "SAVEPOINT" })
        && !parsedStatement.startsWith({ "RELEASE" })
        && !parsedStatement.startsWith({ "ROLLBACK", "TO" })) {
        throw RequestError(QCoreApplication::translate(
            "QueryConsole",
            "the console begins and ends its transaction itself: use Commit or Rollback (the "
            "command line: a statement per transaction); nothing was run"));
    }
    ensureTransaction();
    m_connection.runAlone(QStringLiteral("SAVEPOINT ") + savepoint);

    StatementOutcome outcome;
    try {
        if (isQuery(statement))
            outcome = runQuery(statement);
        else {
            outcome.statement = statement;
            outcome.result =
                m_connection.runAlone(statement, m_options.maxRows, m_options.cellLimit);
        }
    } catch (const DbError &error) {
        if (error.sqlState() == u"25006" || error.sqlState() == u"42501")
            recordRefusal(statement, error.text());
        if (error.kind() != DbError::Kind::ConnectionLost
            && m_connection.serverTransaction() == DbConnection::ServerTransaction::Failed) {
            try {
                m_connection.runAlone(QStringLiteral("ROLLBACK TO SAVEPOINT ") + savepoint);
                m_connection.runAlone(QStringLiteral("RELEASE SAVEPOINT ") + savepoint);
                // What a refused statement may leave (a sequence's lock) goes with the
                // transaction; the server's refusal is the message.
                if (m_options.mode == Mode::ReadOnly)
                    undoWhatReadOnlyLetThrough();
            } catch (const DbError &) {
                // The savepoint was the statement's to end; the next statement starts over.
            }
        }
        throw;
    }
    if (m_options.mode == Mode::ReadOnly) {
        if (const QString undone = undoWhatReadOnlyLetThrough(); !undone.isEmpty()) {
            recordRefusal(statement, undone);
            throw RequestError(undone);
        }
    }
    if (!controlsTransaction(parsedStatement)
        && m_connection.serverTransaction() == DbConnection::ServerTransaction::InTransaction)
        m_connection.runAlone(QStringLiteral("RELEASE SAVEPOINT ") + savepoint);

    if (m_options.mode == Mode::ReadWrite && outcome.cursor.isEmpty()) {
        static const QStringList reads { QStringLiteral("SELECT"),  QStringLiteral("SHOW"),
                                         QStringLiteral("EXPLAIN"), QStringLiteral("FETCH"),
                                         QStringLiteral("MOVE"),    QStringLiteral("SET"),
                                         QStringLiteral("RESET"),   QStringLiteral("SAVEPOINT"),
                                         QStringLiteral("RELEASE"), QStringLiteral("ROLLBACK") };
        const QString verb = outcome.result.tagVerb();
        if (!verb.isEmpty() && !reads.contains(verb) && !m_pendingKinds.contains(verb))
            m_pendingKinds.append(verb);
        if (!verb.isEmpty() && !reads.contains(verb) && m_pendingStatements.size() < 50)
            m_pendingStatements.append(statement.left(2000));
        if (!reads.contains(verb) && outcome.result.taggedCount() > 0)
            m_pendingRows += outcome.result.taggedCount();
    }
    outcome.elapsedMs = timer.elapsed();
    outcome.notices = m_connection.takeNotices();
    return outcome;
}

void QueryConsole::recordRefusal(const QString &statement, const QString &why)
{
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::query);
    entry.outcome = AuditEntry::Outcome::Refused;
    entry.what = { { QStringLiteral("statement"), statement.left(2000) },
                   { QStringLiteral("console"),
                     m_options.mode == Mode::ReadOnly ? QStringLiteral("read-only")
                                                      : QStringLiteral("writes allowed") } };
    entry.error = why;
    AuditLog::recordAlone(m_connection.settings(), entry);
}

QString QueryConsole::undoWhatReadOnlyLetThrough()
{
    // A read-only transaction still lets a few things through: a large object (lo_create),
    // a lock stronger than reading takes (LOCK TABLE, for a login with the privileges; a
    // sequence's lock that setval took before it was refused), an advisory lock that outlives
    // the transaction. The server says whether the transaction wrote anything (it then has a
    // transaction id) and which locks the session holds; then the transaction is rolled back
    // and the locks released.
    const StatementResult check = m_connection.runAlone(QStringLiteral(
        "SELECT pg_current_xact_id_if_assigned() IS NOT NULL, "
        "(SELECT string_agg(DISTINCT CASE WHEN locktype = 'advisory' THEN 'advisory lock' "
        "ELSE mode END, ', ') FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND "
        "(locktype = 'advisory' OR (locktype = 'relation' AND mode <> 'AccessShareLock')))"));
    const ResultRow row = check.rows.value(0);
    const bool wrote = row.cells.value(0) == u"t";
    const QString locks = row.cells.value(1);
    if (!wrote && locks.isEmpty())
        return {};
    m_connection.runAlone(QStringLiteral("ROLLBACK"));
    if (locks.contains(QLatin1StringView("advisory lock")))
        m_connection.runAlone(QStringLiteral("SELECT pg_advisory_unlock_all()"));
    return locks.isEmpty()
        ? QCoreApplication::translate("QueryConsole",
                                      "the statement wrote in the read-only transaction "
                                      "(PostgreSQL lets a few writes through, such as a "
                                      "large object); the transaction was rolled back "
                                      "and nothing was kept")
        : QCoreApplication::translate("QueryConsole",
                                      "the statement took locks a read-only console does "
                                      "not hold (%1): they would block other sessions; "
                                      "the transaction was rolled back and the locks "
                                      "released")
              .arg(locks);
}

StatementOutcome QueryConsole::runQuery(const QString &statement)
{
    StatementOutcome outcome;
    outcome.statement = statement;
    const QString cursor = QStringLiteral("fuelsync_result_%1").arg(++m_cursors);
    bool declared = false;
    try {
        // SCROLL: the grid reads pages backwards too. A query that cannot be a scrollable
        // cursor (FOR UPDATE, a data-modifying WITH) runs as it is instead, below.
        m_connection.runAlone(QStringLiteral("DECLARE %1 SCROLL CURSOR FOR ").arg(cursor)
                              + statement);
        declared = true;
    } catch (const DbError &error) {
        if (error.kind() == DbError::Kind::ConnectionLost
            || error.kind() == DbError::Kind::Cancelled)
            throw;
        m_connection.runAlone(QStringLiteral("ROLLBACK TO SAVEPOINT ") + savepoint);
    }
    if (!declared) {
        outcome.result = m_connection.runAlone(statement, m_options.maxRows, m_options.cellLimit);
        return outcome;
    }
    outcome.result = m_connection.runAlone(
        QStringLiteral("FETCH FORWARD %1 FROM %2").arg(m_options.pageSize).arg(cursor),
        m_options.pageSize, m_options.cellLimit);
    outcome.atEnd = outcome.result.rows.size() < m_options.pageSize;
    if (outcome.atEnd) {
        m_connection.runAlone(QStringLiteral("CLOSE ") + cursor);
        outcome.result.commandTag = QStringLiteral("SELECT %1").arg(outcome.result.rows.size());
    } else {
        outcome.cursor = cursor;
        outcome.result.commandTag.clear();
    }
    return outcome;
}

QList<ResultRow> QueryConsole::fetch(const QString &cursor, qint64 first, int count)
{
    if (!isCursorName(cursor))
        throw RequestError(QCoreApplication::translate("QueryConsole", "no such result"));
    m_connection.runAlone(QStringLiteral("MOVE ABSOLUTE %1 IN %2").arg(first).arg(cursor));
    return m_connection
        .runAlone(QStringLiteral("FETCH FORWARD %1 FROM %2").arg(count).arg(cursor), count,
                  m_options.cellLimit)
        .rows;
}

qint64 QueryConsole::countRows(const QString &cursor)
{
    if (!isCursorName(cursor))
        throw RequestError(QCoreApplication::translate("QueryConsole", "no such result"));
    m_connection.runAlone(QStringLiteral("MOVE ABSOLUTE 0 IN ") + cursor);
    return m_connection.runAlone(QStringLiteral("MOVE FORWARD ALL IN ") + cursor).taggedCount();
}

QString QueryConsole::commit()
{
    if (m_options.mode == Mode::ReadOnly) {
        rollback();
        return {};
    }
    QString warning;
    if (!m_pendingKinds.isEmpty()
        && m_connection.serverTransaction() == DbConnection::ServerTransaction::InTransaction) {
        AuditEntry entry;
        entry.kind = QString::fromLatin1(AuditEntry::queryCommit);
        entry.what = { { QStringLiteral("statements"),
                         QJsonArray::fromStringList(m_pendingStatements) },
                       { QStringLiteral("kinds"), QJsonArray::fromStringList(m_pendingKinds) },
                       { QStringLiteral("rows"), m_pendingRows } };
        m_connection.runAlone(QStringLiteral("SAVEPOINT fuelsync_console_audit"));
        try {
            AuditLog::record(m_connection, entry);
        } catch (const std::exception &error) {
            m_connection.runAlone(QStringLiteral("ROLLBACK TO SAVEPOINT fuelsync_console_audit"));
            warning =
                QCoreApplication::translate("QueryConsole", "the commit is not in the audit: %1")
                    .arg(QString::fromUtf8(error.what()).section(u'\n', 0, 0));
        }
    }
    if (transactionOpen())
        m_connection.runAlone(QStringLiteral("COMMIT"));
    m_pendingKinds.clear();
    m_pendingStatements.clear();
    m_pendingRows = 0;
    return warning;
}

void QueryConsole::rollback()
{
    if (transactionOpen())
        m_connection.runAlone(QStringLiteral("ROLLBACK"));
    m_pendingKinds.clear();
    m_pendingStatements.clear();
    m_pendingRows = 0;
}

} // namespace fuelsync
