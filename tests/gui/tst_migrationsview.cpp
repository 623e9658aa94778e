// The Migrations tab, driven offscreen against a real database: what it shows (state, lint,
// approvals, SQL side by side), and the dialogs before anything runs: refusing, confirming,
// typing the database's name on production (a wrong name never runs), a rollback's warning, and
// cancelling a run mid-way; the database's state is checked after each.

#include "MigrationDir.h"
#include "TestDatabase.h"
#include "admin/MainWindow.h"
#include "approve/ApprovalStore.h"
#include "browser/SchemaBrowser.h"
#include "db/DbConnection.h"
#include "migrate/MigrationRunner.h"
#include "migrations/ApplyChoiceDialog.h"
#include "migrations/MigrationListModel.h"
#include "migrations/MigrationsPage.h"
#include "migrations/RunConfirmationDialog.h"
#include "migrations/RunProgressModel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

constexpr int waitMs = 30'000;

// 001 public: tenants and a hold list; 002 tenant: stations; 003 tenant: notes (no primary key,
// a lint error), which waits while its tenant is on the hold list.
void writeSet(const MigrationDir &dir)
{
    dir.add(QStringLiteral("001"), QStringLiteral("platform"), QStringLiteral("public"),
            QStringLiteral("CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL,\n"
                           "  schema_name text NOT NULL UNIQUE);\n"
                           "CREATE TABLE hold (schema_name text PRIMARY KEY);"),
            QStringLiteral("DROP TABLE hold;\nDROP TABLE tenants;"));
    dir.add(QStringLiteral("002"), QStringLiteral("stations"), QStringLiteral("tenant"),
            QStringLiteral("CREATE TABLE stations (id serial PRIMARY KEY, name text NOT NULL);"),
            QStringLiteral("DROP TABLE stations;"), QStringLiteral("001"));
    dir.add(QStringLiteral("003"), QStringLiteral("notes"), QStringLiteral("tenant"),
            QStringLiteral(
                "CREATE TABLE notes (body text);\n"
                "DO $$ BEGIN\n"
                "  WHILE EXISTS (SELECT 1 FROM public.hold WHERE schema_name = current_schema())\n"
                "  LOOP PERFORM pg_sleep(0.05); END LOOP;\n"
                "END $$;"),
            QStringLiteral("DROP TABLE notes;"), QStringLiteral("002"));
}

// With FUELSYNC_TEST_SCREENSHOTS=DIR, the dialogs and the page are saved there as PNGs, to look at.
void snapshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("FUELSYNC_TEST_SCREENSHOTS");
    if (!dir.isEmpty() && widget)
        widget->grab().save(dir + u'/' + name + QStringLiteral(".png"));
}

// Checks every change the model announces, from before it is first filled on: a broken one fails
// the test that made it.
void testModel(QAbstractItemModel *model)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 model);
}

bool tableExists(DbConnection &c, const QString &name)
{
    return c.scalar(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"), { name }).toBool();
}

} // namespace

class MigrationsViewTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void showsStateLintApprovalAndSql();
    void refusingTheConfirmationChangesNothing();
    void confirmingAppliesWithProgressPerSchema();
    void productionWantsTheDatabaseNameTyped();
    void anUnapprovedProductionPlanCannotBeConfirmed();
    void aRollbackShowsItsSqlAndWhatItDestroys();
    void cancellingMidRunRollsBackWhatRuns();
    void aReadOnlyProfileOnlyLooks();
    void aDryRunTriesEachSchemaAndChangesNothing();
    void aFailingTenantIsShownWithItsErrorAndTheOthersGoOn();
    void whatRunsIsWhatWasConfirmed();
    void theWindowStaysWhileARunGoesOn();
    void approvingFromTheViewRecordsItOrSaysWhyNot();
    void productionRollBackLooksDisabledUntilTheNameIsTyped();
    void applyPendingOffersAVersionAndTenants();
    void anEditedFileReachesNoChosenTenant();

