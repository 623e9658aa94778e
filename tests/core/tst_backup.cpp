// Backups against a real server: one archive per schema from one snapshot, a manifest that
// agrees with the database and the files, archives that restore into a scratch database with the
// same rows and schema; and what must leave nothing behind: an unknown tenant, an old pg_dump, a
// failing pg_dump, a cancelled run, a killed run. The password reaches pg_dump by environment.

#include "TestDatabase.h"
#include "backup/BackupLocation.h"
#include "backup/BackupRestorer.h"
#include "backup/BackupRunLog.h"
#include "backup/BackupRunner.h"
#include "backup/BackupSchemaSelection.h"
#include "backup/BackupStore.h"
#include "backup/BackupVerifier.h"
#include "backup/DurableFiles.h"
#include "backup/PgDumpTool.h"
#include "catalog/SchemaSnapshot.h"
#include "common/RequestError.h"
#include "connect/ConnectionProfileStore.h"
#include "db/SqlIdentifier.h"
#include "migrate/LockedSession.h"
#include "migrate/RunLock.h"
#include "migrationfiles/MigrationSet.h"
#include "migrationfiles/SchemaMigrationsTable.h"
#include "tenants/TenantRegistry.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

// A directory with a pg_dump that runs `before` (shell) and then the real one, and the real
// pg_restore; for runs that must be slow, fail, or show what pg_dump was given.
QString wrappedPgDump(const QTemporaryDir &dir, const QString &before)
{
    const PgDumpTool real = PgDumpTool::locate(0);
    const QString bin = dir.filePath(QStringLiteral("bin"));
    QDir().mkpath(bin);
    QFile script(bin + QStringLiteral("/pg_dump"));
    script.open(QIODevice::WriteOnly);
    script.write(QStringLiteral("#!/bin/sh\nif [ \"$1\" = --version ]; then exec '%1' --version; "
                                "fi\n%2\nexec '%1' \"$@\"\n")
                     .arg(real.pgDump, before)
                     .toUtf8());
    script.close();
    script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QFile::link(real.pgRestore, bin + QStringLiteral("/pg_restore"));
    return bin;
}

// Seals a manifest.json edited by a test, as if the backup had been written that way: what a
// check after the seal finds.
void reseal(const QString &backupFolder)
{
    QFile file(QDir(backupFolder).filePath(QLatin1String(BackupManifest::fileName)));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QFile seal(QDir(backupFolder).filePath(QLatin1String(BackupManifest::sealFileName)));
    QVERIFY(seal.open(QIODevice::WriteOnly | QIODevice::Truncate));
    seal.write(BackupManifest::sealOf(file.readAll()));
}

