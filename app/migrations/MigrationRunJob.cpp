#include "MigrationRunJob.h"

#include "migrate/MigrationProgress.h"
#include "session/BackgroundJobs.h"

namespace fuelsync {

// Called on the runner's threads; hands each event to the window's thread through the job's
// post (dropped when the job is gone).
class MigrationRunJob::Relay : public MigrationProgress
{
public:
    Relay(MigrationRunJob *job, BackgroundJobs::Post post)
        : m_job(job)
        , m_post(std::move(post))
    { }

    void schemaStarted(const QString &schema) override
    {
        MigrationRunJob *job = m_job;
        m_post([job, schema] { emit job->schemaStarted(schema); });
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
        MigrationRunJob *job = m_job;
        const QString schema = outcome.schema;
        const qint64 ms = outcome.durationMs;
        m_post([job, schema, state, ms, error] {
            emit job->schemaFinished(schema, state, ms, error);
        });
    }

private:
    MigrationRunJob *m_job; // reached only on its own thread, while it lives (the post says)
    BackgroundJobs::Post m_post;
};

MigrationRunJob::MigrationRunJob(const ConnectionSettings &settings,
                                 std::shared_ptr<const MigrationSet> set,
                                 const MigrationRunOptions &options, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_set(std::move(set))
    , m_options(options)
    , m_jobs(new BackgroundJobs(this))
{ }

MigrationRunJob::~MigrationRunJob() = default; // its BackgroundJobs cancels a run still going

void MigrationRunJob::start()
{
    if (m_running)
        return;
    m_running = true;
    m_jobs->start<MigrationRunReport>(
        [this, settings = m_settings, set = m_set,
         options = m_options](JobControl &control, const BackgroundJobs::Post &post) {
            // Everything the run uses is its own: the job may outlive this object.
            Relay relay(this, post);
            MigrationRunner runner(settings, *set, options);
            runner.setProgress(&relay);
            return runner.run(control);
        },
        [this](MigrationRunReport report) {
            m_report = std::move(report);
            m_running = false;
            emit finished();
        },
        [this](const QString &error, bool) {
            m_report = MigrationRunReport();
            m_report.result = MigrationRunReport::Result::Failed;
            m_report.error = error;
            m_running = false;
            emit finished();
        });
}

void MigrationRunJob::cancel()
{
    if (!m_running)
        return;
    m_cancelRequested = true;
    m_jobs->cancel();
}

} // namespace fuelsync
