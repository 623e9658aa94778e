#pragma once

#include "RequestError.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace fuelsync {

// Thrown by JobControl::throwIfCancelled(): the job stopped because it was asked to.
class JobCancelled : public RequestError
{
public:
    explicit JobCancelled(QString message);
    int exitStatus() const override { return 130; }
};

// The one shape every long operation in core takes (migrations, backups, verification,
// restores, pruning, seeds, tenant creation, CSV export, station reads): the work says what it is
// doing (a step in words, how far along: done of total, and how many failed) and asks
// isCancelled() between steps; whoever runs it (the CLI's progress printer, a window's
// background job) listens to the progress and calls cancel(), from any thread.
//
// A cancel also stops what runs on the server: while a session runs statements for the job, the
// work registers that session's cancel (DbConnection::cancelWith); cancel() calls the registered
// hooks on a thread of its own, so that the caller (a window's Cancel button) never waits for
// the network.
class JobControl
{
public:
    struct Progress
    {
        QString step; // what is being done: "Phase 1 of 2: 3 tenant schemas", "archiving demo_001"
        qint64 done = 0;
        qint64 total = 0; // 0: not known
        qint64 failed = 0;
        QString detail; // one finished item, for a verbose listing ("demo_001: done in 12 ms")
    };
    using Listener = std::function<void(const Progress &)>;

    JobControl() = default;
    explicit JobControl(Listener listener);
    ~JobControl();
    JobControl(const JobControl &) = delete;
    JobControl &operator=(const JobControl &) = delete;

    // The work's side. Each call tells the listener (on the calling thread).
    void setStep(const QString &step, qint64 total = 0); // done and failed start again at 0
    void setProgress(qint64 done, qint64 total);
    // One item more is done (failed or not), with a line for a verbose listing.
    void itemDone(bool failed = false, const QString &detail = {});
    bool isCancelled() const { return m_cancelled.load(); }
    // Throws JobCancelled, with `what` ("the backup was cancelled; nothing was kept").
    void throwIfCancelled(const QString &what = {}) const;
    // The flag itself, for code that polls an atomic (statement by statement).
    const std::atomic<bool> &cancelledFlag() const { return m_cancelled; }

    // While the returned hook lives, cancel() calls `onCancel` too (a session's cancel on the
    // server). Destroying the hook waits for a cancel being delivered through it to finish.
    class CancelHook
    {
    public:
        CancelHook() = default;
        CancelHook(CancelHook &&other) noexcept;
        CancelHook &operator=(CancelHook &&other) noexcept;
        ~CancelHook();

    private:
        friend class JobControl;
        struct Hooks;
        std::shared_ptr<Hooks> m_hooks;
        quint64 m_id = 0;
    };
    [[nodiscard]] CancelHook onCancel(const std::function<void()> &cancel);

    // The runner's side: any thread; returns at once. Later calls do nothing more.
    void cancel();
    Progress progress() const;

private:
    void tell();

    std::atomic<bool> m_cancelled { false };
    Listener m_listener;
    mutable std::mutex m_progressMutex;
    Progress m_progress;
    std::shared_ptr<CancelHook::Hooks> m_hooks;
};

} // namespace fuelsync
