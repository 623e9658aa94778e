#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace fuelsync {

// The three kinds of people FuelSync Admin serves, each a PostgreSQL group role (NOLOGIN) that
// logins are made members of, and the owner role the objects belong to. What each may do is the
// server's: the roles' privileges, never a flag in the client.
enum class FuelsyncRole {
    Support, // reads tenant data and public's tables except secrets; sessions read-only
    ReleaseManager, // support's reading, plus recording approvals
    Maintainer, // acts as the owner: migrations, backups, restores, seeds, tenants, env set
};

namespace FuelsyncRoles {

// The group roles, as the server knows them.
inline constexpr const char *support = "fuelsync_support";
inline constexpr const char *releaseManagers = "fuelsync_release_managers";
inline constexpr const char *maintainers = "fuelsync_maintainers";
// Owns FuelSync's schemas and their objects (and the database, when setup may make it so).
// NOLOGIN; maintainers are members, so they act with its rights without being superusers.
inline constexpr const char *owner = "fuelsync_owner";

// "support", "release-manager", "maintainer", as --as takes them.
QString optionName(FuelsyncRole role);
std::optional<FuelsyncRole> parse(const QString &text);
// The group role of a kind: fuelsync_support, ...
QString groupRole(FuelsyncRole role);
// "support", "release manager", "maintainer", for messages.
QString displayName(FuelsyncRole role);
QStringList optionNames();

} // namespace FuelsyncRoles

} // namespace fuelsync
