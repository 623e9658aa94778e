// The Backups tab, offscreen against a real server: Run now takes a backup off the window's
// thread and lists it with its size in the chart, Verify restore-tests it, a failed run and a
// schedule are shown, and a read-only profile cannot restore. While a backup runs, the window
// and its tab do not close; Cancel ends it, keeping nothing. A tenant restored in place that is
// older than the migration files is offered its migration.

#include "TestDatabase.h"
#include "admin/MainWindow.h"
#include "backup/BackupRunLog.h"
#include "backup/BackupScheduleStore.h"
#include "backups/BackupsPage.h"
#include "browser/SchemaBrowser.h"
#include "db/DbConnection.h"
#include "migrationfiles/SchemaMigrationsTable.h"
#include "migrations/MigrationsPage.h"
#include "profiles/EnvironmentBanner.h"
#include "roles/RoleSetup.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QXYSeries>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

constexpr int waitMs = 120'000;

// Checks every change the model announces from now on: a broken one fails the test that made it.
void testModel(QAbstractItemModel *model)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 model);
}

} // namespace

class BackupsViewTest : public QObject
{
    Q_OBJECT

    // The window shown, connected to the test database (read-only profile or not), with its
    // Backups tab open; null when any of it fails.
    BackupsPage *openBackups(MainWindow &window, bool readOnly = false)
    {
        window.resize(1280, 800);
        window.show();
        ConnectRequest request;
        request.settings = m_db->settings();
        request.readOnlyProfile = readOnly;
        window.connectTo(request);
        if (!QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs))
            return nullptr;
        BackupsPage *page = window.openBackups();
        if (page) {
            // The page lists the backups as it opens; runs, verifications and reloads refill
            // the lists, each change checked.
            testModel(page->backups());
            testModel(page->schedules());
        }
        return page;
    }

    // Every writing action of the Backups tab and the Migrations tab is off, with the window's
    // reason as its tooltip; reading ones (Verify, Refresh) stay on.
    static void checkWritersOff(MainWindow &window, BackupsPage *page)
    {
        const QString reason = window.readOnlyReason();
        QVERIFY(!reason.isEmpty());
        QStringList off;
        for (QPushButton *b : page->findChildren<QPushButton *>()) {
            const QString text = b->text();
            if (text == u"Run now" || text.startsWith(u"Restore") || text.startsWith(u"Prune")
                || text.startsWith(u"New schedule") || text == u"Remove schedule") {
                QVERIFY2(!b->isEnabled(), qPrintable(text));
                QCOMPARE(b->toolTip(), reason);
                off.append(text);
            } else if (text.startsWith(u"Verify") || text == u"Refresh") {
                QVERIFY2(b->isEnabled(), qPrintable(text));
            }
        }
        QCOMPARE(off.size(), 5);
        MigrationsPage *migrations = window.openMigrations();
        QVERIFY(migrations);
        QVERIFY(QTest::qWaitFor([&] { return migrations->isLoaded(); }, waitMs));
        int migrationWriters = 0;
        for (QAbstractButton *b : migrations->findChildren<QAbstractButton *>()) {
            const QString text = b->text();
            if (text.startsWith(u"Dry run") || text.startsWith(u"Apply")
                || text.startsWith(u"Roll back") || text.startsWith(u"Approve")) {
                QVERIFY2(!b->isEnabled(), qPrintable(text));
                QCOMPARE(b->toolTip(), reason);
                ++migrationWriters;
            }
        }
        QCOMPARE(migrationWriters, 4);
    }

