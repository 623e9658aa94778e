#pragma once

#include "db/ConnectionSettings.h"

#include <QObject>

#include <functional>

namespace fuelsync {

// Passwords in the operating system's keychain (Secret Service, KWallet, macOS Keychain, Windows
// Credential Store) through QtKeychain; never in a file of ours. Whether a keychain is there is
// found out once (probe()), and the "remember" choice is only offered when it is. QtKeychain's
// insecure plain-text fallback is never enabled.
class PasswordKeychain : public QObject
{
    Q_OBJECT

public:
    enum class State { Unknown, Available, Unavailable };

    explicit PasswordKeychain(QObject *parent = nullptr);

    State state() const { return m_state; }
    // Finds out whether a keychain answers; `done` is called with the result.
    void probe(const std::function<void(bool available)> &done);

    // The key of a profile's password: the profile's name and the user and host it is for.
    static QString keyFor(const QString &profile, const ConnectionSettings &settings);

    void read(const QString &key, const std::function<void(bool found, QString password)> &done);
    void write(const QString &key, const QString &password,
               const std::function<void(bool ok, QString error)> &done);
    void remove(const QString &key);

private:
    State m_state = State::Unknown;
};

} // namespace fuelsync
