#pragma once

#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace fuelsync {

class DbConnection;

// One database session on a thread of its own, so the window never waits for the server. Work
// is posted as jobs that run one after another on that thread with its connection (a QSqlDatabase
// belongs to the thread that opened it); each result comes back on the GUI thread, to a context
// object that may have gone away meanwhile (then the result is dropped).
//
//     session->run<QList<TableEntry>>(this,
//         [schema](DbConnection &c) { return SchemaTreeReader::tables(c, schema); },
//         [this](QList<TableEntry> tables) { ... },
//         [this](QString error) { ... });
class DatabaseSession : public QObject
{
    Q_OBJECT

public:
    // What the GUI knows of the open session.
    struct Info
    {
        QString serverVersion;
        QString user;
        QString database;
        QString target; // user@host:port/db, never with a password
        int backendPid = 0;
        bool readOnly = false; // as the server reports it (SHOW default_transaction_read_only)
        int statementTimeoutMs = 0;
    };

    explicit DatabaseSession(QObject *parent = nullptr);
    ~DatabaseSession() override; // cancels what runs, closes the connection, ends the thread

    // Opens the connection on the session's thread. `onFailed` gets the DbError (as an
    // exception_ptr, so the caller can ask passwordRequired() and such).
    void open(const ConnectionSettings &settings, const SessionOptions &options, QObject *context,
              const std::function<void(Info)> &onOpened,
              const std::function<void(std::exception_ptr)> &onFailed);

    template<typename Result>
    void run(QObject *context, std::function<Result(DbConnection &)> job,
             std::function<void(Result)> onDone, const std::function<void(QString)> &onFailed)
    {
        auto result = std::make_shared<Result>();
        post(
            context, [job, result](DbConnection &c) { *result = job(c); },
            [onDone, result] { onDone(std::move(*result)); }, onFailed);
    }

    // Asks the server to cancel the statement running now (PQcancel); the job then fails with a
    // "cancelled" message. Safe to call at any time.
    void cancelRunning();

    const ConnectionSettings &settings() const { return m_settings; }
    const SessionOptions &options() const { return m_options; }

    // The message for an exception a job threw, for the user.
    static QString describe(std::exception_ptr error);

private:
    void post(QObject *context, const std::function<void(DbConnection &)> &job,
              const std::function<void()> &onDone, const std::function<void(QString)> &onFailed);

    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr; // lives in m_thread
    ConnectionSettings m_settings;
    SessionOptions m_options;
    std::mutex m_connectionMutex;
    DbConnection *m_connection = nullptr; // owned by the worker; guarded for cancelRunning()
};

} // namespace fuelsync
