#pragma once

#include "migrate/MigrationStatus.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace fuelsync {

// What "Apply pending…" (or "Dry run…") is to run, chosen before it is planned: up to which
// version (the newest, or one of the pending ones), and in which tenants (all of them, only those
// behind that version, or the ones ticked in a list that a box filters as one types). The same
// choices as migrate up's --version and --tenant. The plan and the confirmation come next.
class ApplyChoiceDialog : public QDialog
{
    Q_OBJECT

public:
    ApplyChoiceDialog(const MigrationStatus &status, bool dryRun, QWidget *parent = nullptr);

    // Empty: the newest.
    std::optional<MigrationVersion> target() const;
    // Empty: every tenant.
    QStringList tenants() const;

    // For tests and automation: what a person would click.
    void chooseTarget(const QString &version);
    void chooseBehindOnly();
    void chooseTenants(const QStringList &schemas);
    QPushButton *nextButton() const { return m_next; }
    QString tenantsSummary() const;

private:
    QStringList behind() const;
    void update();

    MigrationStatus m_status;
    QComboBox *m_target = nullptr;
    QRadioButton *m_all = nullptr;
    QRadioButton *m_behind = nullptr;
    QRadioButton *m_selected = nullptr;
    QLineEdit *m_filter = nullptr;
    QListWidget *m_list = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_next = nullptr;
};

} // namespace fuelsync
