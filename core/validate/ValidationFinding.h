#pragma once

#include "browse/RowFilter.h"

#include <QJsonObject>
#include <QList>
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
    // The rows the finding is about, as filters on the object's table (an orphan's key), for the
    // window to show them; empty when it is not about rows.
    QList<RowFilter> rows;

    static QString severityName(Severity severity); // "error", "warning", "info"
    QJsonObject toJson() const;
};

} // namespace fuelsync
