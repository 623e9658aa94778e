#include "ValidationFinding.h"

namespace fuelsync {

QString ValidationFinding::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return {};
}

QJsonObject ValidationFinding::toJson() const
{
    QJsonObject json { { QStringLiteral("check"), check },
                       { QStringLiteral("severity"), severityName(severity) },
                       { QStringLiteral("schema"), schema },
                       { QStringLiteral("object"), object },
                       { QStringLiteral("problem"), problem },
                       { QStringLiteral("why"), why } };
    if (!fixSql.isEmpty()) {
        json.insert(QStringLiteral("fix"), fixSql);
        json.insert(QStringLiteral("fixOutsideTransaction"), fixOutsideTransaction);
    }
    return json;
}

} // namespace fuelsync
