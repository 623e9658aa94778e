#include "MigrationApproval.h"

namespace fuelsync {

QString MigrationApproval::approver() const
{
    return bySuperuserOutsideTheRole() ? QStringLiteral("%1 (%2)").arg(approvedBy, approvedAs)
                                       : approvedBy;
}

QJsonObject MigrationApproval::toJson() const
{
    return { { QStringLiteral("version"), version },
             { QStringLiteral("checksum"), checksum },
             { QStringLiteral("approved_by"), approvedBy },
             { QStringLiteral("approved_at"), approvedAt.toUTC().toString(Qt::ISODateWithMs) },
             { QStringLiteral("environment"), environment },
             { QStringLiteral("comment"), comment },
             { QStringLiteral("approved_as"), approvedAs } };
}

} // namespace fuelsync
