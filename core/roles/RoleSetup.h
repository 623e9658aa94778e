#pragma once

#include "FuelsyncRole.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;

// `fuelsync-db roles setup | grant | revoke`: makes FuelSync's roles and what each may do true on
// the server. Idempotent: running setup again changes only what drifted. Each call records one row
// in the audit (kind "roles"), refusals included.
class RoleSetup
{
    Q_DECLARE_TR_FUNCTIONS(RoleSetup)

public:
    struct Report
    {
        QStringList done; // what changed, one line each
        QStringList warnings; // what could not be done, and why (nothing else failed)
    };

    // Creates fuelsync_owner, fuelsync_maintainers (members of the owner),
    // fuelsync_release_managers (members of support) and fuelsync_support when missing (needs
    // CREATEROLE or a superuser); gives FuelSync's schemas and their objects to fuelsync_owner
    // (their former owners become members of it, so nothing they did stops working); grants
    // support its reading (secrets excepted) and sets default privileges so what the owner
    // creates later is readable too; makes the approvals table and the audit. Throws
    // RequestError (nothing changed) when the session may not create roles.
    static Report setup(DbConnection &connection);

    // Makes `login` a member of the role's group. A support login's sessions start read-only with
    // a statement timeout; a maintainer's new objects are readable by support (its default
    // privileges). Refuses (RequestError, nothing changed) a login that does not exist, a
    // superuser or a maintainer made support or release manager, and any grant before setup.
    static Report grant(DbConnection &connection, const QString &login, FuelsyncRole role);
    // Takes the membership away again, with the settings grant gave. Refuses a login that is
    // not a member.
    static Report revoke(DbConnection &connection, const QString &login, FuelsyncRole role);

    // The statement timeout a support login's sessions start with.
    static constexpr const char *supportStatementTimeout = "60s";

private:
    static Report setupOnce(DbConnection &connection);
};

} // namespace fuelsync
