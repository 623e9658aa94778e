#pragma once

#include "AuditEntry.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <exception>

namespace fuelsync {

class DbConnection;
class ConnectionSettings;

// public.fuelsync_audit: one row per action on the database (applies, rollbacks, dry runs,
// approvals, env set, tenants, seeds, backups, restores, prunes, roles), how it ended and who did
// it. Append-only for everyone but a superuser: rows are written only through
// public.fuelsync_audit_record() (SECURITY DEFINER, executable by every login, so a refusal of a
// support login is on record too); the server stamps the role and the time; a trigger refuses
// UPDATE, DELETE and TRUNCATE, and the table belongs to whoever made it (roles setup: not the
// maintainers' owner role), so a maintainer cannot switch that trigger off.
class AuditLog
{
public:
    static bool exists(DbConnection &connection);
    // Creates the table, its function and its triggers when missing, in the caller's
    // transaction when there is one. Throws RequestError saying what to do when the session may
    // not create them.
    static void ensure(DbConnection &connection);

    // Records `entry` in the caller's transaction (so the action and its row commit or vanish
    // together), creating the table first when missing. Throws (DbError, RequestError).
    static qint64 record(DbConnection &connection, const AuditEntry &entry);
    // Records `entry` in a transaction of its own, READ WRITE even on a read-only session: for
    // failures and refusals, after the action's own transaction is gone. Never throws: returns
    // why it could not be recorded (empty when it was). The connection must not be in a
    // transaction.
    static QString recordAlone(DbConnection &connection, const AuditEntry &entry);

    // The same on a session of its own, for work that ended without one (a backup, a restore):
    // never throws; returns why it could not be recorded.
    static QString recordAlone(const ConnectionSettings &settings, const AuditEntry &entry);
    // The outcome an error ends an action with: cancelled (JobCancelled, or any error after a
    // cancel), refused (a RequestError, a server refusal: insufficient privilege, read-only),
    // failed otherwise.
    static AuditEntry::Outcome outcomeOf(const std::exception &error, bool cancelled);

    struct Filter
    {
        QDateTime since; // invalid: from the first
        QString kind; // empty: every kind
        QStringList kinds; // any of these (with kind: and that one)
        int limit = 0; // 0: all
    };
    // Newest first; none when the table does not exist.
    static QList<AuditEntry> read(DbConnection &connection, const Filter &filter);

    // What this process is, recorded with each row: "fuelsync-db 0.4.0".
    static QString program();
};

} // namespace fuelsync
