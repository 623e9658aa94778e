#include "TablePage.h"

#include "RowGridDelegate.h"
#include "RowGridModel.h"
#include "TableStructureHtml.h"
#include "browse/CsvExport.h"
#include "browse/TableDefinitionReader.h"
#include "common/AdminSettings.h"
#include "db/DbConnection.h"
#include "db/SessionOptions.h"
#include "session/BackgroundJobs.h"
#include "session/DatabaseSession.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace fuelsync {

namespace {

struct OpChoice
{
    RowFilter::Op op;
    const char *label;
};

const OpChoice opChoices[] = {
    { RowFilter::Op::Equals, QT_TRANSLATE_NOOP("TablePage", "=") },
    { RowFilter::Op::NotEquals, QT_TRANSLATE_NOOP("TablePage", "≠") },
    { RowFilter::Op::Contains, QT_TRANSLATE_NOOP("TablePage", "contains") },
    { RowFilter::Op::StartsWith, QT_TRANSLATE_NOOP("TablePage", "starts with") },
    { RowFilter::Op::Less, QT_TRANSLATE_NOOP("TablePage", "<") },
    { RowFilter::Op::LessOrEqual, QT_TRANSLATE_NOOP("TablePage", "≤") },
    { RowFilter::Op::Greater, QT_TRANSLATE_NOOP("TablePage", ">") },
    { RowFilter::Op::GreaterOrEqual, QT_TRANSLATE_NOOP("TablePage", "≥") },
    { RowFilter::Op::IsNull, QT_TRANSLATE_NOOP("TablePage", "is NULL") },
    { RowFilter::Op::IsNotNull, QT_TRANSLATE_NOOP("TablePage", "is not NULL") },
};

} // namespace

TablePage::TablePage(const ConnectionSettings &settings, const SessionOptions &options,
                     const QString &schema, const QString &table, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_options(options)
    , m_schema(schema)
    , m_table(table)
{
    m_session = new DatabaseSession(this);
    m_model = new RowGridModel(m_session, this);
    buildUi();

    m_session->open(
        settings, options, this,
        [this](const DatabaseSession::Info &) {
            const QString schemaName = m_schema;
            const QString tableName = m_table;
            const QHash<QString, QString> chosen = chosenLabels(tableName);
            using Read = std::pair<TableDefinition, QList<ForeignKeyLabels::Key>>;
            m_session->run<Read>(
                this,
                [schemaName, tableName, chosen](DbConnection &c) {
                    TableDefinition definition =
                        TableDefinitionReader::read(c, schemaName, tableName);
                    QList<ForeignKeyLabels::Key> keys =
                        ForeignKeyLabels::choose(c, definition, chosen);
                    return Read { std::move(definition), std::move(keys) };
                },
                [this](Read read) {
                    m_model->setLabelKeys(std::move(read.second));
                    onDefinition(std::move(read.first));
                },
                [this](QString error) {
                    m_error = std::move(error);
                    m_ready = true;
                    updateStatus();
                    emit ready();
                });
        },
        [this](std::exception_ptr error) {
            m_error = DatabaseSession::describe(std::move(error));
            m_ready = true;
            updateStatus();
            emit ready();
        });
}

TablePage::~TablePage() = default;

QHash<QString, QString> TablePage::chosenLabels(const QString &table)
{
    // Per table name, so every tenant's copy of a table reads the same.
    auto settings = AdminSettings::open();
    settings->beginGroup(QStringLiteral("foreignKeyLabels/") + table);
    QHash<QString, QString> chosen;
    for (const QString &column : settings->childKeys())
        chosen.insert(column, settings->value(column).toString());
    return chosen;
}

void TablePage::chooseLabel(const QString &column, const QString &labelColumn)
{
    auto settings = AdminSettings::open();
    settings->setValue(QStringLiteral("foreignKeyLabels/%1/%2").arg(m_table, column), labelColumn);
    settings.reset();
    // Read the keys again, and the rows with them.
    const QHash<QString, QString> chosen = chosenLabels(m_table);
    const TableDefinition definition = m_definition;
    m_session->run<QList<ForeignKeyLabels::Key>>(
        this,
        [definition, chosen](DbConnection &c) {
            return ForeignKeyLabels::choose(c, definition, chosen);
        },
        [this](QList<ForeignKeyLabels::Key> keys) {
            m_model->setLabelKeys(std::move(keys));
            applyOrder();
        },
        [this](const QString &error) { m_status->setText(error); });
}

void TablePage::showCellMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (!index.isValid())
        return;
    const std::optional<QString> value = m_model->valueAt(index.row(), index.column());
    QMenu menu(this);
    if (const ForeignKeyLabels::Key *key = m_model->labelKey(index.column())) {
        const ForeignKeyLabels::Key copy = *key;
        QAction *open = menu.addAction(
            tr("Open the %1 row it points at").arg(copy.parentTable), this, [this, copy, value] {
                emit openRowsRequested(
                    copy.parentSchema, copy.parentTable,
                    { { copy.parentColumn, RowFilter::Op::Equals, value.value_or(QString()) } });
            });
        open->setEnabled(value.has_value());
        QMenu *labels = menu.addMenu(tr("Label %1 with").arg(copy.columnName));
        for (const QString &column : copy.parentColumns) {
            QAction *action = labels->addAction(
                column, this, [this, copy, column] { chooseLabel(copy.columnName, column); });
            action->setCheckable(true);
            action->setChecked(column == copy.labelColumn);
        }
    }
    // A key of this table: the rows of other tables that point at it.
    const QString columnName = m_definition.columns.value(index.column()).name;
    if (value && m_definition.primaryKey == QStringList { columnName }) {
        QMenu *children = menu.addMenu(tr("Rows that point at this one"));
        for (const TableForeignKey &fk : std::as_const(m_definition.referencedBy)) {
            const qsizetype at = fk.referencedColumns.indexOf(columnName);
            if (at < 0 || at >= fk.columns.size())
                continue;
            const QString childColumn = fk.columns.at(at);
            children->addAction(
                tr("%1 (%2)").arg(fk.table, childColumn), this, [this, fk, childColumn, value] {
                    emit openRowsRequested(fk.schema, fk.table,
                                           { { childColumn, RowFilter::Op::Equals, *value } });
                });
        }
        children->setEnabled(!children->isEmpty());
    }
    if (!menu.isEmpty())
        menu.exec(m_view->viewport()->mapToGlobal(position));
}