private slots:
    void initTestCase()
    {
        qputenv("FUELSYNC_ADMIN_SETTINGS", m_home.filePath(QStringLiteral("s.ini")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        m_db = std::make_unique<TestDatabase>(QStringLiteral("gui_backups"));
        QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
        QVERIFY2(m_db->migrateAndSeed(QStringLiteral("basic"), QStringLiteral("tst_backupsview")),
                 qPrintable(m_db->errorString()));
    }

    void runVerifyAndShow()
    {
        MainWindow window(30);
        BackupsPage *page = openBackups(window);
        QVERIFY(page);
        QVERIFY(page->folder().startsWith(m_home.path()));
        QCOMPARE(page->backups()->rowCount(), 0);

        QSignalSpy finished(page, &BackupsPage::finished);
        page->runNow();
        QVERIFY(page->isBusy());
        QVERIFY(finished.wait(waitMs));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(page->backups()->rowCount(), 1);
        const QString id = page->backups()->item(0, 0)->text();
        // The schemas cell says which archive holds which.
        QVERIFY2(page->backups()->item(0, 2)->toolTip().startsWith(QStringLiteral("public.dump (")),
                 qPrintable(page->backups()->item(0, 2)->toolTip()));
        QCOMPARE(page->backups()->item(0, 5)->text(), QStringLiteral("not verified"));
        // The chart has the backup's size and duration.
        int points = 0;
        for (QAbstractSeries *series : page->chart()->chart()->series())
            points += int(qobject_cast<QXYSeries *>(series)->count());
        QCOMPARE(points, 2);

        finished.clear();
        page->verify(id, true);
        QVERIFY(finished.wait(waitMs));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(page->backups()->item(0, 5)->text().startsWith(QStringLiteral("restore-tested")));

        // A night that failed, and a schedule: both on the page.
        BackupRunLog::Entry failed;
        failed.startedAt = QDateTime::currentDateTimeUtc();
        failed.finishedAt = failed.startedAt;
        failed.error = QStringLiteral("could not connect: server closed the connection");
        QVERIFY(BackupRunLog(page->folder()).record(failed));
        BackupSchedule schedule;
        schedule.name = QStringLiteral("nightly");
        schedule.profile = QStringLiteral("prod");
        QString error;
        QVERIFY(BackupScheduleStore().save(schedule, &error));
        page->reload();
        QCOMPARE(page->schedules()->rowCount(), 1);
        QCOMPARE(page->schedules()->item(0, 0)->text(), QStringLiteral("nightly"));
        bool shown = false;
        for (QLabel *label : page->findChildren<QLabel *>())
            shown = shown || (label->isVisible() && label->text().contains(failed.error));
        QVERIFY(shown);
        // Without a saved profile, no schedule can be made here; with one, it is saved and its
        // timer's unit files written (systemd is not asked in a test), and removed again.
        QString note;
        QVERIFY(!page->addSchedule(schedule, false, &error, &note)); // the name is taken
        BackupSchedule weekly;
        weekly.name = QStringLiteral("weekly");
        weekly.profile = QStringLiteral("prod");
        weekly.weekdays = { 7 };
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        QVERIFY2(page->addSchedule(weekly, false, &error, &note), qPrintable(error));
        QVERIFY2(note.contains(QStringLiteral("* * 0 ")), qPrintable(note));
        QCOMPARE(page->schedules()->rowCount(), 2);
        QVERIFY(QFile::exists(
            m_home.filePath(QStringLiteral("config/systemd/user/fuelsync-backup-weekly.timer"))));
        QVERIFY(page->removeSchedule(QStringLiteral("weekly"), false));
        QCOMPARE(page->schedules()->rowCount(), 1);
        QVERIFY(!QFile::exists(
            m_home.filePath(QStringLiteral("config/systemd/user/fuelsync-backup-weekly.timer"))));
        bool newScheduleDisabled = false;
        for (QPushButton *b : page->findChildren<QPushButton *>())
            newScheduleDisabled = newScheduleDisabled
                || (b->text().startsWith(QStringLiteral("New schedule")) && !b->isEnabled());
        QVERIFY(newScheduleDisabled); // this window is connected without a profile

        const QString shots = qEnvironmentVariable("FUELSYNC_TEST_SCREENSHOTS");
        if (!shots.isEmpty())
            window.grab().save(shots + QStringLiteral("/backups.png"));
    }

    // A read-only profile of a login that could write: every writing action of the Backups and
    // Migrations tabs is off, saying why, and the banner says only this session is read-only.
    void aReadOnlyProfileWritesNothing()
    {
        MainWindow window(30);
        BackupsPage *page = openBackups(window, true);
        QVERIFY(page);
        QVERIFY(QTest::qWaitFor([&] { return !window.banner()->accessText().isEmpty(); }, waitMs));
        QVERIFY2(window.banner()->accessText().contains(QStringLiteral("this session only")),
                 qPrintable(window.banner()->accessText()));
        checkWritersOff(window, page);
    }

    // A support login, whatever the profile says: the server enforces it and the banner says
    // so; the same actions are off.
    void aSupportLoginFindsEveryWriteOff()
    {
        const QString login =
            QStringLiteral("gui_support_%1").arg(QCoreApplication::applicationPid());
        {
            auto c = m_db->connect();
            c->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(login));
            c->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'pw'").arg(login));
            RoleSetup::setup(*c);
            RoleSetup::grant(*c, login, FuelsyncRole::Support);
        }
        {
            MainWindow window(30);
            window.resize(1280, 800);
            window.show();
            ConnectRequest request;
            request.settings = m_db->tcpSettings(login, QStringLiteral("pw"));
            window.connectTo(request);
            QVERIFY(QTest::qWaitFor([&] { return window.schemaBrowser()->isLoaded(); }, waitMs));
            QVERIFY(
                QTest::qWaitFor([&] { return !window.banner()->accessText().isEmpty(); }, waitMs));
            QCOMPARE(window.banner()->accessText(),
                     QStringLiteral("READ-ONLY · enforced by the server (fuelsync_support)"));
            QVERIFY(window.isReadOnly());
            QVERIFY2(window.readOnlyReason().contains(QStringLiteral("is a support login")),
                     qPrintable(window.readOnlyReason()));
            BackupsPage *page = window.openBackups();
            QVERIFY(page);
            checkWritersOff(window, page);
            if (qEnvironmentVariableIsSet("FUELSYNC_SCREENSHOTS"))
                window.grab().save(qEnvironmentVariable("FUELSYNC_SCREENSHOTS")
                                   + QStringLiteral("/support-readonly.png"));
        }
        auto c = m_db->connect();
        c->exec(QStringLiteral("DROP OWNED BY %1").arg(login));
        c->exec(QStringLiteral("DROP ROLE %1").arg(login));
    }

    void aRunningBackupKeepsTheWindowOpenUntilCancelled()
    {
        MainWindow window(30);
        BackupsPage *page = openBackups(window);
        QVERIFY(page);
        const int before = page->backups()->rowCount();
        // A tenant's table held locked: the backup waits for it (pg_dump and the counts) until
        // it is cancelled.
        auto holder = m_db->connect();
        const QString tenant =
            holder->scalar(QStringLiteral("SELECT min(schema_name) FROM public.tenants"))
                .toString();
        holder->begin();
        holder->exec(QStringLiteral("LOCK TABLE %1.sales IN ACCESS EXCLUSIVE MODE").arg(tenant));

        QSignalSpy finished(page, &BackupsPage::finished);
        page->runNow();
        QTest::qWait(1500);
        QVERIFY(page->isBusy());
        QVERIFY(finished.isEmpty());
        // Neither the window nor the tab closes, and the window does not disconnect; it says
        // why.
        auto *tabs = window.findChild<QTabWidget *>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(0);
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        QCOMPARE(tabs->currentWidget(), page);
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("backup job")),
                 qPrintable(window.statusBar()->currentMessage()));
        emit tabs->tabCloseRequested(tabs->indexOf(page));
        QVERIFY(tabs->indexOf(page) >= 0);
        window.disconnectFromDatabase();
        QVERIFY(tabs->indexOf(page) >= 0);
        QVERIFY(page->isBusy());

        // Cancel ends it within seconds, keeping nothing.
        QElapsedTimer cancelled;
        cancelled.start();
        page->cancel();
        QVERIFY(finished.wait(waitMs));
        QVERIFY2(cancelled.elapsed() < 10'000, qPrintable(QString::number(cancelled.elapsed())));
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY2(finished.first().at(1).toString().contains(QStringLiteral("cancelled")),
                 qPrintable(finished.first().at(1).toString()));
        QCOMPARE(page->backups()->rowCount(), before);
        QVERIFY(BackupStore(page->folder()).partials().isEmpty());
        holder->rollback();
        // Then the window closes.
        QVERIFY(window.close());
    }

    void aRestoredTenantBehindTheFilesIsOfferedItsMigration()
    {
        const QStringList versions = TestDatabase::tenantMigrationVersions();
        QVERIFY(versions.size() >= 2);
        const QString older = versions.at(versions.size() - 2);
        auto c = m_db->connect();
        const QString tenant =
            c->scalar(QStringLiteral("SELECT min(schema_name) FROM public.tenants")).toString();
        const auto versionOf = [&] {
            return SchemaMigrationsTable::newestVersion(*c, tenant);
        };
        MainWindow window(30);
        BackupsPage *page = openBackups(window);
        QVERIFY(page);
        // The backup is taken one migration back.
        QCOMPARE(m_db->migrateTenant(tenant, false, older), 0);
        QSignalSpy finished(page, &BackupsPage::finished);
        page->runNow();
        QVERIFY(finished.wait(waitMs));
        QVERIFY(finished.first().at(0).toBool());
        const QString id = page->backups()->item(0, 0)->text();
        QCOMPARE(m_db->migrateTenant(tenant, true), 0);

        // Side by side: a copy, nothing offered.
        finished.clear();
        page->restoreTenant(id, tenant, tenant + QStringLiteral("_copy"));
        QVERIFY(finished.wait(waitMs));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(page->migrateOffer().isEmpty());
        c->exec(QStringLiteral("DROP SCHEMA %1_copy CASCADE").arg(tenant));

        // The dialog says what comes back and what it replaces, before anything is typed.
        QString said;
        QTimer::singleShot(300, page, [&] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                auto *dialog = qobject_cast<QDialog *>(w);
                if (!dialog || !dialog->isVisible())
                    continue;
                if (auto *what = dialog->findChild<QLabel *>(QStringLiteral("restoreWhat")))
                    said = what->text();
                const QString shots = qEnvironmentVariable("FUELSYNC_TEST_SCREENSHOTS");
                if (!shots.isEmpty())
                    dialog->grab().save(shots + QStringLiteral("/backups-restore-dialog.png"));
                dialog->reject();
            }
        });
        for (QPushButton *b : page->findChildren<QPushButton *>()) {
            if (b->text() == QStringLiteral("Restore tenant…"))
                b->click();
        }
        QVERIFY2(said.contains(QStringLiteral("In the backup: version %1").arg(older))
                     && said.contains(QStringLiteral("is REPLACED as a whole"))
                     && said.contains(
                         QStringLiteral("The migration files reach %1").arg(versions.last())),
                 qPrintable(said));
        QCOMPARE(versionOf(), versions.last()); // cancelled: nothing restored

        // In place: it is behind the files, says so, and is offered its migration.
        finished.clear();
        page->restoreTenant(id, tenant, QString());
        QVERIFY(finished.wait(waitMs));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY2(finished.first().at(1).toString().contains(
                     QStringLiteral("the migration files reach %1").arg(versions.last())),
                 qPrintable(finished.first().at(1).toString()));
        QCOMPARE(versionOf(), older);
        QCOMPARE(page->migrateOffer(), tenant);
        QPushButton *offer = nullptr;
        for (QPushButton *b : page->findChildren<QPushButton *>()) {
            if (b->text().startsWith(QStringLiteral("Migrate ")))
                offer = b;
        }
        QVERIFY(offer && offer->isVisible());
        const QString shots = qEnvironmentVariable("FUELSYNC_TEST_SCREENSHOTS");
        if (!shots.isEmpty())
            window.grab().save(shots + QStringLiteral("/backups-migrate-offer.png"));
        finished.clear();
        offer->click();
        QVERIFY(finished.wait(waitMs));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(versionOf(), versions.last());
        QVERIFY(page->migrateOffer().isEmpty());
        QVERIFY(!offer->isVisible());
    }

private:
    QTemporaryDir m_home;
    std::unique_ptr<TestDatabase> m_db;
};

QTEST_MAIN(BackupsViewTest)
#include "tst_backupsview.moc"
