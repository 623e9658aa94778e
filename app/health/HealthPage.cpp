#include "HealthPage.h"

#include "common/RunnerIdentity.h"
#include "migrationfiles/MigrationSet.h"
#include "session/BackgroundJobs.h"
#include "validate/ValidationHistory.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>
#include <QValueAxis>

namespace fuelsync {

namespace {

using Severity = ValidationFinding::Severity;

constexpr int findingRole = Qt::UserRole + 1; // index into m_groups; -1: a group's row

QColor severityColour(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QColor(0xb7, 0x1c, 0x1c);
    case Severity::Warning:
        return QColor(0xa1, 0x5c, 0x00);
    case Severity::Info:
        break;
    }
    return QColor(0x4a, 0x5a, 0x6a);
}

// The table a finding's object is on: "table sales", "index sales.sales_pkey",
// "constraint nozzles.nozzles_pump_fkey", "column sales.amount" -> the table's name.
QString tableOf(const ValidationFinding &finding)
{
    const QString kind = finding.object.section(u' ', 0, 0);
    QString name = finding.object.section(u' ', 1);
    if (finding.schema.isEmpty() || name.isEmpty())
        return {};
    if (kind == u"table" || kind == u"partitioned-table" || kind == u"view"
        || kind == u"materialized-view")
        return name;
    if (kind == u"column" || kind == u"index" || kind == u"constraint" || kind == u"trigger"
        || kind == u"comment")
        return name.section(u'.', 0, 0);
    return {};
}

QStandardItem *cell(const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    item->setToolTip(text);
    return item;
}

} // namespace

HealthPage::HealthPage(ConnectionSettings settings, QString migrationsDirectory,
                       QString historyFolder, QWidget *parent)
    : QWidget(parent)
    , m_settings(std::move(settings))
    , m_migrationsDirectory(std::move(migrationsDirectory))
    , m_historyFolder(std::move(historyFolder))
    , m_jobs(new BackgroundJobs(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *checksRow = new QHBoxLayout;
    checksRow->addWidget(new QLabel(tr("Checks:"), this));
    for (const QString &check : SchemaValidator::checkNames()) {
        auto *box = new QCheckBox(check, this);
        box->setChecked(true);
        box->setObjectName(check);
        m_checkBoxes.append(box);
        checksRow->addWidget(box);
    }
    checksRow->addStretch(1);
    layout->addLayout(checksRow);

    auto *runRow = new QHBoxLayout;
    m_scope = new QComboBox(this);
    m_scope->addItem(tr("Every tenant"));
    runRow->addWidget(m_scope);
    m_run = new QPushButton(tr("Run checks"), this);
    m_run->setDefault(true);
    m_run->setToolTip(tr("Reads only: READ ONLY sessions with a statement timeout"));
    runRow->addWidget(m_run);
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    m_progress->hide();
    runRow->addWidget(m_progress, 1);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    runRow->addWidget(m_cancel);
    runRow->addStretch(0);
    runRow->addWidget(new QLabel(tr("Group by:"), this));
    m_groupingBox = new QComboBox(this);
    m_groupingBox->addItem(tr("check"));
    m_groupingBox->addItem(tr("tenant"));
    runRow->addWidget(m_groupingBox);
    layout->addLayout(runRow);

    m_status = new QLabel(tr("Run the checks to see what every tenant's live schema and data "
                             "really are, against what the migration files say."),
                          this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_model = new QStandardItemModel(this);
    m_view = new QTreeView(this);
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto *detailPane = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_detail = new QTextBrowser(detailPane);
    m_detail->setOpenLinks(false);
    detailLayout->addWidget(m_detail, 1);
    auto *fixRow = new QHBoxLayout;
    m_copyFix = new QPushButton(tr("Copy fix"), detailPane);
    m_copyFix->setEnabled(false);
    m_saveFixes = new QPushButton(tr("Save all fixes…"), detailPane);
    m_saveFixes->setEnabled(false);
    m_saveFixes->setToolTip(tr("One psql script, never run here: what runs in a transaction "
                               "first, then each CREATE INDEX CONCURRENTLY alone"));
    fixRow->addWidget(m_copyFix);
    fixRow->addWidget(m_saveFixes);
    fixRow->addStretch(1);
    detailLayout->addLayout(fixRow);

    m_chart = new QChartView(this);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(150);

    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_view);
    upper->addWidget(detailPane);
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(upper);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    connect(m_run, &QPushButton::clicked, this, [this] {
        QStringList checks;
        for (QCheckBox *box : std::as_const(m_checkBoxes)) {
            if (box->isChecked())
                checks.append(box->objectName());
        }
        if (checks.isEmpty()) {
            m_status->setText(tr("Tick at least one check."));
            return;
        }
        const bool onlyOne = m_scope->currentIndex() == 1 && !m_selectedTenant.isEmpty();
        runChecks(checks, onlyOne ? QStringList { m_selectedTenant } : QStringList());
    });
    connect(m_cancel, &QPushButton::clicked, this, &HealthPage::cancel);
    connect(m_groupingBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        setGrouping(index == 1 ? Grouping::ByTenant : Grouping::ByCheck);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HealthPage::showDetail);
    connect(m_view, &QTreeView::doubleClicked, this, &HealthPage::activate);
    connect(m_copyFix, &QPushButton::clicked, this, [this] {
        if (const ValidationFinding *f = findingAt(m_view->currentIndex()))
            QApplication::clipboard()->setText(f->fixSql);
    });
    connect(m_saveFixes, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save all fixes"), QStringLiteral("fixes.sql"), tr("SQL scripts (*.sql)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveFixes(path, &error))
            QMessageBox::warning(this, tr("Save all fixes"), error);
        else
            m_status->setText(tr("The fixes are in %1; nothing was run.").arg(path));
    });
    rebuild();
    reloadChart();
}