private:
    MigrationsPage *openPage(bool readOnly = false);
    RunConfirmationDialog *waitForConfirmation(MigrationsPage *page);
    bool runAndWait(MigrationsPage *page, RunConfirmationDialog *dialog);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<MigrationDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_settingsDir;
    QTranslator m_translator;
};

void MigrationsViewTest::initTestCase()
{
    // The English plural forms, as the app loads them.
    QVERIFY(m_translator.load(QStringLiteral("fuelsync_en"), QStringLiteral(FUELSYNC_QM_DIR)));
    QCoreApplication::installTranslator(&m_translator);
}

void MigrationsViewTest::init()
{
    qputenv("FUELSYNC_ADMIN_SETTINGS", m_settingsDir.filePath(QStringLiteral("s.ini")).toUtf8());
    m_db = std::make_unique<TestDatabase>(QStringLiteral("gui_migrations"));
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_dir = std::make_unique<MigrationDir>();
    writeSet(*m_dir);
    qputenv("FUELSYNC_MIGRATIONS_DIR", m_dir->path().toUtf8());
    // public and 002 applied; three tenants, each at 002; 003 pending everywhere.
    const MigrationSet set = m_dir->load();
    MigrationRunOptions options;
    options.runner = QStringLiteral("tst_migrationsview");
    options.target = MigrationVersion::parse(QStringLiteral("001"));
    QCOMPARE(MigrationRunner(m_db->settings(), set, options).run(unwatched()).exitCode(), 0);
    auto c = m_db->connect();
    for (const char *tenant : { "tenant_a", "tenant_b", "tenant_c" }) {
        c->exec(QStringLiteral("INSERT INTO tenants (name, schema_name) VALUES (?, ?)"),
                { QString::fromLatin1(tenant).toUpper(), QString::fromLatin1(tenant) });
        c->exec(QStringLiteral("CREATE SCHEMA %1").arg(QLatin1StringView(tenant)));
    }
    options.target = MigrationVersion::parse(QStringLiteral("002"));
    QCOMPARE(MigrationRunner(m_db->settings(), set, options).run(unwatched()).exitCode(), 0);
}

void MigrationsViewTest::cleanup()
{
    m_window.reset();
    m_dir.reset();
    m_db.reset();
}

MigrationsPage *MigrationsViewTest::openPage(bool readOnly)
{
    m_window = std::make_unique<MainWindow>(30);
    m_window->show();
    ConnectRequest request;
    request.settings = m_db->settings();
    request.readOnlyProfile = readOnly;
    m_window->connectTo(request);
    if (!QTest::qWaitFor([&] { return m_window->schemaBrowser()->isLoaded(); }, waitMs))
        return nullptr;
    MigrationsPage *page = m_window->openMigrations();
    if (page) {
        // The list, the run's progress and the history, checked from their first rows on.
        testModel(page->model());
        testModel(page->progressModel());
        testModel(page->historyModel());
    }
    if (page && !QTest::qWaitFor([&] { return page->isLoaded(); }, waitMs))
        return nullptr;
    return page;
}

RunConfirmationDialog *MigrationsViewTest::waitForConfirmation(MigrationsPage *page)
{
    if (!QTest::qWaitFor([&] { return page->pendingConfirmation() != nullptr; }, waitMs))
        return nullptr;
    return page->pendingConfirmation();
}

bool MigrationsViewTest::runAndWait(MigrationsPage *page, RunConfirmationDialog *dialog)
{
    QSignalSpy finished(page, &MigrationsPage::runFinished);
    QSignalSpy reloaded(page, &MigrationsPage::loaded);
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    // The run, then the view read again.
    return finished.wait(waitMs) && QTest::qWaitFor([&] { return reloaded.count() > 0; }, waitMs);
}

