#include "BackupsPage.h"

#include "backup/BackupPruner.h"
#include "backup/BackupRestorer.h"
#include "backup/BackupRunLog.h"
#include "backup/BackupRunner.h"
#include "backup/BackupScheduleStore.h"
#include "backup/BackupVerifier.h"
#include "backup/SystemdUserTimer.h"
#include "backup/TenantRestore.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "migrationfiles/MigrationsLocation.h"
#include "session/BackgroundJobs.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTimeAxis>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QThread>
#include <QTimeEdit>
#include <QVBoxLayout>
#include <QValueAxis>

namespace fuelsync {

namespace {

QStandardItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignLeft)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    item->setTextAlignment(alignment | Qt::AlignVCenter);
    return item;
}

QString when(const QDateTime &at)
{
    return at.isValid() ? QLocale().toString(at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"))
                        : QString();
}

QTableView *newTable(QWidget *parent, QStandardItemModel *model)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

BackupsPage::BackupsPage(QString folder, ConnectionSettings settings, QString readOnlyReason,
                         QString profile, QWidget *parent)
    : QWidget(parent)
    , m_folder(std::move(folder))
    , m_settings(std::move(settings))
    , m_readOnly(!readOnlyReason.isEmpty())
    , m_readOnlyReason(std::move(readOnlyReason))
    , m_profile(std::move(profile))
    , m_jobs(new BackgroundJobs(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *bar = new QHBoxLayout;
    const auto button = [this, bar](const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setToolTip(tip);
        bar->addWidget(b);
        m_actions.append(b);
        return b;
    };
    auto *run = button(tr("Run now"), tr("Back up public and every tenant, from one snapshot"));
    auto *verifyButton =
        button(tr("Verify…"), tr("Check the selected backup's archives, or restore-test it"));
    auto *restore =
        button(tr("Restore tenant…"), tr("Bring one tenant back from the selected backup"));
    auto *prune = button(tr("Prune…"), tr("Remove the backups a retention policy does not keep"));
    auto *refresh = new QPushButton(tr("Refresh"), this);
    bar->addWidget(refresh);
    bar->addStretch(1);
    layout->addLayout(bar);
    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    // Offered after a tenant restored in place that is older than the migration files.
    m_migrateButton = new QPushButton(this);
    m_migrateButton->hide();
    connect(m_migrateButton, &QPushButton::clicked, this, &BackupsPage::migrateRestored);
    layout->addWidget(m_migrateButton, 0, Qt::AlignLeft);
    m_failures = new QLabel(this);
    m_failures->setWordWrap(true);
    m_failures->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    layout->addWidget(m_failures);

    auto *progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancelButton);
    layout->addLayout(progressRow);
    m_progress->hide();
    m_cancelButton->hide();

    m_model = new QStandardItemModel(this);
    m_table = newTable(this, m_model);
    m_schedules = new QStandardItemModel(this);
    m_scheduleTable = newTable(this, m_schedules);
    m_chart = new QChartView(this);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(180);
    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    auto *scheduleRow = new QHBoxLayout;
    scheduleRow->addWidget(new QLabel(tr("Schedules: backups that run by themselves (a systemd "
                                         "user timer), with the window closed"),
                                      lower),
                           1);
    auto *addSchedule = new QPushButton(tr("New schedule…"), lower);
    auto *removeScheduleButton = new QPushButton(tr("Remove schedule"), lower);
    scheduleRow->addWidget(addSchedule);
    scheduleRow->addWidget(removeScheduleButton);
    lowerLayout->addLayout(scheduleRow);
    addSchedule->setEnabled(!m_profile.isEmpty());
    addSchedule->setToolTip(m_profile.isEmpty()
                                ? tr("A schedule runs with a saved profile: connect with one")
                                : tr("Back up profile %1 at a time of day").arg(m_profile));
    connect(addSchedule, &QPushButton::clicked, this, &BackupsPage::askSchedule);
    connect(removeScheduleButton, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_scheduleTable->selectionModel()->selectedRows();
        if (m_readOnly || rows.isEmpty())
            return;
        const QString name = m_schedules->item(rows.first().row(), 0)->text();
        if (QMessageBox::question(
                this, tr("Remove schedule"),
                tr("Remove the schedule %1 and its timer? Its backups stay.").arg(name))
            == QMessageBox::Yes)
            removeSchedule(name, true);
    });
    lowerLayout->addWidget(m_scheduleTable);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chart);
    splitter->addWidget(lower);
    splitter->setSizes({ 300, 220, 120 });
    layout->addWidget(splitter, 1);

    connect(run, &QPushButton::clicked, this, &BackupsPage::runNow);
    connect(verifyButton, &QPushButton::clicked, this, &BackupsPage::askVerify);
    connect(restore, &QPushButton::clicked, this, &BackupsPage::askRestore);
    connect(prune, &QPushButton::clicked, this, &BackupsPage::askPrune);
    connect(refresh, &QPushButton::clicked, this, &BackupsPage::reload);
    connect(m_cancelButton, &QPushButton::clicked, this, &BackupsPage::cancel);
    m_writers = { run, restore, prune, addSchedule, removeScheduleButton };
    enableWriters();
    reload();
}