HealthPage::~HealthPage() = default; // m_jobs cancels a running validation

void HealthPage::setSelectedTenant(const QString &schema)
{
    m_selectedTenant = schema == u"public" ? QString() : schema;
    while (m_scope->count() > 1)
        m_scope->removeItem(1);
    if (!m_selectedTenant.isEmpty())
        m_scope->addItem(tr("Only %1 (selected in the tree)").arg(m_selectedTenant));
}

void HealthPage::runChecks(const QStringList &checks, const QStringList &tenants)
{
    if (m_busy)
        return;
    setBusy(true);
    m_status->setText(tr("Validating…"));
    SchemaValidator::Options options;
    options.checks = checks;
    options.tenants = tenants;
    options.historyRoot = ValidationHistory::root();
    options.runner = RunnerIdentity::describe(QStringLiteral("fuelsync-admin"));
    const ConnectionSettings settings = m_settings;
    const QString directory = m_migrationsDirectory;
    m_jobs->start<SchemaValidator::Report>(
        [settings, directory, options](JobControl &control) {
            const MigrationSet set = MigrationSet::load(directory);
            return SchemaValidator::run(settings, set, options, control);
        },
        [this](SchemaValidator::Report report) {
            setBusy(false);
            if (!report.historyFolder.isEmpty())
                m_historyFolder = report.historyFolder;
            m_report = std::move(report);
            rebuild();
            reloadChart();
            emit finished(true, statusText());
        },
        [this](const QString &error, bool cancelled) {
            setBusy(false);
            m_status->setText(cancelled ? tr("Cancelled: nothing of this run is shown.")
                                        : tr("The validation failed: %1").arg(error));
            reloadChart();
            emit finished(false, m_status->text());
        },
        [this](const JobControl::Progress &p) {
            if (p.total > 0) {
                m_progress->setRange(0, int(p.total));
                m_progress->setValue(int(p.done));
            } else {
                m_progress->setRange(0, 0);
            }
            if (!m_jobs->control() || !m_jobs->control()->isCancelled())
                m_progress->setFormat(p.total > 0 ? tr("%1 (%2 of %3)")
                                                        .arg(p.detail.isEmpty() ? p.step : p.detail)
                                                        .arg(p.done)
                                                        .arg(p.total)
                                                  : p.step);
        });
}

void HealthPage::cancel()
{
    m_jobs->cancel();
    m_cancel->setEnabled(false);
    m_progress->setFormat(tr("Cancelling…"));
}

void HealthPage::setBusy(bool busy)
{
    m_busy = busy;
    m_run->setEnabled(!busy);
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    m_cancel->setEnabled(busy);
    if (busy) {
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Starting…"));
    }
}

