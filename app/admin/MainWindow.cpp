#include "MainWindow.h"

#include "backup/BackupLocation.h"
#include "backup/BackupStore.h"
#include "backups/BackupsPage.h"
#include "browser/SchemaBrowser.h"
#include "browser/TablePage.h"
#include "common/RunnerIdentity.h"
#include "connect/ConnectionProfileStore.h"
#include "db/DbError.h"
#include "environment/EnvironmentResolver.h"
#include "erd/DiagramPage.h"
#include "fuelsync_version.h"
#include "health/HealthPage.h"
#include "migrationfiles/MigrationSet.h"
#include "migrationfiles/MigrationsLocation.h"
#include "migrations/MigrationsPage.h"
#include "profiles/ConnectionDialog.h"
#include "profiles/EnvironmentBanner.h"
#include "profiles/PasswordDialog.h"
#include "profiles/PasswordKeychain.h"
#include "query/QueryEditor.h"
#include "query/QueryPage.h"
#include "roles/LoginPrivileges.h"
#include "sandbox/Sandbox.h"
#include "session/BackgroundJobs.h"
#include "session/DatabaseSession.h"
#include "stationgraph/StationPage.h"
#include "validate/ValidationHistory.h"

#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace fuelsync {

MainWindow::MainWindow(int statementTimeoutSeconds, QWidget *parent)
    : QMainWindow(parent)
    , m_statementTimeoutMs(std::max(1, statementTimeoutSeconds) * 1000)
{
    setWindowTitle(tr("FuelSync Admin"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("fuelsync-admin")));
    m_store = new ConnectionProfileStore;
    m_keychain = new PasswordKeychain(this);
    m_jobs = new BackgroundJobs(this);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_banner = new EnvironmentBanner(central);
    layout->addWidget(m_banner);
    auto *splitter = new QSplitter(Qt::Horizontal, central);
    m_browser = new SchemaBrowser(splitter);
    m_tabs = new QTabWidget(splitter);
    m_tabs->setTabsClosable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->setMovable(true);
    splitter->addWidget(m_browser);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 420, 860 });
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_welcome = new QLabel(m_tabs);
    m_welcome->setAlignment(Qt::AlignCenter);
    m_welcome->setWordWrap(true);
    m_welcome->setStyleSheet(QStringLiteral("color: #6b7078; padding: 40px;"));
    showWelcome();

    auto *connection = menuBar()->addMenu(tr("&Connection"));
    connection->addAction(tr("&Connect…"), QKeySequence::Open, this,
                          &MainWindow::showConnectionDialog);
    connection->addAction(tr("Open the &sandbox"), this, &MainWindow::connectToSandbox);
    connection->addAction(tr("&Disconnect"), this, &MainWindow::disconnectFromDatabase);
    connection->addSeparator();
    connection->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Reload the schema tree"), QKeySequence::Refresh, m_browser,
                    &SchemaBrowser::reload);
    view->addAction(tr("&Find a tenant"), QKeySequence::Find, this, [this] {
        m_browser->filterEdit()->setFocus();
        m_browser->filterEdit()->selectAll();
    });
    view->addSeparator();
    view->addAction(tr("Schema &diagram"), QKeySequence(Qt::CTRL | Qt::Key_D), this, [this] {
        const QString schema = m_browser->currentSchema();
        openDiagram(schema.isEmpty() ? QStringLiteral("public") : schema);
    });
    view->addAction(
        tr("&Station graph"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this, [this] {
            const QString schema = m_browser->currentSchema();
            if (schema.isEmpty() || schema == u"public") {
                statusBar()->showMessage(
                    tr("Select a tenant in the tree first: its stations are shown."), 6000);
                return;
            }
            openStation(schema);
        });
    view->addAction(tr("&Backups"), QKeySequence(Qt::CTRL | Qt::Key_B), this,
                    [this] { openBackups(); });
    view->addAction(tr("&Migrations"), QKeySequence(Qt::CTRL | Qt::Key_M), this,
                    [this] { openMigrations(); });
    view->addAction(tr("&Health"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H), this,
                    [this] { openHealth(); });
    view->addAction(tr("&Query"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q), this,
                    [this] { openQuery(); });
    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About FuelSync Admin"), this, [this] {
        QMessageBox::about(this, tr("About FuelSync Admin"),
                           tr("<b>FuelSync Admin</b> %1<br/>Maintenance tool for FuelSync Hub's "
                              "multi-tenant PostgreSQL database.")
                               .arg(QStringLiteral(FUELSYNC_VERSION)));
    });

    auto *findEverywhere = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_K), this);
    connect(findEverywhere, &QShortcut::activated, this, [this] {
        m_browser->filterEdit()->setFocus();
        m_browser->filterEdit()->selectAll();
    });
    connect(m_browser, &SchemaBrowser::searchHitActivated, this, &MainWindow::openSearchHit);
    connect(m_browser, &SchemaBrowser::tableActivated, this,
            [this](const QString &schema, const QString &table) { openTable(schema, table); });
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget *page = m_tabs->widget(index);
        if (page == m_welcome || refuseWhileWorking(page))
            return;
        m_tabs->removeTab(index);
        if (page == m_migrations)
            m_migrations = nullptr;
        page->deleteLater();
        if (m_tabs->count() == 0)
            showWelcome();
    });
    statusBar()->showMessage(tr("Not connected"));
    resize(1280, 780);
}

