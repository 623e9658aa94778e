#pragma once

#include "browse/KeysetPager.h"
#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QToolButton;

namespace fuelsync {

class DatabaseSession;
class RowGridModel;

// One open table: its rows in a grid (read a page at a time on a session of its own, so a slow
// query here never holds up the tree or another table) and its structure. Sorting, filters and
// the CSV export all run on the server; nothing here can change the table.
class TablePage : public QWidget
{
    Q_OBJECT

public:
    TablePage(const ConnectionSettings &settings, const SessionOptions &options,
              const QString &schema, const QString &table, QWidget *parent = nullptr);
    ~TablePage() override;

    const QString &schema() const { return m_schema; }
    const QString &table() const { return m_table; }
    QString title() const;

    RowGridModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    const TableDefinition &definition() const { return m_definition; }
    const BrowseOrder &order() const { return m_order; }
    // True once the definition and the first page have arrived (or failed: see errorText()).
    bool isReady() const { return m_ready; }
    QString errorText() const;
    QString statusText() const;

    // What the toolbar and the header do, for automation and tests.
    void sortBy(const QString &column, bool descending);
    void addFilter(const RowFilter &filter); // replaces a filter on the same column
    void clearFilters();
    QLineEdit *filterValueEdit() const { return m_filterValue; }
    void showFirstRows(); // the first page, scrolled to the top
    void showLastRows(); // the last page, scrolled to the bottom
    void showStructure();
    // Writes the current order and filters to a CSV file, with a progress dialog.
    void exportCsv(const QString &path);

signals:
    void ready();
    // A link on the structure page: open that table.
    void openTableRequested(const QString &schema, const QString &table);
    // A key's row, or the rows that point at a key: that table, filtered.
    void openRowsRequested(const QString &schema, const QString &table,
                           const QList<RowFilter> &filters);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildUi();
    void applyOrder();
    void updateStatus();
    void updateFilterLabel();
    void copySelection();
    void chooseExportFile();
    void onDefinition(TableDefinition definition);
    void showCellMenu(const QPoint &position);
    // Labels a key column with another column of the row it points at (kept per table name).
    void chooseLabel(const QString &column, const QString &labelColumn);
    static QHash<QString, QString> chosenLabels(const QString &table);

    ConnectionSettings m_settings;
    SessionOptions m_options;
    QString m_schema;
    QString m_table;
    DatabaseSession *m_session = nullptr;
    RowGridModel *m_model = nullptr;
    TableDefinition m_definition;
    BrowseOrder m_order;
    bool m_ready = false;
    bool m_columnsSized = false; // once, on the first rows: the person's widths are kept after
    QString m_error;
    quint64 m_estimateRequest = 0;
    double m_estimate = -1;

    QTabWidget *m_tabs = nullptr;
    QTableView *m_view = nullptr;
    QTextBrowser *m_structure = nullptr;
    QComboBox *m_filterColumn = nullptr;
    QComboBox *m_filterOp = nullptr;
    QLineEdit *m_filterValue = nullptr;
    QPushButton *m_filterApply = nullptr;
    QLabel *m_filterLabel = nullptr;
    QToolButton *m_clearFilters = nullptr;
    QToolButton *m_stop = nullptr;
    QToolButton *m_first = nullptr;
    QToolButton *m_last = nullptr;
    QToolButton *m_export = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace fuelsync
