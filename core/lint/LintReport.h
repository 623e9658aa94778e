#pragma once

#include "LintFinding.h"

#include <QJsonObject>
#include <QList>

namespace fuelsync {

// Everything `migrate lint` found in a set of migrations, in file and line order.
struct LintReport
{
    QList<LintFinding> findings;

    int errors() const; // unacknowledged errors
    int warnings() const; // unacknowledged warnings
    int acknowledged() const;
    bool hasErrors() const { return errors() > 0; }
    QList<LintFinding> forVersion(const QString &version) const;
    QJsonObject toJson() const;
};

} // namespace fuelsync