MainWindow::~MainWindow()
{
    delete m_store;
}

void MainWindow::showWelcome()
{
    if (!m_connected)
        m_welcome->setText(tr("Connect to a database (Connection ▸ Connect…), or open the "
                              "built-in sandbox to explore."));
    else
        m_welcome->setText(tr(
            "Double-click a table in the tree to read its rows.\n\nType in "
            "the box above the tree (Ctrl+K) to find a tenant, a station, a pump, a customer or a "
            "user in every tenant."));
    if (m_tabs->indexOf(m_welcome) < 0) {
        m_tabs->addTab(m_welcome, tr("Welcome"));
        m_tabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    }
}

DiagramPage *MainWindow::openDiagram(const QString &schema)
{
    if (!isConnected())
        return nullptr;
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *page = qobject_cast<DiagramPage *>(m_tabs->widget(i));
        if (page && page->schema() == schema) {
            m_tabs->setCurrentWidget(page);
            return page;
        }
    }
    auto *page = new DiagramPage(m_session, schema, m_tabs);
    connect(page, &DiagramPage::tableActivated, this,
            [this](const QString &tableSchema, const QString &table) {
                openTable(tableSchema, table);
            });
    const int welcome = m_tabs->indexOf(m_welcome);
    if (welcome >= 0)
        m_tabs->removeTab(welcome);
    m_tabs->addTab(page, tr("Diagram: %1").arg(schema));
    m_tabs->setCurrentWidget(page);
    return page;
}

void MainWindow::resolveBackupFolder(const std::function<void()> &then)
{
    // Which database this is (the server's identity and the database's name): a query only.
    // Its folder is settled on the disk when the Backups tab opens.
    DatabaseSession *session = m_session;
    session->run<BackupLocation::Identity>(
        this, [](DbConnection &c) { return BackupLocation::identify(c); },
        [this, session, then](const BackupLocation::Identity &identity) {
            if (session != m_session)
                return;
            m_backupIdentity = identity;
            markDriftOnRecord();
            if (then)
                then();
        },
        [this](const QString &error) {
            statusBar()->showMessage(tr("The backups' folder was not found: %1").arg(error));
        });
}

void MainWindow::markDriftOnRecord()
{
    if (m_backupIdentity)
        markDriftFrom(ValidationHistory::folderFor(
            ValidationHistory::root(), m_backupIdentity->database,
            m_backupIdentity->systemIdentifier, m_backupIdentity->place));
}