void MigrationsViewTest::showsStateLintApprovalAndSql()
{
    {
        auto c = m_db->connect();
        ApprovalStore::approve(*c, m_dir->load(), QStringLiteral("002"),
                               QStringLiteral("development"), QStringLiteral("ok"));
    }
    MigrationsPage *page = openPage();
    QVERIFY(page);
    MigrationListModel *model = page->model();
    QCOMPARE(model->rowCount(), 3);
    auto text = [model](int row, int column) {
        return model->data(model->index(row, column), Qt::DisplayRole).toString();
    };
    QCOMPARE(text(0, MigrationListModel::ScopeColumn), QStringLiteral("public"));
    QCOMPARE(text(1, MigrationListModel::AppliedColumn), QStringLiteral("all 3 tenants"));
    QCOMPARE(text(2, MigrationListModel::AppliedColumn), QStringLiteral("0 of 3 tenants"));
    QCOMPARE(text(1, MigrationListModel::ChecksumColumn), QStringLiteral("matches"));
    QCOMPARE(text(2, MigrationListModel::LintColumn), QStringLiteral("1 error"));
    QCOMPARE(text(1, MigrationListModel::LintColumn), QStringLiteral("clean"));
    QVERIFY(text(1, MigrationListModel::ApprovalColumn).startsWith(m_db->settings().user()));
    QCOMPARE(text(2, MigrationListModel::ApprovalColumn), QStringLiteral("not approved"));
    QVERIFY(page->statusText().contains(QStringLiteral("1 pending")));

    // The first pending version is selected: its SQL and rollback side by side.
    QVERIFY(page->sqlText().contains(QStringLiteral("CREATE TABLE notes")));
    QCOMPARE(page->rollbackText().trimmed(), QStringLiteral("DROP TABLE notes;"));
    page->selectVersion(QStringLiteral("001"));
    QVERIFY(page->sqlText().contains(QStringLiteral("CREATE TABLE tenants")));

    // History, from the audit, newest first: the approval of 002, the run that took the
    // tenants to 002, the one that made public: each done, by the test's login.
    QStandardItemModel *history = page->historyModel();
    QCOMPARE(history->rowCount(), 3);
    QStringList actions;
    for (int row = 0; row < history->rowCount(); ++row) {
        actions.append(history->item(row, 1)->text());
        QCOMPARE(history->item(row, 2)->text(), QStringLiteral("done"));
        QVERIFY2(history->item(row, 4)->text().startsWith(m_db->settings().user()),
                 qPrintable(history->item(row, 4)->text()));
    }
    QCOMPARE(actions, (QStringList { QStringLiteral("approve"), QStringLiteral("migrate up"),
                                     QStringLiteral("migrate up") }));
    QVERIFY2(history->item(1, 3)->text().contains(QStringLiteral("tenant_b")),
             qPrintable(history->item(1, 3)->text()));
    QVERIFY2(history->item(2, 3)->text().contains(QStringLiteral("public")),
             qPrintable(history->item(2, 3)->text()));
}

void MigrationsViewTest::refusingTheConfirmationChangesNothing()
{
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(false);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY2(dialog->summary().contains(QStringLiteral("Apply <b>003</b> (tenant scope) in 3 "
                                                       "tenant schemas")),
             qPrintable(dialog->summary()));
    QVERIFY(dialog->summary().contains(m_db->name()));
    QVERIFY(!dialog->requiresTypedName());
    QVERIFY(dialog->confirmButton()->isEnabled());
    snapshot(dialog, QStringLiteral("confirm-apply"));
    // Enter cancels: it never runs a migration.
    QVERIFY(!dialog->confirmButton()->isDefault());
    QTest::keyClick(dialog, Qt::Key_Return);
    QVERIFY(QTest::qWaitFor([&] { return page->pendingConfirmation() == nullptr; }, waitMs));
    QTest::qWait(300);
    QVERIFY(!page->isRunning());
    QVERIFY(page->lastReport() == nullptr);
    auto c = m_db->connect();
    QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.notes")));
}