QString TablePage::title() const
{
    return m_schema + u'.' + m_table;
}

void TablePage::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs);

    // Data
    auto *dataTab = new QWidget(m_tabs);
    auto *dataLayout = new QVBoxLayout(dataTab);
    dataLayout->setContentsMargins(6, 6, 6, 6);
    dataLayout->setSpacing(4);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(4);
    m_first = new QToolButton(dataTab);
    m_first->setText(tr("⤒ First"));
    m_first->setToolTip(tr("Go to the first rows (Ctrl+Home)"));
    m_last = new QToolButton(dataTab);
    m_last->setText(tr("⤓ Last"));
    m_last->setToolTip(tr("Go to the last rows (Ctrl+End)"));
    bar->addWidget(m_first);
    bar->addWidget(m_last);
    bar->addSpacing(12);

    auto *filterCaption = new QLabel(tr("Filter:"), dataTab);
    m_filterColumn = new QComboBox(dataTab);
    m_filterColumn->setMinimumContentsLength(12);
    m_filterColumn->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_filterOp = new QComboBox(dataTab);
    for (const OpChoice &choice : opChoices)
        m_filterOp->addItem(tr(choice.label), int(choice.op));
    m_filterValue = new QLineEdit(dataTab);
    m_filterValue->setPlaceholderText(tr("value"));
    m_filterValue->setClearButtonEnabled(true);
    m_filterValue->setMinimumWidth(140);
    m_filterApply = new QPushButton(tr("Apply"), dataTab);
    bar->addWidget(filterCaption);
    bar->addWidget(m_filterColumn);
    bar->addWidget(m_filterOp);
    bar->addWidget(m_filterValue, 1);
    bar->addWidget(m_filterApply);
    bar->addSpacing(12);
    m_stop = new QToolButton(dataTab);
    m_stop->setText(tr("■ Stop"));
    m_stop->setToolTip(tr("Cancel the query running on the server"));
    m_stop->setEnabled(false);
    m_export = new QToolButton(dataTab);
    m_export->setText(tr("Export CSV…"));
    m_export->setToolTip(tr("Write every row of the current filter and order to a CSV file"));
    bar->addWidget(m_stop);
    bar->addWidget(m_export);
    dataLayout->addLayout(bar);

    auto *filters = new QHBoxLayout;
    m_filterLabel = new QLabel(dataTab);
    m_filterLabel->setTextFormat(Qt::PlainText);
    m_filterLabel->setWordWrap(true);
    m_clearFilters = new QToolButton(dataTab);
    m_clearFilters->setText(tr("Clear filters"));
    filters->addWidget(m_filterLabel, 1);
    filters->addWidget(m_clearFilters);
    dataLayout->addLayout(filters);

    m_view = new QTableView(dataTab);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new RowGridDelegate(m_model, m_view));
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->hide(); // positions in the middle of a table are estimates
    m_view->horizontalHeader()->setSectionsClickable(true);
    m_view->horizontalHeader()->setSortIndicatorShown(false);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setDefaultSectionSize(140);
    m_view->installEventFilter(this);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &TablePage::showCellMenu);
    // A key's cell opens the row it points at.
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        const ForeignKeyLabels::Key *key = m_model->labelKey(index.column());
        const std::optional<QString> value = m_model->valueAt(index.row(), index.column());
        if (key && value)
            emit openRowsRequested(key->parentSchema, key->parentTable,
                                   { { key->parentColumn, RowFilter::Op::Equals, *value } });
    });
    dataLayout->addWidget(m_view, 1);

    m_status = new QLabel(dataTab);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    dataLayout->addWidget(m_status);
    m_tabs->addTab(dataTab, tr("Data"));

    // Structure
    m_structure = new QTextBrowser(m_tabs);
    m_structure->setOpenLinks(false);
    m_tabs->addTab(m_structure, tr("Structure"));

    connect(m_first, &QToolButton::clicked, this, &TablePage::showFirstRows);
    connect(m_last, &QToolButton::clicked, this, &TablePage::showLastRows);
    connect(m_stop, &QToolButton::clicked, this, [this] { m_session->cancelRunning(); });
    connect(m_export, &QToolButton::clicked, this, &TablePage::chooseExportFile);
    connect(m_filterApply, &QPushButton::clicked, this, [this] {
        const int column = m_filterColumn->currentIndex();
        if (column < 0)
            return;
        RowFilter filter;
        filter.column = m_filterColumn->currentData().toString();
        filter.op = RowFilter::Op(m_filterOp->currentData().toInt());
        filter.value = m_filterValue->text();
        addFilter(filter);
    });
    connect(m_filterValue, &QLineEdit::returnPressed, m_filterApply, &QPushButton::click);
    connect(m_filterOp, &QComboBox::currentIndexChanged, this, [this] {
        const auto op = RowFilter::Op(m_filterOp->currentData().toInt());
        m_filterValue->setEnabled(op != RowFilter::Op::IsNull && op != RowFilter::Op::IsNotNull);
    });
    connect(m_clearFilters, &QToolButton::clicked, this, &TablePage::clearFilters);
    connect(m_view->horizontalHeader(), &QHeaderView::sectionClicked, this, [this](int section) {
        if (section < 0 || section >= m_definition.columns.size())
            return;
        const QString name = m_definition.columns.at(section).name;
        // Ascending, then descending, then back to the key order.
        if (m_order.sortColumn != name)
            sortBy(name, false);
        else if (!m_order.descending)
            sortBy(name, true);
        else
            sortBy(QString(), false);
    });
    connect(m_structure, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        QString schema;
        QString table;
        if (TableStructureHtml::parseLink(url, &schema, &table))
            emit openTableRequested(schema, table);
    });
    connect(m_model, &RowGridModel::busyChanged, this, [this](bool busy) {
        m_stop->setEnabled(busy);
        updateStatus();
    });
    connect(m_model, &RowGridModel::pageLoaded, this, [this](const QString &error) {
        if (!m_columnsSized && error.isEmpty() && m_model->loadedRows() > 0) {
            // Wide enough for the first rows' values, up to a whole timestamp: a long value
            // (a uuid, a note) is cut there and shown whole in its tooltip.
            m_columnsSized = true;
            const int widest =
                m_view->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00+00:00"))
                + 16;
            for (int column = 0; column < m_model->columnCount(); ++column) {
                m_view->resizeColumnToContents(column);
                if (m_view->columnWidth(column) > widest)
                    m_view->setColumnWidth(column, widest);
            }
        }
        if (!m_ready) {
            m_ready = true;
            updateStatus();
            emit ready();
        }
        updateStatus();
    });
    for (QWidget *w : std::initializer_list<QWidget *> {
             m_first, m_last, m_filterColumn, m_filterOp, m_filterValue, m_filterApply, m_export })
        w->setEnabled(false);
    updateFilterLabel();
    m_status->setText(tr("Opening %1…").arg(title()));
}