void MainWindow::markDriftFrom(const QString &folder)
{
    // The last validation on record that compared schemas: what it found drifted.
    for (const ValidationHistory::Entry &run : ValidationHistory(folder).recent(20)) {
        if (!run.error.isEmpty() || !run.checks.contains(QStringLiteral("drift")))
            continue;
        QHash<QString, QString> notes;
        for (const QString &schema : run.drifted)
            notes.insert(
                schema,
                tr("Drifted from the reference of its version (validation of %1): see "
                   "View ▸ Health.")
                    .arg(QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat)));
        m_browser->setDrifted(notes);
        return;
    }
}

BackupsPage *MainWindow::openBackups()
{
    if (!isConnected())
        return nullptr;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *page = qobject_cast<BackupsPage *>(m_tabs->widget(i))) {
            m_tabs->setCurrentWidget(page);
            return page;
        }
    }
    if (!m_backupIdentity) {
        // Still being found (just connected): the tab opens when it is.
        statusBar()->showMessage(tr("Finding this database's backups…"));
        resolveBackupFolder([this] { openBackups(); });
        return nullptr;
    }
    // The same folder fuelsync-db uses for this database, whichever profile or URI reaches it;
    // the connection's name is the label of the old folder backups are moved in from (a few
    // local renames).
    const QString name = !m_request.profileName.isEmpty() ? m_request.profileName
        : m_request.sandbox                               ? QStringLiteral("sandbox")
                                                          : m_session->settings().displayName();
    const BackupLocation::Resolved resolved = BackupLocation::settle(*m_backupIdentity, name);
    if (!resolved.adoptedFrom.isEmpty())
        statusBar()->showMessage(
            tr("Moved %n backup(s) of %1 from %2 into %3: backups are kept by database now.",
               nullptr, int(resolved.adopted.size()))
                .arg(resolved.identity.database, resolved.adoptedFrom, resolved.folder));
    auto *page = new BackupsPage(resolved.folder, m_session->settings(), m_readOnlyReason,
                                 m_request.profileName, m_tabs);
    const int welcome = m_tabs->indexOf(m_welcome);
    if (welcome >= 0)
        m_tabs->removeTab(welcome);
    // A restore changes schemas (and their versions) the tree shows.
    connect(page, &BackupsPage::finished, m_browser, &SchemaBrowser::reload);
    m_tabs->addTab(page, tr("Backups"));
    m_tabs->setCurrentWidget(page);
    return page;
}

HealthPage *MainWindow::openHealth()
{
    if (!isConnected())
        return nullptr;
    HealthPage *page = nullptr;
    for (int i = 0; i < m_tabs->count() && !page; ++i)
        page = qobject_cast<HealthPage *>(m_tabs->widget(i));
    if (!page) {
        QString history;
        if (m_backupIdentity)
            history = ValidationHistory::folderFor(
                ValidationHistory::root(), m_backupIdentity->database,
                m_backupIdentity->systemIdentifier, m_backupIdentity->place);
        page =
            new HealthPage(m_session->settings(), MigrationsLocation::resolve(), history, m_tabs);
        const int welcome = m_tabs->indexOf(m_welcome);
        if (welcome >= 0)
            m_tabs->removeTab(welcome);
        m_tabs->addTab(page, tr("Health"));
        connect(page, &HealthPage::openTableRequested, this,
                [this](const QString &schema, const QString &table) {
                    if (TablePage *opened = openTable(schema, table))
                        opened->showStructure();
                });
        connect(
            page, &HealthPage::openRowsRequested, this,
            [this](const QString &schema, const QString &table, const QList<RowFilter> &filters) {
                if (TablePage *opened = openTable(schema, table)) {
                    opened->clearFilters();
                    for (const RowFilter &filter : filters)
                        opened->addFilter(filter);
                }
            });
        // The tree marks the tenants the run found drifted (it is on record now).
        connect(page, &HealthPage::finished, this, [this, page](bool ok, const QString &) {
            if (ok && page->report() && !page->report()->historyFolder.isEmpty())
                markDriftFrom(page->report()->historyFolder);
        });
    }
    page->setSelectedTenant(m_browser->currentSchema());
    m_tabs->setCurrentWidget(page);
    return page;
}

