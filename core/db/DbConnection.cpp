#include "DbConnection.h"

#include "DbError.h"
#include "LibPq.h"
#include "SqlIdentifier.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

namespace fuelsync {

namespace {

QString nextConnectionName(const QString &purpose)
{
    static std::atomic<quint64> counter { 0 };
    return QStringLiteral("fuelsync-%1-%2").arg(purpose).arg(++counter);
}

void *pgconnOf(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "pg_conn*") != 0
            && qstrcmp(handle.typeName(), "PGconn*") != 0))
        return nullptr;
    return *static_cast<void *const *>(handle.constData());
}

} // namespace

std::unique_ptr<DbConnection> DbConnection::open(const ConnectionSettings &settings,
                                                 const QString &purpose)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        throw DbError(DbError::Kind::Connect,
                      QCoreApplication::translate(
                          "DbConnection",
                          "Qt's PostgreSQL driver (QPSQL) is not installed: install the package "
                          "libqt6sql6-psql"));
    }
    const ConnectionSettings effective =
        settings.withApplicationName(QStringLiteral("fuelsync %1").arg(purpose));
    QString options;
    QString optionError;
    if (!effective.driverOptions(&options, &optionError))
        throw DbError(DbError::Kind::Connect, optionError);

    std::unique_ptr<DbConnection> connection(new DbConnection);
    connection->m_settings = settings;
    connection->m_name = nextConnectionName(purpose);
    connection->m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection->m_name);
    QSqlDatabase &db = connection->m_db;
    db.setHostName(effective.host());
    db.setDatabaseName(effective.database());
    db.setUserName(effective.user());
    db.setPassword(effective.password());
    bool numericPort = false;
    const int port = effective.port().toInt(&numericPort);
    if (numericPort)
        db.setPort(port);
    db.setConnectOptions(options);
    if (!db.open())
        throw DbError::fromConnect(db.lastError(), settings);

    connection->m_cancelHandle = LibPq::getCancel(pgconnOf(db));
    LibPq::setNoticeReceiver(pgconnOf(db), &DbConnection::receiveNotice, connection.get());
    // Qt's driver sets bytea_output to 'escape'; put the server default back so SQL that
    // converts bytea to text behaves as it does in psql. Qt reads both formats.
    connection->exec(QStringLiteral("RESET bytea_output"));
    QSqlQuery info = connection->exec(
        QStringLiteral("SELECT pg_backend_pid(), current_setting('server_version_num')::int, "
                       "current_setting('server_version'), current_user, current_database()"));
    if (info.next()) {
        connection->m_backendPid = info.value(0).toInt();
        connection->m_serverVersion = info.value(1).toInt();
        connection->m_serverVersionText = info.value(2).toString();
        connection->m_currentUser = info.value(3).toString();
        connection->m_database = info.value(4).toString();
    }
    return connection;
}

DbConnection::~DbConnection()
{
    if (!m_failedInTransaction.isEmpty()) {
        if (isUsable()
            && LibPq::transactionState(pgconnOf(m_db)) != LibPq::TransactionState::Idle) {
            QSqlQuery rollback(m_db);
            rollback.exec(QStringLiteral("ROLLBACK"));
        }
        m_failedInTransaction.clear();
    }
    {
        std::lock_guard lock(m_cancelMutex);
        LibPq::freeCancel(m_cancelHandle);
        m_cancelHandle = nullptr;
    }
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    if (!m_name.isEmpty())
        QSqlDatabase::removeDatabase(m_name);
}

QSqlQuery DbConnection::run(const QString &sql, const QVariantList *values)
{
    if (m_lost) {
        throw DbError(
            DbError::Kind::ConnectionLost,
            QCoreApplication::translate("DbConnection", "the connection to the server was lost"));
    }
    // Failed statements of autocommit work are freed once the session is idle again (no result
    // being read, no transaction open), before the next statement.
    if (!m_failedInTransaction.isEmpty()
        && LibPq::transactionState(pgconnOf(m_db)) == LibPq::TransactionState::Idle)
        m_failedInTransaction.clear();
    ++m_statementsSent;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    bool ok = false;
    if (values && !values->isEmpty()) {
        ok = query.prepare(sql);
        if (ok) {
            for (const QVariant &v : *values)
                query.addBindValue(v);
            ok = query.exec();
        }
    } else {
        ok = query.exec(sql);
    }
    if (!ok) {
        DbError error = DbError::fromStatement(query.lastError(), sql);
        if (error.kind() == DbError::Kind::ConnectionLost || !isUsable()) {
            m_lost = true;
            m_inTransaction = false;
        } else if (values && !values->isEmpty()
                   && LibPq::transactionState(pgconnOf(m_db)) != LibPq::TransactionState::Idle) {
            // Qt frees a prepared statement (DEALLOCATE) when its query goes away; inside a
            // failed transaction the server refuses that, and Qt prints the refusal to stderr.
            // Kept until the session is idle again (the transaction has ended), the statement
            // is freed quietly.
            m_failedInTransaction.append(query);
        }
        throw error;
    }
    return query;
}

