#include "PasswordDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace fuelsync {

PasswordDialog::PasswordDialog(const QString &target, const QString &problem, bool offerRemember,
                               QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Password"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Password for <b>%1</b>").arg(target.toHtmlEscaped()), this);
    layout->addWidget(intro);
    if (!problem.isEmpty()) {
        auto *why = new QLabel(problem, this);
        why->setWordWrap(true);
        why->setStyleSheet(QStringLiteral("color: #b3261e;"));
        layout->addWidget(why);
    }
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMinimumWidth(320);
    layout->addWidget(m_password);
    m_remember = new QCheckBox(tr("Remember in the system keychain"), this);
    m_remember->setVisible(offerRemember);
    layout->addWidget(m_remember);
    auto *buttons =
        new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, Qt::Horizontal, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

bool PasswordDialog::remember() const
{
    return m_remember->isVisible() && m_remember->isChecked();
}

} // namespace fuelsync