void TablePage::onDefinition(TableDefinition definition)
{
    m_definition = std::move(definition);
    m_structure->setHtml(TableStructureHtml::render(m_definition));
    m_filterColumn->clear();
    for (const TableColumn &column : std::as_const(m_definition.columns))
        m_filterColumn->addItem(column.name, column.name);
    for (QWidget *w : std::initializer_list<QWidget *> {
             m_first, m_last, m_filterColumn, m_filterOp, m_filterValue, m_filterApply, m_export })
        w->setEnabled(true);
    applyOrder();
}

void TablePage::applyOrder()
{
    std::shared_ptr<const KeysetPager> pager;
    try {
        pager = std::make_shared<const KeysetPager>(m_definition, m_order);
    } catch (const std::exception &) {
        m_error = DatabaseSession::describe(std::current_exception());
        m_ready = true;
        updateStatus();
        emit ready();
        return;
    }
    m_error.clear();
    auto *header = m_view->horizontalHeader();
    const int sortSection = m_definition.columnIndex(m_order.sortColumn);
    header->setSortIndicatorShown(sortSection >= 0);
    if (sortSection >= 0)
        header->setSortIndicator(sortSection,
                                 m_order.descending ? Qt::DescendingOrder : Qt::AscendingOrder);

    // Unfiltered, the catalog's estimate; filtered, the planner's estimate for the filters.
    m_estimate = m_order.filters.isEmpty() ? m_definition.estimatedRows : -1;
    m_model->setPager(pager, m_estimate);
    m_view->scrollToTop();
    if (!m_order.filters.isEmpty()) {
        const quint64 requestId = ++m_estimateRequest;
        m_session->run<double>(
            this, [pager](DbConnection &c) { return pager->estimatedRows(c); },
            [this, requestId, pager](double estimate) {
                if (requestId != m_estimateRequest || m_model->pager() != pager.get())
                    return;
                m_estimate = estimate;
                m_model->refineEstimate(estimate);
                updateStatus();
            },
            {});
    }
    updateFilterLabel();
    updateStatus();
}

