#pragma once

#include "migrate/MigrationPreview.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace fuelsync {

// The last question before a run changes a database. It names the versions, the scopes, the
// number of tenants and the environment; lists lint errors; for a rollback it shows the SQL that
// was recorded when each version was applied and says in words which data it destroys. On
// production the person types the database's name to go on. A plan that cannot run (refused,
// not approved) is shown with its reasons and only a Close button.
class RunConfirmationDialog : public QDialog
{
    Q_OBJECT

public:
    RunConfirmationDialog(const MigrationPreview &preview, const QString &databaseName, bool dryRun,
                          QWidget *parent = nullptr);

    // For tests and automation.
    QPushButton *confirmButton() const { return m_confirm; }
    QLineEdit *nameEdit() const { return m_name; }
    QString summary() const;
    QString warningText() const;
    bool requiresTypedName() const { return m_name != nullptr; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateConfirm();

    QString m_typedAnswer; // what must be typed to go on (the database's name)
    bool m_canRun = false;
    QLabel *m_summary = nullptr;
    QLabel *m_warning = nullptr;
    QLineEdit *m_name = nullptr;
    QPushButton *m_confirm = nullptr;
    QPushButton *m_cancel = nullptr;
};

} // namespace fuelsync
