#include "JobControl.h"

#include <QCoreApplication>
#include <QHash>

#include <thread>

namespace fuelsync {

struct JobControl::CancelHook::Hooks
{
    std::mutex mutex; // held while hooks are called, so none is unregistered mid-call
    QHash<quint64, std::function<void()>> calls;
    quint64 next = 0;
    bool cancelled = false;
};

JobCancelled::JobCancelled(QString message)
    : RequestError(message.isEmpty() ? QCoreApplication::translate(
                       "JobControl", "cancelled; nothing more was done")
                                     : std::move(message))
{ }

JobControl::JobControl(Listener listener)
    : m_listener(std::move(listener))
{ }

JobControl::~JobControl() = default;

void JobControl::tell()
{
    if (!m_listener)
        return;
    Progress copy;
    {
        std::lock_guard lock(m_progressMutex);
        copy = m_progress;
    }
    m_listener(copy);
}

void JobControl::setStep(const QString &step, qint64 total)
{
    {
        std::lock_guard lock(m_progressMutex);
        m_progress = Progress { step, 0, total, 0, QString() };
    }
    tell();
}

void JobControl::setProgress(qint64 done, qint64 total)
{
    {
        std::lock_guard lock(m_progressMutex);
        m_progress.done = done;
        m_progress.total = total;
        m_progress.detail.clear();
    }
    tell();
}

void JobControl::itemDone(bool failed, const QString &detail)
{
    {
        std::lock_guard lock(m_progressMutex);
        ++m_progress.done;
        if (failed)
            ++m_progress.failed;
        m_progress.detail = detail;
    }
    tell();
}

JobControl::Progress JobControl::progress() const
{
    std::lock_guard lock(m_progressMutex);
    return m_progress;
}

void JobControl::throwIfCancelled(const QString &what) const
{
    if (isCancelled())
        throw JobCancelled(what);
}

JobControl::CancelHook JobControl::onCancel(const std::function<void()> &cancel)
{
    {
        std::lock_guard lock(m_progressMutex);
        if (!m_hooks)
            m_hooks = std::make_shared<CancelHook::Hooks>();
    }
    CancelHook hook;
    hook.m_hooks = m_hooks;
    bool already = false;
    {
        std::lock_guard lock(m_hooks->mutex);
        hook.m_id = ++m_hooks->next;
        m_hooks->calls.insert(hook.m_id, cancel);
        already = m_hooks->cancelled || isCancelled();
    }
    // Registered after the cancel: what it guards must stop too.
    if (already)
        cancel();
    return hook;
}

void JobControl::cancel()
{
    if (m_cancelled.exchange(true))
        return;
    std::shared_ptr<CancelHook::Hooks> hooks;
    {
        std::lock_guard lock(m_progressMutex);
        hooks = m_hooks;
    }
    if (!hooks)
        return;
    // libpq's cancel opens a connection of its own: never on the caller's thread.
    std::thread([hooks] {
        std::lock_guard lock(hooks->mutex);
        hooks->cancelled = true;
        for (const std::function<void()> &call : std::as_const(hooks->calls))
            call();
    }).detach();
}

JobControl::CancelHook::CancelHook(CancelHook &&other) noexcept
    : m_hooks(std::move(other.m_hooks))
    , m_id(std::exchange(other.m_id, 0))
{ }

JobControl::CancelHook &JobControl::CancelHook::operator=(CancelHook &&other) noexcept
{
    if (this != &other) {
        CancelHook gone(std::move(*this));
        m_hooks = std::move(other.m_hooks);
        m_id = std::exchange(other.m_id, 0);
    }
    return *this;
}

JobControl::CancelHook::~CancelHook()
{
    if (!m_hooks)
        return;
    std::lock_guard lock(m_hooks->mutex);
    m_hooks->calls.remove(m_id);
}

} // namespace fuelsync