void HealthPage::setGrouping(Grouping grouping)
{
    m_grouping = grouping;
    const QSignalBlocker blocker(m_groupingBox);
    m_groupingBox->setCurrentIndex(grouping == Grouping::ByTenant ? 1 : 0);
    rebuild();
}

QString HealthPage::statusText() const
{
    return m_status->text();
}

QString HealthPage::detailText() const
{
    return m_detail->toPlainText();
}

const ValidationFinding *HealthPage::findingAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const QModelIndex first = index.sibling(index.row(), 0);
    const QVariant which = first.data(findingRole);
    if (!which.isValid() || which.toInt() < 0 || which.toInt() >= m_groups.size())
        return nullptr;
    return &m_groups.at(which.toInt()).finding;
}

bool HealthPage::selectFinding(const QString &check, const QString &object)
{
    for (int g = 0; g < m_model->rowCount(); ++g) {
        const QModelIndex group = m_model->index(g, 0);
        for (int r = 0; r < m_model->rowCount(group); ++r) {
            const QModelIndex row = m_model->index(r, 0, group);
            const ValidationFinding *f = findingAt(row);
            if (f && f->check == check && f->object == object) {
                m_view->setCurrentIndex(row);
                return true;
            }
        }
    }
    return false;
}

QString HealthPage::fixScript() const
{
    return m_report ? m_report->fixScript() : QString();
}

