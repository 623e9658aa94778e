#pragma once

#include "environment/EnvironmentResolver.h"
#include "migrate/MigrationOverview.h"
#include "migrate/MigrationPreview.h"
#include "migrations/ApplyChoiceDialog.h"
#include "migrations/RunConfirmationDialog.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QTableView;
class QToolButton;

namespace fuelsync {

class DatabaseSession;
class MigrationListModel;
class MigrationRunJob;
class RunProgressModel;

// The Migrations tab: every migration with where it stands in this database, its checksum
// state, lint findings and approval; its SQL and rollback side by side; the history; and the
// actions (dry run, apply, roll back, approve), each previewed, confirmed and then run off the GUI
// thread with progress per schema and Cancel. A read-only profile gets the view only.
class MigrationsPage : public QWidget
{
    Q_OBJECT

public:
    MigrationsPage(DatabaseSession *session, QString migrationsDirectory,
                   std::optional<DeploymentEnvironment> profileEnvironment, QString readOnlyReason,
                   QWidget *parent = nullptr);
    ~MigrationsPage() override;

    void reload();
    // Why nothing here may write (a read-only profile, a support login); empty: it may.
    // `mayApprove`: approving stays on (a release manager's login).
    void setReadOnlyReason(const QString &reason, bool mayApprove = false);
    // Asks up to which version and in which tenants (ApplyChoiceDialog), then applyPending().
    void askWhatToApply(bool dryRun);
    // Reads what the run would do, then asks (RunConfirmationDialog) before it runs. Empty
    // target: the newest; empty tenants: all of them.
    void applyPending(bool dryRun, std::optional<MigrationVersion> target = std::nullopt,
                      const QStringList &tenants = {});
    void rollBack(std::optional<MigrationVersion> keep);
    void approveSelected();
    void cancelRun();
    void selectVersion(const QString &version);

    bool isLoaded() const { return m_loaded; }
    bool isRunning() const;
    MigrationListModel *model() const { return m_model; }
    RunProgressModel *progressModel() const { return m_progress; }
    // The whole message of the schema selected in the Run tab.
    QString runMessage() const;
    QStandardItemModel *historyModel() const { return m_history; }
    // The confirmation waiting for an answer, if any (for tests and automation).
    RunConfirmationDialog *pendingConfirmation() const { return m_confirmation; }
    ApplyChoiceDialog *pendingChoice() const { return m_choice; }
    QDialog *pendingApproval() const { return m_approval; }
    const MigrationRunReport *lastReport() const;
    QString statusText() const;
    QString sqlText() const;
    QString rollbackText() const;
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *cancelButton() const { return m_cancel; }

signals:
    void loaded();
    void runFinished();
    void failed(const QString &message);

private:
    void showHistory(const MigrationOverview &overview);
    void showSelection();
    void updateActions();
    void preview(const MigrationRunOptions &options, bool dryRun);
    void launch(const MigrationPreview &preview, const MigrationRunOptions &options);
    void onRunFinished();
    MigrationRunOptions baseOptions() const;
    void setStatus(const QString &text, bool error = false);

    QPointer<DatabaseSession> m_session; // the window's; it may go before this page does
    DatabaseSession *m_writer = nullptr; // opened for approvals; the browser's session is read-only
    QString m_directory;
    std::optional<DeploymentEnvironment> m_profileEnvironment;
    std::optional<EnvironmentResolver::Resolved> m_environment;
    bool m_readOnly;
    QString m_readOnlyReason;
    bool m_mayApprove = false;
    bool m_loaded = false;
    quint64 m_generation = 0;

    MigrationListModel *m_model = nullptr;
    RunProgressModel *m_progress = nullptr;
    QTableView *m_progressView = nullptr;
    QPlainTextEdit *m_runError = nullptr;
    QStandardItemModel *m_history = nullptr;
    QTableView *m_table = nullptr;
    QTabWidget *m_details = nullptr;
    QPlainTextEdit *m_sql = nullptr;
    QPlainTextEdit *m_rollback = nullptr;
    QLabel *m_sqlTitle = nullptr;
    QLabel *m_rollbackTitle = nullptr;
    QPlainTextEdit *m_lint = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_runSummary = nullptr;
    QProgressBar *m_bar = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_apply = nullptr;
    QToolButton *m_rollbackButton = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_cancel = nullptr;
    QPointer<RunConfirmationDialog> m_confirmation;
    QPointer<ApplyChoiceDialog> m_choice;
    QPointer<QDialog> m_approval;
    MigrationRunJob *m_job = nullptr;
    std::optional<MigrationRunReport> m_lastReport;
    std::shared_ptr<bool> m_planChanged; // set by the run when its plan is not the one confirmed
};

} // namespace fuelsync
