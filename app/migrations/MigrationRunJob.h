#pragma once

#include "migrate/MigrationRunner.h"

#include <QObject>

#include <memory>

namespace fuelsync {

class BackgroundJobs;

// One `migrate up` / `migrate down` run off the GUI thread (a BackgroundJobs job): the runner
// opens its own sessions, each schema's progress comes back as signals on the window's thread,
// and cancel() stops it the way Ctrl+C stops the CLI (no new schemas start; running statements
// are cancelled on the server and roll back). A job whose page is gone is cancelled, and nothing
// of it reaches the page.
class MigrationRunJob : public QObject
{
    Q_OBJECT

public:
    MigrationRunJob(const ConnectionSettings &settings, std::shared_ptr<const MigrationSet> set,
                    const MigrationRunOptions &options, QObject *parent = nullptr);
    ~MigrationRunJob() override;

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
    ConnectionSettings m_settings;
    std::shared_ptr<const MigrationSet> m_set;
    MigrationRunOptions m_options;
    BackgroundJobs *m_jobs = nullptr;
    MigrationRunReport m_report;
    bool m_running = false;
    bool m_cancelRequested = false;
};

} // namespace fuelsync
