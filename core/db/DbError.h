#pragma once

#include <QString>

#include <exception>

class QSqlError;

namespace fuelsync {

class ConnectionSettings;

// A failure talking to PostgreSQL, with the server's own message taken apart so callers can
// report it precisely (SQLSTATE, the line inside the statement, detail and hint).
class DbError : public std::exception
{
public:
    enum class Kind {
        Connect, // could not open a connection
        ConnectionLost, // the server went away mid-way
        Statement, // the server refused a statement
        LockTimeout, // lock_timeout expired (SQLSTATE 55P03)
        Cancelled, // cancelled by request or statement_timeout (57014)
    };

    DbError(Kind kind, QString message);

    static DbError fromStatement(const QSqlError &error, const QString &statement);
    // From the fields of a server error (LibPq::execAlone): `position` is the 1-based character
    // of the statement the server pointed at.
    static DbError fromServer(const QString &sqlState, const QString &message,
                              const QString &detail, const QString &hint, const QString &context,
                              int position, bool connectionBad, const QString &statement);
    static DbError fromConnect(const QSqlError &error, const ConnectionSettings &settings);

    Kind kind() const { return m_kind; }
    // The server's primary message ("relation \"x\" does not exist"), or ours.
    const QString &message() const { return m_message; }
    const QString &sqlState() const { return m_sqlState; }
    const QString &detail() const { return m_detail; }
    const QString &context() const { return m_context; }
    // 1-based line within the statement the server pointed at, or 0.
    int lineInStatement() const { return m_line; }
    // 0-based character of the statement the server pointed at, or -1 (only known for a
    // statement sent alone).
    int offsetInStatement() const { return m_offset; }
    const QString &hint() const { return m_hint; }
    const QString &statement() const { return m_statement; }

    // A connection failed because the server wants a password and none was given.
    bool passwordRequired() const { return m_passwordRequired; }
    // A connection failed because the server did not accept the password given.
    bool passwordRejected() const { return m_passwordRejected; }

    // Message, then DETAIL / HINT lines, then the SQLSTATE, ready to print.
    QString text() const;
    const char *what() const noexcept override;

private:
    void parseServerText(const QString &text);

    Kind m_kind;
    QString m_message;
    QString m_sqlState;
    QString m_detail;
    QString m_hint;
    QString m_context;
    QString m_statement;
    int m_line = 0;
    int m_offset = -1;
    bool m_passwordRequired = false;
    bool m_passwordRejected = false;
    QByteArray m_what;
};

} // namespace fuelsync