bool HealthPage::saveFixes(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(fixScript().toUtf8()) < 0
        || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void HealthPage::activate(const QModelIndex &index)
{
    const ValidationFinding *f = findingAt(index);
    if (!f)
        return;
    const QString table = tableOf(*f);
    if (table.isEmpty())
        return;
    if (!f->rows.isEmpty())
        emit openRowsRequested(f->schema, table, f->rows);
    else
        emit openTableRequested(f->schema, table);
}

void HealthPage::rebuild()
{
    m_model->clear();
    m_model->setHorizontalHeaderLabels(
        { tr("Severity"), tr("Where"), tr("Object"), tr("What is wrong") });
    m_groups.clear();
    m_detail->clear();
    m_copyFix->setEnabled(false);
    m_saveFixes->setEnabled(m_report && !m_report->fixScript().trimmed().isEmpty());
    if (!m_report)
        return;
    const SchemaValidator::Report &report = *m_report;
    m_groups = report.grouped();

    // One top row per check (or per schema), the findings under it, worst first.
    QMap<QString, QStandardItem *> heads;
    QMap<QString, std::array<int, 3>> counts; // errors, warnings, infos
    QStringList order;
    const QString database = tr("(the database)");
    auto keyOf = [&](const SchemaValidator::Report::Group &group) {
        if (m_grouping == Grouping::ByCheck)
            return group.finding.check;
        return group.schemas.size() == 1
            ? (group.finding.schema.isEmpty() ? database : group.finding.schema)
            : tr("%n schemas alike", nullptr, int(group.schemas.size()));
    };
    QList<int> byWorst(m_groups.size());
    std::iota(byWorst.begin(), byWorst.end(), 0);
    std::stable_sort(byWorst.begin(), byWorst.end(), [this](int a, int b) {
        return int(m_groups.at(a).finding.severity) > int(m_groups.at(b).finding.severity);
    });
    for (const SchemaValidator::Report::Group &group : std::as_const(m_groups)) {
        const QString key = keyOf(group);
        if (!heads.contains(key)) {
            order.append(key);
            heads.insert(key, cell(key));
        }
    }
    order.sort(Qt::CaseInsensitive);
    for (int i : std::as_const(byWorst)) {
        const SchemaValidator::Report::Group &group = m_groups.at(i);
        const ValidationFinding &f = group.finding;
        const QString key = keyOf(group);
        ++counts[key][f.severity == Severity::Error ? 0 : f.severity == Severity::Warning ? 1 : 2];
        const QString where = group.schemas.size() == 1
            ? (f.schema.isEmpty() ? database : f.schema)
            : tr("%1 schemas (%2)")
                  .arg(group.schemas.size())
                  .arg(QStringList(group.schemas.mid(0, 5)).join(QStringLiteral(", "))
                       + (group.schemas.size() > 5 ? QStringLiteral(", …") : QString()));
        auto *severity = cell(m_grouping == Grouping::ByCheck
                                  ? ValidationFinding::severityName(f.severity)
                                  : ValidationFinding::severityName(f.severity) + u' ' + f.check);
        severity->setForeground(severityColour(f.severity));
        severity->setData(i, findingRole);
        if (f.severity == Severity::Error) {
            QFont bold = severity->font();
            bold.setBold(true);
            severity->setFont(bold);
        }
        heads.value(key)->appendRow(
            { severity, cell(where), cell(f.object), cell(f.problem.section(u'\n', 0, 0)) });
    }
    // Heads with errors first (what is not checked right after them), then warnings, then info.
    struct Head
    {
        int rank;
        QString name;
        QList<QStandardItem *> row;
    };
    QList<Head> rows;
    for (const QString &key : std::as_const(order)) {
        QStandardItem *head = heads.value(key);
        const auto &c = counts[key];
        QStringList parts;
        if (c[0] > 0)
            parts.append(tr("%n error(s)", nullptr, c[0]));
        if (c[1] > 0)
            parts.append(tr("%n warning(s)", nullptr, c[1]));
        if (c[2] > 0)
            parts.append(tr("%n info", nullptr, c[2]));
        head->setText(QStringLiteral("%1 — %2").arg(key, parts.join(QStringLiteral(", "))));
        head->setData(-1, findingRole);
        QFont bold = head->font();
        bold.setBold(true);
        head->setFont(bold);
        if (c[0] > 0)
            head->setForeground(severityColour(Severity::Error));
        else if (c[1] > 0)
            head->setForeground(severityColour(Severity::Warning));
        rows.append({ c[0] > 0       ? 0
                          : c[1] > 0 ? 2
                                     : 3,
                      key,
                      { head, cell(QString()), cell(QString()), cell(QString()) } });
    }
    const auto notChecked = report.notCheckedGrouped();
    if (!notChecked.isEmpty()) {
        auto *head = cell(tr("not checked — %n group(s)", nullptr, int(notChecked.size())));
        head->setData(-1, findingRole);
        head->setForeground(severityColour(Severity::Error));
        QFont bold = head->font();
        bold.setBold(true);
        head->setFont(bold);
        for (const auto &n : notChecked) {
            auto *what = cell(n.check);
            what->setData(-1, findingRole);
            head->appendRow({ what,
                              cell(n.schemas == QStringList { QString() }
                                       ? database
                                       : n.schemas.join(QStringLiteral(", "))),
                              cell(QString()), cell(n.reason) });
        }
        rows.append({ 1, QString(), { head, cell(QString()), cell(QString()), cell(QString()) } });
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Head &a, const Head &b) { return a.rank < b.rank; });
    for (const Head &head : std::as_const(rows)) {
        m_model->appendRow(head.row);
        m_view->setFirstColumnSpanned(m_model->rowCount() - 1, QModelIndex(), true);
    }
    m_view->expandAll();
    // The heads span the row; the columns fit the findings, within reason.
    m_view->setColumnWidth(0, m_grouping == Grouping::ByCheck ? 110 : 190);
    m_view->setColumnWidth(1, 170);
    m_view->setColumnWidth(2, 230);

    const int errors = report.count(Severity::Error);
    const int warnings = report.count(Severity::Warning);
    const int infos = report.count(Severity::Info);
    const int unchecked = int(report.notChecked.size());
    QString text =
        tr("Validated %1 (%2): ").arg(report.database, report.checks.join(QStringLiteral(", ")))
        + tr("%n error(s)", nullptr, errors) + QStringLiteral(", ")
        + tr("%n warning(s)", nullptr, warnings) + QStringLiteral(", ")
        + tr("%n info finding(s)", nullptr, infos);
    if (unchecked > 0)
        text += QStringLiteral(", ") + tr("%n not checked", nullptr, unchecked);
    text += u'.';
    if (!report.summary.isEmpty())
        text += u'\n' + report.summary.join(u'\n');
    m_status->setText(text);
    if (m_model->rowCount() > 0) {
        const QModelIndex first = m_model->index(0, 0);
        m_view->setCurrentIndex(m_model->rowCount(first) > 0 ? m_model->index(0, 0, first) : first);
    }
}