void BackupsPage::enableWriters()
{
    for (QPushButton *b : std::as_const(m_writers)) {
        if (m_readOnly) {
            b->setEnabled(false);
            b->setToolTip(m_readOnlyReason);
        }
    }
}

BackupsPage::~BackupsPage() = default; // m_jobs cancels a running job; nothing of it comes back

QString BackupsPage::statusText() const
{
    return m_status->text();
}

QString BackupsPage::selectedId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const int row = rows.isEmpty() ? 0 : rows.first().row();
    return m_model->rowCount() > row ? m_model->item(row, 0)->text() : QString();
}

void BackupsPage::reload()
{
    const BackupStore store(m_folder);
    const QList<BackupStore::Entry> entries = store.list();
    m_model->clear();
    m_model->setHorizontalHeaderLabels(
        { tr("Backup"), tr("Taken"), tr("Schemas"), tr("Size"), tr("Took"), tr("Verification") });
    const QLocale locale;
    auto *size = new QLineSeries;
    size->setName(tr("Size (MB)"));
    auto *took = new QLineSeries;
    took->setName(tr("Took (s)"));
    double maxSize = 1;
    double maxTook = 1;
    QDateTime first;
    QDateTime last;
    for (const BackupStore::Entry &e : entries) {
        if (!e.manifest) {
            m_model->appendRow({ cell(e.id), cell(QString()), cell(QString()), cell(QString()),
                                 cell(QString()), cell(tr("not usable: %1").arg(e.problem)) });
            continue;
        }
        const BackupManifest &m = *e.manifest;
        const auto verified = BackupVerifier::lastVerification(e.folder);
        QString state = tr("not verified");
        if (verified)
            state = (verified->ok()
                         ? (verified->restoreTested ? tr("restore-tested %1") : tr("verified %1"))
                         : tr("FAILED %1"))
                        .arg(when(verified->at));
        QList<QStandardItem *> row {
            cell(m.id),
            cell(when(m.snapshotAt)),
            cell(locale.toString(m.schemas.size()), Qt::AlignRight),
            cell(locale.formattedDataSize(m.bytes()), Qt::AlignRight),
            cell(QStringLiteral("%1 s").arg(locale.toString(double(m.durationMs) / 1000, 'f', 1)),
                 Qt::AlignRight),
            cell(state),
        };
        // Which archive holds which schemas.
        QStringList archives;
        for (const BackupManifest::Archive &a : m.archives) {
            QString held = a.schemas.mid(0, 4).join(QStringLiteral(", "));
            if (a.schemas.size() > 4)
                held += tr(" and %n more", nullptr, int(a.schemas.size() - 4));
            archives.append(tr("%1 (%2): %3").arg(a.file, locale.formattedDataSize(a.bytes), held));
        }
        row.at(2)->setToolTip(archives.join(u'\n'));
        if (verified && !verified->ok()) {
            for (QStandardItem *item : row)
                item->setForeground(QColor(0xb7, 0x1c, 0x1c));
            row.last()->setToolTip(verified->allProblems().join(u'\n'));
        }
        m_model->appendRow(row);
        const qreal x = qreal(m.snapshotAt.toMSecsSinceEpoch());
        size->append(x, double(m.bytes()) / (1024.0 * 1024.0));
        took->append(x, double(m.durationMs) / 1000);
        maxSize = std::max(maxSize, double(m.bytes()) / (1024.0 * 1024.0));
        maxTook = std::max(maxTook, double(m.durationMs) / 1000);
        first = first.isValid() ? std::min(first, m.snapshotAt) : m.snapshotAt;
        last = last.isValid() ? std::max(last, m.snapshotAt) : m.snapshotAt;
    }
    m_table->resizeColumnsToContents();
    if (m_model->rowCount() > 0 && m_table->selectionModel()->selectedRows().isEmpty())
        m_table->selectRow(0);

    // Size and time over the backups: a backup that suddenly grows or shrinks, or slows, shows.
    auto *chart = new QChart;
    chart->setTitle(entries.isEmpty() ? tr("No backups yet") : tr("Size and duration"));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("d MMM HH:mm"));
    if (first.isValid())
        x->setRange(first.addSecs(-1800).toLocalTime(), last.addSecs(1800).toLocalTime());
    x->setTickCount(4);
    auto *mb = new QValueAxis;
    mb->setTitleText(tr("MB"));
    mb->setRange(0, maxSize * 1.1);
    mb->setTickCount(4);
    auto *seconds = new QValueAxis;
    seconds->setTitleText(tr("s"));
    seconds->setRange(0, maxTook * 1.1);
    seconds->setTickCount(4);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(mb, Qt::AlignLeft);
    chart->addAxis(seconds, Qt::AlignRight);
    for (auto [series, axis] : { std::pair<QLineSeries *, QValueAxis *> { size, mb },
                                 std::pair<QLineSeries *, QValueAxis *> { took, seconds } }) {
        series->setPointsVisible(true);
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(axis);
    }
    QChart *old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;

    // The runs that failed since the last good one.
    QStringList failed;
    for (const BackupRunLog::Entry &run : BackupRunLog(m_folder).recent(20)) {
        if (run.ok)
            break;
        failed.append(tr("Run at %1 FAILED: %2").arg(when(run.startedAt), run.error));
    }
    m_failures->setText(failed.join(u'\n'));
    m_failures->setVisible(!failed.isEmpty());

    m_schedules->clear();
    m_schedules->setHorizontalHeaderLabels(
        { tr("Schedule"), tr("Profile"), tr("When"), tr("Next run"), tr("Last run") });
    for (const BackupSchedule &s : BackupScheduleStore().schedules()) {
        QList<QStandardItem *> row { cell(s.name), cell(s.profile), cell(s.onCalendar()),
                                     cell(when(s.nextRunAfter(QDateTime::currentDateTime()))),
                                     cell(s.lastRunAt.isValid()
                                              ? QStringLiteral("%1 %2: %3")
                                                    .arg(when(s.lastRunAt),
                                                         s.lastRunOk ? tr("ok") : tr("FAILED"),
                                                         s.lastRunResult)
                                              : tr("never")) };
        if (s.lastRunAt.isValid() && !s.lastRunOk)
            row.last()->setForeground(QColor(0xb7, 0x1c, 0x1c));
        m_schedules->appendRow(row);
    }
    m_scheduleTable->resizeColumnsToContents();
    if (!m_busy)
        m_status->setText(tr("%n backup(s) in %1", nullptr, int(entries.size()))
                              .arg(QDir::toNativeSeparators(m_folder)));
}

