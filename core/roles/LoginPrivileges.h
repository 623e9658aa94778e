#pragma once

#include "FuelsyncRole.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fuelsync {

class DbConnection;

// What one login can really do in the connected database, as the server would decide it: its
// attributes, the FuelSync roles it is a member of (directly or through other roles; a superuser
// is not counted a member of what it was not granted), the settings its sessions start with, and
// every write its privileges allow (has_table_privilege and friends over every table, CREATE on
// schemas and on the database). Read by `roles list`, by the CLI before a writing command, and
// by the window's banner.
struct LoginPrivileges
{
    // One thing the login may write: "INSERT, UPDATE on demo_001.sales", "CREATE on schema x".
    struct Write
    {
        QString privileges; // "INSERT, UPDATE", "CREATE", "superuser", "CREATEDB"
        QString object; // "demo_001.sales", "schema x", "database fuelsync_hub", empty
        QString text() const;
    };

    QString login;
    bool exists = false;
    bool canLogin = false;
    bool superuser = false;
    bool createDb = false;
    bool createRole = false;
    bool bypassRls = false;
    QStringList memberOf; // every role it is a member of, itself excluded
    bool readOnlyByDefault = false; // default_transaction_read_only = on for its sessions here
    QString statementTimeout; // its sessions' statement_timeout setting, if it has one
    QList<Write> writes; // everything it may write, the release managers' own approvals excluded

    // The strongest FuelSync role it holds (maintainer, then release manager, then support).
    std::optional<FuelsyncRole> role() const;
    bool isMemberOf(const QString &role) const { return memberOf.contains(role); }
    // A support login or a release manager, and nothing stronger: may not run what writes.
    bool isReader() const;
    // What is wrong for its role, as `roles list` reports it (errors: a support login or a
    // release manager that can write; a support login whose sessions are not read-only).
    QStringList problems() const;

    // What a session of this login may write, as the banner and `env show` say it.
    struct Access
    {
        // "READ-ONLY · enforced by the server (fuelsync_support)", "READ-ONLY · this session
        // only: …"; empty when the session may write what the login may.
        QString text;
        bool warning = false; // read-only only for this session, while the login could write
        // Why writing actions are off, for their tooltips; empty when they are on.
        QString reason;
        bool mayApprove = false; // a release manager: approving stays on
    };
    // `readOnlyProfile`: the session was opened from a read-only profile (`profileName`, when it
    // has one).
    Access access(bool readOnlyProfile, const QString &profileName = QString()) const;

    // Reads it for `login`; for the session's own login when empty. Without `withWrites`, the
    // writes over every table are not looked for (attributes and memberships are enough to know
    // the role). Throws DbError.
    static LoginPrivileges read(DbConnection &connection, const QString &login = QString(),
                                bool withWrites = true);
    // The logins that are members of any FuelSync role, by name.
    static QStringList fuelsyncLogins(DbConnection &connection);
};

} // namespace fuelsync
