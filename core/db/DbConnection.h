#pragma once

#include "ConnectionSettings.h"
#include "StatementResult.h"
#include "common/JobControl.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

#include <atomic>
#include <memory>
#include <mutex>

namespace fuelsync {

namespace LibPq {
struct ServerError;
}

// One PostgreSQL session, owned by the thread that opened it (a QSqlDatabase connection must only
// be used by its own thread). Every failure is thrown as DbError. Closing happens on destruction.
class DbConnection
{
public:
    ~DbConnection();
    DbConnection(const DbConnection &) = delete;
    DbConnection &operator=(const DbConnection &) = delete;

    // Opens a session in the calling thread. `purpose` names it in pg_stat_activity when the
    // settings carry no application_name.
    static std::unique_ptr<DbConnection> open(const ConnectionSettings &settings,
                                              const QString &purpose);

    // Runs one statement through the simple query protocol (no parameters, one statement).
    QSqlQuery exec(const QString &sql);
    // Runs one statement with values bound to its '?' placeholders (never spliced into the text).
    QSqlQuery exec(const QString &sql, const QVariantList &values);
    // Sends one statement through the extended query protocol, so text holding two statements
    // ("COMMIT; DELETE ...") is refused by the server as a whole. For text from a person (the
    // query console): rows past `maxRows` are counted and dropped, cells cut at `cellLimit`
    // characters. Nothing may be left unread of an earlier exec() on this session (no QSqlQuery
    // still reading rows).
    StatementResult runAlone(const QString &sql, qint64 maxRows = 100'000, int cellLimit = 10'000);
    // Runs text of the program's own, never a person's, that may hold several statements
    // ("BEGIN READ ONLY; SET LOCAL ..."), in one round trip; its rows are dropped. The same rule
    // as runAlone() about earlier exec() calls.
    void runFixed(const QString &sql);
    // Runs a query that returns a single value.
    QVariant scalar(const QString &sql, const QVariantList &values = {});
    // Whether schema.name is a table, view or other relation the session can see (the names are
    // quoted, so any text is safe).
    bool relationExists(const QString &schema, const QString &name);

    void begin();
    // A transaction that may write even when the session's default is read-only (a support
    // login's): for the audit row that records a refusal. The privileges still decide.
    void beginReadWrite();
    void commit();
    void rollback();
    bool inTransaction() const { return m_inTransaction; }
    // What libpq last heard of the session's transaction (no round trip): for code that lets
    // a person's statements begin and end transactions (the query console).
    enum class ServerTransaction { Idle, InTransaction, Failed, Unknown };
    ServerTransaction serverTransaction() const;

    // Asks the server to cancel whatever this session is running. Safe from any thread.
    bool cancel(QString *error = nullptr);
    // While the hook lives, cancelling the job cancels what this session runs.
    [[nodiscard]] JobControl::CancelHook cancelWith(JobControl &control);
    // The same for a job that may not be watched (null: nothing to cancel with).
    [[nodiscard]] JobControl::CancelHook cancelWith(JobControl *control);

    int backendPid() const { return m_backendPid; }
    int serverVersionNumber() const { return m_serverVersion; } // e.g. 150004
    QString serverVersion() const { return m_serverVersionText; }
    QString currentUser() const { return m_currentUser; }
    QString databaseName() const { return m_database; }
    // The connected database's size on disk, in bytes (pg_database_size).
    qint64 databaseBytes();
    const ConnectionSettings &settings() const { return m_settings; }
    // After a ConnectionLost error, the session cannot be used again.
    bool isUsable() const;

    QSqlDatabase database() const { return m_db; }
    // Statements sent on this session so far (every exec, runAlone and runFixed): what a test
    // counts to show a page costs the queries it should.
    qint64 statementsSent() const { return m_statementsSent; }

    // The server's notices and warnings since the last call (at most the latest 100), e.g.
    // "WARNING:  ..." from a migration. They are collected instead of printed.
    QStringList takeNotices();

private:
    DbConnection() = default;

    QSqlQuery run(const QString &sql, const QVariantList *values);
    static void receiveNotice(void *context, const char *message);
    // A failure of runAlone() or runFixed() as a DbError; a lost connection stays lost.
    [[noreturn]] void throwServerError(const LibPq::ServerError &failure, const QString &sql);

    QString m_name;
    QSqlDatabase m_db;
    ConnectionSettings m_settings;
    int m_backendPid = 0;
    int m_serverVersion = 0;
    QString m_serverVersionText;
    QString m_currentUser;
    QString m_database;
    bool m_inTransaction = false;
    bool m_lost = false;
    qint64 m_statementsSent = 0;
    QStringList m_notices;
    // Prepared statements that failed inside a transaction, freed once it has ended.
    QList<QSqlQuery> m_failedInTransaction;
    std::mutex m_cancelMutex;
    void *m_cancelHandle = nullptr;
};

// Rolls back on scope exit unless commit() was called.
class Transaction
{
public:
    explicit Transaction(DbConnection &connection);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();
    void rollback();

private:
    DbConnection &m_connection;
    bool m_open = true;
};

} // namespace fuelsync