QStringList completeBackups(const QString &folder)
{
    QStringList ids;
    for (const BackupStore::Entry &e : BackupStore(folder).list())
        ids.append(e.id);
    return ids;
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT

private:
    static void schemasPerArchive()
    {
        QTest::addColumn<int>("perArchive");
        QTest::newRow("an archive each") << 1;
        QTest::newRow("tenants two to an archive") << 2;
    }

private slots:
    void initTestCase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("backup"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_backup")),
                 qPrintable(m_db->errorString()));
        auto c = m_db->connect();
        QSqlQuery tenants =
            c->exec(QStringLiteral("SELECT schema_name FROM public.tenants ORDER BY 1"));
        while (tenants.next())
            m_tenants.append(tenants.value(0).toString());
        QVERIFY(m_tenants.size() >= 2);
    }

    // Each schema in an archive of its own, or the tenants packed two to an archive.
    void aBackupAgreesWithTheDatabaseAndRestores_data() { schemasPerArchive(); }
    void aBackupAgreesWithTheDatabaseAndRestores()
    {
        QFETCH(int, perArchive);
        QTemporaryDir dest;
        BackupRunner::Options options;
        options.destination = dest.path();
        options.jobs = 2;
        options.schemasPerArchive = perArchive;
        QStringList progressed;
        JobControl control([&](const JobControl::Progress &p) {
            if (!p.detail.isEmpty())
                progressed.append(p.detail);
        });
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, control);

        QCOMPARE(completeBackups(dest.path()), QStringList { m.id });
        QVERIFY(BackupStore(dest.path()).partials().isEmpty());
        QStringList schemas;
        for (const BackupManifest::Schema &s : m.schemas)
            schemas.append(s.name);
        QCOMPARE(schemas, QStringList { QStringLiteral("public") } + m_tenants);
        // The archives: public's own, and the tenants' as asked; each schema in the one its
        // entry names.
        QStringList expected;
        QCOMPARE(m.archives.first().file, QStringLiteral("public.dump"));
        for (const BackupManifest::Archive &a : m.archives) {
            QVERIFY(a.schemas.size() <= std::max(1, perArchive));
            for (const QString &schema : a.schemas)
                QCOMPARE(m.schema(schema)->archive, a.file);
            // A schema's name, or the archive's and how many it holds.
            expected.append(a.schemas.size() == 1 ? a.schemas.first() : a.file);
        }
        QCOMPARE(m.archives.size(),
                 perArchive == 2 ? 1 + (m_tenants.size() + 1) / 2 : 1 + m_tenants.size());
        for (QString &p : progressed) {
            if (p.contains(u' '))
                p = p.section(u' ', 0, 0);
        }
        progressed.sort();
        expected.sort();
        QCOMPARE(progressed, expected);

        // The manifest read back is the one returned, and agrees with files and database.
        const auto entry = BackupStore(dest.path()).find(m.id);
        QVERIFY(entry && entry->manifest);
        QCOMPARE(entry->manifest->toJson(), m.toJson());
        auto c = m_db->connect();
        QCOMPARE(m.database, m_db->name());
        QVERIFY(m.pgDumpVersion.contains(QStringLiteral("pg_dump")));
        for (const BackupManifest::Archive &a : m.archives) {
            qint64 bytes = 0;
            QCOMPARE(DurableFiles::sha256(QDir(entry->folder).filePath(a.file), &bytes), a.sha256);
            QCOMPARE(bytes, a.bytes);
        }
        for (const BackupManifest::Schema &s : m.schemas) {
            QCOMPARE(s.version,
                     c->scalar(QStringLiteral("SELECT max(version) FROM %1.schema_migrations")
                                   .arg(SqlIdentifier::quote(s.name)))
                         .toString());
            QVERIFY(!s.tables.isEmpty());
            for (const BackupManifest::Table &t : s.tables) {
                // The audit gains the backup's own row after the snapshot.
                if (s.name == u"public" && t.name == u"fuelsync_audit")
                    continue;
                QCOMPARE(
                    t.rows,
                    c->scalar(QStringLiteral("SELECT count(*) FROM %1.%2")
                                  .arg(SqlIdentifier::quote(s.name), SqlIdentifier::quote(t.name)))
                        .toLongLong());
            }
        }
        QVERIFY(m.schema(m_tenants.first())->rows() > 100);

        // Restored into a scratch database: the same schema and the same rows.
        TestDatabase scratch(QStringLiteral("backup_restore"));
        QVERIFY2(scratch.isValid(), qPrintable(scratch.errorString()));
        const PgDumpTool tool = PgDumpTool::locate(0);
        // The archive of public creates public, as it was.
        scratch.connect()->exec(QStringLiteral("DROP SCHEMA public"));
        for (const BackupManifest::Archive &a : m.archives) {
            QProcess restore;
            restore.start(tool.pgRestore,
                          { QStringLiteral("--exit-on-error"), QStringLiteral("--no-owner"),
                            QStringLiteral("--dbname=") + scratch.conninfo(),
                            QDir(entry->folder).filePath(a.file) });
            QVERIFY(restore.waitForFinished(120'000));
            QVERIFY2(restore.exitCode() == 0, restore.readAllStandardError().constData());
        }
        auto restored = scratch.connect();
        const QStringList all = QStringList { QStringLiteral("public") } + m_tenants;
        const QStringList changes =
            SchemaSnapshot::capture(*c, all).changesTo(SchemaSnapshot::capture(*restored, all));
        QVERIFY2(changes.isEmpty(), qPrintable(changes.join(u'\n')));
        for (const BackupManifest::Schema &s : m.schemas) {
            for (const BackupManifest::Table &t : s.tables)
                QCOMPARE(restored
                             ->scalar(QStringLiteral("SELECT count(*) FROM %1.%2")
                                          .arg(SqlIdentifier::quote(s.name),
                                               SqlIdentifier::quote(t.name)))
                             .toLongLong(),
                         t.rows);
        }
    }

    void everyArchiveShowsTheSameInstant()
    {
        // As soon as the snapshot is exported, every tenant gains an alert: neither the archives
        // nor the manifest's counts (read after it) may hold it.
        QTemporaryDir dest;
        auto c = m_db->connect();
        QHash<QString, qint64> before;
        for (const QString &tenant : std::as_const(m_tenants))
            before.insert(tenant,
                          c->scalar(QStringLiteral("SELECT count(*) FROM %1.alerts").arg(tenant))
                              .toLongLong());
        BackupRunner::Options options;
        options.destination = dest.path();
        options.jobs = 1;
        options.snapshotTaken = [&] {
            for (const QString &tenant : std::as_const(m_tenants))
                c->exec(QStringLiteral("INSERT INTO %1.alerts (station_id, alert_type, message) "
                                       "SELECT id, 'price_change', 'during the backup' FROM "
                                       "%1.stations LIMIT 1")
                            .arg(tenant));
        };
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, unwatched());
        TestDatabase scratch(QStringLiteral("backup_instant"));
        for (const QString &tenant : std::as_const(m_tenants)) {
            QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1.alerts").arg(tenant))
                         .toLongLong(),
                     before.value(tenant) + 1);
            const BackupManifest::Schema *s = m.schema(tenant);
            QVERIFY(s);
            bool seen = false;
            for (const BackupManifest::Table &t : s->tables) {
                if (t.name == u"alerts") {
                    QCOMPARE(t.rows, before.value(tenant));
                    seen = true;
                }
            }
            QVERIFY(seen);
            QProcess restore;
            restore.start(PgDumpTool::locate(0).pgRestore,
                          { QStringLiteral("--exit-on-error"), QStringLiteral("--no-owner"),
                            QStringLiteral("--dbname=") + scratch.conninfo(),
                            QDir(dest.filePath(m.id)).filePath(s->archive) });
            QVERIFY(restore.waitForFinished(120'000));
            QVERIFY2(restore.exitCode() == 0, restore.readAllStandardError().constData());
            QCOMPARE(scratch.connect()
                         ->scalar(QStringLiteral("SELECT count(*) FROM %1.alerts").arg(tenant))
                         .toLongLong(),
                     before.value(tenant));
        }
        for (const QString &tenant : std::as_const(m_tenants))
            c->exec(QStringLiteral("DELETE FROM %1.alerts WHERE message = 'during the backup'")
                        .arg(tenant));

        // A migration (or a restore) holding the run lock: the backup is refused, nothing kept.
        auto holder = m_db->connect();
        RunLock lock(*holder);
        QVERIFY(lock.tryAcquire());
        QTemporaryDir other;
        options.destination = other.filePath(QStringLiteral("b"));
        options.snapshotTaken = nullptr;
        try {
            BackupRunner::run(m_db->settings(), options, unwatched());
            QFAIL("no error");
        } catch (const RunLockBusy &e) {
            QVERIFY2(e.message().contains(QStringLiteral("another run holds the run lock")),
                     qPrintable(e.message()));
        }
        // No backup and no partial folder; the refusal is on record.
        QVERIFY(completeBackups(options.destination).isEmpty());
        QVERIFY(BackupStore(options.destination).partials().isEmpty());
        QCOMPARE(BackupRunLog(options.destination).recent().size(), 1);
        QVERIFY(!BackupRunLog(options.destination).recent().first().ok);
    }

    void namedSchemasOnlyAndUnknownOnesRefused()
    {
        QTemporaryDir dest;
        BackupRunner::Options options;
        options.destination = dest.filePath(QStringLiteral("backups"));
        options.schemas = { m_tenants.last() };
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, unwatched());
        QCOMPARE(m.schemas.size(), 1);
        QCOMPARE(m.schemas.first().name, m_tenants.last());

        for (const QString &wrong :
             { QStringLiteral("no_such_tenant"), QStringLiteral("x\"; DROP SCHEMA public; --"),
               QStringLiteral("pg_catalog") }) {
            options.schemas = { m_tenants.first(), wrong };
            try {
                BackupRunner::run(m_db->settings(), options, unwatched());
                QFAIL("no error");
            } catch (const RequestError &e) {
                QVERIFY2(e.message().contains(wrong), qPrintable(e.message()));
            }
        }
        QCOMPARE(completeBackups(options.destination), QStringList { m.id });
        QVERIFY(BackupStore(options.destination).partials().isEmpty());
    }

    void anOldPgDumpIsRefusedBeforeAnythingRuns()
    {
        QTemporaryDir dir;
        const QString bin = dir.filePath(QStringLiteral("old"));
        QDir().mkpath(bin);
        for (const QString &name : { QStringLiteral("pg_dump"), QStringLiteral("pg_restore") }) {
            QFile script(bin + u'/' + name);
            script.open(QIODevice::WriteOnly);
            script.write(
                QStringLiteral("#!/bin/sh\necho '%1 (PostgreSQL) 9.6.24'\n").arg(name).toUtf8());
            script.close();
            script.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        }
        BackupRunner::Options options;
        options.destination = dir.filePath(QStringLiteral("backups"));
        options.pgBin = bin;
        try {
            BackupRunner::run(m_db->settings(), options, unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("older than the server"))
                         && e.message().contains(QStringLiteral("postgresql-client-")),
                     qPrintable(e.message()));
        }
        QVERIFY(completeBackups(options.destination).isEmpty());
        QVERIFY(BackupStore(options.destination).partials().isEmpty());
        QVERIFY(BackupRunLog(options.destination)
                    .recent()
                    .first()
                    .error.contains(QStringLiteral("older than the server")));
    }

    void aFailingOrCancelledRunKeepsNothing()
    {
        QTemporaryDir dir;
        BackupRunner::Options options;
        options.destination = dir.filePath(QStringLiteral("backups"));
        // pg_dump fails for the last tenant.
        options.pgBin =
            wrappedPgDump(dir,
                          QStringLiteral("case \"$*\" in *%1*) echo 'disk full' >&2; exit 1;; esac")
                              .arg(m_tenants.last()));
        try {
            BackupRunner::run(m_db->settings(), options, unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("disk full"))
                         && e.message().contains(m_tenants.last()),
                     qPrintable(e.message()));
        }
        QVERIFY(completeBackups(options.destination).isEmpty());
        QVERIFY(BackupStore(options.destination).partials().isEmpty());
        // The failed run is on record next to the backups.
        const QList<BackupRunLog::Entry> runs = BackupRunLog(options.destination).recent();
        QCOMPARE(runs.size(), 1);
        QVERIFY(!runs.first().ok);
        QVERIFY2(runs.first().error.contains(QStringLiteral("disk full")),
                 qPrintable(runs.first().error));

        // Cancelled after the first archive.
        options.pgBin.clear();
        options.jobs = 1;
        JobControl *running = nullptr;
        JobControl cancelAfterOne([&](const JobControl::Progress &p) {
            if (p.done > 0)
                running->cancel();
        });
        running = &cancelAfterOne;
        try {
            BackupRunner::run(m_db->settings(), options, cancelAfterOne);
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("cancelled")), qPrintable(e.message()));
        }
        QVERIFY(completeBackups(options.destination).isEmpty());
        QVERIFY(BackupStore(options.destination).partials().isEmpty());
    }

    void aKilledRunLeavesNoCompleteLookingFolder()
    {
        QTemporaryDir dir;
        const QString dest = dir.filePath(QStringLiteral("backups"));
        const QString bin = wrappedPgDump(dir, QStringLiteral("sleep 3"));
        QProcess run;
        run.start(qEnvironmentVariable("FUELSYNC_CLI"),
                  { QStringLiteral("--db"), m_db->conninfo(), QStringLiteral("backup"),
                    QStringLiteral("run"), QStringLiteral("--dest"), dest,
                    QStringLiteral("--pg-bin"), bin });
        QVERIFY(run.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return !BackupStore(dest).partials().isEmpty(); }, 20'000));
        QTest::qWait(500);
        ::kill(pid_t(run.processId()), SIGKILL);
        QVERIFY(run.waitForFinished(10'000));
        QVERIFY(completeBackups(dest).isEmpty());
        QCOMPARE(BackupStore(dest).partials().size(), 1);
        // The listing says so, and lists no backup.
        QProcess list;
        list.start(
            qEnvironmentVariable("FUELSYNC_CLI"),
            { QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--dest"), dest });
        QVERIFY(list.waitForFinished(30'000));
        const QString out = QString::fromUtf8(list.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("none"))
                     && out.contains(QStringLiteral("did not "
                                                    "finish")),
                 qPrintable(out));
    }

    void verifyChecksReadsAndRestores_data() { schemasPerArchive(); }
    void verifyChecksReadsAndRestores()
    {
        QFETCH(int, perArchive);
        QTemporaryDir dest;
        BackupRunner::Options options;
        options.destination = dest.path();
        options.schemasPerArchive = perArchive;
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, unwatched());
        const QString folder = dest.filePath(m.id);
        auto c = m_db->connect();
        const auto scratchDatabases = [&] {
            return c
                // This process's: other tests on the same server make their own.
                ->scalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname "
                                        "LIKE 'fuelsync\\_verify\\_%1\\_%'")
                             .arg(QCoreApplication::applicationPid()))
                .toInt();
        };
        const int scratchBefore = scratchDatabases();

        BackupVerifier::Options verify;
        verify.restoreTest = true;
        const BackupVerification good =
            BackupVerifier::verify(folder, m_db->settings(), verify, unwatched());
        QVERIFY2(good.ok(), qPrintable(good.allProblems().join(u'\n')));
        QVERIFY(good.restoreTested);
        QCOMPARE(good.archives.size(), m.archives.size());
        for (const BackupVerification::Archive &a : good.archives)
            QVERIFY(a.checksumOk && a.readable && a.restored);
        QCOMPARE(scratchDatabases(), scratchBefore); // dropped again
        const auto kept = BackupVerifier::lastVerification(folder);
        QVERIFY(kept && kept->ok() && kept->restoreTested);

        // A manifest that counts one row more than the archive holds: the restore shows it.
        {
            QFile file(QDir(folder).filePath(QStringLiteral("manifest.json")));
            QVERIFY(file.open(QIODevice::ReadWrite));
            QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
            QJsonArray schemas = json.value(QStringLiteral("schemas")).toArray();
            QJsonObject last = schemas.last().toObject();
            QJsonObject rows = last.value(QStringLiteral("rows")).toObject();
            rows.insert(QStringLiteral("sales"), rows.value(QStringLiteral("sales")).toInt() + 1);
            last.insert(QStringLiteral("rows"), rows);
            schemas.replace(schemas.size() - 1, last);
            json.insert(QStringLiteral("schemas"), schemas);
            file.resize(0);
            file.write(QJsonDocument(json).toJson());
        }
        // Edited after the backup: the seal says so first, and the backup is not used.
        try {
            BackupVerifier::verify(folder, m_db->settings(), verify, unwatched());
            QFAIL("an edited manifest was believed");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("changed after the backup was taken")),
                     qPrintable(e.message()));
        }
        // Sealed that way (a manifest wrong from the start): the restore test shows it.
        reseal(folder);
        const BackupVerification counted =
            BackupVerifier::verify(folder, m_db->settings(), verify, unwatched());
        QVERIFY(!counted.ok());
        QVERIFY2(counted.allProblems().join(u' ').contains(QStringLiteral("sales has")),
                 qPrintable(counted.allProblems().join(u'\n')));

        // A flipped byte in an archive fails the check, by file.
        const QString archive = QDir(folder).filePath(m.archives.at(1).file);
        {
            QFile file(archive);
            QVERIFY(file.open(QIODevice::ReadWrite));
            file.seek(file.size() / 2);
            char byte = 0;
            file.getChar(&byte);
            file.seek(file.size() / 2);
            file.putChar(char(byte ^ 0x01));
        }
        verify.restoreTest = false;
        const BackupVerification flipped =
            BackupVerifier::verify(folder, m_db->settings(), verify, unwatched());
        QVERIFY(!flipped.ok());
        QVERIFY(!flipped.archives.at(1).checksumOk);
        QVERIFY2(flipped.allProblems().join(u' ').contains(QStringLiteral("changed since the "
                                                                          "backup")),
                 qPrintable(flipped.allProblems().join(u'\n')));
        QVERIFY(!BackupVerifier::lastVerification(folder)->ok());
        // And the command says so, with exit status 1.
        QProcess cli;
        cli.start(qEnvironmentVariable("FUELSYNC_CLI"),
                  { QStringLiteral("backup"), QStringLiteral("verify"), m.id,
                    QStringLiteral("--dest"), dest.path() });
        QVERIFY(cli.waitForFinished(60'000));
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY(QString::fromUtf8(cli.readAllStandardOutput()).contains(QStringLiteral("FAILED")));
    }

    // From an archive of its own, or from one it shares with the other tenant, which must not
    // come back with it.
    void aTenantRestoreTouchesNoOtherSchema_data() { schemasPerArchive(); }
    void aTenantRestoreTouchesNoOtherSchema()
    {
        QFETCH(int, perArchive);
        QTemporaryDir dest;
        BackupRunner::Options options;
        options.destination = dest.path();
        options.schemasPerArchive = perArchive;
        const QString tenant = m_tenants.first();
        const QString other = m_tenants.last();
        auto c = m_db->connect();
        // What is said of the schema itself comes back with it.
        c->exec(QStringLiteral("COMMENT ON SCHEMA %1 IS 'kept by the backup'").arg(tenant));
        const auto commentOn = [&c](const QString &schema) {
            return c
                ->scalar(QStringLiteral("SELECT obj_description(oid, 'pg_namespace') FROM "
                                        "pg_namespace WHERE nspname = ?"),
                         { schema })
                .toString();
        };
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, unwatched());
        c->exec(QStringLiteral("COMMENT ON SCHEMA %1 IS NULL").arg(tenant));
        const QString folder = dest.filePath(m.id);
        QCOMPARE(m.archiveOf(tenant)->file == m.archiveOf(other)->file, perArchive == 2);
        if (perArchive == 2) {
            // What is picked out of the shared archive: the tenant's entries, none of the
            // other's.
            QTemporaryDir work;
            const QString listFile = work.filePath(QStringLiteral("list"));
            BackupSchemaSelection::write(PgDumpTool::locate(0), QProcessEnvironment(),
                                         QDir(folder).filePath(m.archiveOf(tenant)->file), tenant,
                                         listFile);
            QFile list(listFile);
            QVERIFY(list.open(QIODevice::ReadOnly));
            const QString picked = QString::fromUtf8(list.readAll());
            QVERIFY(picked.contains(QStringLiteral(" SCHEMA - %1 ").arg(tenant)));
            QVERIFY(picked.contains(QStringLiteral(" COMMENT - SCHEMA %1 ").arg(tenant)));
            QVERIFY(picked.contains(QStringLiteral(" TABLE DATA %1 alerts ").arg(tenant)));
            QVERIFY2(!picked.contains(u' ' + other + u' '), qPrintable(picked));
        }
        // After the backup: the tenant loses its alerts, the other tenant gains one.
        c->exec(QStringLiteral("DELETE FROM %1.alerts").arg(tenant));
        c->exec(QStringLiteral("INSERT INTO %1.alerts (station_id, alert_type, message) SELECT "
                               "id, 'price_change', 'after the backup' FROM %1.stations LIMIT 1")
                    .arg(other));
        const auto snapshotOf = [&](const QStringList &schemas) {
            return SchemaSnapshot::capture(*c, schemas);
        };
        const SchemaSnapshot otherBefore = snapshotOf({ QStringLiteral("public"), other });
        const QString otherRows =
            c->scalar(QStringLiteral("SELECT (SELECT count(*) FROM %1.alerts) || '/' || (SELECT "
                                     "count(*) FROM %1.sales) || '/' || (SELECT count(*) FROM "
                                     "public.tenants)")
                          .arg(other))
                .toString();
        const SchemaSnapshot tenantBefore = snapshotOf({ tenant });

        BackupRestorer::Options restore;
        restore.schema = tenant;
        const BackupRestorer::Plan plan = BackupRestorer::plan(*c, folder, restore);
        QVERIFY(plan.replaces);
        QCOMPARE(plan.backupRows, m.schema(tenant)->rows());
        // What is confirmed says exactly what happens.
        const QLocale locale;
        QCOMPARE(plan.describe(),
                 QStringLiteral("Restore %1 from backup %2 (version %3, %4 rows), REPLACING the "
                                "schema %1 as it is now (version %3, %5 rows).")
                     .arg(tenant, m.id, m.schema(tenant)->version, locale.toString(plan.backupRows),
                          locale.toString(plan.currentRows)));
        QVERIFY(plan.currentRows < plan.backupRows);
        const BackupRestorer::Result done =
            BackupRestorer::restore(m_db->settings(), folder, restore, plan, unwatched());
        QCOMPARE(done.restoredRows, m.schema(tenant)->rows());
        for (const BackupManifest::Table &t : m.schema(tenant)->tables)
            QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1.%2")
                                   .arg(SqlIdentifier::quote(tenant), SqlIdentifier::quote(t.name)))
                         .toLongLong(),
                     t.rows);
        QVERIFY(tenantBefore.changesTo(snapshotOf({ tenant })).isEmpty());
        QCOMPARE(commentOn(tenant), QStringLiteral("kept by the backup"));
        QVERIFY(otherBefore.changesTo(snapshotOf({ QStringLiteral("public"), other })).isEmpty());
        QCOMPARE(c->scalar(QStringLiteral("SELECT (SELECT count(*) FROM %1.alerts) || '/' || "
                                          "(SELECT count(*) FROM %1.sales) || '/' || (SELECT "
                                          "count(*) FROM public.tenants)")
                               .arg(other))
                     .toString(),
                 otherRows);
        QVERIFY(!c->scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname "
                                          "LIKE 'fuelsync\\_restore%')"))
                     .toBool());

        // Side by side: a copy under a new name, the tenant itself untouched.
        c->exec(
            QStringLiteral(
                "DELETE FROM %1.alerts WHERE id = (SELECT id FROM %1.alerts ORDER BY id LIMIT 1)")
                .arg(tenant));
        const int alertsNow =
            c->scalar(QStringLiteral("SELECT count(*) FROM %1.alerts").arg(tenant)).toInt();
        restore.as = tenant + QStringLiteral("_copy");
        const BackupRestorer::Plan copy = BackupRestorer::plan(*c, folder, restore);
        QVERIFY(!copy.replaces);
        QCOMPARE(
            copy.describe(),
            QStringLiteral("Restore %1 from backup %2 (version %3, %4 rows) side by side as "
                           "the new schema %1_copy; %1 is not touched.")
                .arg(tenant, m.id, m.schema(tenant)->version, locale.toString(copy.backupRows)));
        BackupRestorer::restore(m_db->settings(), folder, restore, copy, unwatched());
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1.alerts").arg(tenant)).toInt(),
                 alertsNow);
        QCOMPARE(commentOn(tenant + QStringLiteral("_copy")), QStringLiteral("kept by the backup"));
        QVERIFY(!TenantRegistry::schemaExists(*c, other + QStringLiteral("_copy")));
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1_copy.alerts").arg(tenant))
                     .toLongLong(),
                 [&] {
                     for (const BackupManifest::Table &t : m.schema(tenant)->tables) {
                         if (t.name == u"alerts")
                             return t.rows;
                     }
                     return qint64(-1);
                 }());
        QVERIFY(!c->scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_database WHERE datname "
                                          "LIKE 'fuelsync\\_restore\\_%1\\_%')")
                               .arg(QCoreApplication::applicationPid()))
                     .toBool());
        c->exec(QStringLiteral("INSERT INTO %1.alerts SELECT * FROM %1_copy.alerts WHERE id NOT IN "
                               "(SELECT id FROM %1.alerts)")
                    .arg(tenant));
        c->exec(QStringLiteral("DROP SCHEMA %1_copy CASCADE").arg(tenant));
        c->exec(QStringLiteral("COMMENT ON SCHEMA %1 IS NULL").arg(tenant));
        c->exec(
            QStringLiteral("DELETE FROM %1.alerts WHERE message = 'after the backup'").arg(other));
    }

    void aRestoreThatFailsOrIsRefusedChangesNothing()
    {
        QTemporaryDir dest;
        BackupRunner::Options options;
        options.destination = dest.filePath(QStringLiteral("backups"));
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, unwatched());
        const QString folder = QDir(options.destination).filePath(m.id);
        const QString tenant = m_tenants.first();
        auto c = m_db->connect();
        c->exec(QStringLiteral("DELETE FROM %1.alerts").arg(tenant));
        const QStringList all = QStringList { QStringLiteral("public") } + m_tenants;
        const SchemaSnapshot before = SchemaSnapshot::capture(*c, all);
        const auto rows = [&] {
            return c
                ->scalar(QStringLiteral("SELECT (SELECT count(*) FROM %1.sales) || '/' || "
                                        "(SELECT count(*) FROM %1.alerts)")
                             .arg(tenant))
                .toString();
        };
        const QString rowsBefore = rows();
        const auto unchanged = [&] {
            const QStringList changes = before.changesTo(SchemaSnapshot::capture(*c, all));
            return changes.isEmpty() && rows() == rowsBefore;
        };

        BackupRestorer::Options restore;
        restore.schema = tenant;
        // pg_restore fails half way: the tenant is as it was.
        QTemporaryDir bin;
        {
            const PgDumpTool real = PgDumpTool::locate(0);
            QFile::link(real.pgDump, bin.filePath(QStringLiteral("pg_dump")));
            QFile script(bin.filePath(QStringLiteral("pg_restore")));
            script.open(QIODevice::WriteOnly);
            script.write("#!/bin/sh\necho 'out of disk space' >&2\nexit 1\n");
            script.close();
            script.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        }
        restore.pgBin = bin.path();
        const BackupRestorer::Plan plan = BackupRestorer::plan(*c, folder, restore);
        try {
            BackupRestorer::restore(m_db->settings(), folder, restore, plan, unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("out of disk space")),
                     qPrintable(e.message()));
        }
        QVERIFY(unchanged());
        restore.pgBin.clear();

        // A plan that is no longer true is not carried out (live row counts aside: they move
        // on a busy tenant and do not make it another restore).
        BackupRestorer::Plan stale = plan;
        stale.currentRows += 1;
        QVERIFY(stale.sameAs(plan));
        stale.currentVersion = QStringLiteral("000");
        try {
            BackupRestorer::restore(m_db->settings(), folder, restore, stale, unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("changed since")),
                     qPrintable(e.message()));
        }
        QVERIFY(unchanged());

        // A view elsewhere on the tenant's table: replacing would drop it, so it is refused.
        c->exec(QStringLiteral("CREATE VIEW public.fs_test_sales AS SELECT id FROM %1.sales")
                    .arg(tenant));
        try {
            BackupRestorer::plan(*c, folder, restore);
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("public.fs_test_sales")),
                     qPrintable(e.message()));
        }
        c->exec(QStringLiteral("DROP VIEW public.fs_test_sales"));
        // So is a trigger elsewhere that calls one of its functions.
        c->exec(QStringLiteral("CREATE TABLE public.fs_test_dep (updated_at timestamptz)"));
        c->exec(QStringLiteral("CREATE TRIGGER fs_test_dep_t BEFORE UPDATE ON public.fs_test_dep "
                               "FOR EACH ROW EXECUTE FUNCTION %1.set_updated_at()")
                    .arg(tenant));
        try {
            BackupRestorer::plan(*c, folder, restore);
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("fs_test_dep_t")),
                     qPrintable(e.message()));
        }
        c->exec(QStringLiteral("DROP TABLE public.fs_test_dep"));
        // And an extension installed in it, which dropping the old schema would take away.
        c->exec(QStringLiteral("CREATE EXTENSION pg_trgm SCHEMA %1").arg(tenant));
        try {
            BackupRestorer::plan(*c, folder, restore);
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("pg_trgm")), qPrintable(e.message()));
        }
        c->exec(QStringLiteral("DROP EXTENSION pg_trgm"));
        // A manifest whose rows the archive does not hold: found before the live schema is
        // touched, and the staged copy goes.
        {
            QFile file(QDir(folder).filePath(QStringLiteral("manifest.json")));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray original = file.readAll();
            file.close();
            QJsonObject json = QJsonDocument::fromJson(original).object();
            QJsonArray schemas = json.value(QStringLiteral("schemas")).toArray();
            for (qsizetype k = 0; k < schemas.size(); ++k) {
                QJsonObject s = schemas.at(k).toObject();
                if (s.value(QStringLiteral("name")).toString() != tenant)
                    continue;
                QJsonObject r = s.value(QStringLiteral("rows")).toObject();
                r.insert(QStringLiteral("sales"), r.value(QStringLiteral("sales")).toInt() + 1);
                s.insert(QStringLiteral("rows"), r);
                schemas.replace(k, s);
            }
            json.insert(QStringLiteral("schemas"), schemas);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(json).toJson());
            file.close();
            reseal(folder);
            try {
                BackupRestorer::restore(m_db->settings(), folder, restore,
                                        BackupRestorer::plan(*c, folder, restore), unwatched());
                QFAIL("no error");
            } catch (const RequestError &e) {
                QVERIFY2(e.message().contains(QStringLiteral("manifest's")),
                         qPrintable(e.message()));
            }
            QVERIFY(unchanged());
            QVERIFY(!c->scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_namespace WHERE "
                                              "nspname LIKE 'fuelsync\\_restore%')"))
                         .toBool());
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(original);
            file.close();
            reseal(folder);
        }

        // Refusals before anything: public without its flag, a taken or bad name,
        // a schema the backup does not hold, an archive that changed.
        const QList<std::tuple<QString, QString, bool, QString>> refused {
            { QStringLiteral("public"), QString(), false, QStringLiteral("--public") },
            { tenant, m_tenants.last(), false, QStringLiteral("exists already") },
            { tenant, QStringLiteral("Bad Name"), false, QStringLiteral("cannot be the new") },
            { QStringLiteral("nope"), QString(), false, QStringLiteral("holds no schema") },
        };
        for (const auto &[schema, as, allowPublic, expected] : refused) {
            BackupRestorer::Options o;
            o.schema = schema;
            o.as = as;
            o.allowPublic = allowPublic;
            try {
                BackupRestorer::plan(*c, folder, o);
                QFAIL(qPrintable(expected));
            } catch (const RequestError &e) {
                QVERIFY2(e.message().contains(expected), qPrintable(e.message()));
            }
        }
        {
            QFile file(QDir(folder).filePath(m.schema(tenant)->archive));
            QVERIFY(file.open(QIODevice::ReadWrite));
            file.seek(100);
            file.putChar('X');
        }
        try {
            BackupRestorer::restore(m_db->settings(), folder, restore,
                                    BackupRestorer::plan(*c, folder, restore), unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("SHA-256")), qPrintable(e.message()));
        }
        QVERIFY(unchanged());
    }

    // With a new database's rights on public (which pg_dump leaves out of the archive), and
    // with rights of its own.
    void publicComesBackInPlaceOnlyWithEveryTenantStillRegistered_data()
    {
        QTest::addColumn<bool>("ownRights");
        QTest::newRow("a new database's rights") << false;
        QTest::newRow("rights of its own") << true;
    }
    void publicComesBackInPlaceOnlyWithEveryTenantStillRegistered()
    {
        QFETCH(bool, ownRights);
        QTemporaryDir dest;
        BackupRunner::Options options;
        options.destination = dest.path();
        auto c = m_db->connect();
        c->exec(QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                               "'fs_backup_reader') THEN CREATE ROLE fs_backup_reader; END IF; "
                               "END $$"));
        if (ownRights) {
            c->exec(QStringLiteral("REVOKE USAGE ON SCHEMA public FROM PUBLIC"));
            c->exec(QStringLiteral("GRANT USAGE ON SCHEMA public TO fs_backup_reader WITH GRANT "
                                   "OPTION"));
        }
        const auto putRightsBack = qScopeGuard([&c] {
            c->exec(QStringLiteral("GRANT USAGE ON SCHEMA public TO PUBLIC"));
            c->exec(QStringLiteral("REVOKE CREATE ON SCHEMA public FROM PUBLIC"));
            c->exec(QStringLiteral("REVOKE ALL ON SCHEMA public FROM fs_backup_reader CASCADE"));
            c->exec(QStringLiteral("DROP ROLE fs_backup_reader"));
        });
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, unwatched());
        const QString folder = dest.filePath(m.id);
        const auto snapshotOf = [&](const QStringList &schemas) {
            return SchemaSnapshot::capture(*c, schemas);
        };
        const SchemaSnapshot publicAtBackup = snapshotOf({ QStringLiteral("public") });
        const SchemaSnapshot tenantsBefore = snapshotOf(m_tenants);
        // Who may use public, and who owns it, before.
        const auto rights = [&c] {
            return c
                ->scalar(QStringLiteral("SELECT nspowner::regrole::text || ' ' || "
                                        "coalesce(nspacl::text, '') FROM pg_namespace WHERE "
                                        "nspname = 'public'"))
                .toString();
        };
        const QString rightsBefore = rights();
        QVERIFY2(ownRights ? rightsBefore.contains(QStringLiteral("fs_backup_reader=U*"))
                         && !rightsBefore.contains(QStringLiteral(",=U/"))
                           : rightsBefore
                         == QStringLiteral("pg_database_owner {pg_database_owner=UC/"
                                           "pg_database_owner,=U/pg_database_owner}"),
                 qPrintable(rightsBefore));
        // Changed after the backup: the restore puts them back.
        c->exec(QStringLiteral("GRANT CREATE ON SCHEMA public TO PUBLIC"));
        const QString plansBefore =
            c->scalar(QStringLiteral("SELECT count(*) FROM public.plans")).toString();

        // After the backup: a table in public, and a tenant registered.
        c->exec(QStringLiteral("CREATE TABLE public.fs_after_backup (x int)"));
        c->exec(QStringLiteral("CREATE SCHEMA fs_late"));
        c->exec(QStringLiteral(
            "INSERT INTO public.tenants (name, schema_name) VALUES ('Late', 'fs_late')"));
        const SchemaSnapshot publicNow = snapshotOf({ QStringLiteral("public") });
        BackupRestorer::Options restore;
        restore.schema = QStringLiteral("public");
        restore.allowPublic = true;
        const BackupRestorer::Plan plan = BackupRestorer::plan(*c, folder, restore);
        QVERIFY(plan.replaces);
        QVERIFY2(plan.describe().endsWith(
                     QStringLiteral("rows); the tenant registry, the platform's users and "
                                    "public's migration history go back to the backup's, and "
                                    "every tenant schema stays as it is now.")),
                 qPrintable(plan.describe()));
        QVERIFY(plan.describe().contains(QStringLiteral(", REPLACING the schema public as it is "
                                                        "now (version ")));
        // fs_late would lose its registration: refused, naming it, and nothing changes.
        try {
            BackupRestorer::restore(m_db->settings(), folder, restore, plan, unwatched());
            QFAIL("no error");
        } catch (const RequestError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("fs_late")), qPrintable(e.message()));
        }
        QVERIFY(publicNow.changesTo(snapshotOf({ QStringLiteral("public") })).isEmpty());
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants WHERE "
                                          "schema_name = 'fs_late'"))
                     .toInt(),
                 1);
        QVERIFY(!c->scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_namespace WHERE "
                                          "nspname LIKE 'fuelsync\\_restore%')"))
                     .toBool());

        // Without it, public is put back as it was: the later table gone, the rows and the
        // rights as they were, every tenant schema as it is.
        c->exec(QStringLiteral("DELETE FROM public.tenants WHERE schema_name = 'fs_late'"));
        c->exec(QStringLiteral("DROP SCHEMA fs_late"));
        const BackupRestorer::Plan again = BackupRestorer::plan(*c, folder, restore);
        const BackupRestorer::Result done =
            BackupRestorer::restore(m_db->settings(), folder, restore, again, unwatched());
        QCOMPARE(done.restoredRows, m.schema(QStringLiteral("public"))->rows());
        const QStringList changes =
            publicAtBackup.changesTo(snapshotOf({ QStringLiteral("public") }));
        QVERIFY2(changes.isEmpty(), qPrintable(changes.join(u'\n')));
        QVERIFY(!c->scalar(QStringLiteral("SELECT to_regclass('public.fs_after_backup') IS NOT "
                                          "NULL"))
                     .toBool());
        QCOMPARE(rights(), rightsBefore);
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.plans")).toString(),
                 plansBefore);
        QVERIFY(tenantsBefore.changesTo(snapshotOf(m_tenants)).isEmpty());
        QVERIFY(!c->scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_namespace WHERE "
                                          "nspname LIKE 'fuelsync\\_restore%')"))
                     .toBool());
        // The tenants still work through public's registry.
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.tenants")).toInt(),
                 m_tenants.size());
    }

    void aTenantOlderThanTheFilesIsMigratedAfterItsRestore()
    {
        const MigrationSet set =
            MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        const QStringList versions = TestDatabase::tenantMigrationVersions();
        QVERIFY(versions.size() >= 2);
        const QString older = versions.at(versions.size() - 2);
        const QString newest = versions.last();
        const QString tenant = m_tenants.first();
        auto c = m_db->connect();
        const auto versionOf = [&c, &tenant] {
            return SchemaMigrationsTable::newestVersion(*c, tenant);
        };
        // The backup is taken one migration back.
        QCOMPARE(m_db->migrateTenant(tenant, false, older), 0);
        QCOMPARE(versionOf(), older);
        QTemporaryDir dest;
        BackupRunner::Options options;
        options.destination = dest.path();
        options.schemas = QStringList { tenant };
        const BackupManifest m = BackupRunner::run(m_db->settings(), options, unwatched());
        QCOMPARE(m_db->migrateTenant(tenant, true), 0);
        QCOMPARE(versionOf(), newest);

        // In place it is behind the files; side by side (a copy, not a tenant) nothing is due.
        BackupRestorer::Options restore;
        restore.schema = tenant;
        const BackupRestorer::Plan plan = BackupRestorer::plan(*c, dest.filePath(m.id), restore);
        QCOMPARE(BackupRestorer::migrationsAhead(plan, set)->text(), newest);
        restore.as = tenant + QStringLiteral("_copy");
        QVERIFY(!BackupRestorer::migrationsAhead(
            BackupRestorer::plan(*c, dest.filePath(m.id), restore), set));

        // The command restores it, says so, and with --migrate brings it up to date.
        QProcess cli;
        cli.start(qEnvironmentVariable("FUELSYNC_CLI"),
                  { QStringLiteral("--db"), m_db->conninfo(), QStringLiteral("backup"),
                    QStringLiteral("restore"), m.id, QStringLiteral("--tenant"), tenant,
                    QStringLiteral("--yes"), QStringLiteral("--migrate"), QStringLiteral("--dest"),
                    dest.path() });
        QVERIFY(cli.waitForFinished(120'000));
        const QString said = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(cli.exitCode() == 0, qPrintable(said + cli.readAllStandardError()));
        QVERIFY2(said.contains(QStringLiteral("The backup is at version %1; the migration files "
                                              "reach %2")
                                   .arg(older, newest)),
                 qPrintable(said));
        QCOMPARE(versionOf(), newest);
    }

    void aProfileNamesTheConnectionAndItsFolder()
    {
        // A profile saved by the desktop app: `--profile NAME` connects with it, and its backups
        // go to the database's own folder (the profile is only a label), where list finds them
        // with the runs' record.
        QTemporaryDir home;
        const QString ini = home.filePath(QStringLiteral("settings.ini"));
        {
            ConnectionProfileStore store(ini);
            ConnectionProfile profile;
            profile.name = QStringLiteral("nightly");
            profile.uri = m_db->uri();
            QString error;
            QVERIFY2(store.save(profile, QString(), &error), qPrintable(error));
        }
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("FUELSYNC_ADMIN_SETTINGS"), ini);
        environment.insert(QStringLiteral("HOME"), home.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        const auto cli = [&](const QStringList &arguments) {
            QProcess p;
            p.setProcessEnvironment(environment);
            p.start(qEnvironmentVariable("FUELSYNC_CLI"), arguments);
            p.waitForFinished(120'000);
            return std::pair { p.exitCode(),
                               QString::fromUtf8(p.readAllStandardOutput()
                                                 + p.readAllStandardError()) };
        };
        const auto [runCode, runOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"), QStringLiteral("backup"),
                  QStringLiteral("run"), QStringLiteral("--tenant=public") });
        QVERIFY2(runCode == 0, qPrintable(runOut));
        const QString folder = home.filePath(QStringLiteral("data/fuelsync-admin/backups/"))
            + QFileInfo(BackupLocation::folderFor(BackupLocation::identify(*m_db->connect())))
                  .fileName();
        QVERIFY2(folder.contains(m_db->name()), qPrintable(folder));
        QCOMPARE(BackupStore(folder).list().size(), 1);
        QVERIFY(BackupRunLog(folder).recent().first().ok);
        const auto [listCode, listOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"), QStringLiteral("backup"),
                  QStringLiteral("list") });
        QCOMPARE(listCode, 0);
        QVERIFY2(listOut.contains(BackupStore(folder).list().first().id), qPrintable(listOut));
        // A schedule of the profile: its timer's command, run by hand here, takes a backup,
        // verifies it and prunes to the last one; the outcome is kept with the schedule.
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           home.filePath(QStringLiteral("config")));
        const auto [addCode, addOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"), QStringLiteral("backup"),
                  QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("night"),
                  QStringLiteral("--at=03:15"), QStringLiteral("--tenant=public"),
                  QStringLiteral("--keep-last=1"), QStringLiteral("--no-systemd") });
        QVERIFY2(addCode == 0, qPrintable(addOut));
        QVERIFY2(addOut.contains(QStringLiteral("15 3 * * *")), qPrintable(addOut));
        QVERIFY(QFile::exists(
            home.filePath(QStringLiteral("config/systemd/user/fuelsync-backup-night.timer"))));
        const auto [schedCode, schedOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"), QStringLiteral("backup"),
                  QStringLiteral("scheduled"), QStringLiteral("night") });
        QVERIFY2(schedCode == 0, qPrintable(schedOut));
        QVERIFY2(schedOut.contains(QStringLiteral("verified")), qPrintable(schedOut));
        QCOMPARE(BackupStore(folder).list().size(), 1); // pruned to the last one
        const auto [schedListCode, schedList] =
            cli({ QStringLiteral("backup"), QStringLiteral("schedule"), QStringLiteral("list") });
        QCOMPARE(schedListCode, 0);
        QVERIFY2(schedList.contains(QStringLiteral("night"))
                     && schedList.contains(QStringLiteral(" ok ")),
                 qPrintable(schedList));

        // A schedule that validates after its backup: the validation is in its outcome and in
        // validate history.
        const auto [checkedCode, checkedOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"), QStringLiteral("backup"),
                  QStringLiteral("schedule"), QStringLiteral("add"), QStringLiteral("checked"),
                  QStringLiteral("--at=04:00"), QStringLiteral("--tenant=public"),
                  QStringLiteral("--validate"), QStringLiteral("--no-systemd") });
        QVERIFY2(checkedCode == 0, qPrintable(checkedOut));
        const auto [validatedCode, validatedOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"), QStringLiteral("backup"),
                  QStringLiteral("scheduled"), QStringLiteral("checked") });
        QVERIFY2(validatedOut.contains(QStringLiteral("validated: ")), qPrintable(validatedOut));
        const auto [historyCode, historyOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"),
                  QStringLiteral("validate"), QStringLiteral("history") });
        QVERIFY2(historyCode == 0 && historyOut.contains(QStringLiteral("Validations of this")),
                 qPrintable(historyOut));
        const auto [listedCode, listed] =
            cli({ QStringLiteral("backup"), QStringLiteral("schedule"), QStringLiteral("list") });
        QVERIFY2(listedCode == 0 && listed.contains(QStringLiteral("then validate")),
                 qPrintable(listed));

        // Issue 15, item 17: the server moved (the profile now leads nowhere). The scheduled run
        // exits 3, and its failure, with the reason, is with the schedule and in the
        // database's folder, where the last connection led.
        {
            ConnectionProfileStore store(ini);
            ConnectionProfile profile;
            profile.name = QStringLiteral("nightly");
            profile.uri = QStringLiteral("postgresql://nobody@127.0.0.1:9/") + m_db->name();
            QString error;
            QVERIFY2(store.save(profile, QStringLiteral("nightly"), &error), qPrintable(error));
        }
        const int runsBefore = int(BackupRunLog(folder).recent().size());
        const auto [lostCode, lostOut] =
            cli({ QStringLiteral("--profile"), QStringLiteral("nightly"), QStringLiteral("backup"),
                  QStringLiteral("scheduled"), QStringLiteral("night") });
        QVERIFY2(lostCode == 3, qPrintable(lostOut));
        const auto [lostListCode, lostList] =
            cli({ QStringLiteral("backup"), QStringLiteral("schedule"), QStringLiteral("list") });
        QCOMPARE(lostListCode, 0);
        QVERIFY2(lostList.contains(QStringLiteral("FAILED could not connect")),
                 qPrintable(lostList));
        const QList<BackupRunLog::Entry> runs = BackupRunLog(folder).recent();
        QCOMPARE(int(runs.size()), runsBefore + 1);
        QVERIFY(!runs.first().ok);
        QVERIFY2(runs.first().error.contains(QStringLiteral("127.0.0.1")),
                 qPrintable(runs.first().error));

        const auto [badCode, badOut] = cli({ QStringLiteral("--profile"), QStringLiteral("nope"),
                                             QStringLiteral("backup"), QStringLiteral("list") });
        QCOMPARE(badCode, 2);
        QVERIFY2(badOut.contains(QStringLiteral("no profile named nope")), qPrintable(badOut));
    }

    void thePasswordGoesByEnvironment()
    {
        auto admin = m_db->connect();
        const QString role = QStringLiteral("backup_%1").arg(QCoreApplication::applicationPid());
        admin->exec(QStringLiteral("CREATE ROLE %1 LOGIN SUPERUSER PASSWORD 'pw-%1'").arg(role));
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("args.log"));
        BackupRunner::Options options;
        options.destination = dir.filePath(QStringLiteral("backups"));
        options.schemas = { m_tenants.first() };
        options.pgBin = wrappedPgDump(
            dir, QStringLiteral("echo \"$* PGPASSWORD=${PGPASSWORD:+set}\" >> '%1'").arg(log));
        const BackupManifest m = BackupRunner::run(
            m_db->tcpSettings(role, QStringLiteral("pw-") + role), options, unwatched());
        QCOMPARE(m.schemas.size(), 1);
        QFile file(log);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString args = QString::fromUtf8(file.readAll());
        QVERIFY2(args.contains(QStringLiteral("PGPASSWORD=set")), qPrintable(args));
        QVERIFY2(!args.contains(QStringLiteral("pw-")), qPrintable(args));
        admin->exec(QStringLiteral("DROP ROLE %1").arg(role));
    }

private:
    std::unique_ptr<TestDatabase> m_db;
    QStringList m_tenants;
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
