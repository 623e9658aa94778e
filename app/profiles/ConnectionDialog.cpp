#include "ConnectionDialog.h"

#include "PasswordKeychain.h"
#include "connect/ConnectionProfileStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace fuelsync {

ConnectionDialog::ConnectionDialog(ConnectionProfileStore &store, PasswordKeychain *keychain,
                                   QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_keychain(keychain)
{
    setWindowTitle(tr("Connect to a FuelSync database"));
    auto *layout = new QHBoxLayout(this);

    auto *left = new QVBoxLayout;
    left->addWidget(new QLabel(tr("Profiles"), this));
    m_list = new QListWidget(this);
    m_list->setMinimumWidth(180);
    left->addWidget(m_list, 1);
    auto *newButton = new QPushButton(tr("New profile"), this);
    auto *deleteButton = new QPushButton(tr("Delete"), this);
    m_delete = deleteButton;
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(newButton);
    listButtons->addWidget(deleteButton);
    left->addLayout(listButtons);
    auto *sandbox = new QPushButton(tr("Open the sandbox"), this);
    sandbox->setToolTip(tr("The built-in local database with sample tenants: safe to explore"));
    left->addWidget(sandbox);
    layout->addLayout(left);

    auto *right = new QVBoxLayout;
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_uri = new QLineEdit(this);
    m_uri->setPlaceholderText(tr("postgresql://user@host:5432/fuelsync_hub (optional)"));
    m_host = new QLineEdit(this);
    m_port = new QLineEdit(this);
    m_port->setPlaceholderText(QStringLiteral("5432"));
    m_database = new QLineEdit(this);
    m_user = new QLineEdit(this);
    m_sslMode = new QComboBox(this);
    m_sslMode->addItem(tr("libpq default (prefer)"), QString());
    for (const QString &mode : ConnectionProfile::sslModes())
        m_sslMode->addItem(mode, mode);
    m_rootCert = new QLineEdit(this);
    m_rootCert->setPlaceholderText(tr("root certificate, for verify-ca / verify-full"));
    auto *browse = new QToolButton(this);
    browse->setText(tr("…"));
    auto *rootRow = new QHBoxLayout;
    rootRow->addWidget(m_rootCert, 1);
    rootRow->addWidget(browse);
    m_environment = new QComboBox(this);
    for (DeploymentEnvironment e : DeploymentEnvironments::all())
        m_environment->addItem(DeploymentEnvironments::name(e), int(e));
    m_readOnly =
        new QCheckBox(tr("Read-only: the server refuses every write of this session"), this);
    m_remember = new QCheckBox(tr("Remember the password in the system keychain"), this);
    m_remember->setVisible(keychain != nullptr);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("URI"), m_uri);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("Database"), m_database);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("SSL mode"), m_sslMode);
    form->addRow(tr("Root certificate"), rootRow);
    form->addRow(tr("Environment"), m_environment);
    form->addRow(QString(), m_readOnly);
    form->addRow(QString(), m_remember);
    right->addLayout(form);
    auto *passwordNote = new QLabel(
        tr("Passwords are never stored in the profile: libpq's ~/.pgpass and service file are "
           "used, otherwise you are asked when connecting."),
        this);
    passwordNote->setWordWrap(true);
    passwordNote->setStyleSheet(QStringLiteral("color: #6b7078;"));
    right->addWidget(passwordNote);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_problem->hide();
    right->addWidget(m_problem);
    m_locked = new QLabel(tr("Provisioned for this workstation by its administrator: locked, "
                             "so it cannot be changed or removed here."),
                          this);
    m_locked->setWordWrap(true);
    m_locked->setStyleSheet(QStringLiteral("color: #5f6368;"));
    m_locked->hide();
    right->addWidget(m_locked);
    right->addStretch(1);
    auto *buttons = new QDialogButtonBox(this);
    auto *save = buttons->addButton(tr("Save"), QDialogButtonBox::ApplyRole);
    m_save = save;
    auto *connectButton = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connectButton->setDefault(true);
    right->addWidget(buttons);
    layout->addLayout(right, 1);

    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (auto profile = m_store.find(name)) {
            m_editing = name;
            showProfile(*profile);
        }
    });
    connect(newButton, &QPushButton::clicked, this, [this] {
        m_list->clearSelection();
        m_editing.clear();
        ConnectionProfile fresh;
        fresh.environment = DeploymentEnvironment::Production; // the safe guess
        fresh.readOnly = true;
        showProfile(fresh);
        m_name->setFocus();
    });
    connect(deleteButton, &QPushButton::clicked, this, [this] {
        if (m_editing.isEmpty())
            return;
        // A remembered password goes with its profile.
        const auto profile = m_store.find(m_editing);
        ConnectionSettings settings;
        if (m_keychain && profile && profile->rememberPassword
            && profile->toSettings(&settings, nullptr))
            m_keychain->remove(PasswordKeychain::keyFor(profile->name, settings));
        QString error;
        if (!m_store.remove(m_editing, &error)) {
            showProblem(error);
            return;
        }
        m_editing.clear();
        reloadList(QString());
    });
    connect(sandbox, &QPushButton::clicked, this, [this] {
        m_sandbox = true;
        accept();
    });
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Root certificate"), QString(), tr("Certificates (*.crt *.pem);;All (*)"));
        if (!file.isEmpty())
            m_rootCert->setText(file);
    });
    connect(save, &QPushButton::clicked, this, [this] { saveEdited(); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_editingLocked) {
            if (const auto locked = m_store.find(m_editing)) {
                m_chosen = *locked;
                m_sandbox = false;
                accept();
            }
            return;
        }
        if (saveEdited()) {
            m_chosen = editedProfile();
            m_sandbox = false;
            accept();
        }
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    reloadList(QString());
    if (m_list->count() == 0)
        newButton->click();
    resize(760, 480);
}

