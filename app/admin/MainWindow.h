#pragma once

#include "backup/BackupLocation.h"
#include "db/ConnectionSettings.h"
#include "environment/DeploymentEnvironment.h"

#include <QDate>
#include <QMainWindow>

#include <functional>
#include <optional>

class QLabel;
class QTabWidget;

namespace fuelsync {

class ConnectionProfileStore;
class DatabaseSession;
class DiagramPage;
class StationPage;
class BackupsPage;
class HealthPage;
class EnvironmentBanner;
class MigrationsPage;
class QueryPage;
class PasswordKeychain;
class SchemaBrowser;
class TablePage;
struct ConnectionProfile;
struct SearchHit;

// Where to connect, and what the user said about it.
struct ConnectRequest
{
    ConnectionSettings settings;
    QString profileName; // empty for --db and the sandbox
    std::optional<DeploymentEnvironment> environment; // the profile's, if any
    bool readOnlyProfile = false;
    bool rememberPassword = false;
    bool sandbox = false;
    QString notice; // said in the status bar once connected (e.g. the sandbox's pending versions)
};

// The desktop app's window: the environment banner, the schema tree, and a tab per open table.
// Every database call runs on a session thread; the window only ever waits for nothing.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(int statementTimeoutSeconds = 30, QWidget *parent = nullptr);
    ~MainWindow() override;

    void connectTo(const ConnectRequest &request);
    void connectToProfile(const ConnectionProfile &profile);
    void connectToSandbox();
    void disconnectFromDatabase();
    void showConnectionDialog();

    TablePage *openTable(const QString &schema, const QString &table);
    TablePage *currentTable() const;
    // The Migrations tab (opened, or brought to the front).
    MigrationsPage *openMigrations();
    // A schema's relationship diagram (opened, or brought to the front).
    DiagramPage *openDiagram(const QString &schema);
    // A tenant's station as a live graph (opened, or brought to the front); `station` is an id
    // or a name, empty for the tenant's first.
    // The connection's backups (opened, or brought to the front).
    BackupsPage *openBackups();
    // View ▸ Health: the schema validator (opened, or brought to the front).
    HealthPage *openHealth();
    // View ▸ Query: a new SQL console (read-only unless the login may write and the person
    // allows writes), on the selected tenant; `sql` is put in its editor.
    QueryPage *openQuery(const QString &sql = QString());
    // What the search box found, opened: a station's graph, a row in its table's grid, a
    // tenant in the tree.
    void openSearchHit(const SearchHit &hit);
    StationPage *openStation(const QString &schema, const QString &station = QString(),
                             const QDate &day = QDate());

    SchemaBrowser *schemaBrowser() const { return m_browser; }
    DatabaseSession *session() const { return m_session; }
    EnvironmentBanner *banner() const { return m_banner; }
    bool isConnected() const { return m_session != nullptr && m_connected; }
    // Whether every action that would write is off: the profile is read-only, or the login is a
    // support login or a release manager (what the server said when the window connected).
    bool isReadOnly() const { return !m_readOnlyReason.isEmpty(); }
    // Why, in words for a tooltip; empty when the window may write.
    const QString &readOnlyReason() const { return m_readOnlyReason; }
    QString lastError() const { return m_lastError; }

    // A migration run is going on in the Migrations tab: the window neither closes nor
    // disconnects until it ends or is cancelled.
    bool isMigrating() const;
    // The Backups tab while it runs a job (backup, verification, restore, prune): the same.
    BackupsPage *busyBackups() const;
    // Marks in the tree the tenants the last validation on record found drifted.
    void markDriftOnRecord();
    void markDriftFrom(const QString &historyFolder);

signals:
    void connected();
    void connectionFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // True (showing the tab and saying why) when a migration run or a backup job is going on,
    // or, given the tab about to close, when that tab's is.
    bool refuseWhileWorking(QWidget *closing = nullptr);
    void open(const ConnectRequest &request);
    void onOpened(const ConnectRequest &request, const QString &serverVersion, bool readOnly);
    void askPassword(const ConnectRequest &request, const QString &problem);
    void fail(const QString &message);
    void showWelcome();
    // Finds which database this is on the session (BackupLocation::identify), then calls `then`.
    void resolveBackupFolder(const std::function<void()> &then);

    int m_statementTimeoutMs;
    ConnectionProfileStore *m_store = nullptr;
    PasswordKeychain *m_keychain = nullptr;
    class BackgroundJobs *m_jobs = nullptr; // starting the sandbox
    DatabaseSession *m_session = nullptr;
    ConnectRequest m_request;
    QString m_readOnlyReason;
    bool m_mayApprove = false; // a release manager's login: approving stays on
    bool m_connected = false;
    QString m_lastError;
    // Which database this is, once found (resolveBackupFolder): its backups' folder.
    std::optional<BackupLocation::Identity> m_backupIdentity;
    EnvironmentBanner *m_banner = nullptr;
    SchemaBrowser *m_browser = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_welcome = nullptr;
    MigrationsPage *m_migrations = nullptr;
};

} // namespace fuelsync
