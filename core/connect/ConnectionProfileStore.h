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
//
// Profiles can also be provisioned for everyone on the workstation, in a system-wide file of the
// same form: fuelsync-admin/profiles.ini under the XDG config dirs (/etc/xdg), or the file
// FUELSYNC_ADMIN_SYSTEM_PROFILES names. Those are locked: read-only unless the file says
// readOnly=false, they win over a user profile of the same name, and save() and remove() refuse
// them.
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
    // Refuses (false, with the reason) a locked profile.
    bool remove(const QString &name, QString *error = nullptr);
    QString location() const;
    // The system-wide file, when there is one.
    QString systemLocation() const;

private:
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<QSettings> m_system;
};

} // namespace fuelsync
