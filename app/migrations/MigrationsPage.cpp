#include "MigrationsPage.h"

#include "ApplyChoiceDialog.h"
#include "MigrationListModel.h"
#include "MigrationRunJob.h"
#include "RunConfirmationDialog.h"
#include "RunProgressModel.h"
#include "SqlHighlighter.h"
#include "approve/ApprovalStore.h"
#include "common/RunnerIdentity.h"
#include "session/DatabaseSession.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace fuelsync {

namespace {

struct Loaded
{
    MigrationOverview overview;
    EnvironmentResolver::Resolved environment;
};

QPlainTextEdit *codeView(QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

QWidget *titled(QLabel *title, QWidget *body, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    title->setStyleSheet(QStringLiteral("color: #555b63; padding: 2px;"));
    // A long path must not widen the page: it is cut, and whole in the tooltip.
    title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(title);
    layout->addWidget(body, 1);
    return box;
}

QString durationText(qint64 ms)
{
    if (ms < 0)
        return {};
    return ms < 1000 ? QCoreApplication::translate("MigrationsPage", "%L1 ms").arg(ms)
                     : QCoreApplication::translate("MigrationsPage", "%L1 s")
                           .arg(double(ms) / 1000.0, 0, 'f', 2);
}

} // namespace

MigrationsPage::MigrationsPage(DatabaseSession *session, QString migrationsDirectory,
                               std::optional<DeploymentEnvironment> profileEnvironment,
                               QString readOnlyReason, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_directory(std::move(migrationsDirectory))
    , m_profileEnvironment(profileEnvironment)
    , m_readOnly(!readOnlyReason.isEmpty())
    , m_readOnlyReason(std::move(readOnlyReason))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    // Actions
    auto *bar = new QHBoxLayout;
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_dryRun = new QPushButton(tr("Dry run…"), this);
    m_dryRun->setToolTip(tr("Run the pending migrations in transactions that are rolled back, "
                            "and report timing and errors per schema. Nothing changes."));
    m_apply = new QPushButton(tr("Apply pending…"), this);
    m_rollbackButton = new QToolButton(this);
    m_rollbackButton->setText(tr("Roll back"));
    m_rollbackButton->setPopupMode(QToolButton::InstantPopup);
    auto *rollbackMenu = new QMenu(m_rollbackButton);
    rollbackMenu->addAction(tr("Roll back the newest migration…"), this,
                            [this] { rollBack(std::nullopt); });
    rollbackMenu->addAction(tr("Roll back everything after the selected version…"), this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (const MigrationStatus::Version *v = m_model->versionAt(current.row()))
            rollBack(MigrationVersion::parse(v->version));
    });
    m_rollbackButton->setMenu(rollbackMenu);
    m_approve = new QPushButton(tr("Approve…"), this);
    m_approve->setToolTip(tr("Approve the selected migration, as its file is now, for this "
                             "database (members of %1).")
                              .arg(QLatin1StringView(ApprovalStore::releaseManagersRole)));
    for (QWidget *w : std::initializer_list<QWidget *> { m_refresh, m_dryRun, m_apply,
                                                         m_rollbackButton, m_approve })
        bar->addWidget(w);
    bar->addStretch(1);
    layout->addLayout(bar);
    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    // The migrations
    auto *split = new QSplitter(Qt::Vertical, this);
    m_model = new MigrationListModel(this);
    m_table = new QTableView(split);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(MigrationListModel::DescriptionColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(MigrationListModel::ApprovalColumn,
                                                      QHeaderView::Interactive);
    m_table->setWordWrap(false);
    split->addWidget(m_table);

    // Details
    m_details = new QTabWidget(split);
    auto *code = new QSplitter(Qt::Horizontal, m_details);
    m_sql = codeView(code);
    m_rollback = codeView(code);
    new SqlHighlighter(m_sql->document());
    new SqlHighlighter(m_rollback->document());
    m_sqlTitle = new QLabel(tr("Migration"), code);
    m_rollbackTitle = new QLabel(tr("Rollback"), code);
    code->addWidget(titled(m_sqlTitle, m_sql, code));
    code->addWidget(titled(m_rollbackTitle, m_rollback, code));
    code->setStretchFactor(0, 1);
    code->setStretchFactor(1, 1);
    m_details->addTab(code, tr("SQL and rollback"));
    m_lint = new QPlainTextEdit(m_details);
    m_lint->setReadOnly(true);
    m_details->addTab(m_lint, tr("Lint"));
    m_history = new QStandardItemModel(this);
    m_history->setHorizontalHeaderLabels(
        { tr("When"), tr("Action"), tr("Outcome"), tr("What"), tr("By"), tr("Took") });
    auto *history = new QTableView(m_details);
    history->setModel(m_history);
    history->verticalHeader()->hide();
    history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    history->horizontalHeader()->setStretchLastSection(false);
    history->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    history->setWordWrap(false);
    m_details->addTab(history, tr("History"));

    auto *run = new QWidget(m_details);
    auto *runLayout = new QVBoxLayout(run);
    auto *runTop = new QHBoxLayout;
    m_runSummary = new QLabel(tr("No run yet."), run);
    m_runSummary->setWordWrap(true);
    m_bar = new QProgressBar(run);
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_cancel = new QPushButton(tr("Cancel run"), run);
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("No new schemas start; running ones are cancelled on the server and "
                            "roll back."));
    runTop->addWidget(m_runSummary, 1);
    runTop->addWidget(m_bar);
    runTop->addWidget(m_cancel);
    runLayout->addLayout(runTop);
    m_progress = new RunProgressModel(this);
    auto *progress = new QTableView(run);
    progress->setModel(m_progress);
    progress->verticalHeader()->hide();
    progress->setEditTriggers(QAbstractItemView::NoEditTriggers);
    progress->horizontalHeader()->setStretchLastSection(true);
    progress->setWordWrap(false);
    progress->verticalHeader()->setDefaultSectionSize(progress->fontMetrics().height() + 8);
    connect(m_progress, &QAbstractItemModel::modelReset, progress,
            [progress] { progress->resizeColumnsToContents(); });
    progress->setSelectionBehavior(QAbstractItemView::SelectRows);
    progress->setSelectionMode(QAbstractItemView::SingleSelection);
    runLayout->addWidget(progress, 1);
    // The whole message of the selected schema (the first failed one after a run), wrapped and
    // selectable: the table shows only its first line.
    m_runError = new QPlainTextEdit(run);
    m_runError->setReadOnly(true);
    m_runError->setPlaceholderText(tr("Select a schema to read its whole message here."));
    m_runError->setMaximumHeight(m_runError->fontMetrics().lineSpacing() * 7 + 12);
    m_runError->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    runLayout->addWidget(m_runError);
    m_progressView = progress;
    connect(progress->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_runError->setPlainText(current.isValid() ? m_progress->messageOf(current.row())
                                                           : QString());
            });
    m_details->addTab(run, tr("Run"));
    split->addWidget(m_details);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_refresh, &QPushButton::clicked, this, &MigrationsPage::reload);
    connect(m_dryRun, &QPushButton::clicked, this, [this] { askWhatToApply(true); });
    connect(m_apply, &QPushButton::clicked, this, [this] { askWhatToApply(false); });
    connect(m_approve, &QPushButton::clicked, this, &MigrationsPage::approveSelected);
    connect(m_cancel, &QPushButton::clicked, this, &MigrationsPage::cancelRun);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showSelection(); });
    // Running schemas' durations tick.
    auto *tick = new QTimer(this);
    tick->setInterval(500);
    connect(tick, &QTimer::timeout, this, [this, progress] {
        if (isRunning())
            progress->viewport()->update();
    });
    tick->start();

    setReadOnlyReason(m_readOnlyReason);
    reload();
}

