// Retention: which backups a policy keeps (the last N; the newest of each day, week and month for
// as long as asked; always the newest verified one; never what is not a usable backup), and
// pruning a folder of backups by it: dry runs remove nothing, removal goes through a hidden name,
// and only unfinished runs whose process is gone are cleared.

#include "TestDatabase.h"
#include "backup/BackupPruner.h"
#include "backup/BackupRetention.h"
#include "backup/BackupRunner.h"
#include "backup/BackupStore.h"
#include "common/RequestError.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utime.h>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

const QDateTime now(QDate(2026, 11, 29), QTime(23, 0));

// Backups every `hours` hours back from now, newest first; the ids sort like the times.
QList<BackupRetention::Backup> every(int hours, int count)
{
    QList<BackupRetention::Backup> list;
    for (int i = 0; i < count; ++i) {
        const QDateTime at = now.addSecs(-qint64(hours) * 3600 * i);
        list.append({ at.toString(QStringLiteral("yyyyMMdd-HHmmss")), at, false });
    }
    return list;
}

QStringList kept(const QList<BackupRetention::Decision> &decisions)
{
    QStringList ids;
    for (const auto &d : decisions) {
        if (d.keep)
            ids.append(d.id);
    }
    return ids;
}

void writeBackup(const QString &folder, const QString &id, const QDateTime &at, bool verified,
                 const QString &target = QStringLiteral("u@host/db"),
                 const QString &systemIdentifier = QString())
{
    const QString dir = folder + u'/' + id;
    QDir().mkpath(dir);
    BackupManifest m;
    m.id = id;
    m.target = target;
    m.systemIdentifier = systemIdentifier;
    m.database = QStringLiteral("db");
    m.snapshotAt = at;
    m.startedAt = at;
    m.finishedAt = at;
    BackupManifest::Schema s;
    s.name = QStringLiteral("public");
    s.archive = QStringLiteral("public.dump");
    m.schemas.append(s);
    BackupManifest::Archive a;
    a.file = s.archive;
    a.sha256 = QString(64, u'0');
    a.schemas = QStringList { s.name };
    m.archives.append(a);
    m.writeTo(dir);
    if (verified) {
        QFile verify(dir + QStringLiteral("/verify.json"));
        verify.open(QIODevice::WriteOnly);
        verify.write(QJsonDocument(
                         QJsonObject { { QStringLiteral("backup"), id },
                                       { QStringLiteral("at"), at.toString(Qt::ISODate) },
                                       { QStringLiteral("archives"),
                                         QJsonArray { QJsonObject {
                                             { QStringLiteral("schema"), QStringLiteral("public") },
                                             { QStringLiteral("checksum_ok"), true },
                                             { QStringLiteral("readable"), true } } } } })
                         .toJson());
    }
}

} // namespace

class TestBackupRetention : public QObject
{
    Q_OBJECT

private slots:
    void keepLast()
    {
        BackupRetention::Policy policy;
        policy.keepLast = 3;
        const auto backups = every(6, 10);
        const auto decisions = BackupRetention::decide(backups, policy, now);
        QCOMPARE(kept(decisions), (QStringList { backups[0].id, backups[1].id, backups[2].id }));
    }

    void newestOfEachDayForAWeek()
    {
        BackupRetention::Policy policy;
        policy.dailyDays = 7;
        const auto backups = every(6, 4 * 20); // four a day for twenty days
        const auto decisions = BackupRetention::decide(backups, policy, now);
        const QStringList ids = kept(decisions);
        QCOMPARE(ids.size(), 7);
        // Each is the newest of its day, days from today back.
        for (int d = 0; d < 7; ++d) {
            const QDate day = now.date().addDays(-d);
            QDateTime newest;
            for (const auto &b : backups) {
                if (b.takenAt.date() == day && (!newest.isValid() || b.takenAt > newest))
                    newest = b.takenAt;
            }
            QVERIFY(ids.contains(newest.toString(QStringLiteral("yyyyMMdd-HHmmss"))));
        }
    }

    void weeklyAndMonthlyOnTopOfDaily()
    {
        BackupRetention::Policy policy;
        policy.dailyDays = 3;
        policy.weeklyWeeks = 4;
        policy.monthlyMonths = 3;
        const auto backups = every(24, 120); // one a day for 120 days
        const auto decisions = BackupRetention::decide(backups, policy, now);
        QSet<QString> weeks;
        QSet<QString> months;
        for (const auto &d : decisions) {
            for (const QString &r : d.reasons) {
                if (r.startsWith(QStringLiteral("weekly")))
                    weeks.insert(r);
                if (r.startsWith(QStringLiteral("monthly")))
                    months.insert(r);
            }
        }
        QCOMPARE(weeks.size(), 4);
        QCOMPARE(months.size(), 3);
        // 3 daily; the weekly ones of this week and the daily ones overlap; months add theirs.
        const QStringList ids = kept(decisions);
        QVERIFY(ids.size() >= 6 && ids.size() <= 10);
        QVERIFY(ids.contains(backups.first().id));
        QVERIFY(!ids.contains(backups.last().id));
    }

    void theNewestVerifiedAndUnusableOnesStay()
    {
        BackupRetention::Policy policy;
        policy.keepLast = 1;
        auto backups = every(24, 6);
        backups[4].verified = true;
        backups[5].verified = true;
        backups[2].takenAt = QDateTime(); // not usable
        const auto decisions = BackupRetention::decide(backups, policy, now);
        QCOMPARE(kept(decisions), (QStringList { backups[0].id, backups[2].id, backups[4].id }));
        QVERIFY(decisions[4].reasons.join(u' ').contains(QStringLiteral("verified")));
    }