void BackupsPage::start(const QString &what, std::function<QString(JobControl &)> work)
{
    if (m_busy)
        return;
    m_busy = true;
    for (QPushButton *b : std::as_const(m_actions))
        b->setEnabled(false);
    m_status->setText(what);
    m_progress->setRange(0, 0);
    m_progress->setFormat(what);
    m_progress->show();
    m_cancelButton->show();
    m_cancelButton->setEnabled(true);
    const auto ended = [this](bool ok, const QString &message) {
        m_busy = false;
        m_progress->hide();
        m_cancelButton->hide();
        for (QPushButton *b : std::as_const(m_actions))
            b->setEnabled(true);
        enableWriters();
        reload();
        m_status->setText(ok ? message : tr("Failed: %1").arg(message));
        emit finished(ok, message);
    };
    m_jobs->start<QString>(
        std::move(work), [ended](const QString &message) { ended(true, message); },
        [ended](const QString &error, bool) { ended(false, error); },
        [this](const JobControl::Progress &p) {
            // The step, and how far, when the work counts.
            const QString text = p.total > 0 ? tr("%1 (%2 of %3)")
                                                   .arg(p.detail.isEmpty() ? p.step : p.detail)
                                                   .arg(p.done)
                                                   .arg(p.total)
                                             : p.step;
            if (p.total > 0) {
                m_progress->setRange(0, int(p.total));
                m_progress->setValue(int(p.done));
            }
            if (!m_jobs->control() || !m_jobs->control()->isCancelled())
                m_progress->setFormat(text);
        });
}

