// JobControl, the one control every long operation takes: what the work says reaches the
// listener in order; cancel() returns at once even when what it stops is slow, reaches a
// statement running on the server, and reaches work that registers after it; a hook that is gone
// is never called.

#include "TestDatabase.h"
#include "common/JobControl.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QElapsedTimer>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace fuelsync;
using namespace fuelsync::test;

class JobControlTest : public QObject
{
    Q_OBJECT

private slots:
    void theListenerHearsEachStepAndItem()
    {
        QList<JobControl::Progress> heard;
        JobControl control([&heard](const JobControl::Progress &p) { heard.append(p); });
        control.setStep(QStringLiteral("Backing up 3 archives"), 3);
        control.itemDone(false, QStringLiteral("public"));
        control.itemDone(true, QStringLiteral("demo_001"));
        control.setProgress(3, 3);
        control.setStep(QStringLiteral("Verifying"));

        QCOMPARE(heard.size(), 5);
        QCOMPARE(heard[0].step, QStringLiteral("Backing up 3 archives"));
        QCOMPARE(heard[0].total, 3);
        QCOMPARE(heard[0].done, 0);
        QCOMPARE(heard[1].done, 1);
        QCOMPARE(heard[1].failed, 0);
        QCOMPARE(heard[1].detail, QStringLiteral("public"));
        QCOMPARE(heard[2].done, 2);
        QCOMPARE(heard[2].failed, 1);
        QCOMPARE(heard[2].detail, QStringLiteral("demo_001"));
        // A plain count carries no item's line; the step stays until the next one.
        QCOMPARE(heard[3].done, 3);
        QVERIFY(heard[3].detail.isEmpty());
        QCOMPARE(heard[3].step, QStringLiteral("Backing up 3 archives"));
        // A new step starts its counts again.
        QCOMPARE(heard[4].step, QStringLiteral("Verifying"));
        QCOMPARE(heard[4].done, 0);
        QCOMPARE(heard[4].failed, 0);
        QCOMPARE(heard[4].total, 0);
        QCOMPARE(control.progress().step, QStringLiteral("Verifying"));
    }

    void cancelIsSeenAndThrowsWithTheWorksOwnWords()
    {
        JobControl control;
        QVERIFY(!control.isCancelled());
        control.throwIfCancelled(QStringLiteral("never said"));
        control.cancel();
        control.cancel(); // a second time does nothing more
        QVERIFY(control.isCancelled());
        QVERIFY(control.cancelledFlag().load());
        try {
            control.throwIfCancelled(QStringLiteral("the backup was cancelled; nothing was kept"));
            QFAIL("no JobCancelled");
        } catch (const JobCancelled &e) {
            QCOMPARE(e.message(), QStringLiteral("the backup was cancelled; nothing was kept"));
        }
        try {
            control.throwIfCancelled();
            QFAIL("no JobCancelled");
        } catch (const RequestError &e) { // what every front door already catches
            QVERIFY2(e.message().contains(QStringLiteral("cancelled")), qPrintable(e.message()));
        }
    }

    // The Cancel button's thread never waits for what cancelling does (a cancel request over
    // the network): the hooks run on a thread of their own.
    void cancelReturnsAtOnceWhileAHookIsSlow()
    {
        JobControl control;
        std::atomic<bool> release = false;
        std::atomic<bool> called = false;
        const auto hook = control.onCancel([&] {
            called = true;
            while (!release.load())
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        });
        QElapsedTimer timer;
        timer.start();
        control.cancel();
        QVERIFY2(timer.elapsed() < 200, qPrintable(QString::number(timer.elapsed())));
        QTRY_VERIFY(called.load());
        release = true;
    }

    // Work that registers its session after the cancel (it was between steps) is stopped too;
    // a hook that is gone is never called.
    void aLateHookIsCalledAndAGoneHookIsNot()
    {
        JobControl control;
        std::atomic<int> gone = 0;
        {
            const auto hook = control.onCancel([&gone] { ++gone; });
        }
        control.cancel();
        QTest::qWait(50);
        QCOMPARE(gone.load(), 0);
        std::atomic<int> late = 0;
        const auto hook = control.onCancel([&late] { ++late; });
        QCOMPARE(late.load(), 1);
    }

    // Destroying a hook waits for a cancel being delivered through it, so the session it names
    // is never reached after it is gone.
    void destroyingAHookWaitsForItsCall()
    {
        JobControl control;
        std::atomic<bool> inCall = false;
        std::atomic<bool> finished = false;
        auto hook = std::make_unique<JobControl::CancelHook>(control.onCancel([&] {
            inCall = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            finished = true;
        }));
        control.cancel();
        QTRY_VERIFY(inCall.load());
        hook.reset();
        QVERIFY(finished.load());
    }

    // The cancel reaches the server: a statement of the job's session stops there, and the
    // session can be used again.
    void cancelStopsTheStatementOnTheServer()
    {
        TestDatabase db(QStringLiteral("jobcontrol"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        auto connection = db.connect();
        JobControl control;
        QString error;
        QElapsedTimer timer;
        std::thread worker([&] {
            try {
                const auto cancels = connection->cancelWith(control);
                timer.start();
                connection->exec(QStringLiteral("SELECT pg_sleep(60)"));
            } catch (const DbError &e) {
                error = e.text();
            }
        });
        auto watcher = db.connect(QStringLiteral("watcher"));
        QTRY_VERIFY_WITH_TIMEOUT(
            watcher->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE query = "
                                           "'SELECT pg_sleep(60)' AND state = 'active'"))
                    .toInt()
                == 1,
            10000);
        control.cancel();
        worker.join();
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(error.contains(QStringLiteral("cancel"), Qt::CaseInsensitive), qPrintable(error));
        QCOMPARE(connection->scalar(QStringLiteral("SELECT 1")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(JobControlTest)
#include "tst_jobcontrol.moc"
