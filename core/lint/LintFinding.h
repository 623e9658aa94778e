#pragma once

#include "LintRule.h"

#include <QJsonObject>
#include <QString>

namespace fuelsync {

// One thing `migrate lint` found: a rule a migration file breaks, where, and what to do.
struct LintFinding
{
    QString rule; // LintRule::id
    LintRule::Severity severity = LintRule::Severity::Error;
    QString version; // the migration's version; empty for a file that is not one
    QString file; // display path
    int line = 0; // 0: the file as a whole
    QString message; // what this statement does, in its own names
    QString reason; // the rule's reason
    QString fix; // the rule's fix
    bool acknowledged = false; // by a '-- lint-ack:' header line
    QString acknowledgement; // the header's reason
    int acknowledgementLine = 0;

    // A finding of `rule` (its id, severity, reason and fix) at file:line.
    static LintFinding of(const LintRule &rule, const QString &version, const QString &file,
                          int line, const QString &message);

    // Counts against the exit status and the runner's plan: an unacknowledged error.
    bool blocks() const { return severity == LintRule::Severity::Error && !acknowledged; }
    QString location() const; // "migrations/schema/004_x.sql:12"
    QJsonObject toJson() const;
};

} // namespace fuelsync