void BackupsPage::cancel()
{
    m_jobs->cancel();
    m_cancelButton->setEnabled(false);
    m_progress->setFormat(tr("Cancelling…"));
}

void BackupsPage::runNow()
{
    if (m_readOnly)
        return;
    const ConnectionSettings settings = m_settings;
    const QString folder = m_folder;
    start(tr("Backing up…"), [settings, folder](JobControl &control) {
        BackupRunner::Options options;
        options.destination = folder;
        options.runner = QStringLiteral("fuelsync-admin");
        const BackupManifest m = BackupRunner::run(settings, options, control);
        return tr("Backup %1 taken: %n schema(s), %2", nullptr, int(m.schemas.size()))
            .arg(m.id, QLocale().formattedDataSize(m.bytes()));
    });
}

void BackupsPage::verify(const QString &id, bool restoreTest)
{
    const ConnectionSettings settings = m_settings;
    const QString folder = QDir(m_folder).filePath(id);
    start(tr("Verifying %1…").arg(id), [settings, folder, id, restoreTest](JobControl &control) {
        BackupVerifier::Options options;
        options.restoreTest = restoreTest;
        const BackupVerification v = BackupVerifier::verify(folder, settings, options, control);
        if (!v.ok())
            throw RequestError(tr("backup %1 FAILED verification: %2")
                                   .arg(id, v.allProblems().join(QStringLiteral("; "))));
        return v.restoreTested ? tr("Backup %1 restores with the manifest's rows.").arg(id)
                               : tr("Backup %1 is intact.").arg(id);
    });
}

void BackupsPage::askVerify()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    QMessageBox box(QMessageBox::Question, tr("Verify %1").arg(id),
                    tr("Check each archive's checksum and table of contents, or also restore "
                       "the whole backup into a scratch database and compare its rows?"),
                    QMessageBox::NoButton, this);
    auto *check = box.addButton(tr("Check"), QMessageBox::AcceptRole);
    auto *restoreTest = box.addButton(tr("Restore test"), QMessageBox::AcceptRole);
    // A restore test creates a database on the server: not for a read-only session.
    restoreTest->setEnabled(!m_readOnly);
    restoreTest->setToolTip(m_readOnlyReason);
    box.addButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == check)
        verify(id, false);
    else if (box.clickedButton() == restoreTest && !m_readOnly)
        verify(id, true);
}

