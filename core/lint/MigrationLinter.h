#pragma once

#include "LintReport.h"

namespace fuelsync {

class MigrationSet;

// `migrate lint`: reads every migration of a set, in version order, and reports the statements
// that would hurt a live FuelSync database (see LintRule::all()), with file and line.
//
// It reads the SQL, not a database: it follows the tables, columns, keys and indexes the set's own
// migrations create, so "an existing table" is one not created earlier in the same file, and "a
// foreign key without an index" is judged against the indexes the set builds. Tables the set does
// not create are taken as existing, with indexes it cannot see (their foreign keys are not judged).
// The set's own problems (those the runner refuses) are findings too.
class MigrationLinter
{
public:
    static LintReport lint(const MigrationSet &set);
};

} // namespace fuelsync