void TablePage::sortBy(const QString &column, bool descending)
{
    m_order.sortColumn = column;
    m_order.descending = descending;
    if (!m_definition.columns.isEmpty())
        applyOrder();
}

void TablePage::addFilter(const RowFilter &filter)
{
    m_order.filters.removeIf([&filter](const RowFilter &f) { return f.column == filter.column; });
    m_order.filters.append(filter);
    if (!m_definition.columns.isEmpty())
        applyOrder();
}

void TablePage::clearFilters()
{
    // The boxes too: what they still showed would read as a filter in force.
    m_filterValue->clear();
    m_filterOp->setCurrentIndex(0);
    if (m_order.filters.isEmpty())
        return;
    m_order.filters.clear();
    if (!m_definition.columns.isEmpty())
        applyOrder();
}

void TablePage::showFirstRows()
{
    m_model->showFirst();
    m_view->scrollToTop();
}

void TablePage::showLastRows()
{
    m_model->showLast();
    m_view->scrollToBottom();
}

void TablePage::showStructure()
{
    m_tabs->setCurrentIndex(1);
}

void TablePage::updateFilterLabel()
{
    if (m_order.filters.isEmpty()) {
        m_filterLabel->setText(
            tr("No filter: all rows, in %1 order.")
                .arg(m_order.sortColumn.isEmpty()
                         ? tr("key")
                         : tr("%1 %2").arg(m_order.sortColumn,
                                           m_order.descending ? tr("descending")
                                                              : tr("ascending"))));
        m_clearFilters->setVisible(false);
        return;
    }
    QStringList parts;
    for (const RowFilter &f : std::as_const(m_order.filters))
        parts.append(f.describe());
    m_filterLabel->setText(tr("Showing rows where %1").arg(parts.join(tr(" and "))));
    m_clearFilters->setVisible(true);
}

QString TablePage::errorText() const
{
    if (!m_error.isEmpty())
        return m_error;
    return m_model->lastError();
}

QString TablePage::statusText() const
{
    return m_status->text();
}

