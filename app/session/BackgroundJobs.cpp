#include "BackgroundJobs.h"

#include "db/DbError.h"

#include <QCoreApplication>
#include <QThread>

namespace fuelsync {

BackgroundJobs::BackgroundJobs(QObject *owner)
    : QObject(owner)
    , m_owner(owner)
{ }

BackgroundJobs::~BackgroundJobs()
{
    // Whatever it still delivers finds no current job.
    ++*m_generation;
    if (m_control)
        m_control->cancel();
}

void BackgroundJobs::cancel()
{
    if (m_control)
        m_control->cancel();
}

void BackgroundJobs::launch(const std::function<void(JobControl &, const Post &)> &work,
                            const std::function<void()> &done, const FailureCallback &failed,
                            const ProgressCallback &progress)
{
    // A job still running is superseded: its results are dropped, and it is asked to stop.
    if (m_control)
        m_control->cancel();
    const quint64 mine = ++*m_generation;
    const QPointer<QObject> owner = m_owner;
    const auto generation = m_generation;
    const QPointer<BackgroundJobs> self(this);
    // Runs `call` on the window's thread while this job is current and the owner lives. The
    // event goes to the application object, never to the owner, which may be deleted on the
    // window's thread at any moment: whether it lives is asked there, on that thread.
    const Post post = [owner, generation, mine](const std::function<void()> &call) {
        QCoreApplication *application = QCoreApplication::instance();
        if (!application)
            return;
        QMetaObject::invokeMethod(
            application,
            [owner, generation, mine, call] {
                if (owner && generation->load() == mine)
                    call();
            },
            Qt::QueuedConnection);
    };
    m_control = std::make_shared<JobControl>([post, progress](const JobControl::Progress &p) {
        if (progress)
            post([progress, p] { progress(p); });
    });
    m_running = true;
    const std::shared_ptr<JobControl> control = m_control;
    QThread *thread = QThread::create([work, done, failed, control, post, self] {
        QString error;
        bool ok = true;
        try {
            work(*control, post);
        } catch (const RequestError &e) {
            ok = false;
            error = e.message();
        } catch (const DbError &e) {
            ok = false;
            error = e.text();
        } catch (const std::exception &e) {
            ok = false;
            error = QString::fromUtf8(e.what());
        }
        const bool cancelled = control->isCancelled();
        post([done, failed, ok, error, cancelled, self] {
            if (self)
                self->m_running = false;
            if (ok) {
                if (done)
                    done();
            } else if (failed) {
                failed(error, cancelled);
            }
        });
    });
    thread->setObjectName(QStringLiteral("background job"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

} // namespace fuelsync
