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

    QJsonObject toJson() const;
};

} // namespace fuelsync
