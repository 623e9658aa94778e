#include "LintReport.h"

#include <QJsonArray>

#include <algorithm>

namespace fuelsync {

int LintReport::errors() const
{
    return int(std::count_if(findings.cbegin(), findings.cend(),
                             [](const LintFinding &f) { return f.blocks(); }));
}

int LintReport::warnings() const
{
    return int(std::count_if(findings.cbegin(), findings.cend(), [](const LintFinding &f) {
        return f.severity == LintRule::Severity::Warning && !f.acknowledged;
    }));
}

int LintReport::acknowledged() const
{
    return int(std::count_if(findings.cbegin(), findings.cend(),
                             [](const LintFinding &f) { return f.acknowledged; }));
}

QList<LintFinding> LintReport::forVersion(const QString &version) const
{
    QList<LintFinding> result;
    for (const LintFinding &finding : findings) {
        if (finding.version == version)
            result.append(finding);
    }
    return result;
}

QJsonObject LintReport::toJson() const
{
    QJsonArray list;
    for (const LintFinding &finding : findings)
        list.append(finding.toJson());
    return { { QStringLiteral("errors"), errors() },
             { QStringLiteral("warnings"), warnings() },
             { QStringLiteral("acknowledged"), acknowledged() },
             { QStringLiteral("findings"), list } };
}

} // namespace fuelsync