void ConnectionDialog::reloadList(const QString &select)
{
    m_list->clear();
    for (const ConnectionProfile &profile : m_store.profiles())
        m_list->addItem(profile.name);
    const auto found = m_list->findItems(select, Qt::MatchExactly);
    if (!found.isEmpty())
        m_list->setCurrentItem(found.first());
    else if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

void ConnectionDialog::showProfile(const ConnectionProfile &p)
{
    m_name->setText(p.name);
    m_uri->setText(p.uri);
    m_host->setText(p.host);
    m_port->setText(p.port);
    m_database->setText(p.database);
    m_user->setText(p.user);
    m_sslMode->setCurrentIndex(std::max(0, m_sslMode->findData(p.sslMode)));
    m_rootCert->setText(p.sslRootCert);
    m_environment->setCurrentIndex(std::max(0, m_environment->findData(int(p.environment))));
    m_readOnly->setChecked(p.readOnly);
    m_remember->setChecked(p.rememberPassword);
    m_editingLocked = p.locked;
    for (QWidget *field : std::initializer_list<QWidget *> {
             m_name, m_uri, m_host, m_port, m_database, m_user, m_sslMode, m_rootCert,
             m_environment, m_readOnly, m_remember })
        field->setEnabled(!p.locked);
    m_locked->setVisible(p.locked);
    m_save->setEnabled(!p.locked);
    if (m_delete)
        m_delete->setEnabled(!p.locked);
    showProblem(QString());
}

ConnectionProfile ConnectionDialog::editedProfile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.uri = m_uri->text().trimmed();
    p.host = m_host->text().trimmed();
    p.port = m_port->text().trimmed();
    p.database = m_database->text().trimmed();
    p.user = m_user->text().trimmed();
    p.sslMode = m_sslMode->currentData().toString();
    p.sslRootCert = m_rootCert->text().trimmed();
    p.environment = DeploymentEnvironment(m_environment->currentData().toInt());
    p.readOnly = m_readOnly->isChecked();
    p.rememberPassword = m_remember->isVisible() && m_remember->isChecked();
    return p;
}

bool ConnectionDialog::saveEdited()
{
    const ConnectionProfile p = editedProfile();
    QString error;
    if (!m_store.save(p, m_editing, &error)) {
        showProblem(error);
        return false;
    }
    m_editing = p.name;
    showProblem(QString());
    reloadList(p.name);
    return true;
}

void ConnectionDialog::showProblem(const QString &problem)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

} // namespace fuelsync