void MigrationsViewTest::confirmingAppliesWithProgressPerSchema()
{
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(false);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY(runAndWait(page, dialog));
    QVERIFY(page->lastReport());
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Succeeded);
    QCOMPARE(page->progressModel()->total(), 3);
    QCOMPARE(page->progressModel()->count(RunProgressModel::State::Done), 3);
    auto c = m_db->connect();
    for (const char *tenant : { "tenant_a", "tenant_b", "tenant_c" })
        QVERIFY(tableExists(*c, QLatin1StringView(tenant) + QStringLiteral(".notes")));
    QCOMPARE(page->model()->data(page->model()->index(2, MigrationListModel::AppliedColumn),
                                 Qt::DisplayRole),
             QVariant(QStringLiteral("all 3 tenants")));
}

void MigrationsViewTest::productionWantsTheDatabaseNameTyped()
{
    {
        auto c = m_db->connect();
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(m_db->name()));
        // 003 breaks a lint rule: the approval goes in as the runner's owner would record it.
        ApprovalStore::ensure(*c);
        const MigrationSet set = m_dir->load();
        c->exec(QStringLiteral("INSERT INTO public.migration_approvals (version, checksum, "
                               "environment) VALUES ('003', ?, 'production')"),
                { set.migrations().at(2).checksum });
    }
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(false);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY(dialog->requiresTypedName());
    QVERIFY(!dialog->confirmButton()->isEnabled());
    QTest::keyClicks(dialog->nameEdit(), m_db->name() + QStringLiteral("x"));
    QVERIFY(!dialog->confirmButton()->isEnabled());
    dialog->nameEdit()->clear();
    QTest::keyClicks(dialog->nameEdit(), m_db->name().toUpper());
    QVERIFY(!dialog->confirmButton()->isEnabled());
    // A click on a disabled button does nothing.
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QTest::qWait(300);
    QVERIFY(!page->isRunning());
    auto c = m_db->connect();
    QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.notes")));

    dialog->nameEdit()->clear();
    QTest::keyClicks(dialog->nameEdit(), m_db->name());
    QVERIFY(dialog->confirmButton()->isEnabled());
    snapshot(dialog, QStringLiteral("confirm-production"));
    QVERIFY(runAndWait(page, dialog));
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Succeeded);
    QVERIFY(tableExists(*c, QStringLiteral("tenant_a.notes")));
    snapshot(m_window.get(), QStringLiteral("after-run"));
}

void MigrationsViewTest::anUnapprovedProductionPlanCannotBeConfirmed()
{
    {
        auto c = m_db->connect();
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(m_db->name()));
    }
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(false);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY(dialog->confirmButton() == nullptr); // only Close
    QVERIFY(!dialog->requiresTypedName());
    QStringList texts;
    for (QLabel *label : dialog->findChildren<QLabel *>())
        texts.append(label->text());
    const QString shown = texts.join(u'\n');
    QVERIFY2(shown.contains(QStringLiteral("003 is not approved for production")),
             qPrintable(shown));
    snapshot(dialog, QStringLiteral("confirm-unapproved"));
    dialog->reject();
}

void MigrationsViewTest::aRollbackShowsItsSqlAndWhatItDestroys()
{
    {
        const MigrationSet set = m_dir->load();
        MigrationRunOptions options;
        options.runner = QStringLiteral("tst_migrationsview");
        QCOMPARE(MigrationRunner(m_db->settings(), set, options).run(unwatched()).exitCode(), 0);
        auto c = m_db->connect();
        c->exec(QStringLiteral("INSERT INTO tenant_b.notes VALUES ('keep me?')"));
    }
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->rollBack(std::nullopt);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY2(dialog->summary().contains(QStringLiteral("Roll back <b>003</b> in 3 tenant schemas")),
             qPrintable(dialog->summary()));
    QVERIFY2(dialog->warningText().contains(QStringLiteral("drops the table notes and all of its "
                                                           "rows")),
             qPrintable(dialog->warningText()));
    QVERIFY(dialog->warningText().contains(QStringLiteral("in 3 schemas")));
    snapshot(dialog, QStringLiteral("confirm-rollback"));
    QVERIFY(runAndWait(page, dialog));
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Succeeded);
    auto c = m_db->connect();
    QVERIFY(!tableExists(*c, QStringLiteral("tenant_b.notes")));
    QVERIFY(tableExists(*c, QStringLiteral("tenant_b.stations")));
}