void TablePage::updateStatus()
{
    const QString error = errorText();
    if (!error.isEmpty()) {
        m_status->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_status->setText(error);
        return;
    }
    m_status->setStyleSheet(QString());
    if (m_definition.columns.isEmpty())
        return;
    const QLocale locale;
    QString rows;
    if (m_model->countIsExact())
        rows = tr("%1 rows").arg(locale.toString(m_model->rowCount()));
    else if (m_estimate >= 0)
        rows =
            tr("%1 rows (planner's estimate)").arg(TableStructureHtml::formatEstimate(m_estimate));
    else
        rows = tr("at least %1 rows").arg(locale.toString(m_model->rowCount()));
    QString text = rows;
    if (m_model->isBusy())
        text += tr(" · reading…");
    else if (m_model->loadedRows() > 0)
        text += tr(" · latest page read in %1 ms").arg(m_model->lastPageMs());
    text += tr(" · statement timeout %1 s").arg(m_options.statementTimeoutMs / 1000);
    if (m_definition.primaryKey.isEmpty())
        text += tr(" · no primary key: paged by row address");
    m_status->setText(text);
}

bool TablePage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Copy)) {
            copySelection();
            return true;
        }
        if (key->modifiers() & Qt::ControlModifier) {
            if (key->key() == Qt::Key_End) {
                m_last->click();
                return true;
            }
            if (key->key() == Qt::Key_Home) {
                m_first->click();
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TablePage::copySelection()
{
    int skipped = 0;
    const QString text = m_model->textOf(m_view->selectionModel()->selectedIndexes(), &skipped);
    QApplication::clipboard()->setText(text);
    if (skipped > 0)
        m_status->setText(tr("Copied the loaded cells; %1 selected cells were not loaded (use "
                             "Export CSV for whole tables).")
                              .arg(skipped));
}

void TablePage::chooseExportFile()
{
    const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
        + u'/' + m_schema + u'.' + m_table + QStringLiteral(".csv");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export to CSV"), suggested, tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void TablePage::exportCsv(const QString &path)
{
    auto *progress =
        new QProgressDialog(tr("Exporting %1…").arg(title()), tr("Cancel"), 0, 0, this);
    progress->setWindowTitle(tr("Export to CSV"));
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    const double estimate = m_estimate;
    if (estimate > 0)
        progress->setMaximum(int(std::min(estimate, 2e9)));
    // A job of its own, on a session of its own: the grid stays usable while the export runs,
    // and closing the tab cancels it (the jobs belong to the page).
    auto *jobs = new BackgroundJobs(this);
    connect(progress, &QProgressDialog::canceled, jobs, &BackgroundJobs::cancel);
    const auto finish = [this, jobs, progress](const QString &message, bool failed) {
        progress->close();
        progress->deleteLater();
        jobs->deleteLater();
        if (failed)
            QMessageBox::warning(this, tr("Export to CSV"), message);
        else
            m_status->setText(message);
    };
    jobs->start<CsvExport::Result>(
        [settings = m_settings, definition = m_definition, order = m_order,
         path](JobControl &control) {
            SessionOptions options;
            options.readOnly = true;
            const auto connection = DbConnection::open(options.applyTo(settings),
                                                       QStringLiteral("fuelsync-admin export"));
            return CsvExport::write(*connection, definition, order, path, control);
        },
        [finish, path](CsvExport::Result result) {
            if (result.cancelled)
                finish(tr("Export cancelled; %1 was left as it was.").arg(path), false);
            else
                finish(tr("Exported %1 rows to %2 (as PostgreSQL writes CSV: NULL as an "
                          "empty field, an empty text as \"\").")
                           .arg(QLocale().toString(result.rows), path),
                       false);
        },
        [finish, path](const QString &error, bool cancelled) {
            if (cancelled)
                finish(tr("Export cancelled; %1 was left as it was.").arg(path), false);
            else
                finish(tr("The export failed, and %1 was left as it was:\n%2").arg(path, error),
                       true);
        },
        [progress](const JobControl::Progress &p) {
            const qint64 rows = p.done;
            if (progress->maximum() > 0 && rows > progress->maximum())
                progress->setMaximum(0);
            progress->setLabelText(tr("Exported %1 rows…").arg(QLocale().toString(rows)));
            if (progress->maximum() > 0)
                progress->setValue(int(rows));
        });
    progress->show();
}

} // namespace fuelsync
