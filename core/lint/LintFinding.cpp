#include "LintFinding.h"

namespace fuelsync {

LintFinding LintFinding::of(const LintRule &rule, const QString &version, const QString &file,
                            int line, const QString &message)
{
    LintFinding finding;
    finding.rule = rule.id;
    finding.severity = rule.severity;
    finding.version = version;
    finding.file = file;
    finding.line = line;
    finding.message = message;
    finding.reason = rule.reason;
    finding.fix = rule.fix;
    return finding;
}

QString LintFinding::location() const
{
    return line > 0 ? file + u':' + QString::number(line) : file;
}

QJsonObject LintFinding::toJson() const
{
    QJsonObject object { { QStringLiteral("rule"), rule },
                         { QStringLiteral("severity"), LintRule::severityName(severity) },
                         { QStringLiteral("version"), version },
                         { QStringLiteral("file"), file },
                         { QStringLiteral("line"), line },
                         { QStringLiteral("message"), message },
                         { QStringLiteral("reason"), reason },
                         { QStringLiteral("fix"), fix },
                         { QStringLiteral("acknowledged"), acknowledged } };
    if (acknowledged) {
        object.insert(QStringLiteral("acknowledgement"), acknowledgement);
        object.insert(QStringLiteral("acknowledgement_line"), acknowledgementLine);
    }
    return object;
}

} // namespace fuelsync
