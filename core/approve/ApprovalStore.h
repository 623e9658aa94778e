#pragma once

#include "MigrationApproval.h"

#include <QList>
#include <QString>

namespace fuelsync {

class DbConnection;
class MigrationSet;
struct MigrationFile;
struct MigrationProblem;

// public.migration_approvals: who approved which migration file (by checksum), when, for which
// environment. Approving is an INSERT that members of the release managers' role are granted;
// the grant is the permission, the app only asks. The approver and the time are stamped by the
// server (a trigger sets session_user and now()), and rows are never updated or deleted, so the
// table is a history.
class ApprovalStore
{
public:
    // The group role whose members may approve.
    static constexpr const char *releaseManagersRole = "fuelsync_release_managers";

    // Whether public.migration_approvals exists.
    static bool exists(DbConnection &connection);
    // Creates the table, its trigger and the role (NOLOGIN) with its grants, when missing, and
    // the audit (AuditLog::ensure) with it. Needs
    // the right to create them (the schema's owner, and CREATEROLE for the role); throws a
    // RequestError that says what to do otherwise. Its own transaction.
    static void ensure(DbConnection &connection);

    // Brings a table made by an older version up to date (approved_as, and the trigger that
    // stamps it); false when the session may not (only its owner may).
    static bool upgrade(DbConnection &connection);

    // Every approval, oldest first; none when the table does not exist. Throws RequestError when
    // the table is not the one ensure() made (owner, stamping trigger).
    static QList<MigrationApproval> readAll(DbConnection &connection);

    // Approves the file as it is now. Refuses (RequestError, nothing written) a version that has
    // no file or whose file the set refuses, one with lint errors not acknowledged, and one the
    // session's role already approved with the same checksum. A role without the grant gets the
    // server's refusal in words.
    // With `expectedChecksum` (what the person read), a file that changed since is refused.
    static MigrationApproval approve(DbConnection &connection, const MigrationSet &set,
                                     const QString &version, const QString &environment,
                                     const QString &comment,
                                     const QString &expectedChecksum = QString());

    // What a production run refuses: each of the versions that no approval covers as its file is
    // now and that has not run anywhere in this database as it is now, with what to do (and who
    // approved an earlier state of a changed file). Throws RequestError when the approvals table
    // is not to be trusted.
    static QList<MigrationProblem> refusalsFor(DbConnection &connection, const MigrationSet &set,
                                               const QStringList &versions);
    // Whether the file, as it is now (its checksum), is recorded as applied in public (public
    // scope) or in any registered tenant (tenant scope).
    static bool appliedAnywhere(DbConnection &connection, const MigrationFile &file);

    // The distinct logins that approved this file as it is now, in the order they did.
    static QStringList approversOf(const QList<MigrationApproval> &approvals,
                                   const MigrationFile &file);
    // The approval that covers this file as it is now (same version and checksum), if any.
    static const MigrationApproval *covering(const QList<MigrationApproval> &approvals,
                                             const MigrationFile &file);
    // The latest approval of this version for another checksum (voided by a change), if any.
    static const MigrationApproval *voided(const QList<MigrationApproval> &approvals,
                                           const MigrationFile &file);
};

} // namespace fuelsync