void MigrationsViewTest::cancellingMidRunRollsBackWhatRuns()
{
    auto c = m_db->connect();
    c->exec(QStringLiteral("INSERT INTO public.hold VALUES ('tenant_a'), ('tenant_b'), "
                           "('tenant_c')"));
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(false);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QSignalSpy finished(page, &MigrationsPage::runFinished);
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    // Running, held on the server; the window keeps answering meanwhile.
    QVERIFY(QTest::qWaitFor(
        [&] { return page->progressModel()->count(RunProgressModel::State::Running) > 0; },
        waitMs));
    QVERIFY(page->isRunning());
    QVERIFY(page->cancelButton()->isEnabled());
    snapshot(m_window.get(), QStringLiteral("running"));
    QTest::mouseClick(page->cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(waitMs));
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Cancelled);
    QCOMPARE(page->progressModel()->count(RunProgressModel::State::Done), 0);
    for (const char *tenant : { "tenant_a", "tenant_b", "tenant_c" }) {
        QVERIFY(!tableExists(*c, QLatin1StringView(tenant) + QStringLiteral(".notes")));
        QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM %1.schema_migrations")
                               .arg(QLatin1StringView(tenant)))
                     .toInt(),
                 1);
    }
}

void MigrationsViewTest::aReadOnlyProfileOnlyLooks()
{
    MigrationsPage *page = openPage(/*readOnly=*/true);
    QVERIFY(page);
    QCOMPARE(page->model()->rowCount(), 3);
    QVERIFY(!page->applyButton()->isEnabled());
    page->applyPending(false);
    page->rollBack(std::nullopt);
    QTest::qWait(300);
    QVERIFY(page->pendingConfirmation() == nullptr);
    QVERIFY(!page->isRunning());
}

void MigrationsViewTest::aDryRunTriesEachSchemaAndChangesNothing()
{
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(/*dryRun=*/true);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY2(dialog->summary().contains(QStringLiteral("rolled back: nothing is changed")),
             qPrintable(dialog->summary()));
    QVERIFY(runAndWait(page, dialog));
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Succeeded);
    QVERIFY(page->lastReport()->dryRun);
    QCOMPARE(page->progressModel()->count(RunProgressModel::State::Tried), 3);
    auto c = m_db->connect();
    QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.notes")));
    QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM tenant_a.schema_migrations")).toInt(),
             1);
}