StatementResult DbConnection::runAlone(const QString &sql, qint64 maxRows, int cellLimit)
{
    if (m_lost) {
        throw DbError(
            DbError::Kind::ConnectionLost,
            QCoreApplication::translate("DbConnection", "the connection to the server was lost"));
    }
    ++m_statementsSent;
    LibPq::ServerError failure;
    std::optional<StatementResult> result =
        LibPq::execAlone(pgconnOf(m_db), sql, maxRows, cellLimit, &failure);
    if (result)
        return std::move(*result);
    throwServerError(failure, sql);
}

void DbConnection::throwServerError(const LibPq::ServerError &failure, const QString &sql)
{
    DbError error =
        DbError::fromServer(failure.sqlState, failure.message, failure.detail, failure.hint,
                            failure.context, failure.position, failure.connectionBad, sql);
    if (error.kind() == DbError::Kind::ConnectionLost) {
        m_lost = true;
        m_inTransaction = false;
    }
    throw error;
}

void DbConnection::runFixed(const QString &sql)
{
    if (m_lost) {
        throw DbError(
            DbError::Kind::ConnectionLost,
            QCoreApplication::translate("DbConnection", "the connection to the server was lost"));
    }
    ++m_statementsSent;
    LibPq::ServerError failure;
    if (!LibPq::execSimple(pgconnOf(m_db), sql, &failure))
        throwServerError(failure, sql);
}

DbConnection::ServerTransaction DbConnection::serverTransaction() const
{
    switch (LibPq::transactionState(pgconnOf(m_db))) {
    case LibPq::TransactionState::Idle:
        return ServerTransaction::Idle;
    case LibPq::TransactionState::InTransaction:
        return ServerTransaction::InTransaction;
    case LibPq::TransactionState::InError:
        return ServerTransaction::Failed;
    case LibPq::TransactionState::Active:
    case LibPq::TransactionState::Unknown:
        break;
    }
    return ServerTransaction::Unknown;
}

QSqlQuery DbConnection::exec(const QString &sql)
{
    return run(sql, nullptr);
}

QSqlQuery DbConnection::exec(const QString &sql, const QVariantList &values)
{
    return run(sql, &values);
}

QVariant DbConnection::scalar(const QString &sql, const QVariantList &values)
{
    QSqlQuery query = run(sql, &values);
    return query.next() ? query.value(0) : QVariant();
}

bool DbConnection::relationExists(const QString &schema, const QString &name)
{
    return scalar(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"),
                  { SqlIdentifier::qualified(schema, name) })
        .toBool();
}

void DbConnection::begin()
{
    exec(QStringLiteral("BEGIN"));
    m_inTransaction = true;
}

void DbConnection::beginReadWrite()
{
    exec(QStringLiteral("START TRANSACTION READ WRITE"));
    m_inTransaction = true;
}

void DbConnection::commit()
{
    // COMMIT of a failed transaction answers "ROLLBACK" without an error; check the state first so
    // a swallowed failure can never be reported as committed.
    m_inTransaction = false;
    if (LibPq::transactionState(pgconnOf(m_db)) == LibPq::TransactionState::InError) {
        exec(QStringLiteral("ROLLBACK"));
        m_failedInTransaction.clear();
        throw DbError(DbError::Kind::Statement,
                      QCoreApplication::translate(
                          "DbConnection",
                          "the transaction had failed and was rolled back instead of committed"));
    }
    exec(QStringLiteral("COMMIT"));
    m_failedInTransaction.clear();
}

void DbConnection::rollback()
{
    m_inTransaction = false;
    if (!isUsable())
        return;
    exec(QStringLiteral("ROLLBACK"));
    // The transaction is over: the statements that failed in it are freed now, quietly.
    m_failedInTransaction.clear();
}

void DbConnection::receiveNotice(void *context, const char *message)
{
    // Runs on the connection's own thread, inside a call that waits for the server.
    auto *connection = static_cast<DbConnection *>(context);
    if (connection->m_notices.size() >= 100)
        connection->m_notices.removeFirst();
    connection->m_notices.append(QString::fromUtf8(message).trimmed());
}

QStringList DbConnection::takeNotices()
{
    return std::exchange(m_notices, {});
}

bool DbConnection::cancel(QString *error)
{
    std::lock_guard lock(m_cancelMutex);
    if (!m_cancelHandle) {
        if (error)
            *error = QCoreApplication::translate("DbConnection", "cancel is not available");
        return false;
    }
    return LibPq::cancel(m_cancelHandle, error);
}

JobControl::CancelHook DbConnection::cancelWith(JobControl &control)
{
    return control.onCancel([this] { cancel(); });
}

JobControl::CancelHook DbConnection::cancelWith(JobControl *control)
{
    return control ? cancelWith(*control) : JobControl::CancelHook();
}

bool DbConnection::isUsable() const
{
    return !m_lost && m_db.isOpen();
}

Transaction::Transaction(DbConnection &connection)
    : m_connection(connection)
{
    m_connection.begin();
}

Transaction::~Transaction()
{
    if (m_open) {
        try {
            m_connection.rollback();
        } catch (const std::exception &) {
            // The session is gone; the server rolls the transaction back itself.
        }
    }
}

void Transaction::commit()
{
    m_open = false;
    m_connection.commit();
}

void Transaction::rollback()
{
    m_open = false;
    m_connection.rollback();
}

qint64 DbConnection::databaseBytes()
{
    return scalar(QStringLiteral("SELECT pg_database_size(current_database())")).toLongLong();
}

} // namespace fuelsync