void BackupsPage::askRestore()
{
    const QString id = selectedId();
    const auto entry = BackupStore(m_folder).find(id);
    if (m_readOnly || !entry || !entry->manifest)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Restore a tenant from %1").arg(id));
    auto *form = new QFormLayout(&dialog);
    auto *schema = new QComboBox(&dialog);
    for (const BackupManifest::Schema &s : entry->manifest->schemas) {
        if (s.name != u"public")
            schema->addItem(s.name);
    }
    auto *sideBySide = new QCheckBox(tr("Side by side, as a new schema:"), &dialog);
    auto *as = new QLineEdit(&dialog);
    as->setEnabled(false);
    auto *typed = new QLineEdit(&dialog);
    typed->setPlaceholderText(tr("type the schema's name to replace it"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    auto *go = buttons->addButton(tr("Restore"), QDialogButtonBox::DestructiveRole);
    // What comes back and what it replaces, from the manifest and the migration files.
    auto *what = new QLabel(&dialog);
    what->setObjectName(QStringLiteral("restoreWhat"));
    what->setWordWrap(true);
    what->setMinimumWidth(460);
    const BackupManifest manifest = *entry->manifest;
    const MigrationSet files = MigrationSet::load(MigrationsLocation::resolve());
    form->addRow(tr("Tenant:"), schema);
    form->addRow(what);
    form->addRow(sideBySide, as);
    form->addRow(tr("Confirm:"), typed);
    form->addRow(buttons);
    const auto update = [&] {
        const BackupManifest::Schema *chosen = manifest.schema(schema->currentText());
        if (chosen) {
            BackupRestorer::Plan plan;
            plan.schema = chosen->name;
            plan.target = sideBySide->isChecked() ? as->text() : chosen->name;
            plan.backupVersion = chosen->version;
            QString text = tr("In the backup: version %1, %2 rows, as of %3.")
                               .arg(chosen->version.isEmpty() ? tr("none") : chosen->version,
                                    QLocale().toString(chosen->rows()), when(manifest.snapshotAt));
            text += u' '
                + (sideBySide->isChecked()
                       ? tr("A copy is made under the new name; %1 is not touched.")
                             .arg(chosen->name)
                       : tr("The live schema %1 is REPLACED as a whole: what was written to it "
                            "since is lost.")
                             .arg(chosen->name));
            if (const auto ahead = BackupRestorer::migrationsAhead(plan, files))
                text += u' '
                    + tr("The migration files reach %1: you will be offered to migrate it "
                         "afterwards.")
                          .arg(ahead->text());
            what->setText(text);
        }
        as->setEnabled(sideBySide->isChecked());
        typed->setEnabled(!sideBySide->isChecked());
        go->setEnabled(sideBySide->isChecked() ? !as->text().isEmpty()
                                               : typed->text() == schema->currentText());
    };
    connect(sideBySide, &QCheckBox::toggled, &dialog, update);
    connect(as, &QLineEdit::textChanged, &dialog, update);
    connect(typed, &QLineEdit::textChanged, &dialog, update);
    connect(schema, &QComboBox::currentTextChanged, &dialog, update);
    connect(go, &QPushButton::clicked, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    update();
    if (dialog.exec() != QDialog::Accepted)
        return;
    restoreTenant(id, schema->currentText(), sideBySide->isChecked() ? as->text() : QString());
}

void BackupsPage::restoreTenant(const QString &id, const QString &schema, const QString &as)
{
    const auto entry = BackupStore(m_folder).find(id);
    if (m_readOnly || !entry || !entry->manifest || m_busy)
        return;
    BackupRestorer::Options options;
    options.schema = schema;
    options.as = as;
    m_migrateOffer.reset();
    m_migrateButton->hide();
    // Core's sequence, the one the CLI runs: plan, restore, then the offer to migrate it.
    const auto restore = std::make_shared<TenantRestore>(
        m_settings, entry->folder, options, MigrationSet::load(MigrationsLocation::resolve()));
    connect(
        this, &BackupsPage::finished, this,
        [this, restore](bool ok) {
            const auto offer = ok ? restore->migrationOffer() : std::nullopt;
            if (!offer)
                return;
            m_migrateOffer = restore;
            m_migrateButton->setText(
                tr("Migrate %1 up to %2").arg(restore->plan().target, offer->text()));
            m_migrateButton->show();
        },
        Qt::SingleShotConnection);
    start(tr("Restoring %1…").arg(options.schema), [restore](JobControl &control) {
        const BackupRestorer::Result r = restore->restore(control);
        QString message =
            r.plan.describe() + u' ' + tr("Done: %1 rows.").arg(QLocale().toString(r.restoredRows));
        if (!restore->aheadText().isEmpty())
            message += u' ' + restore->aheadText();
        return message;
    });
}

QString BackupsPage::migrateOffer() const
{
    return m_migrateOffer ? m_migrateOffer->plan().target : QString();
}

void BackupsPage::migrateRestored()
{
    if (!m_migrateOffer || m_busy)
        return;
    const std::shared_ptr<TenantRestore> restored = std::move(m_migrateOffer);
    m_migrateOffer.reset();
    m_migrateButton->hide();
    const QString target = restored->plan().target;
    start(tr("Migrating %1…").arg(target), [restored, target](JobControl &control) {
        const MigrationRunReport report =
            restored->migrate(QStringLiteral("fuelsync-admin"), control);
        if (report.exitCode() != 0)
            throw RequestError(tr("migrate up of %1: %2")
                                   .arg(target,
                                        report.error.isEmpty()
                                            ? MigrationRunReport::resultName(report.result)
                                            : report.error));
        return tr("%1 is up to date with the migration files (%n migration(s) applied).", nullptr,
                  report.versions.size())
            .arg(target);
    });
}

void BackupsPage::askPrune()
{
    if (m_readOnly)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Prune backups"));
    auto *form = new QFormLayout(&dialog);
    auto *preview = new QPlainTextEdit(&dialog);
    preview->setReadOnly(true);
    preview->setMinimumSize(420, 160);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    auto *go = buttons->addButton(tr("Remove them"), QDialogButtonBox::DestructiveRole);
    const QList<QSpinBox *> retention = addRetentionRows(form, &dialog);
    form->addRow(preview);
    form->addRow(buttons);
    const auto policy = [&retention] {
        return retentionOf(retention);
    };
    const auto update = [&] {
        // A dry run: what would go, and why the rest stays.
        try {
            JobControl dryRun; // reads the folder only: quick, on this thread
            const BackupPruner::Result r = BackupPruner::prune(m_folder, policy(), true, dryRun);
            QStringList lines;
            for (const BackupRetention::Decision &d : r.decisions)
                lines.append(
                    d.keep ? tr("%1  keep (%2)").arg(d.id, d.reasons.join(QStringLiteral(", ")))
                           : tr("%1  REMOVE").arg(d.id));
            preview->setPlainText(lines.join(u'\n'));
            go->setEnabled(!r.removed.isEmpty() || !r.leftovers.isEmpty());
        } catch (const RequestError &e) {
            preview->setPlainText(e.message());
            go->setEnabled(false);
        }
    };
    for (QSpinBox *s : retention)
        connect(s, &QSpinBox::valueChanged, &dialog, update);
    connect(go, &QPushButton::clicked, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    update();
    if (dialog.exec() != QDialog::Accepted)
        return;
    const BackupRetention::Policy chosen = policy();
    const QString folder = m_folder;
    const ConnectionSettings settings = m_settings;
    start(tr("Pruning…"), [folder, chosen, settings](JobControl &control) {
        const BackupPruner::Result r = BackupPruner::prune(folder, chosen, false, control);
        const QString notRecorded = BackupPruner::recordInAudit(settings, folder, r);
        QString message = tr("%n backup(s) removed.", nullptr, int(r.removed.size()));
        if (!notRecorded.isEmpty())
            message += u' ' + tr("(Not recorded in the audit: %1)").arg(notRecorded);
        return message;
    });
}

bool BackupsPage::addSchedule(BackupSchedule schedule, bool installTimer, QString *error,
                              QString *note)
{
    if (schedule.profile.isEmpty())
        schedule.profile = m_profile;
    BackupScheduleStore store;
    if (store.find(schedule.name)) {
        *error = tr("there is a schedule %1 already").arg(schedule.name);
        return false;
    }
    if (!store.save(schedule, error))
        return false;
    // The timer runs the fuelsync-db next to this program.
    const QString program =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("fuelsync-db"));
    const SystemdUserTimer::Result installed =
        SystemdUserTimer::install(schedule, program, installTimer);
    if (!installed.enabled)
        *note =
            tr("The timer is not enabled%1. Without systemd, this crontab line does the "
               "same:\n%2")
                .arg(installed.message.isEmpty() ? QString()
                                                 : QStringLiteral(" (%1)").arg(installed.message),
                     schedule.cronLine(program));
    reload();
    return true;
}

bool BackupsPage::removeSchedule(const QString &name, bool uninstallTimer)
{
    BackupScheduleStore store;
    const auto schedule = store.find(name);
    if (!schedule)
        return false;
    SystemdUserTimer::uninstall(*schedule, uninstallTimer);
    store.remove(name);
    reload();
    return true;
}

void BackupsPage::askSchedule()
{
    if (m_readOnly)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("New backup schedule for %1").arg(m_profile));
    auto *form = new QFormLayout(&dialog);
    auto *name = new QLineEdit(QStringLiteral("nightly"), &dialog);
    auto *at = new QTimeEdit(QTime(2, 30), &dialog);
    at->setDisplayFormat(QStringLiteral("HH:mm"));
    auto *daysRow = new QHBoxLayout;
    QList<QCheckBox *> days;
    for (int d = 1; d <= 7; ++d) {
        auto *box = new QCheckBox(QLocale().dayName(d, QLocale::ShortFormat), &dialog);
        box->setChecked(true);
        daysRow->addWidget(box);
        days.append(box);
    }
    auto *verifyBox = new QComboBox(&dialog);
    verifyBox->addItem(tr("Check checksums and contents"), int(BackupSchedule::Verify::Check));
    verifyBox->addItem(tr("Restore test (slower, proves it restores)"),
                       int(BackupSchedule::Verify::RestoreTest));
    verifyBox->addItem(tr("Do not verify"), int(BackupSchedule::Verify::None));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(tr("Name:"), name);
    form->addRow(tr("At:"), at);
    form->addRow(tr("On:"), daysRow);
    form->addRow(tr("Then:"), verifyBox);
    const QList<QSpinBox *> retention = addRetentionRows(form, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    while (dialog.exec() == QDialog::Accepted) {
        BackupSchedule s;
        s.name = name->text().trimmed();
        s.at = at->time();
        for (int d = 0; d < days.size(); ++d) {
            if (days.at(d)->isChecked())
                s.weekdays.append(d + 1);
        }
        if (s.weekdays.size() == 7)
            s.weekdays.clear(); // every day
        s.verify = BackupSchedule::Verify(verifyBox->currentData().toInt());
        s.retention = retentionOf(retention);
        QString error;
        QString note;
        if (!addSchedule(s, true, &error, &note)) {
            QMessageBox::warning(&dialog, tr("New backup schedule"), error);
            continue;
        }
        if (!note.isEmpty())
            QMessageBox::information(this, tr("New backup schedule"), note);
        return;
    }
}

QList<QSpinBox *> BackupsPage::addRetentionRows(QFormLayout *form, QWidget *owner)
{
    const auto row = [form, owner](const QString &label, int value, const QString &suffix) {
        auto *s = new QSpinBox(owner);
        s->setRange(0, 10000);
        s->setValue(value);
        s->setSuffix(suffix);
        form->addRow(label, s);
        return s;
    };
    return { row(tr("Keep the last:"), 7, tr(" backups")),
             row(tr("The newest of each day for:"), 14, tr(" days")),
             row(tr("Of each week for:"), 8, tr(" weeks")),
             row(tr("Of each month for:"), 12, tr(" months")) };
}

BackupRetention::Policy BackupsPage::retentionOf(const QList<QSpinBox *> &rows)
{
    BackupRetention::Policy p;
    p.keepLast = rows.at(0)->value();
    p.dailyDays = rows.at(1)->value();
    p.weeklyWeeks = rows.at(2)->value();
    p.monthlyMonths = rows.at(3)->value();
    return p;
}

} // namespace fuelsync
