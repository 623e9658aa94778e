#include "MigrationRunJob.h"

#include "migrate/MigrationProgress.h"

#include <QPointer>
#include <QThread>

namespace fuelsync {

// Called on the runner's threads; hands each event to the GUI thread.
class MigrationRunJob::Relay : public MigrationProgress
{
public:
    explicit Relay(MigrationRunJob *job)
        : m_job(job)
    { }

    void schemaStarted(const QString &schema) override
    {
        QPointer<MigrationRunJob> job(m_job);
        QMetaObject::invokeMethod(
            m_job,
            [job, schema] {
                if (job)
                    emit job->schemaStarted(schema);
            },
            Qt::QueuedConnection);
    }

    void schemaFinished(const SchemaOutcome &outcome) override
    {
        QString state = QStringLiteral("done");
        QString error = outcome.error;
        bool anyRun = false;
        for (const StepOutcome &step : outcome.steps) {
            if (step.status == StepStatus::Failed) {
                state = QStringLiteral("failed");
                if (error.isEmpty())
                    error = step.location().isEmpty()
                        ? step.error
                        : step.location() + QStringLiteral(": ") + step.error;
            } else if (step.status == StepStatus::Cancelled && state != u"failed") {
                state = QStringLiteral("cancelled");
            } else if (step.status == StepStatus::Tried && state == u"done") {
                state = QStringLiteral("tried");
            }
            anyRun = anyRun || step.status != StepStatus::NotStarted;
        }
        if (!outcome.error.isEmpty() && state == u"done")
            state = QStringLiteral("failed");
        if (!anyRun && outcome.error.isEmpty() && !outcome.steps.isEmpty())
            state = QStringLiteral("not started");
        QPointer<MigrationRunJob> job(m_job);
        const QString schema = outcome.schema;
        const qint64 ms = outcome.durationMs;
        QMetaObject::invokeMethod(
            m_job,
            [job, schema, state, ms, error] {
                if (job)
                    emit job->schemaFinished(schema, state, ms, error);
            },
            Qt::QueuedConnection);
    }

private:
    MigrationRunJob *m_job;
};

MigrationRunJob::MigrationRunJob(const ConnectionSettings &settings,
                                 std::shared_ptr<const MigrationSet> set,
                                 const MigrationRunOptions &options, QObject *parent)
    : QObject(parent)
    , m_set(std::move(set))
    , m_runner(std::make_unique<MigrationRunner>(settings, *m_set, options))
    , m_relay(std::make_unique<Relay>(this))
{
    m_runner->setProgress(m_relay.get());
}

MigrationRunJob::~MigrationRunJob()
{
    if (m_thread) {
        m_runner->requestCancel();
        m_thread->wait();
        delete m_thread;
    }
}

void MigrationRunJob::start()
{
    if (m_thread)
        return;
    m_running = true;
    MigrationRunner *runner = m_runner.get();
    m_thread = QThread::create([this, runner] { m_report = runner->run(); });
    m_thread->setObjectName(QStringLiteral("migration run"));
    connect(m_thread, &QThread::finished, this, [this] {
        m_running = false;
        emit finished();
    });
    m_thread->start();
}

void MigrationRunJob::cancel()
{
    if (!m_running)
        return;
    m_cancelRequested = true;
    m_runner->requestCancel();
}

} // namespace fuelsync
