#pragma once

#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"
#include "environment/DeploymentEnvironment.h"
#include "query/ExplainPlan.h"
#include "query/QueryConsole.h"
#include "query/TenantQuery.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QTableWidget;
class QTreeWidget;

namespace fuelsync {

class BackgroundJobs;
class DatabaseSession;
class QueryEditor;
class QueryResultModel;

// View ▸ Query: the support desk's SQL console, on a session of its own.
//
// Statements run one at a time, each alone (core's QueryConsole): on a read-only console in a
// READ ONLY transaction the server keeps read-only and that is rolled back at the next run, so
// the server refuses whatever writes; with writes allowed (a maintainer who asks for them) in one
// explicit transaction that only Commit ends, with a confirmation that names the statements'
// kinds and the database on production, and a row in the audit. Each statement's rows are read a
// page at a time through a cursor into a grid of their own; EXPLAIN shows as a tree; one
// statement can be asked of every tenant (or those chosen), rows arriving as tenants answer;
// results export as CSV, JSON or INSERT statements. Stop cancels on the server.
class QueryPage : public QWidget
{
    Q_OBJECT

public:
    struct Setup
    {
        ConnectionSettings settings;
        SessionOptions options; // the window's (statement timeout)
        // Why the console may not write (a read-only profile, a support login); empty: the
        // login may, and the person can allow writes.
        QString readOnlyReason;
        DeploymentEnvironment environment = DeploymentEnvironment::Development;
        QString historyKey; // the profile's name, or the server and database
        QStringList tenants; // tenant schemas, for the search_path and "every tenant"
        QString tenant; // the one to start with (empty: none)
    };

    explicit QueryPage(Setup setup, QWidget *parent = nullptr);
    ~QueryPage() override;

    QueryEditor *editor() const { return m_editor; }
    QTabWidget *results() const { return m_results; }
    // The grid of the n-th statement's rows (null when it gave none).
    QTableView *resultView(int n) const;
    QueryResultModel *resultModel(int n) const;
    QString messages() const;
    QTreeWidget *planTree() const { return m_plan; }
    bool isRunning() const { return m_running; }
    // Changes run with writes allowed and neither committed nor rolled back.
    bool hasUncommittedWork() const { return m_transactionOpen; }
    bool writesAllowed() const;
    QString statusText() const;

    void setSql(const QString &sql);
    void setTenant(const QString &schema);
    // Runs the selection, or everything (what Ctrl+Enter does).
    void run();
    // The statement under the cursor (or the selection) with EXPLAIN, or EXPLAIN ANALYZE.
    void explain(bool analyze);
    // The selection or the text, one statement, once per tenant (all when `schemas` is empty).
    void runInTenants(const QStringList &schemas = {});
    void stop();
    void allowWrites(bool allow);
    void commit();
    void rollback();
    // Writes the current result tab's rows (all of them, read again through the cursor) as csv,
    // json or sql, with a progress dialog; false with the reason when it could not.
    void exportResult(const QString &path, const QString &format);

signals:
    // A run (statements, a plan, every tenant) ended; `error` is the first failure, if any.
    void finished(bool ok, const QString &error);
    void opened();

private:
    struct Piece
    {
        StatementOutcome outcome;
        QString error;
        int errorOffset = -1;
        bool cancelled = false;
    };

    void buildUi();
    void openSession();
    // Ends the console on its session's thread (before the session goes).
    void releaseConsole();
    void setRunning(bool running);
    void showPieces(const QList<Piece> &pieces, qint64 ms);
    void showPlan(const ExplainPlan &plan);
    void addResultTab(const QString &title, QWidget *widget);
    void clearResults();
    void updateTransaction(const QStringList &kinds, qint64 rows, bool open);
    void refreshHistory();
    void remember(const QString &sql, qint64 ms, const QString &outcome);
    void runStatements(const QStringList &statements, bool plan, bool analyze);
    QueryResultModel *currentModel() const;
    void chooseExport();

    Setup m_setup;
    DatabaseSession *m_session = nullptr;
    BackgroundJobs *m_tenantJob = nullptr;
    // Lives on the session's thread (it holds the session's connection).
    std::shared_ptr<std::unique_ptr<QueryConsole>> m_console;
    bool m_ready = false;
    bool m_running = false;
    bool m_transactionOpen = false;
    QStringList m_pendingKinds;
    qint64 m_pendingRows = 0;

    QueryEditor *m_editor = nullptr;
    QTabWidget *m_results = nullptr;
    QPlainTextEdit *m_messages = nullptr;
    QTreeWidget *m_plan = nullptr;
    QTableWidget *m_tenantErrors = nullptr;
    QLineEdit *m_historyFilter = nullptr;
    QListWidget *m_history = nullptr;
    QComboBox *m_tenant = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_explain = nullptr;
    QPushButton *m_analyze = nullptr;
    QPushButton *m_everyTenant = nullptr;
    QPushButton *m_export = nullptr;
    QCheckBox *m_writes = nullptr;
    QPushButton *m_commit = nullptr;
    QPushButton *m_rollback = nullptr;
    QLabel *m_mode = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QList<QWidget *> m_resultPages; // a grid per statement with rows, by statement
    QList<QueryResultModel *> m_models;
};

} // namespace fuelsync
