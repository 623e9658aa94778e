// Backups as a maintainer, support staff and a release manager found them (issue 15): kept by
// the database whichever profile reaches it, sealed so an edited manifest is never believed, never
// readable by other users, every run on record (connection failures too), no pg_dump outliving a
// killed run, and the same exit status as every other command when another run holds the lock.

#include "CliRunner.h"
#include "TestDatabase.h"
#include "backup/BackupManifest.h"
#include "backup/BackupRunner.h"
#include "backup/BackupStore.h"
#include "connect/ConnectionProfileStore.h"
#include "db/DbConnection.h"
#include "migrate/RunLock.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>
#include <utime.h>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

int mode(const QString &path)
{
    struct stat info
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? int(info.st_mode & 0777) : -1;
}

// Processes whose command line holds `fragment` (a backup folder of this test).
int processesWith(const QString &fragment)
{
    int count = 0;
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool numeric = false;
        pid.toInt(&numeric);
        if (!numeric)
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(fragment.toUtf8()))
            ++count;
    }
    return count;
}

// Writes a manifest as a test edited it, sealed as if the backup had been written so (what a
// check after the seal sees).
void writeSealed(const QString &backupFolder, const QJsonObject &manifest)
{
    const QByteArray bytes = QJsonDocument(manifest).toJson();
    QFile file(QDir(backupFolder).filePath(QStringLiteral("manifest.json")));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
    QFile seal(QDir(backupFolder).filePath(QStringLiteral("manifest.json.sha256")));
    QVERIFY(seal.open(QIODevice::WriteOnly | QIODevice::Truncate));
    seal.write(BackupManifest::sealOf(bytes));
}

} // namespace

class TestBackupSafety : public QObject
{
    Q_OBJECT

private:
    CliRunner cli;
    std::unique_ptr<TestDatabase> m_db;
    QTemporaryDir m_home;

