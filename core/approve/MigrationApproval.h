#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace fuelsync {

// One row of public.migration_approvals: a release manager approved a migration file as it was
// (its checksum) for this database.
struct MigrationApproval
{
    qint64 id = 0;
    QString version;
    QString checksum; // the file's checksum when it was approved
    QString approvedBy; // the database role that approved (the session's login role)
    QDateTime approvedAt;
    QString environment; // the database's environment then
    QString comment;
    // What the approver was, stamped by the server: "release manager", or "superuser, not a
    // release manager" (a superuser passes every privilege check without being granted the
    // role). Empty for approvals recorded before it was kept.
    QString approvedAs;

    bool bySuperuserOutsideTheRole() const { return approvedAs.startsWith(u"superuser"); }
    // "alice", or "root (superuser, not a release manager)".
    QString approver() const;
    QJsonObject toJson() const;
};

} // namespace fuelsync
