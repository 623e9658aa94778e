#pragma once

#include "SchemaValidator.h"

namespace fuelsync {

class DbConnection;
class SchemaSnapshot;

// The orphans check's rules on rows beyond foreign keys, in one tenant:
//   - rows that break a CHECK constraint of the reference which the live table lacks, or holds
//     NOT VALID (a constraint dropped or added by hand never checked them);
//   - the business rules the station graph shows per station, over all stations at once: meter
//     readings that go down, readings after a nozzle's first with no sale, creditors over their
//     credit limit, book stock below zero.
// A rule whose table or columns the tenant lacks is drift's to report and is skipped here.
class RowRuleCheck
{
public:
    // Adds the findings to `report`. Throws DbError when a query fails (a timeout, a lock): the
    // caller reports the schema as not checked.
    static void run(DbConnection &connection, const QString &schema,
                    const SchemaSnapshot &reference, SchemaValidator::Report &report);
};

} // namespace fuelsync
