#pragma once

#include "connect/ConnectionProfile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace fuelsync {

class ConnectionProfileStore;
class PasswordKeychain;

// Chooses, edits and saves connection profiles, or the built-in sandbox.
class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    // `keychain`: null when there is none; then "remember the password" is not offered.
    ConnectionDialog(ConnectionProfileStore &store, PasswordKeychain *keychain,
                     QWidget *parent = nullptr);

    // After accept(): the profile to connect with, or the sandbox.
    bool sandboxChosen() const { return m_sandbox; }
    const ConnectionProfile &chosen() const { return m_chosen; }

private:
    void reloadList(const QString &select);
    void showProfile(const ConnectionProfile &profile);
    ConnectionProfile editedProfile() const;
    bool saveEdited();
    void showProblem(const QString &problem);

    ConnectionProfileStore &m_store;
    PasswordKeychain *m_keychain;
    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_uri = nullptr;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_port = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_sslMode = nullptr;
    QLineEdit *m_rootCert = nullptr;
    QComboBox *m_environment = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_problem = nullptr;
    // A profile provisioned for the workstation: shown, connected with, never edited here.
    QLabel *m_locked = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_delete = nullptr;
    bool m_editingLocked = false;
    QString m_editing; // name of the profile being edited, empty for a new one
    ConnectionProfile m_chosen;
    bool m_sandbox = false;
};

} // namespace fuelsync
