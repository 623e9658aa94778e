#pragma once

#include <QList>
#include <QString>

namespace fuelsync {

// One rule of `migrate lint`: what it protects a live FuelSync database from, and how to write
// the change instead. Rules are fixed in code; a migration's header can acknowledge a finding
// (`-- lint-ack: <rule> <reason>`) where the rule does not apply.
struct LintRule
{
    enum class Severity { Error, Warning };

    QString id; // "index-without-concurrently"
    Severity severity = Severity::Error;
    QString reason; // why it matters on a live database
    QString fix; // what to write instead
    bool acknowledgeable = true; // false: the runner refuses the file anyway

    // Every rule, in the order the documentation lists them.
    static const QList<LintRule> &all();
    static const LintRule *find(const QString &id);
    static QString severityName(Severity severity); // "error", "warning"
};

} // namespace fuelsync
