#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace fuelsync {

// Asks for a password at connect time. "Remember" is shown only when a keychain is available.
class PasswordDialog : public QDialog
{
    Q_OBJECT

public:
    PasswordDialog(const QString &target, const QString &problem, bool offerRemember,
                   QWidget *parent = nullptr);

    QString password() const;
    bool remember() const;

private:
    QLineEdit *m_password = nullptr;
    QCheckBox *m_remember = nullptr;
};

} // namespace fuelsync