void MigrationsViewTest::approvingFromTheViewRecordsItOrSaysWhyNot()
{
    MigrationsPage *page = openPage();
    QVERIFY(page);
    MigrationListModel *model = page->model();
    page->selectVersion(QStringLiteral("002"));
    page->approveSelected();
    QVERIFY(QTest::qWaitFor([&] { return page->pendingApproval() != nullptr; }, waitMs));
    auto *comment = page->pendingApproval()->findChild<QLineEdit *>(QStringLiteral("comment"));
    QVERIFY(comment);
    QTest::keyClicks(comment, QStringLiteral("checked on staging"));
    snapshot(page->pendingApproval(), QStringLiteral("approve"));
    QSignalSpy reloaded(page, &MigrationsPage::loaded);
    page->pendingApproval()->accept();
    QVERIFY(reloaded.wait(waitMs));
    const QString approval =
        model->data(model->index(1, MigrationListModel::ApprovalColumn), Qt::DisplayRole)
            .toString();
    QVERIFY2(approval.startsWith(m_db->settings().user()), qPrintable(approval));
    auto c = m_db->connect();
    QCOMPARE(c->scalar(QStringLiteral("SELECT comment FROM public.migration_approvals")).toString(),
             QStringLiteral("checked on staging"));

    // 003 breaks a lint rule: refused, and said why.
    page->selectVersion(QStringLiteral("003"));
    page->approveSelected();
    QVERIFY(QTest::qWaitFor([&] { return page->pendingApproval() != nullptr; }, waitMs));
    page->pendingApproval()->accept();
    QVERIFY(QTest::qWaitFor(
        [&] { return page->statusText().startsWith(QStringLiteral("Not approved:")); }, waitMs));
    QVERIFY2(page->statusText().contains(QStringLiteral("lint errors")),
             qPrintable(page->statusText()));
    QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM public.migration_approvals")).toInt(),
             1);
}

namespace {

// Whether a widget, as drawn, shows red text (the Roll back button's warning colour).
bool drawnRed(QWidget *widget)
{
    const QImage image = widget->grab().toImage();
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.red() > 140 && c.green() < 90 && c.blue() < 90)
                return true;
        }
    }
    return false;
}

} // namespace

// Issue 15, item 23: on production, Roll back looks like the disabled button it is until the
// database's name is typed; then it is red.
void MigrationsViewTest::productionRollBackLooksDisabledUntilTheNameIsTyped()
{
    {
        const MigrationSet set = m_dir->load();
        MigrationRunOptions options;
        options.runner = QStringLiteral("tst_migrationsview");
        QCOMPARE(MigrationRunner(m_db->settings(), set, options).run(unwatched()).exitCode(), 0);
        auto c = m_db->connect();
        c->exec(QStringLiteral("ALTER DATABASE %1 SET fuelsync.environment = 'production'")
                    .arg(m_db->name()));
    }
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->rollBack(std::nullopt);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY(dialog->requiresTypedName());
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY(!dialog->confirmButton()->isEnabled());
    QVERIFY2(!drawnRed(dialog->confirmButton()), "a disabled Roll back is drawn red");
    QTest::keyClicks(dialog->nameEdit(), m_db->name());
    QVERIFY(dialog->confirmButton()->isEnabled());
    QVERIFY2(drawnRed(dialog->confirmButton()), "Roll back, enabled, is not red");
    snapshot(dialog, QStringLiteral("confirm-production-rollback"));
    dialog->reject();
}

// Issue 15, item 24: Apply pending asks up to which version and in which tenants first.
void MigrationsViewTest::applyPendingOffersAVersionAndTenants()
{
    // 004 joins 003 as pending.
    m_dir->add(QStringLiteral("004"), QStringLiteral("tags"), QStringLiteral("tenant"),
               QStringLiteral("CREATE TABLE tags (name text);"), QStringLiteral("DROP TABLE tags;"),
               QStringLiteral("003"));
    MigrationsPage *page = openPage();
    QVERIFY(page);
    QTest::mouseClick(page->applyButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return page->pendingChoice() != nullptr; }, waitMs));
    ApplyChoiceDialog *choice = page->pendingChoice();
    snapshot(choice, QStringLiteral("apply-choice"));
    choice->chooseTarget(QStringLiteral("003"));
    choice->chooseTenants({ QStringLiteral("tenant_b") });
    QVERIFY2(choice->tenantsSummary().contains(QStringLiteral("1 tenant: tenant_b")),
             qPrintable(choice->tenantsSummary()));
    QTest::mouseClick(choice->nextButton(), Qt::LeftButton);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY2(dialog->summary().contains(QStringLiteral("Apply <b>003</b>"))
                 && dialog->summary().contains(QStringLiteral("1 tenant schema")),
             qPrintable(dialog->summary()));
    QVERIFY(runAndWait(page, dialog));
    auto c = m_db->connect();
    QVERIFY(tableExists(*c, QStringLiteral("tenant_b.notes")));
    QVERIFY(!tableExists(*c, QStringLiteral("tenant_b.tags")));
    QVERIFY(!tableExists(*c, QStringLiteral("tenant_a.notes")));

    // Only those behind: a and c (b is at 003 already), up to the newest.
    QTest::mouseClick(page->applyButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return page->pendingChoice() != nullptr; }, waitMs));
    choice = page->pendingChoice();
    choice->chooseBehindOnly();
    QCOMPARE(choice->tenants(),
             QStringList({ QStringLiteral("tenant_a"), QStringLiteral("tenant_b"),
                           QStringLiteral("tenant_c") })); // b is behind on 004
    choice->chooseTarget(QStringLiteral("003"));
    choice->chooseBehindOnly();
    QCOMPARE(choice->tenants(),
             QStringList({ QStringLiteral("tenant_a"), QStringLiteral("tenant_c") }));
    choice->reject();
}

