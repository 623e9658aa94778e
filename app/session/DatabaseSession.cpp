#include "DatabaseSession.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QCoreApplication>

#include <utility>

namespace fuelsync {

// The connection and the jobs' execution, on the session's thread.
class DatabaseSession::Worker : public QObject
{
public:
    std::unique_ptr<DbConnection> connection;
};

DatabaseSession::DatabaseSession(QObject *parent)
    : QObject(parent)
{
    m_worker = new Worker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("database session"));
    m_thread.start();
}

DatabaseSession::~DatabaseSession()
{
    cancelRunning();
    // The connection is closed on its own thread, then the thread ends.
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [this, worker] {
            {
                std::lock_guard lock(m_connectionMutex);
                m_connection = nullptr;
            }
            worker->connection.reset();
        },
        Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void DatabaseSession::open(const ConnectionSettings &settings, const SessionOptions &options,
                           QObject *context, const std::function<void(Info)> &onOpened,
                           const std::function<void(std::exception_ptr)> &onFailed)
{
    m_settings = settings;
    m_options = options;
    QPointer<QObject> guard(context);
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [this, worker, settings, options, guard, onOpened, onFailed] {
            {
                std::lock_guard lock(m_connectionMutex);
                m_connection = nullptr;
            }
            worker->connection.reset();
            try {
                auto connection = DbConnection::open(options.applyTo(settings),
                                                     QStringLiteral("fuelsync-admin browser"));
                Info info;
                info.serverVersion = connection->serverVersion();
                info.user = connection->currentUser();
                info.database = connection->databaseName();
                info.target = settings.displayName();
                info.backendPid = connection->backendPid();
                const SessionOptions effective = SessionOptions::inEffect(*connection);
                info.readOnly = effective.readOnly;
                info.statementTimeoutMs = effective.statementTimeoutMs;
                {
                    std::lock_guard lock(m_connectionMutex);
                    m_connection = connection.get();
                }
                worker->connection = std::move(connection);
                QMetaObject::invokeMethod(
                    this,
                    [guard, onOpened, info] {
                        if (guard)
                            onOpened(info);
                    },
                    Qt::QueuedConnection);
            } catch (...) {
                std::exception_ptr error = std::current_exception();
                QMetaObject::invokeMethod(
                    this,
                    [guard, onFailed, error] {
                        if (guard)
                            onFailed(error);
                    },
                    Qt::QueuedConnection);
            }
        },
        Qt::QueuedConnection);
}

void DatabaseSession::post(QObject *context, const std::function<void(DbConnection &)> &job,
                           const std::function<void()> &onDone,
                           const std::function<void(QString)> &onFailed)
{
    QPointer<QObject> guard(context);
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [this, worker, guard, job, onDone, onFailed] {
            QString failure;
            bool ok = false;
            if (!worker->connection) {
                failure = tr("not connected");
            } else {
                try {
                    job(*worker->connection);
                    ok = true;
                } catch (...) {
                    failure = describe(std::current_exception());
                }
                // A lost connection stays lost: say so to every later job.
                if (!worker->connection->isUsable()) {
                    std::lock_guard lock(m_connectionMutex);
                    m_connection = nullptr;
                    worker->connection.reset();
                }
            }
            QMetaObject::invokeMethod(
                this,
                [guard, ok, failure, onDone, onFailed] {
                    if (!guard)
                        return;
                    if (ok)
                        onDone();
                    else if (onFailed)
                        onFailed(failure);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void DatabaseSession::cancelRunning()
{
    std::lock_guard lock(m_connectionMutex);
    if (m_connection)
        m_connection->cancel();
}

QString DatabaseSession::describe(std::exception_ptr error)
{
    try {
        std::rethrow_exception(std::move(error));
    } catch (const DbError &e) {
        if (e.kind() == DbError::Kind::Cancelled)
            return tr("Stopped: the query was cancelled, or ran longer than the statement "
                      "timeout.");
        if (e.kind() == DbError::Kind::ConnectionLost)
            return tr("The connection to the server was lost: %1").arg(e.message());
        return e.text();
    } catch (const RequestError &e) {
        return e.message();
    } catch (const std::exception &e) {
        return QString::fromLocal8Bit(e.what());
    } catch (...) {
        return tr("unknown error");
    }
}

} // namespace fuelsync
