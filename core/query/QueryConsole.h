#pragma once

#include "db/StatementResult.h"

#include <QElapsedTimer>
#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;
class JobControl;

// What one statement of the console gave: its first rows (or its command tag), and, for a query,
// the cursor the rest of its rows are read through.
struct StatementOutcome
{
    QString statement;
    StatementResult result; // columns, the first page of rows, the command tag
    QString cursor; // a query's open cursor; empty when every row is in `result`
    bool atEnd = true; // every row has been read
    qint64 elapsedMs = 0;
    QStringList notices; // the server's NOTICE / WARNING lines while it ran
};

// The query console's side of one session: runs statements a person typed, one at a time.
//
// Each statement is sent alone through the extended query protocol (text holding two statements
// is refused by the server as a whole), inside a savepoint of a transaction the console opened,
// so a failed statement leaves the others' results and cursors standing. A query (SELECT, WITH,
// VALUES, TABLE) is declared as a cursor and read a page at a time; anything else runs as it
// is, its rows capped.
//
// Read-only mode is PostgreSQL's own: the transaction is opened READ ONLY and takes its snapshot
// at once, so a statement's SET TRANSACTION READ WRITE is refused, and every statement runs in a
// subtransaction of it, where the server refuses changing that too. A statement that ends the
// transaction (COMMIT, ROLLBACK, PREPARE TRANSACTION) ends one that wrote nothing, and the next
// statement gets a new READ ONLY transaction; before each statement the console asks the server
// that the transaction is read-only and refuses to go on otherwise. The transaction is always
// rolled back. The server, not a list of keywords, decides what writes: DO blocks, functions,
// temporary tables, NOTIFY, nextval and the rest are refused by it.
//
// Read-write mode (a maintainer's) keeps one explicit transaction open from the first statement
// until commit() or rollback(); nothing is ever committed unless asked.
//
// Lives on the session's thread (DbConnection's rule); cancel through the session's cancel.
class QueryConsole
{
public:
    enum class Mode { ReadOnly, ReadWrite };

    struct Options
    {
        Mode mode = Mode::ReadOnly;
        // Schemas searched for unqualified names, first first ("demo_001", "public"); empty:
        // the session's own search_path. Each is checked against the catalog and quoted.
        QStringList searchPath;
        int pageSize = 500; // rows of a query read at once
        qint64 maxRows = 100'000; // rows kept of a statement that is not read through a cursor
        int cellLimit = 10'000; // characters kept of a cell
    };

    QueryConsole(DbConnection &connection, Options options);
    // Rolls back what is open (read-write work that was not committed is not kept).
    ~QueryConsole();
    QueryConsole(const QueryConsole &) = delete;
    QueryConsole &operator=(const QueryConsole &) = delete;

    // Runs one statement. Throws DbError when the server refuses it (the transaction and the
    // results before it stand), RequestError when the read-only transaction cannot be had.
    StatementOutcome run(const QString &statement);

    // Rows of a query's cursor: `count` rows from row `first` (0-based). Fewer at the end.
    QList<ResultRow> fetch(const QString &cursor, qint64 first, int count);
    // How many rows the cursor's query gives (it is read to its end on the server).
    qint64 countRows(const QString &cursor);

    // Ends the transaction: read-only work is always rolled back; read-write work is committed
    // only here, with a row in the audit (kind "query commit": the statements, their kinds and
    // rows) in the same transaction. Returns a warning when the row could not be written (the
    // commit went ahead). Cursors close with it.
    QString commit();
    void rollback();
    bool transactionOpen() const;
    // The kinds of statement run in the open transaction ("UPDATE", "DELETE"), each once, and
    // the rows their tags counted: what a commit would keep.
    QStringList pendingKinds() const { return m_pendingKinds; }
    qint64 pendingRows() const { return m_pendingRows; }

    // The schemas searched for unqualified names from now on: at once in an open transaction,
    // and in each one begun after.
    void setSearchPath(const QStringList &schemas);

    // Statements that changed something in the open transaction (read-write), for the audit
    // row a commit writes: at most the first 50, each cut at 2,000 characters.
    QStringList pendingStatements() const { return m_pendingStatements; }

    Mode mode() const { return m_options.mode; }
    DbConnection &connection() { return m_connection; }

    // Whether a statement is read through a cursor: a query by its first word.
    static bool isQuery(const QString &statement);

private:
    void ensureTransaction();
    // Rolls back a read-only transaction that wrote or holds locks beyond reading; says why, or
    // returns nothing when it did not.
    QString undoWhatReadOnlyLetThrough();
    // A statement the server (or the console) refused, on record in the audit on a session of
    // its own (the console's transaction stays as it was); never throws.
    void recordRefusal(const QString &statement, const QString &why);
    StatementOutcome runQuery(const QString &statement);

    DbConnection &m_connection;
    Options m_options;
    QString m_searchPath; // the SET LOCAL search_path statement, or empty
    int m_cursors = 0;
    QStringList m_pendingKinds;
    QStringList m_pendingStatements;
    qint64 m_pendingRows = 0;
};

} // namespace fuelsync