// Issue 15, item 1, in the window: 003 ran in tenant_a, then its file was edited. Applying it to
// tenant_b alone is refused (as the CLI's --tenant is), saying where it was applied, with no way
// to confirm; tenant_b stays as it was.
void MigrationsViewTest::anEditedFileReachesNoChosenTenant()
{
    {
        MigrationRunOptions options;
        options.runner = QStringLiteral("tst_migrationsview");
        options.tenants = QStringList { QStringLiteral("tenant_a") };
        QCOMPARE(
            MigrationRunner(m_db->settings(), m_dir->load(), options).run(unwatched()).exitCode(),
            0);
    }
    m_dir->add(QStringLiteral("003"), QStringLiteral("notes"), QStringLiteral("tenant"),
               QStringLiteral("CREATE TABLE notes (body text, edited boolean);"),
               QStringLiteral("DROP TABLE notes;"), QStringLiteral("002"));
    MigrationsPage *page = openPage();
    QVERIFY(page);
    QTest::mouseClick(page->applyButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return page->pendingChoice() != nullptr; }, waitMs));
    ApplyChoiceDialog *choice = page->pendingChoice();
    choice->chooseTenants({ QStringLiteral("tenant_b") });
    QTest::mouseClick(choice->nextButton(), Qt::LeftButton);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY(dialog->confirmButton() == nullptr); // only Close
    QStringList texts;
    for (QLabel *label : dialog->findChildren<QLabel *>())
        texts.append(label->text());
    const QString shown = texts.join(u'\n');
    QVERIFY2(shown.contains(QStringLiteral("has changed since it was applied")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("tenant_a")), qPrintable(shown));
    dialog->reject();
    QTest::qWait(300);
    QVERIFY(!page->isRunning());
    auto c = m_db->connect();
    QVERIFY(!tableExists(*c, QStringLiteral("tenant_b.notes")));
    QVERIFY(tableExists(*c, QStringLiteral("tenant_a.notes")));
}