void MainWindow::openSearchHit(const SearchHit &hit)
{
    switch (hit.kind) {
    case SearchHit::Kind::Tenant:
        m_browser->reveal(hit.schema);
        return;
    case SearchHit::Kind::Station:
        openStation(hit.schema, hit.key);
        return;
    case SearchHit::Kind::Pump:
    case SearchHit::Kind::Nozzle:
    case SearchHit::Kind::Customer:
    case SearchHit::Kind::User:
        break;
    }
    // The row itself, in its table's grid.
    if (TablePage *page = openTable(hit.schema, hit.table)) {
        page->clearFilters();
        page->addFilter({ QStringLiteral("id"), RowFilter::Op::Equals, hit.key });
    }
}

QueryPage *MainWindow::openQuery(const QString &sql)
{
    if (!isConnected())
        return nullptr;
    QueryPage::Setup setup;
    setup.settings = m_session->settings();
    setup.options = m_session->options();
    setup.readOnlyReason = m_readOnlyReason;
    setup.environment = m_banner->environment();
    setup.historyKey = !m_request.profileName.isEmpty() ? m_request.profileName
                                                        : m_session->settings().displayName();
    setup.tenants = m_browser->tenantSchemas();
    const QString current = m_browser->currentSchema();
    if (setup.tenants.contains(current))
        setup.tenant = current;
    auto *page = new QueryPage(setup, m_tabs);
    if (!sql.isEmpty())
        page->setSql(sql);
    const int welcome = m_tabs->indexOf(m_welcome);
    if (welcome >= 0)
        m_tabs->removeTab(welcome);
    int consoles = 0;
    for (int i = 0; i < m_tabs->count(); ++i)
        consoles += qobject_cast<QueryPage *>(m_tabs->widget(i)) ? 1 : 0;
    m_tabs->addTab(page, consoles == 0 ? tr("Query") : tr("Query %1").arg(consoles + 1));
    m_tabs->setCurrentWidget(page);
    page->editor()->setFocus();
    return page;
}

StationPage *MainWindow::openStation(const QString &schema, const QString &station,
                                     const QDate &day)
{
    if (!isConnected())
        return nullptr;
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *page = qobject_cast<StationPage *>(m_tabs->widget(i));
        if (page && page->schema() == schema && station.isEmpty() && !day.isValid()) {
            m_tabs->setCurrentWidget(page);
            return page;
        }
    }
    auto *page = new StationPage(m_session, schema, station, day, m_tabs);
    const int welcome = m_tabs->indexOf(m_welcome);
    if (welcome >= 0)
        m_tabs->removeTab(welcome);
    m_tabs->addTab(page, tr("Stations: %1").arg(schema));
    m_tabs->setCurrentWidget(page);
    return page;
}

bool MainWindow::isMigrating() const
{
    return m_migrations && m_migrations->isRunning();
}

BackupsPage *MainWindow::busyBackups() const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *page = qobject_cast<BackupsPage *>(m_tabs->widget(i));
        if (page && page->isBusy())
            return page;
    }
    return nullptr;
}

