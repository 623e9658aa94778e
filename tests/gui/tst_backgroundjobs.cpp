// BackgroundJobs, the one way the window runs core work: the work runs off the window's thread;
// its progress and its result come back on the window's thread; a page that closes cancels its
// job, and nothing the job delivers late reaches the closed page; a newer job supersedes an older
// one, whose result is dropped.

#include "common/JobControl.h"
#include "session/BackgroundJobs.h"

#include <QPointer>
#include <QThread>
#include <QWidget>
#include <QtTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace fuelsync;

namespace {

// What a job's callbacks saw; it outlives the page, so the test can look after the page is gone.
struct Seen
{
    int done = 0;
    int failed = 0;
    int progress = 0;
    bool cancelled = false;
    QString error;
    QString result;
    bool onWindowThread = true;
};

// Work that runs until it is cancelled (or `limit` passes), reporting as it goes; then it
// returns a result anyway, as a job that finishes its last step would.
QString runUntilCancelled(JobControl &control, std::atomic<bool> *workerRan,
                          std::atomic<bool> *stoppedByCancel = nullptr, int limitMs = 10000)
{
    *workerRan = true;
    control.setStep(QStringLiteral("working"), 0);
    QElapsedTimer timer;
    timer.start();
    while (!control.isCancelled() && timer.elapsed() < limitMs) {
        control.itemDone();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (stoppedByCancel)
        *stoppedByCancel = control.isCancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(50)); // late, on purpose
    return QStringLiteral("late result");
}

} // namespace

class BackgroundJobsTest : public QObject
{
    Q_OBJECT

private slots:
    void resultAndProgressComeBackOnTheWindowsThread()
    {
        QWidget page;
        auto *jobs = new BackgroundJobs(&page);
        auto seen = std::make_shared<Seen>();
        QThread *window = QThread::currentThread();
        std::atomic<bool> workedElsewhere = false;
        jobs->start<QString>(
            [&workedElsewhere, window](JobControl &control) {
                workedElsewhere = QThread::currentThread() != window;
                control.setStep(QStringLiteral("counting"), 3);
                for (int i = 0; i < 3; ++i)
                    control.itemDone();
                return QStringLiteral("three");
            },
            [seen, window](QString result) {
                seen->onWindowThread &= QThread::currentThread() == window;
                seen->result = result;
                ++seen->done;
            },
            {},
            [seen, window](const JobControl::Progress &p) {
                seen->onWindowThread &= QThread::currentThread() == window;
                seen->progress = int(p.done);
            });
        QVERIFY(jobs->isRunning());
        QTRY_COMPARE(seen->done, 1);
        QVERIFY(workedElsewhere.load());
        QVERIFY(seen->onWindowThread);
        QCOMPARE(seen->result, QStringLiteral("three"));
        QCOMPARE(seen->progress, 3);
        QVERIFY(!jobs->isRunning());
    }

    void aFailureSaysWhyAndWhetherItWasCancelled()
    {
        QWidget page;
        auto *jobs = new BackgroundJobs(&page);
        auto seen = std::make_shared<Seen>();
        const auto failed = [seen](const QString &error, bool cancelled) {
            seen->error = error;
            seen->cancelled = cancelled;
            ++seen->failed;
        };
        jobs->start<int>([](JobControl &) -> int { throw RequestError(QStringLiteral("no disk")); },
                         [seen](int) { ++seen->done; }, failed);
        QTRY_COMPARE(seen->failed, 1);
        QCOMPARE(seen->error, QStringLiteral("no disk"));
        QVERIFY(!seen->cancelled);

        std::atomic<bool> ran = false;
        jobs->start<int>(
            [&ran](JobControl &control) -> int {
                ran = true;
                while (!control.isCancelled())
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                control.throwIfCancelled(QStringLiteral("stopped; nothing was kept"));
                return 0;
            },
            [seen](int) { ++seen->done; }, failed);
        QTRY_VERIFY(ran.load());
        jobs->cancel();
        QTRY_COMPARE(seen->failed, 2);
        QCOMPARE(seen->error, QStringLiteral("stopped; nothing was kept"));
        QVERIFY(seen->cancelled);
        QCOMPARE(seen->done, 0);
    }

    // The page closes while its job runs: the job is cancelled, and what it delivers afterwards
    // (progress, its result) never reaches the page's callbacks.
    void aClosedPagesJobIsCancelledAndItsLateResultDropped()
    {
        auto *page = new QWidget;
        auto *jobs = new BackgroundJobs(page);
        auto seen = std::make_shared<Seen>();
        // Shared with the work, which outlives this test function's wait only by its last 50 ms.
        auto ran = std::make_shared<std::atomic<bool>>(false);
        auto stoppedByCancel = std::make_shared<std::atomic<bool>>(false);
        jobs->start<QString>(
            [ran, stoppedByCancel](JobControl &c) {
                return runUntilCancelled(c, ran.get(), stoppedByCancel.get());
            },
            [seen](QString) { ++seen->done; }, [seen](const QString &, bool) { ++seen->failed; },
            [seen](const JobControl::Progress &) { ++seen->progress; });
        QVERIFY(jobs->control());
        QTRY_VERIFY(ran->load());
        QTRY_VERIFY(seen->progress > 0);
        QVERIFY(!jobs->control()->isCancelled());
        delete page;
        QTRY_VERIFY(stoppedByCancel->load());
        const int progressBefore = seen->progress;
        // The job sees the cancel and finishes (late, on purpose); give its result time to
        // arrive, if it were to.
        QTest::qWait(400);
        QCOMPARE(seen->done, 0);
        QCOMPARE(seen->failed, 0);
        QCOMPARE(seen->progress, progressBefore);
    }

    // A second start supersedes the first: the first is cancelled and its result dropped, the
    // second's arrives.
    void aNewerJobSupersedesAnOlderOne()
    {
        QWidget page;
        auto *jobs = new BackgroundJobs(&page);
        auto first = std::make_shared<Seen>();
        auto second = std::make_shared<Seen>();
        std::atomic<bool> ran = false;
        jobs->start<QString>([&ran](JobControl &c) { return runUntilCancelled(c, &ran); },
                             [first](QString) { ++first->done; },
                             [first](const QString &, bool) { ++first->failed; });
        QTRY_VERIFY(ran.load());
        JobControl *older = jobs->control();
        jobs->start<QString>([](JobControl &) { return QStringLiteral("second"); },
                             [second](QString r) {
                                 second->result = r;
                                 ++second->done;
                             });
        QVERIFY(older->isCancelled());
        QTRY_COMPARE(second->done, 1);
        QTest::qWait(300);
        QCOMPARE(first->done, 0);
        QCOMPARE(first->failed, 0);
        QCOMPARE(second->result, QStringLiteral("second"));
    }
};

QTEST_MAIN(BackgroundJobsTest)
#include "tst_backgroundjobs.moc"
