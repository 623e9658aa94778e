#include "DbError.h"

#include "ConnectionSettings.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSqlError>

namespace fuelsync {

namespace {

bool isConnectionLostState(const QString &state)
{
    // 08xxx connection exceptions, 57P01..57P03 administrator / crash shutdown.
    return state.startsWith(u"08") || state == u"57P01" || state == u"57P02" || state == u"57P03";
}

bool looksLikeLostConnection(const QString &text)
{
    static const char *const markers[] = {
        "server closed the connection unexpectedly",
        "no connection to the server",
        "terminating connection",
        "connection to server was lost",
        "could not receive data from server",
        "could not send data to server",
        "SSL SYSCALL error",
    };
    for (const char *marker : markers) {
        if (text.contains(QLatin1StringView(marker), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// Turns libpq's connection failure into a sentence a person can act on.
QString explainConnectFailure(const QString &raw, const ConnectionSettings &settings)
{
    const QString target = settings.displayName();
    const QString user =
        settings.user().isEmpty() ? qEnvironmentVariable("PGUSER") : settings.user();
    auto has = [&raw](const char *s) {
        return raw.contains(QLatin1StringView(s), Qt::CaseInsensitive);
    };

    if (has("password authentication failed"))
        return QCoreApplication::translate("DbError", "wrong password for user %1 at %2")
            .arg(user.isEmpty() ? QCoreApplication::translate("DbError", "(default)") : user,
                 target);
    if (has("no password supplied") || has("password is required"))
        return QCoreApplication::translate("DbError",
                                           "the server at %1 asks for a password and none was "
                                           "given: put it in ~/.pgpass or "
                                           "PGPASSWORD, or run in a terminal to be asked")
            .arg(target);
    if (has("Connection refused"))
        return QCoreApplication::translate(
                   "DbError",
                   "no PostgreSQL server is accepting connections at %1 (connection refused): is "
                   "the "
                   "server running, and on this host and port?")
            .arg(target);
    if (has("No such file or directory") && has("socket"))
        return QCoreApplication::translate(
                   "DbError",
                   "no PostgreSQL server is running on the local socket for %1: start the server, "
                   "or "
                   "give the host and port it listens on")
            .arg(target);
    if (has("could not translate host name"))
        return QCoreApplication::translate("DbError",
                                           "the host name in %1 is unknown (DNS lookup failed)")
            .arg(target);
    if (has("timeout expired"))
        return QCoreApplication::translate(
                   "DbError", "the server at %1 did not answer in time (connect timeout)")
            .arg(target);
    if (has("does not exist") && has("database"))
        return QCoreApplication::translate("DbError",
                                           "the database does not exist on the server: %1")
            .arg(target);
    if (has("does not exist") && has("role"))
        return QCoreApplication::translate("DbError",
                                           "the user (role) %1 does not exist on the server at %2")
            .arg(user.isEmpty() ? QCoreApplication::translate("DbError", "(default)") : user,
                 target);
    if (has("no pg_hba.conf entry"))
        return QCoreApplication::translate(
                   "DbError",
                   "the server at %1 does not accept this user from this host (pg_hba.conf), or "
                   "requires SSL: ask the administrator, or set sslmode")
            .arg(target);
    if (has("server does not support SSL"))
        return QCoreApplication::translate("DbError",
                                           "the server at %1 does not support SSL, but the "
                                           "connection requires it (sslmode)")
            .arg(target);
    if (has("certificate") || has("SSL"))
        return QCoreApplication::translate("DbError", "the SSL connection to %1 failed: %2")
            .arg(target, raw.trimmed());
    if (has("too many connections") || has("remaining connection slots"))
        return QCoreApplication::translate("DbError",
                                           "the server at %1 has no free connection slots")
            .arg(target);
    if (has("the database system is starting up") || has("shutting down"))
        return QCoreApplication::translate(
                   "DbError",
                   "the server at %1 is starting up or shutting down; try again in a moment")
            .arg(target);
    return QCoreApplication::translate("DbError", "cannot connect to %1: %2")
        .arg(target, raw.trimmed());
}

} // namespace

DbError::DbError(Kind kind, QString message)
    : m_kind(kind)
    , m_message(std::move(message))
{
    m_what = text().toUtf8();
}

void DbError::parseServerText(const QString &text)
{
    // QPSQL hands over libpq's formatted message ("ERROR:  msg\nDETAIL:  ...\nLINE 3: ...\n
    // ^\n(SQLSTATE)"). Take it apart line by line.
    static const QRegularExpression linePattern(QStringLiteral("^LINE (\\d+):"));
    static const QRegularExpression sqlStatePattern(QStringLiteral("^\\(([0-9A-Z]{5})\\)$"));
    static const QRegularExpression severityPattern(
        QStringLiteral("^(ERROR|FATAL|PANIC|WARNING):\\s+"));
    const QStringList lines = text.split(u'\n');
    bool inContext = false;
    for (const QString &rawLine : lines) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty())
            continue;
        if (const auto m = sqlStatePattern.match(line); m.hasMatch()) {
            if (m_sqlState.isEmpty())
                m_sqlState = m.captured(1);
            continue;
        }
        if (const auto m = linePattern.match(line); m.hasMatch()) {
            m_line = m.captured(1).toInt();
            inContext = false;
            continue;
        }
        if (line.startsWith(u"DETAIL:")) {
            m_detail = line.mid(7).trimmed();
            inContext = false;
        } else if (line.startsWith(u"HINT:")) {
            m_hint = line.mid(5).trimmed();
            inContext = false;
        } else if (line.startsWith(u"CONTEXT:")) {
            m_context = line.mid(8).trimmed();
            inContext = true;
        } else if (const auto m = severityPattern.match(line);
                   m.hasMatch() && m_message.isEmpty()) {
            m_message = line.mid(m.capturedLength());
        } else if (m_message.isEmpty()) {
            m_message = line;
        } else if (inContext) {
            m_context += u'\n' + line;
        }
    }
}

DbError DbError::fromStatement(const QSqlError &error, const QString &statement)
{
    DbError result(Kind::Statement, QString());
    result.m_statement = statement;
    result.m_sqlState = error.nativeErrorCode();
    result.parseServerText(error.databaseText());
    if (result.m_message.isEmpty())
        result.m_message = error.driverText().isEmpty()
            ? QCoreApplication::translate("DbError", "unknown error")
            : error.driverText();

    if (result.m_sqlState == u"55P03")
        result.m_kind = Kind::LockTimeout;
    else if (result.m_sqlState == u"57014")
        result.m_kind = Kind::Cancelled;
    else if (isConnectionLostState(result.m_sqlState) || error.type() == QSqlError::ConnectionError
             || (result.m_sqlState.isEmpty() && looksLikeLostConnection(error.databaseText())))
        result.m_kind = Kind::ConnectionLost;
    if (result.m_kind == Kind::ConnectionLost && looksLikeLostConnection(result.m_message))
        result.m_message =
            QCoreApplication::translate("DbError", "the connection to the server was lost (%1)")
                .arg(result.m_message);
    result.m_what = result.text().toUtf8();
    return result;
}

DbError DbError::fromServer(const QString &sqlState, const QString &message, const QString &detail,
                            const QString &hint, const QString &context, int position,
                            bool connectionBad, const QString &statement)
{
    DbError result(Kind::Statement, message);
    result.m_statement = statement;
    result.m_sqlState = sqlState;
    result.m_detail = detail;
    result.m_hint = hint;
    result.m_context = context;
    if (position > 0 && position <= statement.size()) {
        result.m_offset = position - 1;
        result.m_line = int(QStringView(statement).left(position - 1).count(u'\n')) + 1;
    }
    if (result.m_message.isEmpty())
        result.m_message = QCoreApplication::translate("DbError", "unknown error");
    if (sqlState == u"55P03")
        result.m_kind = Kind::LockTimeout;
    else if (sqlState == u"57014")
        result.m_kind = Kind::Cancelled;
    else if (connectionBad || isConnectionLostState(sqlState))
        result.m_kind = Kind::ConnectionLost;
    if (result.m_kind == Kind::ConnectionLost)
        result.m_message =
            QCoreApplication::translate("DbError", "the connection to the server was lost (%1)")
                .arg(result.m_message);
    result.m_what = result.text().toUtf8();
    return result;
}

DbError DbError::fromConnect(const QSqlError &error, const ConnectionSettings &settings)
{
    QString raw = error.databaseText();
    if (raw.isEmpty())
        raw = error.driverText();
    DbError result(Kind::Connect, explainConnectFailure(raw, settings));
    result.m_passwordRequired = raw.contains(QLatin1StringView("no password supplied"))
        || raw.contains(QLatin1StringView("password is required"));
    result.m_passwordRejected =
        raw.contains(QLatin1StringView("password authentication failed"), Qt::CaseInsensitive);
    return result;
}

QString DbError::text() const
{
    QString result = m_message;
    if (!m_detail.isEmpty())
        result += u'\n' + QCoreApplication::translate("DbError", "Detail: %1").arg(m_detail);
    if (!m_hint.isEmpty())
        result += u'\n' + QCoreApplication::translate("DbError", "Hint: %1").arg(m_hint);
    if (!m_context.isEmpty())
        result += u'\n' + QCoreApplication::translate("DbError", "Context: %1").arg(m_context);
    if (!m_sqlState.isEmpty())
        result += u'\n' + QCoreApplication::translate("DbError", "SQLSTATE %1").arg(m_sqlState);
    return result;
}

const char *DbError::what() const noexcept
{
    return m_what.constData();
}

} // namespace fuelsync
