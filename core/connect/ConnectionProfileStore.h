#pragma once

#include "ConnectionProfile.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

class QSettings;

namespace fuelsync {

// The saved connection profiles, in QSettings (group "profiles/<name>"). Passwords are never
// written there: a profile that contains one is refused.
class ConnectionProfileStore
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionProfileStore)

public:
    // The user's settings of the application (organisation FuelSync, application FuelSync
    // Admin), or FUELSYNC_ADMIN_SETTINGS, an .ini file, when set (tests, portable use).
    ConnectionProfileStore();
    // An .ini file of its own.
    explicit ConnectionProfileStore(const QString &iniFile);
    ~ConnectionProfileStore();

    QList<ConnectionProfile> profiles() const; // by name
    std::optional<ConnectionProfile> find(const QString &name) const;
    // Adds or replaces the profile of that name; `previousName` renames one. Returns false with
    // the reason when the profile has a problem, or the new name is taken.
    bool save(const ConnectionProfile &profile, const QString &previousName, QString *error);
    void remove(const QString &name);
    QString location() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace fuelsync
