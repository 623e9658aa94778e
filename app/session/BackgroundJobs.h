#pragma once

#include "common/JobControl.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace fuelsync {

// Runs core work off the window's thread, the one way the app does it (KDAB hotspot's JobTracker
// is the model). The work gets the job's JobControl; its progress, and its result or error, come
// back on the window's thread to the owner's callbacks, and are dropped when the owner (a page,
// the window) is gone or when a newer start() has superseded the job. A page that closes with a
// job running cancels it (its destructor), and the job's late result never reaches it.
class BackgroundJobs : public QObject
{
    Q_OBJECT

public:
    // The callbacks run on the window's (the application's) thread, where the owner lives, and
    // only as long as it does.
    explicit BackgroundJobs(QObject *owner);
    ~BackgroundJobs() override; // cancels the running job; its result is dropped

    using ProgressCallback = std::function<void(const JobControl::Progress &)>;
    // `cancelled`: the job stopped because it was cancelled (JobCancelled, or a statement
    // cancelled on the server after cancel()).
    using FailureCallback = std::function<void(const QString &error, bool cancelled)>;

    // Runs `call` on the owner's thread if the job is still the current one and the owner
    // lives: for a job's own listeners (a MigrationProgress and the like).
    using Post = std::function<void(std::function<void()>)>;

    // Starts `work` on a thread of its own; a job still running is cancelled and superseded.
    template<typename Result>
    void start(std::function<Result(JobControl &)> work, std::function<void(Result)> done,
               const FailureCallback &failed = {}, const ProgressCallback &progress = {})
    {
        start<Result>([work](JobControl &control, const Post &) { return work(control); },
                      std::move(done), failed, progress);
    }
    template<typename Result>
    void start(std::function<Result(JobControl &, const Post &)> work,
               std::function<void(Result)> done, const FailureCallback &failed = {},
               const ProgressCallback &progress = {})
    {
        auto result = std::make_shared<Result>();
        launch([work, result](JobControl &control,
                              const Post &post) { *result = work(control, post); },
               [done, result] {
                   if (done)
                       done(std::move(*result));
               },
               failed, progress);
    }

    void cancel();
    bool isRunning() const { return m_running; }
    // The running job's control (for a test); null when none runs.
    JobControl *control() const { return m_control.get(); }

private:
    void launch(const std::function<void(JobControl &, const Post &)> &work,
                const std::function<void()> &done, const FailureCallback &failed,
                const ProgressCallback &progress);

    QPointer<QObject> m_owner;
    std::shared_ptr<std::atomic<quint64>> m_generation = std::make_shared<std::atomic<quint64>>(0);
    std::shared_ptr<JobControl> m_control;
    bool m_running = false;
};

} // namespace fuelsync