void MigrationsPage::setReadOnlyReason(const QString &reason, bool mayApprove)
{
    m_readOnly = !reason.isEmpty();
    m_readOnlyReason = reason;
    m_mayApprove = m_readOnly && mayApprove;
    for (QWidget *w : std::initializer_list<QWidget *> { m_dryRun, m_apply, m_rollbackButton })
        w->setToolTip(reason);
    m_approve->setToolTip(m_mayApprove ? QString() : reason);
    updateActions();
}

MigrationsPage::~MigrationsPage()
{
    delete m_job; // cancels a run and waits for it to end
}

bool MigrationsPage::isRunning() const
{
    return m_job && m_job->isRunning();
}

const MigrationRunReport *MigrationsPage::lastReport() const
{
    return m_lastReport ? &*m_lastReport : nullptr;
}

QString MigrationsPage::runMessage() const
{
    return m_runError->toPlainText();
}

QString MigrationsPage::statusText() const
{
    return m_status->text();
}

QString MigrationsPage::sqlText() const
{
    return m_sql->toPlainText();
}

QString MigrationsPage::rollbackText() const
{
    return m_rollback->toPlainText();
}

void MigrationsPage::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b71c1c;") : QString());
}

void MigrationsPage::updateActions()
{
    const bool idle = m_loaded && !isRunning();
    const bool writable = idle && !m_readOnly;
    m_refresh->setEnabled(!isRunning());
    m_dryRun->setEnabled(writable);
    m_apply->setEnabled(writable);
    m_rollbackButton->setEnabled(writable);
    const MigrationStatus::Version *v = m_model->versionAt(m_table->currentIndex().row());
    m_approve->setEnabled(idle && (!m_readOnly || m_mayApprove) && v && v->fileExists
                          && !v->approval);
    m_cancel->setEnabled(isRunning() && !m_job->cancelRequested());
}

