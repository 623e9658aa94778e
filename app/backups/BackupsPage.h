#pragma once

#include "backup/BackupRestorer.h"
#include "backup/BackupSchedule.h"
#include "backup/BackupStore.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"

#include <QPointer>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QChartView;
class QFormLayout;
class QSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace fuelsync {

// A tab with one connection's backups: their history (size, duration, verification) with a chart
// of size and duration over time, the failures since the last good run, and the schedules with
// their next and last run. Run now, Verify, Restore a tenant and Prune run off the window's
// thread with progress and Cancel; a restore in place is confirmed by typing the schema's name.
class BackupsPage : public QWidget
{
    Q_OBJECT

public:
    // `folder` holds the backups; `settings` reach the database (with its password, if any);
    // `readOnlyReason` (empty: it may write): why running, restoring, pruning, restore tests and
    // schedules are off, shown on each of them.
    // `profile`: the saved profile the window is connected with (empty: none, and then no
    // schedule can be made here: a timer runs with a profile).
    BackupsPage(QString folder, ConnectionSettings settings, QString readOnlyReason,
                QString profile, QWidget *parent = nullptr);
    ~BackupsPage() override;

    const QString &folder() const { return m_folder; }
    QStandardItemModel *backups() const { return m_model; }
    QStandardItemModel *schedules() const { return m_schedules; }
    QChartView *chart() const { return m_chart; }
    bool isBusy() const { return m_busy; }
    QString statusText() const;
    void reload();

    // What the buttons do, without their dialogs (for tests and automation).
    void runNow();
    void verify(const QString &id, bool restoreTest);
    // Restores `schema` from backup `id`, in place (as empty) or side by side; the plan is
    // read and confirmed by the caller (askRestore types the name).
    void restoreTenant(const QString &id, const QString &schema, const QString &as);
    // After a tenant restored in place that is older than the migration files: the tenant (and
    // a button that offers to migrate it); empty when nothing is offered.
    QString migrateOffer() const;
    void migrateRestored();
    void cancel();
    // Saves the schedule and installs its timer (with `installTimer` false, only its unit
    // files); false with the reason. `note` says what a person should know (a cron line).
    bool addSchedule(BackupSchedule schedule, bool installTimer, QString *error, QString *note);
    bool removeSchedule(const QString &name, bool uninstallTimer);

signals:
    void finished(bool ok, const QString &message);

private:
    // Runs `work` as the page's background job; its message comes back on the window's thread.
    void start(const QString &what, std::function<QString(JobControl &)> work);
    QString selectedId() const;
    void askVerify();
    void askRestore();
    void askPrune();
    void askSchedule();
    // A form's retention rows (the last N, and the newest per day, week and month for how long),
    // with defaults, and the policy they hold.
    static QList<QSpinBox *> addRetentionRows(QFormLayout *form, QWidget *owner);
    static BackupRetention::Policy retentionOf(const QList<QSpinBox *> &rows);

    QString m_folder;
    ConnectionSettings m_settings;
    bool m_readOnly = false;
    QString m_readOnlyReason;
    // What writes (run, restore, prune, new and remove schedule): off when read-only.
    QList<QPushButton *> m_writers;
    // Turns the writers on, or off with the reason as their tooltip.
    void enableWriters();
    QString m_profile;
    bool m_busy = false;
    class BackgroundJobs *m_jobs = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_failures = nullptr;
    QTableView *m_table = nullptr;
    QStandardItemModel *m_model = nullptr;
    QTableView *m_scheduleTable = nullptr;
    QStandardItemModel *m_schedules = nullptr;
    QChartView *m_chart = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_migrateButton = nullptr;
    // A tenant restored in place that is older than the migration files: the Migrate button's.
    std::shared_ptr<class TenantRestore> m_migrateOffer;
    QList<QPushButton *> m_actions;
};

} // namespace fuelsync
