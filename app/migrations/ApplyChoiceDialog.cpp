#include "ApplyChoiceDialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace fuelsync {

ApplyChoiceDialog::ApplyChoiceDialog(const MigrationStatus &status, bool dryRun, QWidget *parent)
    : QDialog(parent)
    , m_status(status)
{
    setWindowTitle(dryRun ? tr("Dry run: what to try") : tr("Apply pending: what to apply"));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_target = new QComboBox(this);
    QString newest;
    for (const MigrationStatus::Version &v : std::as_const(m_status.versions)) {
        if (v.isPending())
            newest = v.version;
    }
    m_target->addItem(tr("The newest (%1)").arg(newest), QString());
    for (const MigrationStatus::Version &v : std::as_const(m_status.versions)) {
        if (v.isPending())
            m_target->addItem(tr("Up to %1 · %2").arg(v.version, v.description), v.version);
    }
    form->addRow(tr("Versions:"), m_target);
    layout->addLayout(form);

    m_all = new QRadioButton(this);
    m_behind = new QRadioButton(this);
    m_selected = new QRadioButton(tr("Only the tenants ticked below"), this);
    auto *group = new QButtonGroup(this);
    for (QRadioButton *b : { m_all, m_behind, m_selected })
        group->addButton(b);
    m_all->setChecked(true);
    layout->addWidget(new QLabel(tr("Tenants:"), this));
    layout->addWidget(m_all);
    layout->addWidget(m_behind);
    layout->addWidget(m_selected);

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Find a tenant…"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    m_list = new QListWidget(this);
    m_list->setMinimumHeight(160);
    for (const QString &schema : std::as_const(m_status.tenantSchemas)) {
        auto *item = new QListWidgetItem(schema, m_list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    layout->addWidget(m_list, 1);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto *buttons = new QDialogButtonBox(this);
    m_next = buttons->addButton(tr("Plan…"), QDialogButtonBox::AcceptRole);
    m_next->setToolTip(tr("Reads what would run and asks again before anything runs."));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_target, &QComboBox::currentIndexChanged, this, &ApplyChoiceDialog::update);
    connect(group, &QButtonGroup::buttonToggled, this, &ApplyChoiceDialog::update);
    connect(m_list, &QListWidget::itemChanged, this, [this] {
        if (!m_selected->isChecked())
            m_selected->setChecked(true);
        update();
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (int i = 0; i < m_list->count(); ++i)
            m_list->item(i)->setHidden(
                !m_list->item(i)->text().contains(text.trimmed(), Qt::CaseInsensitive));
    });
    update();
}

std::optional<MigrationVersion> ApplyChoiceDialog::target() const
{
    const QString version = m_target->currentData().toString();
    return version.isEmpty() ? std::nullopt : MigrationVersion::parse(version);
}

QStringList ApplyChoiceDialog::behind() const
{
    const auto upTo = target();
    QStringList schemas;
    for (const MigrationStatus::Version &v : std::as_const(m_status.versions)) {
        if (!v.isPending() || (upTo && *upTo < *MigrationVersion::parse(v.version)))
            continue;
        for (const QString &schema : v.tenantsBehind) {
            if (!schemas.contains(schema))
                schemas.append(schema);
        }
    }
    schemas.sort();
    return schemas;
}

QStringList ApplyChoiceDialog::tenants() const
{
    if (m_behind->isChecked())
        return behind();
    if (!m_selected->isChecked())
        return {};
    QStringList ticked;
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->checkState() == Qt::Checked)
            ticked.append(m_list->item(i)->text());
    }
    return ticked;
}

QString ApplyChoiceDialog::tenantsSummary() const
{
    return m_summary->text();
}

void ApplyChoiceDialog::update()
{
    const QStringList late = behind();
    m_all->setText(tr("All tenants (%n)", nullptr, int(m_status.tenantSchemas.size())));
    m_behind->setText(tr("Only the tenants behind that version (%n)", nullptr, int(late.size())));
    const bool picking = m_selected->isChecked();
    m_filter->setEnabled(picking || m_list->count() > 0);
    const QStringList chosen = tenants();
    QString text;
    if (m_all->isChecked())
        text = tr("public, then every tenant that is behind.");
    else if (m_behind->isChecked() && chosen.isEmpty())
        text = tr("public only: no tenant is behind that version.");
    else if (chosen.isEmpty())
        text = tr("No tenant chosen: tick at least one.");
    else
        text = tr("public, then %n tenant(s): %1", nullptr, int(chosen.size()))
                   .arg(chosen.size() <= 6 ? chosen.join(QStringLiteral(", "))
                                           : chosen.mid(0, 5).join(QStringLiteral(", "))
                                + tr(" and %n more", nullptr, int(chosen.size() - 5)));
    m_summary->setText(text);
    m_next->setEnabled(m_all->isChecked() || m_behind->isChecked() || !chosen.isEmpty());
}

void ApplyChoiceDialog::chooseTarget(const QString &version)
{
    const int index = m_target->findData(version);
    if (index >= 0)
        m_target->setCurrentIndex(index);
}

void ApplyChoiceDialog::chooseBehindOnly()
{
    m_behind->setChecked(true);
}

void ApplyChoiceDialog::chooseTenants(const QStringList &schemas)
{
    m_selected->setChecked(true);
    for (int i = 0; i < m_list->count(); ++i)
        m_list->item(i)->setCheckState(schemas.contains(m_list->item(i)->text()) ? Qt::Checked
                                                                                 : Qt::Unchecked);
    update();
}

} // namespace fuelsync