void MigrationsPage::showHistory(const MigrationOverview &overview)
{
    m_history->removeRows(0, m_history->rowCount());
    const auto when = [](const QDateTime &at) {
        return new QStandardItem(
            QLocale().toString(at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    };
    // The audit: every run, rollback, failure and refusal. Where the database keeps none yet,
    // what schema_migrations holds (applies only).
    for (const AuditEntry &e : overview.audit) {
        auto *outcome = new QStandardItem(AuditEntry::outcomeName(e.outcome));
        switch (e.outcome) {
        case AuditEntry::Outcome::Failed:
            outcome->setForeground(QColor(0xb7, 0x1c, 0x1c));
            break;
        case AuditEntry::Outcome::Refused:
            outcome->setForeground(QColor(0xa0, 0x5a, 0x00));
            break;
        case AuditEntry::Outcome::Cancelled:
            outcome->setForeground(QColor(0x5f, 0x63, 0x68));
            break;
        case AuditEntry::Outcome::Done:
            break;
        }
        auto *what = new QStandardItem(e.summary());
        const QString tip = e.error.isEmpty() ? e.summary() : e.summary() + u'\n' + e.error;
        what->setToolTip(tip);
        outcome->setToolTip(e.error);
        const QString by = e.osUser.isEmpty()
            ? e.databaseRole
            : tr("%1 (%2@%3)").arg(e.databaseRole, e.osUser, e.host);
        m_history->appendRow({ when(e.at), new QStandardItem(e.kind), outcome, what,
                               new QStandardItem(by),
                               new QStandardItem(durationText(e.durationMs)) });
    }
    if (!overview.audit.isEmpty())
        return;
    for (const MigrationHistory::Entry &e : overview.history) {
        m_history->appendRow(
            { when(e.executedAt), new QStandardItem(tr("migrate up")),
              new QStandardItem(tr("applied")),
              new QStandardItem(
                  QStringLiteral("%1: %2  %3").arg(e.schema, e.version, e.description)),
              new QStandardItem(e.runner.isEmpty() ? e.executedBy
                                                   : tr("%1 (%2)").arg(e.executedBy, e.runner)),
              new QStandardItem(durationText(e.executionMs)) });
    }
}

void MigrationsPage::reload()
{
    if (!m_session)
        return; // disconnected
    const quint64 generation = ++m_generation;
    setStatus(tr("Reading the migrations…"));
    const QString directory = m_directory;
    const std::optional<DeploymentEnvironment> profile = m_profileEnvironment;
    m_session->run<Loaded>(
        this,
        [directory, profile](DbConnection &c) {
            Loaded loaded;
            loaded.environment = EnvironmentResolver::forProfile(c, profile);
            loaded.overview = MigrationOverview::read(c, directory, loaded.environment.environment);
            return loaded;
        },
        [this, generation](const Loaded &result) {
            if (generation != m_generation)
                return;
            const QString selected = m_model->versionAt(m_table->currentIndex().row())
                ? m_model->versionAt(m_table->currentIndex().row())->version
                : QString();
            m_environment = result.environment;
            m_model->setOverview(result.overview);
            m_table->resizeColumnsToContents();
            m_table->horizontalHeader()->setSectionResizeMode(MigrationListModel::DescriptionColumn,
                                                              QHeaderView::Stretch);
            showHistory(result.overview);
            const MigrationStatus &status = result.overview.status;
            QString text = status.isUpToDate()
                ? tr("Up to date · %n tenant(s)", nullptr, status.tenantCount)
                : tr("%n pending", nullptr, status.pendingCount())
                    + tr(" · %n tenant(s)", nullptr, status.tenantCount);
            if (!status.fileProblems.isEmpty())
                text += tr(" · %n file problem(s)", nullptr, int(status.fileProblems.size()));
            if (result.overview.lint.errors() > 0)
                text += tr(" · %n lint error(s)", nullptr, result.overview.lint.errors());
            text += u' ' + tr("· %1").arg(result.environment.describe());
            setStatus(text, !status.fileProblems.isEmpty());
            m_loaded = true;
            int row = m_model->rowOf(selected);
            if (row < 0) {
                // The first pending migration, else the newest.
                row = m_model->rowCount() - 1;
                for (int r = 0; r < m_model->rowCount(); ++r) {
                    if (m_model->versionAt(r)->isPending()) {
                        row = r;
                        break;
                    }
                }
            }
            if (row >= 0)
                m_table->selectRow(row);
            showSelection();
            updateActions();
            emit loaded();
        },
        [this, generation](const QString &error) {
            if (generation != m_generation)
                return;
            setStatus(tr("The migrations could not be read: %1").arg(error), true);
            emit failed(error);
        });
}

void MigrationsPage::selectVersion(const QString &version)
{
    const int row = m_model->rowOf(version);
    if (row >= 0)
        m_table->selectRow(row);
}

void MigrationsPage::showSelection()
{
    const int row = m_table->currentIndex().row();
    const MigrationFile *file = m_model->fileAt(row);
    const MigrationStatus::Version *v = m_model->versionAt(row);
    if (!file) {
        m_sqlTitle->setText(v ? tr("%1: applied, but there is no file for it").arg(v->version)
                              : tr("Migration"));
        m_sql->clear();
        m_rollbackTitle->setText(tr("Rollback"));
        m_rollback->clear();
        m_lint->clear();
        updateActions();
        return;
    }
    m_sqlTitle->setText(tr("%1 · %2 scope · %3 · checksum %4…")
                            .arg(file->displayPath, scopeName(file->scope),
                                 transactionModeName(file->transaction), file->checksum.left(12)));
    m_sqlTitle->setToolTip(m_sqlTitle->text());
    m_sql->setPlainText(file->sql);
    if (!file->isReversible()) {
        m_rollbackTitle->setText(
            tr("No rollback: irreversible (%1)").arg(file->irreversibleReason));
        m_rollback->clear();
    } else if (file->rollbackPath.isEmpty()) {
        m_rollbackTitle->setText(tr("No rollback file"));
        m_rollback->clear();
    } else {
        m_rollbackTitle->setText(file->rollbackDisplayPath);
        m_rollback->setPlainText(file->rollbackSql);
    }
    QStringList lines;
    for (const LintFinding &f : m_model->lintOf(row)) {
        QString head = QStringLiteral("%1  %2 [%3]  %4")
                           .arg(f.location(),
                                f.acknowledged                                ? tr("acknowledged")
                                    : f.severity == LintRule::Severity::Error ? tr("error")
                                                                              : tr("warning"),
                                f.rule, f.message);
        lines.append(head);
        if (f.acknowledged)
            lines.append(tr("    because: %1").arg(f.acknowledgement));
        else
            lines.append(tr("    why: %1\n    fix: %2").arg(f.reason, f.fix));
    }
    m_lint->setPlainText(lines.isEmpty() ? tr("No findings.") : lines.join(u'\n'));
    m_details->setTabText(
        1, lines.isEmpty() ? tr("Lint") : tr("Lint (%1)").arg(m_model->lintOf(row).size()));
    updateActions();
}

MigrationRunOptions MigrationsPage::baseOptions() const
{
    MigrationRunOptions options;
    options.runner = RunnerIdentity::describe(QStringLiteral("fuelsync-admin"));
    // The environment the window shows is the one the run insists on.
    if (m_environment && !m_environment->assumed)
        options.environment = m_environment->environment;
    return options;
}

void MigrationsPage::askWhatToApply(bool dryRun)
{
    if (m_readOnly || isRunning() || !m_loaded)
        return;
    auto *dialog = new ApplyChoiceDialog(m_model->overview().status, dryRun, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_choice = dialog;
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, dryRun] { applyPending(dryRun, dialog->target(), dialog->tenants()); });
    dialog->open();
}

void MigrationsPage::applyPending(bool dryRun, std::optional<MigrationVersion> target,
                                  const QStringList &tenants)
{
    if (m_readOnly || isRunning())
        return;
    MigrationRunOptions options = baseOptions();
    options.direction = MigrationPlan::Direction::Up;
    options.dryRun = dryRun;
    options.target = std::move(target);
    options.tenants = tenants;
    preview(options, dryRun);
}

void MigrationsPage::rollBack(std::optional<MigrationVersion> keep)
{
    if (m_readOnly || isRunning())
        return;
    MigrationRunOptions options = baseOptions();
    options.direction = MigrationPlan::Direction::Down;
    options.target = std::move(keep);
    preview(options, false);
}

void MigrationsPage::preview(const MigrationRunOptions &options, bool dryRun)
{
    setStatus(tr("Planning…"));
    if (!m_model->overview().set || !m_session)
        return; // not read yet, or disconnected
    const QString directory = m_directory;
    m_session->run<MigrationPreview>(
        this,
        [directory, options](DbConnection &c) {
            // The files as they are now, not as they were when the view was read.
            auto fresh = std::make_shared<const MigrationSet>(MigrationSet::load(directory));
            return MigrationPreview::read(c, fresh, options);
        },
        [this, options, dryRun](const MigrationPreview &preview) {
            setStatus(QString());
            auto *dialog =
                new RunConfirmationDialog(preview, m_session->settings().database(), dryRun, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            m_confirmation = dialog;
            connect(dialog, &QDialog::accepted, this,
                    [this, preview, options] { launch(preview, options); });
            dialog->open();
        },
        [this](const QString &error) { setStatus(tr("Planning failed: %1").arg(error), true); });
}

void MigrationsPage::launch(const MigrationPreview &preview, const MigrationRunOptions &options)
{
    if (isRunning())
        return;
    if (!m_session)
        return;
    delete m_job;
    m_lastReport.reset();
    // The run plans again under its lock: it goes on only if that is what the person confirmed
    // (another run may have changed the database since the preview).
    MigrationRunOptions confirmed = options;
    auto changed = std::make_shared<bool>(false);
    m_planChanged = changed;
    confirmed.confirm =
        [versions = preview.versions(), environment = preview.environment.environment,
         losses = MigrationPreview::dataLossSentences(preview.rollbacks),
         changed](const MigrationPlan &plan, const EnvironmentResolver::Resolved &resolved,
                  const QStringList &dataLoss) {
            *changed = plan.versions() != versions || resolved.environment != environment
                || dataLoss != losses;
            return !*changed;
        };
    m_job = new MigrationRunJob(m_session->settings(), preview.set, confirmed, nullptr);
    m_progress->setPlan(preview.plan);
    m_bar->setRange(0, std::max(1, m_progress->total()));
    m_bar->setValue(0);
    const QString what = options.dryRun                       ? tr("Dry run of %1")
        : options.direction == MigrationPlan::Direction::Down ? tr("Rolling back %1")
                                                              : tr("Applying %1");
    m_runSummary->setText(what.arg(preview.versions().join(QStringLiteral(", "))) + u'…');
    m_details->setCurrentIndex(3);
    connect(m_job, &MigrationRunJob::schemaStarted, this,
            [this](const QString &schema) { m_progress->schemaStarted(schema); });
    connect(m_job, &MigrationRunJob::schemaFinished, this,
            [this](const QString &schema, const QString &state, qint64 ms, const QString &error) {
                m_progress->schemaFinished(schema, state, ms, error);
                m_bar->setValue(m_progress->finishedCount());
            });
    connect(m_job, &MigrationRunJob::finished, this, &MigrationsPage::onRunFinished);
    m_job->start();
    updateActions();
}

void MigrationsPage::cancelRun()
{
    if (!isRunning())
        return;
    m_job->cancel();
    m_runSummary->setText(m_runSummary->text()
                          + tr(" Cancelling: no new schemas start; running ones roll back."));
    updateActions();
}

void MigrationsPage::onRunFinished()
{
    m_progress->runEnded();
    // The first failure is there to read, whole, without looking for it.
    for (int row = 0; row < m_progress->rowCount(); ++row) {
        if (m_progress->stateAt(row) == RunProgressModel::State::Failed) {
            m_progressView->setCurrentIndex(m_progress->index(row, 0));
            break;
        }
    }
    m_lastReport = m_job->report();
    const MigrationRunReport &r = *m_lastReport;
    QString text;
    switch (r.result) {
    case MigrationRunReport::Result::Succeeded: {
        const QString versions = r.versions.join(QStringLiteral(", "));
        const int schemas = int(r.schemas.size());
        if (r.dryRun)
            text = tr("Dry run of %1 in %n schema(s): every step ran and was rolled back; nothing "
                      "was changed.",
                      nullptr, schemas)
                       .arg(versions);
        else if (r.direction == MigrationPlan::Direction::Down)
            text = tr("Rolled back %1 in %n schema(s).", nullptr, schemas).arg(versions);
        else
            text = tr("Applied %1 in %n schema(s).", nullptr, schemas).arg(versions);
        break;
    }
    case MigrationRunReport::Result::NothingToDo:
        text = tr("Nothing to do.");
        break;
    case MigrationRunReport::Result::Failed:
        text = tr("Failed in %n schema(s); each failed schema is as it was before.", nullptr,
                  r.failedSchemaCount());
        break;
    case MigrationRunReport::Result::Cancelled:
        text = tr("Cancelled: schemas that had finished keep their changes; the others are as "
                  "they were.");
        break;
    case MigrationRunReport::Result::Refused: {
        if (m_planChanged && *m_planChanged) {
            text = tr("Nothing ran: the database changed after you confirmed (another run?), so "
                      "the plan is not the one you saw. Look at it again.");
            break;
        }
        QStringList reasons;
        for (const MigrationProblem &p : r.refusals)
            reasons.append(p.message);
        text = tr("Refused, nothing changed: %1").arg(reasons.join(QStringLiteral("; ")));
        break;
    }
    case MigrationRunReport::Result::LockHeld:
        text = tr("Another run holds the lock (%1); nothing ran.").arg(r.lockHolder);
        break;
    default:
        text = r.error.isEmpty() ? tr("The run ended without a result (%1).")
                                       .arg(MigrationRunReport::resultName(r.result))
                                 : r.error;
        break;
    }
    text += u' ' + tr("(%1)").arg(durationText(r.durationMs));
    m_runSummary->setText(text);
    m_bar->setValue(m_bar->maximum());
    updateActions();
    emit runFinished();
    reload();
}

void MigrationsPage::approveSelected()
{
    const int row = m_table->currentIndex().row();
    const MigrationFile *file = m_model->fileAt(row);
    if (!file || (m_readOnly && !m_mayApprove) || !m_environment || !m_session)
        return;
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Approve migration %1").arg(file->version.text()));
    dialog->setMinimumWidth(520);
    auto *layout = new QVBoxLayout(dialog);
    auto *text = new QLabel(
        tr("Approve <b>%1</b> (%2) as its file is now (checksum %3…) for <b>%4</b> (%5)?<br/>"
           "A production run applies it only while the file stays exactly as it is.")
            .arg(file->version.text(), file->description.toHtmlEscaped(), file->checksum.left(12),
                 m_session->settings().database().toHtmlEscaped(),
                 m_environment->describe().toHtmlEscaped()),
        dialog);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *comment = new QLineEdit(dialog);
    comment->setObjectName(QStringLiteral("comment"));
    comment->setPlaceholderText(tr("Comment (what you checked, a ticket)"));
    layout->addWidget(comment);
    auto *buttons = new QDialogButtonBox(dialog);
    auto *ok = buttons->addButton(tr("Approve"), QDialogButtonBox::AcceptRole);
    ok->setAutoDefault(false);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    const QString version = file->version.text();
    const QString checksum = file->checksum; // what the person read is what gets approved
    const QString environment = DeploymentEnvironments::name(m_environment->environment);
    const QString directory = m_directory;
    connect(dialog, &QDialog::accepted, this,
            [this, comment, version, checksum, environment, directory] {
                if (!m_session)
                    return;
                const QString note = comment->text();
                if (!m_writer) {
                    // The browser's session is read-only: approving writes on one of its own.
                    m_writer = new DatabaseSession(this);
                    m_writer->open(
                        m_session->settings(), SessionOptions { false, 30000 }, this,
                        [](const DatabaseSession::Info &) {},
                        [this](std::exception_ptr error) {
                            setStatus(tr("Could not open a session to approve with: %1")
                                          .arg(DatabaseSession::describe(std::move(error))),
                                      true);
                            // The next approval tries again with a new session.
                            if (m_writer) {
                                m_writer->deleteLater();
                                m_writer = nullptr;
                            }
                        });
                }
                setStatus(tr("Approving %1…").arg(version));
                m_writer->run<MigrationApproval>(
                    this,
                    [directory, version, environment, note, checksum](DbConnection &c) {
                        return ApprovalStore::approve(c, MigrationSet::load(directory), version,
                                                      environment, note, checksum);
                    },
                    [this](const MigrationApproval &approval) {
                        setStatus(
                            tr("Approved %1 as %2.").arg(approval.version, approval.approvedBy));
                        reload();
                    },
                    [this](const QString &error) {
                        setStatus(tr("Not approved: %1").arg(error), true);
                    });
            });
    m_approval = dialog;
    dialog->open();
}

} // namespace fuelsync
