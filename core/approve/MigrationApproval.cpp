#include "MigrationApproval.h"

namespace fuelsync {

QJsonObject MigrationApproval::toJson() const
{
    return { { QStringLiteral("version"), version },
             { QStringLiteral("checksum"), checksum },
             { QStringLiteral("approved_by"), approvedBy },
             { QStringLiteral("approved_at"), approvedAt.toUTC().toString(Qt::ISODateWithMs) },
             { QStringLiteral("environment"), environment },
             { QStringLiteral("comment"), comment } };
}

} // namespace fuelsync