    CliOptions env() const
    {
        return CliOptions()
            .withEnv(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")))
            .withEnv(QStringLiteral("FUELSYNC_ADMIN_SETTINGS"),
                     m_home.filePath(QStringLiteral("admin.ini")));
    }
    QStringList db() const { return { QStringLiteral("--db"), m_db->conninfo() }; }
    // A backup of `tenants` (every schema when empty) into `dest`; its id, empty when it failed.
    QString takeBackup(const QString &dest, const QStringList &tenants = {})
    {
        QStringList arguments = db()
            + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                            QStringLiteral("--dest"), dest, QStringLiteral("--json") };
        for (const QString &tenant : tenants)
            arguments.append(QStringLiteral("--tenant=") + tenant);
        const CliResult result = cli.run(arguments, env());
        if (result.exitCode != 0)
            qWarning() << result.describe();
        return result.json().value(QStringLiteral("id")).toString();
    }
    QString backupsRoot() const
    {
        return m_home.filePath(QStringLiteral("data/fuelsync-admin/backups"));
    }

private slots:
    void initTestCase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("backup_safety"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_backupsafety")),
                 qPrintable(m_db->errorString()));
        ConnectionProfile profile;
        profile.name = QStringLiteral("support-su");
        profile.uri = m_db->uri();
        QString error;
        QVERIFY2(ConnectionProfileStore(m_home.filePath(QStringLiteral("admin.ini")))
                     .save(profile, QString(), &error),
                 qPrintable(error));
    }

    // Item 12: backups belong to the database: two URIs and a profile reaching it see the same
    // ones, and those an earlier version filed under a connection's name are found.
    void backupsAreKeptByDatabaseNotByProfile()
    {
        // As an earlier version kept them: in a folder named after the profile.
        const QString legacy = backupsRoot() + QStringLiteral("/support-su");
        CliResult result =
            cli.run(db()
                        + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                        QStringLiteral("--dest"), legacy },
                    env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QString id = result.stdOut.section(u' ', 1, 1).chopped(1);
        QVERIFY(!id.isEmpty());

        // Beside it, a backup of another database the profile once pointed at.
        {
            BackupManifest other;
            other.id = QStringLiteral("20250101-000000Z");
            other.database = QStringLiteral("another_db");
            other.target = QStringLiteral("u@elsewhere:5432/another_db");
            other.snapshotAt = QDateTime::currentDateTimeUtc();
            other.schemas.append(
                { QStringLiteral("public"), QString(), QStringLiteral("public.dump"), {} });
            BackupManifest::Archive archive;
            archive.file = QStringLiteral("public.dump");
            archive.sha256 = QString(64, u'0');
            archive.schemas = { QStringLiteral("public") };
            other.archives.append(archive);
            other.registry = {};
            QVERIFY(QDir().mkpath(legacy + u'/' + other.id));
            QVERIFY(other.writeTo(legacy + u'/' + other.id));
        }
        // The profile's first list moves it into the database's folder, and says so; the other
        // database's backup stays where it was, and that is said too.
        result =
            cli.run({ QStringLiteral("--profile"), QStringLiteral("support-su"),
                      QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--json") },
                    env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("Moved 1 backup and the run records")),
                 qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(QStringLiteral("Left in %1").arg(legacy))
                     && result.stdErr.contains(QStringLiteral("20250101-000000Z")),
                 qPrintable(result.describe()));
        QVERIFY(QFileInfo::exists(legacy + QStringLiteral("/20250101-000000Z/manifest.json")));
        const QString folder = result.json().value(QStringLiteral("folder")).toString();
        QVERIFY2(folder.contains(m_db->name()), qPrintable(folder));
        QCOMPARE(result.json().value(QStringLiteral("backups")).toArray().size(), 1);

        // Two other ways to the same database see the same backups.
        for (const QString &target : { m_db->conninfo(), m_db->uri() }) {
            result = cli.run({ QStringLiteral("--db"), target, QStringLiteral("backup"),
                               QStringLiteral("list"), QStringLiteral("--json") },
                             env());
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
            QCOMPARE(result.json().value(QStringLiteral("folder")).toString(), folder);
            const QJsonArray backups = result.json().value(QStringLiteral("backups")).toArray();
            QCOMPARE(backups.size(), 1);
            QCOMPARE(backups.first().toObject().value(QStringLiteral("id")).toString(), id);
        }
        result =
            cli.run(db() + QStringList { QStringLiteral("backup"), QStringLiteral("list") }, env());
        QVERIFY2(
            result.stdOut.contains(QStringLiteral("Backups of %1 on the server").arg(m_db->name())),
            qPrintable(result.describe()));
    }

    // Item 14: the manifest is sealed: any flipped byte, a tenant taken out of manifest and
    // disk, or a table missing from its rows is found; a good backup still passes.
    void aBackupsManifestCannotBeEditedUnnoticed()
    {
        QTemporaryDir dest;
        CliResult result = cli.run(
            db()
                + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                QStringLiteral("--dest"), dest.path(), QStringLiteral("--json") },
            env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QString id = result.json().value(QStringLiteral("id")).toString();
        const QString folder = dest.filePath(id);
        QVERIFY(QFile::exists(QDir(folder).filePath(QStringLiteral("manifest.json.sha256"))));
        const QStringList verify { QStringLiteral("backup"), QStringLiteral("verify"), id,
                                   QStringLiteral("--dest"), dest.path() };
        result = cli.run(db() + verify, env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));

        QFile manifestFile(QDir(folder).filePath(QStringLiteral("manifest.json")));
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        const QByteArray original = manifestFile.readAll();
        manifestFile.close();
        const auto write = [&](const QByteArray &bytes) {
            QFile file(manifestFile.fileName());
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(bytes);
        };
        // Random flips of one bit anywhere in the manifest: never a good backup.
        QRandomGenerator random(20261204);
        for (int i = 0; i < 35; ++i) {
            QByteArray flipped = original;
            const qsizetype at = random.bounded(flipped.size());
            flipped[at] = char(flipped.at(at) ^ (1 << random.bounded(7)));
            write(flipped);
            const auto entry = BackupStore(dest.path()).find(id);
            QVERIFY2(entry && !entry->manifest, qPrintable(QString::number(at)));
            result = cli.run(verify, env());
            QVERIFY2(result.exitCode != 0, qPrintable(result.describe()));
        }
        write(original);
        QVERIFY(BackupStore(dest.path()).find(id)->manifest);

        // A tenant taken out of the manifest and the disk, the manifest sealed again: the
        // registry recorded in the snapshot still wants it.
        QJsonObject manifest = QJsonDocument::fromJson(original).object();
        const QString tenant = QStringLiteral("basic_demo_2");
        QJsonArray schemas;
        for (const QJsonValue &s : manifest.value(QStringLiteral("schemas")).toArray()) {
            if (s.toObject().value(QStringLiteral("name")).toString() != tenant)
                schemas.append(s);
        }
        QJsonArray archives;
        for (const QJsonValue &a : manifest.value(QStringLiteral("archives")).toArray()) {
            if (a.toObject().value(QStringLiteral("schemas")).toArray().contains(tenant))
                QFile::remove(
                    QDir(folder).filePath(a.toObject().value(QStringLiteral("file")).toString()));
            else
                archives.append(a);
        }
        QJsonObject without = manifest;
        without.insert(QStringLiteral("schemas"), schemas);
        without.insert(QStringLiteral("archives"), archives);
        writeSealed(folder, without);
        result = cli.run(db() + verify + QStringList { QStringLiteral("--restore-test") }, env());
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        QVERIFY2(result.stdErr.contains(tenant), qPrintable(result.describe()));
    }

    // Item 14, restore test: a table restored that the manifest does not list fails it.
    void aRestoreTestComparesEveryTableRestored()
    {
        QTemporaryDir dest;
        const QString id = takeBackup(dest.path(), { QStringLiteral("basic_demo_1") });
        QVERIFY(!id.isEmpty());
        CliResult result;
        const QString folder = dest.filePath(id);
        QFile file(QDir(folder).filePath(QStringLiteral("manifest.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        QJsonArray schemas = manifest.value(QStringLiteral("schemas")).toArray();
        QJsonObject schema = schemas.first().toObject();
        QJsonObject rows = schema.value(QStringLiteral("rows")).toObject();
        rows.remove(QStringLiteral("alerts"));
        schema.insert(QStringLiteral("rows"), rows);
        schemas.replace(0, schema);
        manifest.insert(QStringLiteral("schemas"), schemas);
        writeSealed(folder, manifest);
        result = cli.run({ QStringLiteral("backup"), QStringLiteral("verify"), id,
                           QStringLiteral("--dest"), dest.path(), QStringLiteral("--restore-test"),
                           QStringLiteral("--db"), m_db->conninfo() },
                         env());
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
        const QString said = result.stdOut + result.stdErr;
        QVERIFY2(said.contains(QStringLiteral("alerts")), qPrintable(result.describe()));
        QVERIFY2(said.contains(QStringLiteral("not in the manifest")),
                 qPrintable(result.describe()));
    }

    // Item 15: a killed run leaves no pg_dump behind, nor its server session.
    void killingTheRunKillsItsPgDumps_data()
    {
        QTest::addColumn<bool>("wholeGroup");
        QTest::newRow("kill PID") << false;
        QTest::newRow("kill -- -PGID (the process group)") << true;
    }

    void killingTheRunKillsItsPgDumps()
    {
        QFETCH(bool, wholeGroup);
        QTemporaryDir dest;
        auto c = m_db->connect();
        auto blocker = m_db->connect(QStringLiteral("blocker"));
        blocker->begin();
        blocker->exec(QStringLiteral("LOCK TABLE basic_demo_1.sales IN ACCESS EXCLUSIVE MODE"));
        auto process =
            cli.start(db()
                          + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                          QStringLiteral("--dest"), dest.path() },
                      wholeGroup ? env().inItsOwnProcessGroup() : env());
        QVERIFY(process->isStarted());
        const auto dumpSessions = [&c] {
            return c
                // This test's database only: another suite's backup may run beside it.
                ->scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                        "application_name = 'fuelsync-db backup' AND "
                                        "query LIKE 'LOCK TABLE%' AND datname = "
                                        "current_database()"))
                .toInt();
        };
        // A pg_dump waits for the locked table, with its session.
        QVERIFY(QTest::qWaitFor([&] { return dumpSessions() > 0; }, 30'000));
        QVERIFY(processesWith(dest.path()) >= 2); // fuelsync-db and a pg_dump
        if (wholeGroup)
            process->killGroup();
        else
            process->kill();
        process->wait(10'000);
        QVERIFY2(QTest::qWaitFor([&] { return processesWith(dest.path()) == 0; }, 10'000),
                 "a pg_dump outlived its run");
        QVERIFY2(QTest::qWaitFor([&] { return dumpSessions() == 0; }, 15'000),
                 "a pg_dump's session outlived its run");
        blocker->rollback();
        // What it left is an unfinished run, which prune clears now that its lock is free.
        QCOMPARE(BackupStore(dest.path()).partials().size(), 1);
        CliResult result =
            cli.run({ QStringLiteral("backup"), QStringLiteral("prune"),
                      QStringLiteral("--keep-last=3"), QStringLiteral("--dest"), dest.path() },
                    env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(BackupStore(dest.path()).partials().isEmpty());
    }

    // Item 16: backups are private whatever the umask, and a folder others can read is named.
    void backupsArePrivateWhateverTheUmask()
    {
        QTemporaryDir home;
        const QString dest = home.filePath(QStringLiteral("deep/backups"));
        const mode_t previous = ::umask(022);
        const CliResult result =
            cli.run(db()
                        + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                        QStringLiteral("--dest"), dest },
                    env());
        ::umask(previous);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QCOMPARE(mode(dest), 0700);
        int files = 0;
        QDirIterator it(dest, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const int expected = QFileInfo(path).isDir() ? 0700 : 0600;
            QVERIFY2(mode(path) == expected,
                     qPrintable(QStringLiteral("%1: %2").arg(path).arg(mode(path), 0, 8)));
            ++files;
        }
        QVERIFY(files >= 5);
        QFile::setPermissions(dest,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                  | QFileDevice::ExeOwner | QFileDevice::ReadOther
                                  | QFileDevice::ExeOther);
        const CliResult list = cli.run(
            { QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--dest"), dest },
            env());
        QVERIFY2(list.stdErr.contains(QStringLiteral("other users can read")),
                 qPrintable(list.describe()));
    }

    // Item 17: a run that cannot connect is on record where the connection's backups are.
    void aRunThatCannotConnectIsOnRecord()
    {
        auto c = m_db->connect();
        c->exec(QStringLiteral("DROP ROLE IF EXISTS backup_safety_app"));
        c->exec(QStringLiteral("CREATE ROLE backup_safety_app LOGIN PASSWORD 'right' "
                               "IN ROLE pg_read_all_data"));
        const QString conninfo =
            m_db->tcpSettings(QStringLiteral("backup_safety_app"), QStringLiteral("x"))
                .conninfoWithoutPassword();
        const CliOptions wrong =
            env().withEnv(QStringLiteral("PGPASSWORD"), QStringLiteral("wrong"));
        CliResult result = cli.run(
            { QStringLiteral("--db"), conninfo, QStringLiteral("backup"), QStringLiteral("run") },
            wrong);
        QCOMPARE(result.exitCode, 3);
        // The same connection, with the right password: the failure is in its list.
        const CliOptions right =
            env().withEnv(QStringLiteral("PGPASSWORD"), QStringLiteral("right"));
        result = cli.run(
            { QStringLiteral("--db"), conninfo, QStringLiteral("backup"), QStringLiteral("list") },
            right);
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.stdOut.contains(QStringLiteral("FAILED"))
                     && result.stdOut.contains(QStringLiteral("password")),
                 qPrintable(result.describe()));
        // And a second failure goes straight to the database's folder, now known.
        result = cli.run(
            { QStringLiteral("--db"), conninfo, QStringLiteral("backup"), QStringLiteral("run") },
            wrong);
        QCOMPARE(result.exitCode, 3);
        result = cli.run({ QStringLiteral("--db"), conninfo, QStringLiteral("backup"),
                           QStringLiteral("list"), QStringLiteral("--json") },
                         right);
        int failures = 0;
        for (const QJsonValue &run : result.json().value(QStringLiteral("runs")).toArray())
            failures += run.toObject().value(QStringLiteral("ok")).toBool() ? 0 : 1;
        QCOMPARE(failures, 2);
        c->exec(QStringLiteral("DROP ROLE backup_safety_app"));
    }

    // Item 18: a run killed after its manifest was written and before the rename leaves a
    // folder that list calls unfinished and prune clears at once.
    void aRunKilledBeforeItsRenameIsClearedByPrune()
    {
        QTemporaryDir dest;
        CliResult result = cli.run(
            db()
                + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                QStringLiteral("--dest"), dest.path(), QStringLiteral("--json") },
            env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QString id = result.json().value(QStringLiteral("id")).toString();
        // What a run holds just before its rename: everything, and its lock file, whose lock
        // died with it.
        const QString partial = dest.filePath(QLatin1String(BackupRunner::partialPrefix) + id
                                              + QStringLiteral("-99999"));
        QVERIFY(QDir().rename(dest.filePath(id), partial));
        QFile lock(QDir(partial).filePath(QLatin1String(BackupRunner::runLockName)));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.close();
        result = cli.run({ QStringLiteral("backup"), QStringLiteral("list"),
                           QStringLiteral("--dest"), dest.path() },
                         env());
        QVERIFY2(result.stdOut.contains(QStringLiteral("did not finish")),
                 qPrintable(result.describe()));
        result = cli.run({ QStringLiteral("backup"), QStringLiteral("prune"),
                           QStringLiteral("--keep-last=3"), QStringLiteral("--dest"), dest.path() },
                         env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(!QFileInfo::exists(partial));

        // One without its lock file (an older version removed it first): cleared once it is a
        // minute old.
        QVERIFY(QDir().mkpath(partial));
        const QString old = partial;
        struct utimbuf times
        {
        };
        times.actime = times.modtime = ::time(nullptr) - 120;
        ::utime(QFile::encodeName(old).constData(), &times);
        result = cli.run({ QStringLiteral("backup"), QStringLiteral("prune"),
                           QStringLiteral("--keep-last=3"), QStringLiteral("--dest"), dest.path() },
                         env());
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(!QFileInfo::exists(old));
    }

    // Items 21 and 19: refused under the run lock with exit status 4, as every command is; a
    // new schema's name is used exactly as given or refused.
    void refusalsAreTheSameEverywhere()
    {
        QTemporaryDir dest;
        const QString id = takeBackup(dest.path(), { QStringLiteral("basic_demo_1") });
        QVERIFY(!id.isEmpty());
        CliResult result;
        auto c = m_db->connect();
        const int schemasBefore =
            c->scalar(QStringLiteral("SELECT count(*) FROM pg_namespace")).toInt();
        for (const QString &name : { QStringLiteral("public\n"), QStringLiteral("tenant\n") }) {
            result =
                cli.run(db()
                            + QStringList { QStringLiteral("backup"), QStringLiteral("restore"), id,
                                            QStringLiteral("--tenant=basic_demo_1"),
                                            QStringLiteral("--as"), name, QStringLiteral("--yes"),
                                            QStringLiteral("--dest"), dest.path() },
                        env());
            QVERIFY2(result.exitCode != 0, qPrintable(result.describe()));
            QVERIFY2(result.stdErr.contains(QStringLiteral("cannot be the new schema's name")),
                     qPrintable(result.describe()));
        }
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM pg_namespace")).toInt(),
                 schemasBefore);

        auto holder = m_db->connect();
        RunLock lock(*holder);
        QVERIFY(lock.tryAcquire());
        result = cli.run(db()
                             + QStringList { QStringLiteral("backup"), QStringLiteral("run"),
                                             QStringLiteral("--dest"), dest.path() },
                         env());
        QVERIFY2(result.exitCode == 4, qPrintable(result.describe()));
        result =
            cli.run(db()
                        + QStringList { QStringLiteral("backup"), QStringLiteral("restore"), id,
                                        QStringLiteral("--tenant=basic_demo_1"),
                                        QStringLiteral("--as=copy_one"), QStringLiteral("--yes"),
                                        QStringLiteral("--dest"), dest.path() },
                    env());
        QVERIFY2(result.exitCode == 4, qPrintable(result.describe()));
        result =
            cli.run(db() + QStringList { QStringLiteral("migrate"), QStringLiteral("up") }, env());
        QVERIFY2(result.exitCode == 4, qPrintable(result.describe()));
    }
};

QTEST_GUILESS_MAIN(TestBackupSafety)
#include "tst_backupsafety.moc"
