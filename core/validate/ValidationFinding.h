#pragma once

#include <QJsonObject>
#include <QString>

namespace fuelsync {

// One thing the validator found: which check, how bad, where (schema and object), what is wrong,
// why it matters, and the SQL that would mend it where there is one. The validator never runs
// that SQL; a fix script collects it.
struct ValidationFinding
{
    enum class Severity { Info, Warning, Error };

    QString check; // "drift", "versions", ...
    Severity severity = Severity::Warning;
    QString schema; // empty: the database as a whole
    QString object; // "index stations.stations_name_idx", "column sales.amount", ...
    QString problem; // what is wrong
    QString why; // why it matters
    QString fixSql; // empty: no SQL mends it
    // The fix cannot run in a transaction (CREATE INDEX CONCURRENTLY and the like).
    bool fixOutsideTransaction = false;

    static QString severityName(Severity severity); // "error", "warning", "info"
    QJsonObject toJson() const;
};

} // namespace fuelsync
