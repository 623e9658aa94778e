#pragma once

#include "migrate/MigrationRunner.h"

namespace fuelsync::cli {

class CliContext;

// migrate up | down | status | create
int runMigrateCommand(CliContext &context);

// Runs migrations as `migrate up` or `down` does (confirmation at the terminal where one is
// due, progress, the report printed); the exit code.
int runMigration(CliContext &context, MigrationRunOptions options);

} // namespace fuelsync::cli
