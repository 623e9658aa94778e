#pragma once

#include "browse/RowFilter.h"
#include "db/ConnectionSettings.h"
#include "validate/SchemaValidator.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStandardItem;
class QStandardItemModel;
class QTextBrowser;
class QTreeView;

namespace fuelsync {

class BackgroundJobs;

// View ▸ Health: the schema validator in the window. Runs the checks asked for, over every
// tenant or the one selected in the tree, off the window's thread with its progress and Cancel.
// The findings are grouped by check or by tenant (severity in colour, counts on each group); the
// selected one's detail says why it matters and gives its fix, to copy, or all fixes saved as one
// script (never run here). Double-clicking a finding opens its table (the grid filtered to the
// orphan rows, for an orphan). A chart shows the errors and warnings of the runs on record.
class HealthPage : public QWidget
{
    Q_OBJECT

public:
    // `historyFolder`: where this database's runs are kept (empty: not known yet; a run finds it).
    HealthPage(ConnectionSettings settings, QString migrationsDirectory, QString historyFolder,
               QWidget *parent = nullptr);
    ~HealthPage() override;

    enum class Grouping { ByCheck, ByTenant };

    // What Run does, without reading the boxes (for tests and automation). `tenants` empty:
    // every tenant.
    void runChecks(const QStringList &checks, const QStringList &tenants);
    void cancel();
    bool isBusy() const { return m_busy; }
    void setGrouping(Grouping grouping);
    // The tenant the "only" choice names (the tree's selection); empty: none.
    void setSelectedTenant(const QString &schema);

    QStandardItemModel *findings() const { return m_model; }
    QTreeView *findingsView() const { return m_view; }
    QChartView *chart() const { return m_chart; }
    QString statusText() const;
    QString detailText() const;
    const std::optional<SchemaValidator::Report> &report() const { return m_report; }
    // The finding a row of the findings model stands for (null: a group's row).
    const ValidationFinding *findingAt(const QModelIndex &index) const;
    // Selects the first finding of `check` about `object` (for tests); false when none.
    bool selectFinding(const QString &check, const QString &object);
    // The fix script of the last run (what "Save fixes" writes).
    QString fixScript() const;
    bool saveFixes(const QString &path, QString *error) const;
    // What a double-click on `index` opens, as the signals say it.
    void activate(const QModelIndex &index);

signals:
    void finished(bool ok, const QString &message);
    void openTableRequested(const QString &schema, const QString &table);
    void openRowsRequested(const QString &schema, const QString &table,
                           const QList<fuelsync::RowFilter> &filters);

private:
    void rebuild();
    void showDetail();
    void reloadChart();
    void setBusy(bool busy);

    ConnectionSettings m_settings;
    QString m_migrationsDirectory;
    QString m_historyFolder;
    QString m_selectedTenant;
    BackgroundJobs *m_jobs = nullptr;
    bool m_busy = false;
    Grouping m_grouping = Grouping::ByCheck;
    std::optional<SchemaValidator::Report> m_report;
    QList<SchemaValidator::Report::Group> m_groups;

    QList<QCheckBox *> m_checkBoxes;
    QComboBox *m_scope = nullptr;
    QComboBox *m_groupingBox = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_copyFix = nullptr;
    QPushButton *m_saveFixes = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QStandardItemModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QTextBrowser *m_detail = nullptr;
    QChartView *m_chart = nullptr;
};

} // namespace fuelsync