void HealthPage::showDetail()
{
    const ValidationFinding *f = findingAt(m_view->currentIndex());
    m_copyFix->setEnabled(f && !f->fixSql.isEmpty());
    if (!f) {
        m_detail->clear();
        return;
    }
    const SchemaValidator::Report::Group &group = m_groups.at(
        m_view->currentIndex().sibling(m_view->currentIndex().row(), 0).data(findingRole).toInt());
    QString html = QStringLiteral("<p><b style='color:%1'>%2</b> &nbsp; %3 &nbsp; <b>%4</b></p>")
                       .arg(severityColour(f->severity).name(),
                            ValidationFinding::severityName(f->severity).toUpper(),
                            f->check.toHtmlEscaped(), f->object.toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>").arg(f->problem.toHtmlEscaped());
    html +=
        QStringLiteral("<p><i>%1</i> %2</p>").arg(tr("Why it matters:"), f->why.toHtmlEscaped());
    const QString schemas = group.schemas == QStringList { QString() }
        ? tr("the database as a whole")
        : group.schemas.join(QStringLiteral(", "));
    html += QStringLiteral("<p><i>%1</i> %2</p>").arg(tr("Where:"), schemas.toHtmlEscaped());
    if (!f->fixSql.isEmpty()) {
        html += QStringLiteral("<p><i>%1</i></p><pre style='white-space: pre-wrap'>%2</pre>")
                    .arg(group.schemas.size() > 1
                             ? tr("Fix, for %1 (the same in each; Save all fixes writes every "
                                  "one):")
                                   .arg(f->schema.toHtmlEscaped())
                             : tr("Fix (never run here):"),
                         f->fixSql.toHtmlEscaped());
        if (f->fixOutsideTransaction)
            html += QStringLiteral("<p>%1</p>")
                        .arg(tr("It cannot run inside a transaction: run it alone."));
    }
    if (!tableOf(*f).isEmpty())
        html += QStringLiteral("<p style='color:#6b7078'>%1</p>")
                    .arg(f->rows.isEmpty()
                             ? tr("Double-click to open %1.%2.").arg(f->schema, tableOf(*f))
                             : tr("Double-click to see these rows in %1.%2.")
                                   .arg(f->schema, tableOf(*f)));
    m_detail->setHtml(html);
}

void HealthPage::reloadChart()
{
    QList<ValidationHistory::Entry> runs;
    if (!m_historyFolder.isEmpty())
        runs = ValidationHistory(m_historyFolder).recent(60);
    auto *chart = new QChart;
    chart->setTitle(runs.isEmpty() ? tr("No validation of this database on record yet")
                                   : tr("Findings per run"));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *errors = new QLineSeries;
    errors->setName(tr("errors"));
    errors->setColor(severityColour(Severity::Error));
    auto *warnings = new QLineSeries;
    warnings->setName(tr("warnings"));
    warnings->setColor(severityColour(Severity::Warning));
    auto *unchecked = new QLineSeries;
    unchecked->setName(tr("not checked"));
    unchecked->setColor(QColor(0x6b, 0x70, 0x78));
    QDateTime first;
    QDateTime last;
    int most = 1;
    for (const ValidationHistory::Entry &run : std::as_const(runs)) {
        if (!run.error.isEmpty())
            continue;
        const qreal x = qreal(run.startedAt.toMSecsSinceEpoch());
        errors->append(x, run.errors);
        warnings->append(x, run.warnings);
        unchecked->append(x, run.notChecked);
        most = std::max({ most, run.errors, run.warnings, run.notChecked });
        first = first.isValid() ? std::min(first, run.startedAt) : run.startedAt;
        last = last.isValid() ? std::max(last, run.startedAt) : run.startedAt;
    }
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("d MMM HH:mm"));
    if (first.isValid())
        x->setRange(first.addSecs(-1800).toLocalTime(), last.addSecs(1800).toLocalTime());
    x->setTickCount(4);
    auto *y = new QValueAxis;
    y->setRange(0, most * 1.15);
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTickCount(4);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QLineSeries *series : { errors, warnings, unchecked }) {
        series->setPointsVisible(true);
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    QChart *old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

} // namespace fuelsync
