// Backup schedules without a server: what a schedule asks systemd and cron to run and when, with
// names that need quoting; when it next runs; what cannot be saved.

#include "backup/BackupSchedule.h"
#include "backup/BackupScheduleStore.h"
#include "backup/SystemdUserTimer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace fuelsync;

class TestBackupSchedule : public QObject
{
    Q_OBJECT

private slots:
    void whenItRuns()
    {
        BackupSchedule s;
        s.name = QStringLiteral("nightly");
        s.profile = QStringLiteral("prod");
        s.at = QTime(2, 30);
        QCOMPARE(s.onCalendar(), QStringLiteral("*-*-* 02:30:00"));
        s.weekdays = { 1, 3, 7 };
        QCOMPARE(s.onCalendar(), QStringLiteral("Mon,Wed,Sun *-*-* 02:30:00"));
        QVERIFY(s.cronLine(QStringLiteral("/usr/bin/fuelsync-db"))
                    .startsWith(QStringLiteral("30 2 * * 1,3,0 \"/usr/bin/fuelsync-db\"")));
        // 2026-11-29 is a Sunday.
        QCOMPARE(s.nextRunAfter(QDateTime(QDate(2026, 11, 29), QTime(1, 0))),
                 QDateTime(QDate(2026, 11, 29), QTime(2, 30)));
        QCOMPARE(s.nextRunAfter(QDateTime(QDate(2026, 11, 29), QTime(3, 0))),
                 QDateTime(QDate(2026, 11, 30), QTime(2, 30)));
        QCOMPARE(s.nextRunAfter(QDateTime(QDate(2026, 11, 30), QTime(3, 0))),
                 QDateTime(QDate(2026, 12, 2), QTime(2, 30)));
    }

    void weekdaysAsTyped_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QList<int>>("days");
        QTest::newRow("empty: every day") << QString() << true << QList<int>();
        QTest::newRow("two") << QStringLiteral("mon,wed") << true << QList<int> { 1, 3 };
        QTest::newRow("any case, spaces")
            << QStringLiteral(" Sat , SUN") << true << QList<int> { 6, 7 };
        QTest::newRow("order kept") << QStringLiteral("fri,tue") << true << QList<int> { 5, 2 };
        QTest::newRow("empty parts") << QStringLiteral("thu,,") << true << QList<int> { 4 };
        QTest::newRow("full name") << QStringLiteral("monday") << false << QList<int>();
        QTest::newRow("a number") << QStringLiteral("1,2") << false << QList<int>();
        QTest::newRow("one bad of two") << QStringLiteral("mon,xyz") << false << QList<int>();
    }
    void weekdaysAsTyped()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QList<int>, days);
        const auto parsed = BackupSchedule::weekdaysFromText(text);
        QCOMPARE(parsed.has_value(), valid);
        if (parsed)
            QCOMPARE(*parsed, days);
    }

    void unitsQuoteWhatTheyRun()
    {
        BackupSchedule s;
        s.name = QStringLiteral("n1");
        s.profile = QStringLiteral("Prod \"main\" $HOME 100%");
        const QString service =
            s.serviceUnit(QStringLiteral("/opt/fs/fuelsync-db"), QStringLiteral("/etc/fs.ini"));
        QVERIFY2(service.contains(QStringLiteral(
                     "ExecStart=\"/opt/fs/fuelsync-db\" \"--profile\" \"Prod \\\"main\\\" \\$HOME "
                     "100%%\" \"backup\" \"scheduled\" \"n1\"")),
                 qPrintable(service));
        QVERIFY(service.contains(
            QStringLiteral("Environment=\"FUELSYNC_ADMIN_SETTINGS=/etc/fs.ini\"")));
        QVERIFY(s.timerUnit().contains(QStringLiteral("OnCalendar=*-*-* 02:30:00")));
        QVERIFY(s.timerUnit().contains(QStringLiteral("Persistent=true")));
    }

    void whatCannotBeSaved()
    {
        QTemporaryDir dir;
        qputenv("FUELSYNC_ADMIN_SETTINGS", dir.filePath(QStringLiteral("s.ini")).toUtf8());
        BackupScheduleStore store;
        BackupSchedule s;
        s.profile = QStringLiteral("prod");
        QString error;
        for (const QString &bad : { QString(), QStringLiteral("Nightly"), QStringLiteral("a/b"),
                                    QStringLiteral("x;rm") }) {
            s.name = bad;
            QVERIFY(!store.save(s, &error));
            QVERIFY(error.contains(QStringLiteral("name")));
        }
        s.name = QStringLiteral("ok");
        s.profile.clear();
        QVERIFY(!store.save(s, &error));
        QVERIFY(store.schedules().isEmpty());
        s.profile = QStringLiteral("prod");
        s.weekdays = { 2, 4 };
        s.retention.keepLast = 7;
        s.verify = BackupSchedule::Verify::RestoreTest;
        QVERIFY2(store.save(s, &error), qPrintable(error));
        const auto back = BackupScheduleStore().find(QStringLiteral("ok"));
        QVERIFY(back);
        QCOMPARE(back->weekdays, (QList<int> { 2, 4 }));
        QCOMPARE(back->retention.keepLast, 7);
        QCOMPARE(back->verify, BackupSchedule::Verify::RestoreTest);
        QCOMPARE(back->at, QTime(2, 30));

        // The unit files, written where systemd looks (XDG_CONFIG_HOME), without asking systemd.
        qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("config")).toUtf8());
        const auto installed =
            SystemdUserTimer::install(*back, QStringLiteral("/usr/bin/fuelsync-db"), false);
        QVERIFY(!installed.enabled);
        QVERIFY(
            QFile::exists(installed.unitDirectory + QStringLiteral("/fuelsync-backup-ok.service")));
        QVERIFY(
            QFile::exists(installed.unitDirectory + QStringLiteral("/fuelsync-backup-ok.timer")));
        SystemdUserTimer::uninstall(*back, false);
        QVERIFY(
            !QFile::exists(installed.unitDirectory + QStringLiteral("/fuelsync-backup-ok.timer")));
        store.remove(QStringLiteral("ok"));
        QVERIFY(store.schedules().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBackupSchedule)
#include "tst_backupschedule.moc"