bool MainWindow::refuseWhileWorking(QWidget *closing)
{
    QWidget *busy = nullptr;
    QString message;
    if (isMigrating() && (!closing || closing == m_migrations)) {
        busy = m_migrations;
        message = tr("A migration run is going on: wait for it to end, or cancel it "
                     "(Run ▸ Cancel run), first.");
    } else if (BackupsPage *backups = busyBackups(); backups && (!closing || closing == backups)) {
        // A backup, verification, restore or prune would be cut off half way.
        busy = backups;
        message = tr("A backup job is going on: wait for it to end, or cancel it (Cancel on the "
                     "Backups tab), first.");
    } else {
        for (int i = 0; i < m_tabs->count() && !busy; ++i) {
            auto *console = qobject_cast<QueryPage *>(m_tabs->widget(i));
            if (console && console->hasUncommittedWork() && (!closing || closing == console)) {
                busy = console;
                message = tr("A query console holds changes that are not committed: commit or "
                             "roll them back first.");
            }
        }
    }
    if (!busy)
        return false;
    m_tabs->setCurrentWidget(busy);
    statusBar()->showMessage(message, 10000);
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (refuseWhileWorking()) {
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

MigrationsPage *MainWindow::openMigrations()
{
    if (!isConnected())
        return nullptr;
    if (!m_migrations) {
        m_migrations = new MigrationsPage(m_session, MigrationsLocation::resolve(),
                                          m_request.environment, m_readOnlyReason, m_tabs);
        m_migrations->setReadOnlyReason(m_readOnlyReason, m_mayApprove);
        const int welcome = m_tabs->indexOf(m_welcome);
        if (welcome >= 0)
            m_tabs->removeTab(welcome);
        m_tabs->addTab(m_migrations, tr("Migrations"));
        // A run changes versions and tables: the tree shows them as they are now.
        connect(m_migrations, &MigrationsPage::runFinished, m_browser, &SchemaBrowser::reload);
    }
    m_tabs->setCurrentWidget(m_migrations);
    return m_migrations;
}

void MainWindow::showConnectionDialog()
{
    m_keychain->probe([this](bool available) {
        ConnectionDialog dialog(*m_store, available ? m_keychain : nullptr, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        if (dialog.sandboxChosen())
            connectToSandbox();
        else
            connectToProfile(dialog.chosen());
    });
}

void MainWindow::connectToProfile(const ConnectionProfile &profile)
{
    ConnectRequest request;
    QString error;
    if (!profile.toSettings(&request.settings, &error)) {
        fail(tr("The profile %1 cannot be used: %2").arg(profile.name, error));
        return;
    }
    request.profileName = profile.name;
    request.environment = profile.environment;
    request.readOnlyProfile = profile.readOnly;
    request.rememberPassword = profile.rememberPassword;
    if (!profile.rememberPassword) {
        connectTo(request);
        return;
    }
    const QString key = PasswordKeychain::keyFor(profile.name, request.settings);
    m_keychain->probe([this, request, key](bool available) {
        if (!available) {
            connectTo(request);
            return;
        }
        m_keychain->read(key, [this, request](bool found, const QString &password) {
            ConnectRequest withPassword = request;
            if (found)
                withPassword.settings = request.settings.withPassword(password);
            connectTo(withPassword);
        });
    });
}

void MainWindow::connectToSandbox()
{
    m_banner->showConnecting(tr("the sandbox (starting it; the first start creates and seeds "
                                "it, which takes a little while)"));
    statusBar()->showMessage(tr("Starting the sandbox…"));
    struct Started
    {
        Sandbox::StartReport report;
        ConnectionSettings settings;
    };
    m_jobs->start<Started>(
        [](JobControl &control) {
            Sandbox sandbox;
            const MigrationSet set = MigrationSet::load(MigrationsLocation::resolve());
            // Opening the window never changes a schema: what is pending is only said (and
            // shown in the Migrations tab); `fuelsync-db sandbox start` brings the sandbox up to
            // date.
            Started started;
            started.report =
                sandbox.start(set, RunnerIdentity::describe(QStringLiteral("fuelsync-admin")),
                              control, Sandbox::StartMode::OpenOnly);
            started.settings = sandbox.connectionSettings();
            return started;
        },
        [this](const Started &started) {
            if (!started.report.ok) {
                fail(tr("The sandbox could not be started: %1").arg(started.report.error));
                return;
            }
            const QStringList &pending = started.report.pending;
            ConnectRequest request;
            request.settings = started.settings;
            request.sandbox = true;
            request.notice = pending.isEmpty()
                ? QString()
                : tr("The sandbox has %n migration(s) pending (%1): nothing was applied. "
                     "Apply them in View ▸ Migrations, or run 'fuelsync-db sandbox start'.",
                     nullptr, int(pending.size()))
                      .arg(pending.join(QStringLiteral(", ")));
            connectTo(request);
        },
        [this](const QString &error, bool) {
            fail(tr("The sandbox could not be started: %1").arg(error));
        },
        [this](const JobControl::Progress &progress) {
            if (!progress.step.isEmpty())
                statusBar()->showMessage(progress.step);
        });
}

void MainWindow::connectTo(const ConnectRequest &request)
{
    open(request);
}

void MainWindow::open(const ConnectRequest &request)
{
    if (refuseWhileWorking())
        return;
    disconnectFromDatabase();
    m_request = request;
    // Nothing writes until the server has said what this login may do.
    m_readOnlyReason = request.readOnlyProfile
        ? tr("The profile %1 is read-only.").arg(request.profileName)
        : tr("Reading what this login may do…");
    m_mayApprove = false;
    m_backupIdentity.reset();
    m_banner->showConnecting(request.settings.displayName());
    statusBar()->showMessage(tr("Connecting to %1…").arg(request.settings.displayName()));
    m_session = new DatabaseSession(this);
    // The browser only reads: its sessions are read-only whatever the profile says.
    const SessionOptions options { true, m_statementTimeoutMs };
    DatabaseSession *session = m_session;
    session->open(
        request.settings, options, this,
        [this, request, session](const DatabaseSession::Info &info) {
            if (session != m_session)
                return;
            onOpened(request, info.serverVersion, info.readOnly);
        },
        [this, request, session](const std::exception_ptr &error) {
            if (session != m_session)
                return;
            bool needsPassword = false;
            QString message = DatabaseSession::describe(error);
            try {
                std::rethrow_exception(error);
            } catch (const DbError &e) {
                needsPassword = e.passwordRequired() || e.passwordRejected();
                message = e.message();
            } catch (...) { }
            m_session->deleteLater();
            m_session = nullptr;
            if (needsPassword && !request.sandbox) {
                askPassword(request, request.settings.hasPassword() ? message : QString());
                return;
            }
            fail(message);
        });
}

void MainWindow::askPassword(const ConnectRequest &request, const QString &problem)
{
    m_keychain->probe([this, request, problem](bool available) {
        const QString target = request.settings.displayName();
        PasswordDialog dialog(target, problem, available && !request.profileName.isEmpty(), this);
        if (dialog.exec() != QDialog::Accepted) {
            fail(tr("Not connected: no password was given for %1.").arg(target));
            return;
        }
        ConnectRequest retry = request;
        retry.settings = request.settings.withPassword(dialog.password());
        if (dialog.remember()) {
            const QString key = PasswordKeychain::keyFor(request.profileName, request.settings);
            const QString password = dialog.password();
            // Stored once the server has accepted it.
            connect(
                this, &MainWindow::connected, this,
                [this, key, password] {
                    m_keychain->write(key, password, [this](bool ok, const QString &error) {
                        if (!ok)
                            statusBar()->showMessage(
                                tr("The password was not stored in the keychain: %1").arg(error));
                    });
                },
                Qt::SingleShotConnection);
        }
        open(retry);
    });
}

void MainWindow::onOpened(const ConnectRequest &request, const QString &serverVersion,
                          bool readOnly)
{
    Q_UNUSED(readOnly) // the browser's sessions always are; the banner shows the profile's
    m_connected = true;
    m_lastError.clear();
    DatabaseSession *session = m_session;
    const std::optional<DeploymentEnvironment> fromProfile = request.environment;
    // The environment, and what the login can really do (the server's privileges).
    struct Opened
    {
        EnvironmentResolver::Resolved resolved;
        LoginPrivileges login;
    };
    session->run<Opened>(
        this,
        [fromProfile](DbConnection &c) {
            return Opened { EnvironmentResolver::forProfile(c, fromProfile),
                            LoginPrivileges::read(c) };
        },
        [this, request, serverVersion, session](const Opened &opened) {
            if (session != m_session)
                return;
            const EnvironmentResolver::Resolved &resolved = opened.resolved;
            const DeploymentEnvironment environment = resolved.environment;
            QString why;
            if (resolved.disagreement)
                why = tr("the database declares %1, the profile says %2")
                          .arg(DeploymentEnvironments::name(resolved.disagreement->declared),
                               DeploymentEnvironments::name(resolved.disagreement->profile));
            else if (resolved.declaredInDatabase)
                why = tr("declared by the database");
            else if (!resolved.assumed)
                why = tr("from the profile %1").arg(request.profileName);
            else
                why = tr("assumed: the database declares no environment");
            QString target = request.settings.displayName();
            if (request.sandbox)
                target = tr("Sandbox · %1").arg(target);
            else if (!request.profileName.isEmpty())
                target = tr("%1 · %2").arg(request.profileName, target);
            // READ-ONLY says who enforces it: the server (a support login or a release
            // manager, whose privileges write nothing), or only this window (a read-only
            // profile of a login that could write). The browser's own sessions are read-only
            // either way.
            const LoginPrivileges::Access access =
                opened.login.access(request.readOnlyProfile, request.profileName);
            m_readOnlyReason = access.reason;
            m_mayApprove = access.mayApprove;
            m_banner->showConnected(environment, why, target, access.text, access.warning,
                                    tr("PostgreSQL %1").arg(serverVersion));
            if (m_migrations)
                m_migrations->setReadOnlyReason(m_readOnlyReason, m_mayApprove);
            setWindowTitle(tr("FuelSync Admin — %1 (%2)")
                               .arg(target, DeploymentEnvironments::name(environment)));
        },
        [this, session](const QString &error) {
            if (session != m_session)
                return;
            // Unknown is not allowed: writing stays off, and says why.
            m_readOnlyReason = tr("What this login may do could not be read (%1): writing is "
                                  "off.")
                                   .arg(error);
            if (m_migrations)
                m_migrations->setReadOnlyReason(m_readOnlyReason);
            statusBar()->showMessage(error);
        });
    // Where this database's backups are (by the server's identity), before the tree is read,
    // so the Backups tab finds it ready.
    resolveBackupFolder({});
    m_browser->setSession(session);
    if (request.notice.isEmpty())
        statusBar()->showMessage(tr("Connected to %1").arg(request.settings.displayName()), 5000);
    else
        statusBar()->showMessage(request.notice);
    showWelcome();
    emit connected();
}

void MainWindow::fail(const QString &message)
{
    m_lastError = message;
    m_connected = false;
    m_banner->showDisconnected(message);
    statusBar()->showMessage(message);
    emit connectionFailed(message);
}

void MainWindow::disconnectFromDatabase()
{
    if (refuseWhileWorking())
        return;
    while (m_tabs->count() > 0) {
        QWidget *page = m_tabs->widget(0);
        m_tabs->removeTab(0);
        if (page != m_welcome)
            page->deleteLater();
    }
    m_migrations = nullptr;
    m_browser->setSession(nullptr);
    if (m_session) {
        delete m_session;
        m_session = nullptr;
    }
    m_connected = false;
    m_banner->showDisconnected(tr("Not connected"));
    setWindowTitle(tr("FuelSync Admin"));
    showWelcome();
}

TablePage *MainWindow::openTable(const QString &schema, const QString &table)
{
    if (!m_session)
        return nullptr;
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *page = qobject_cast<TablePage *>(m_tabs->widget(i));
        if (page && page->schema() == schema && page->table() == table) {
            m_tabs->setCurrentIndex(i);
            return page;
        }
    }
    auto *page = new TablePage(m_session->settings(), m_session->options(), schema, table, m_tabs);
    connect(page, &TablePage::openTableRequested, this,
            [this](const QString &s, const QString &t) { openTable(s, t); });
    connect(page, &TablePage::openRowsRequested, this,
            [this](const QString &s, const QString &t, const QList<RowFilter> &filters) {
                if (TablePage *opened = openTable(s, t)) {
                    opened->clearFilters();
                    for (const RowFilter &filter : filters)
                        opened->addFilter(filter);
                }
            });
    const int welcome = m_tabs->indexOf(m_welcome);
    if (welcome >= 0)
        m_tabs->removeTab(welcome);
    const int index = m_tabs->addTab(page, page->title());
    m_tabs->setTabToolTip(index, page->title());
    m_tabs->setCurrentIndex(index);
    m_browser->reveal(schema, table);
    return page;
}

TablePage *MainWindow::currentTable() const
{
    return qobject_cast<TablePage *>(m_tabs->currentWidget());
}

} // namespace fuelsync