void MigrationsViewTest::aFailingTenantIsShownWithItsErrorAndTheOthersGoOn()
{
    auto c = m_db->connect();
    c->exec(QStringLiteral("CREATE TABLE tenant_c.notes (id int PRIMARY KEY)")); // in the way
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(false);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY(runAndWait(page, dialog));
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Failed);
    RunProgressModel *progress = page->progressModel();
    QCOMPARE(progress->count(RunProgressModel::State::Done), 2);
    QCOMPARE(progress->count(RunProgressModel::State::Failed), 1);
    QCOMPARE(progress->stateOf(QStringLiteral("tenant_c")), RunProgressModel::State::Failed);
    int failedRow = -1;
    for (int row = 0; row < progress->rowCount(); ++row) {
        if (progress->data(progress->index(row, RunProgressModel::SchemaColumn), Qt::DisplayRole)
                .toString()
                .startsWith(QStringLiteral("tenant_c")))
            failedRow = row;
    }
    QVERIFY(failedRow >= 0);
    const QString error =
        progress->data(progress->index(failedRow, RunProgressModel::ErrorColumn), Qt::DisplayRole)
            .toString();
    QVERIFY2(error.contains(QStringLiteral("already exists")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("003_notes.sql")), qPrintable(error));
    // Issue 15, item 22: the whole message is there to read and copy, every line of it, with
    // the failed schema selected after the run.
    QString whole;
    for (const SchemaOutcome &schema : page->lastReport()->schemas) {
        for (const StepOutcome &step : schema.steps) {
            if (schema.schema == u"tenant_c" && step.status == StepStatus::Failed)
                whole = step.error;
        }
    }
    QVERIFY(whole.contains(u'\n')); // the server's message, then its SQLSTATE
    QVERIFY2(page->runMessage().contains(whole), qPrintable(page->runMessage()));
    QVERIFY2(page->runMessage().startsWith(QStringLiteral("tenant_c")),
             qPrintable(page->runMessage()));
    snapshot(m_window.get(), QStringLiteral("run-failure"));
    // tenant_c is as it was; the others moved on.
    QCOMPARE(c->scalar(QStringLiteral("SELECT count(*) FROM tenant_c.schema_migrations")).toInt(),
             1);
    QVERIFY(tableExists(*c, QStringLiteral("tenant_a.notes")));
}

void MigrationsViewTest::whatRunsIsWhatWasConfirmed()
{
    // 003 applied; the person is shown "roll back 003"; meanwhile someone applies 004.
    const MigrationSet set = m_dir->load();
    MigrationRunOptions options;
    options.runner = QStringLiteral("tst_migrationsview");
    QCOMPARE(MigrationRunner(m_db->settings(), set, options).run(unwatched()).exitCode(), 0);
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->rollBack(std::nullopt);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QVERIFY(dialog->summary().contains(QStringLiteral("Roll back <b>003</b>")));
    m_dir->add(QStringLiteral("004"), QStringLiteral("more"), QStringLiteral("tenant"),
               QStringLiteral("CREATE TABLE more_notes (id int PRIMARY KEY);"),
               QStringLiteral("DROP TABLE more_notes;"), QStringLiteral("003"));
    QCOMPARE(MigrationRunner(m_db->settings(), m_dir->load(), options).run(unwatched()).exitCode(),
             0);
    QVERIFY(runAndWait(page, dialog));
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Refused);
    auto c = m_db->connect();
    QVERIFY(tableExists(*c, QStringLiteral("tenant_a.more_notes"))); // 004 was not rolled back
    QVERIFY(tableExists(*c, QStringLiteral("tenant_a.notes")));
}

void MigrationsViewTest::theWindowStaysWhileARunGoesOn()
{
    auto c = m_db->connect();
    c->exec(QStringLiteral("INSERT INTO public.hold VALUES ('tenant_a')"));
    MigrationsPage *page = openPage();
    QVERIFY(page);
    page->applyPending(false);
    RunConfirmationDialog *dialog = waitForConfirmation(page);
    QVERIFY(dialog);
    QSignalSpy finished(page, &MigrationsPage::runFinished);
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return page->isRunning(); }, waitMs));
    // Closing, disconnecting: refused while it runs.
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    m_window->disconnectFromDatabase();
    QVERIFY(m_window->isConnected());
    QVERIFY(m_window->isMigrating());
    c->exec(QStringLiteral("DELETE FROM public.hold"));
    QVERIFY(finished.wait(waitMs));
    QCOMPARE(page->lastReport()->result, MigrationRunReport::Result::Succeeded);
    QVERIFY(m_window->close());
}

QTEST_MAIN(MigrationsViewTest)
#include "tst_migrationsview.moc"
