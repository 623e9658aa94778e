#pragma once

#include "migrate/MigrationRunner.h"

#include <QObject>

#include <memory>

class QThread;

namespace fuelsync {

// One `migrate up` / `migrate down` run off the GUI thread: the runner opens its own sessions,
// progress comes back as queued signals, and cancel() stops it the way Ctrl+C stops the CLI
// (no new schemas start; running statements are cancelled on the server and roll back).
class MigrationRunJob : public QObject
{
    Q_OBJECT

public:
    MigrationRunJob(const ConnectionSettings &settings, std::shared_ptr<const MigrationSet> set,
                    const MigrationRunOptions &options, QObject *parent = nullptr);
    ~MigrationRunJob() override; // cancels and waits for the run to end

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    bool cancelRequested() const { return m_cancelRequested; }
    const MigrationRunReport &report() const { return m_report; }

signals:
    void schemaStarted(const QString &schema);
    // state: "done", "tried" (a dry run's, rolled back), "failed", "cancelled", "not started"
    void schemaFinished(const QString &schema, const QString &state, qint64 durationMs,
                        const QString &error);
    void finished();

private:
    class Relay;
    std::shared_ptr<const MigrationSet> m_set;
    std::unique_ptr<MigrationRunner> m_runner;
    std::unique_ptr<Relay> m_relay;
    QThread *m_thread = nullptr;
    MigrationRunReport m_report;
    bool m_running = false;
    bool m_cancelRequested = false;
};

} // namespace fuelsync