    void theNewestStaysWhenNothingElseWould()
    {
        // Runs failed for weeks and none was verified: the daily window finds nothing, yet the
        // newest backup stays.
        BackupRetention::Policy policy;
        policy.dailyDays = 3;
        QList<BackupRetention::Backup> backups;
        for (int i = 0; i < 4; ++i) {
            const QDateTime at = now.addDays(-30 - i);
            backups.append({ at.toString(QStringLiteral("yyyyMMdd-HHmmss")), at, false });
        }
        const auto decisions = BackupRetention::decide(backups, policy, now);
        QCOMPARE(kept(decisions), QStringList { backups.first().id });
        QVERIFY(decisions.first().reasons.contains(QStringLiteral("the newest backup")));
    }

    void eachDatabaseIsPrunedByItself()
    {
        QTemporaryDir dir;
        const auto backups = every(24, 4);
        for (qsizetype i = 0; i < backups.size(); ++i)
            writeBackup(dir.path(), backups[i].id, backups[i].takenAt, false,
                        i % 2 == 0 ? QStringLiteral("u@prod/db") : QStringLiteral("u@staging/db"));
        BackupRetention::Policy policy;
        policy.keepLast = 1;
        BackupPruner::prune(dir.path(), policy, false, unwatched(), now);
        QStringList left;
        for (const auto &e : BackupStore(dir.path()).list())
            left.append(e.id);
        QCOMPARE(left, (QStringList { backups[0].id, backups[1].id })); // the newest of each
    }

    // One database reached by two logins or two names (a folder now gathers them all) is
    // pruned as one: the policy counts its backups, not each connection's.
    void oneDatabaseReachedTwoWaysIsPrunedAsOne()
    {
        QTemporaryDir dir;
        const auto backups = every(24, 4);
        for (qsizetype i = 0; i < backups.size(); ++i)
            writeBackup(dir.path(), backups[i].id, backups[i].takenAt, false,
                        i % 2 == 0 ? QStringLiteral("support@prod.lan:5432/db")
                                   : QStringLiteral("maint@10.0.0.5:5432/db"),
                        QStringLiteral("7715546523678564119"));
        BackupRetention::Policy policy;
        policy.keepLast = 1;
        BackupPruner::prune(dir.path(), policy, false, unwatched(), now);
        QStringList left;
        for (const auto &e : BackupStore(dir.path()).list())
            left.append(e.id);
        QCOMPARE(left, QStringList { backups[0].id });
    }

    void pruneRemovesWhatThePolicyDoesNotKeep()
    {
        QTemporaryDir dir;
        const auto backups = every(24, 6);
        for (qsizetype i = 0; i < backups.size(); ++i)
            writeBackup(dir.path(), backups[i].id, backups[i].takenAt, i == 3);
        // A run that died (its lock is free), one that goes on (its lock is held, however old
        // its folder), and what an interrupted prune was removing.
        const QString dead = dir.filePath(QStringLiteral(".partial-x-1"));
        const QString alive = dir.filePath(QStringLiteral(".partial-y-2"));
        const QString deleting = dir.filePath(QStringLiteral(".deleting-z"));
        for (const QString &path : { dead, alive, deleting })
            QDir().mkpath(path);
        for (const QString &path : { dead, alive }) {
            QFile lock(path + u'/' + QLatin1String(BackupRunner::runLockName));
            lock.open(QIODevice::WriteOnly);
        }
        const int held = ::open(
            QFile::encodeName(alive + u'/' + QLatin1String(BackupRunner::runLockName)).constData(),
            O_RDWR);
        QVERIFY(held >= 0 && ::flock(held, LOCK_EX | LOCK_NB) == 0);
        const utimbuf old { 1'000'000'000, 1'000'000'000 };
        ::utime(QFile::encodeName(alive).constData(), &old);

        BackupRetention::Policy policy;
        policy.keepLast = 2;
        const auto dry = BackupPruner::prune(dir.path(), policy, true, unwatched(), now);
        QCOMPARE(dry.removed, (QStringList { backups[2].id, backups[4].id, backups[5].id }));
        QCOMPARE(dry.leftovers, QStringList { dead });
        QCOMPARE(BackupStore(dir.path()).list().size(), 6); // nothing removed

        const auto done = BackupPruner::prune(dir.path(), policy, false, unwatched(), now);
        QCOMPARE(done.removed, dry.removed);
        QStringList left;
        for (const auto &e : BackupStore(dir.path()).list())
            left.append(e.id);
        QCOMPARE(left, (QStringList { backups[0].id, backups[1].id, backups[3].id }));
        QVERIFY(!QDir(dead).exists());
        QVERIFY(QDir(alive).exists());
        QVERIFY(!QDir(deleting).exists());
        ::close(held);
        QVERIFY(QDir(dir.path())
                    .entryList({ QStringLiteral(".deleting-*") }, QDir::Dirs | QDir::Hidden)
                    .isEmpty());

        policy = {};
        try {
            BackupPruner::prune(dir.path(), policy, false, unwatched(), now);
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY(e.message().contains(QStringLiteral("must keep something")));
        }
        QCOMPARE(BackupStore(dir.path()).list().size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestBackupRetention)
#include "tst_backupretention.moc"
