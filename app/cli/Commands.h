#pragma once

#include "migrate/MigrationRunner.h"

namespace fuelsync::cli {

class CliContext;

// The handlers the command table runs (CommandTable), one per command. Each gets a command line
// whose options the table has checked against the command's own; it returns the exit status.

namespace MigrateCommands {
int up(CliContext &context);
int down(CliContext &context);
int plan(CliContext &context);
int status(CliContext &context);
int create(CliContext &context);
int lint(CliContext &context);
int approve(CliContext &context);
} // namespace MigrateCommands

namespace TenantCommands {
int create(CliContext &context);
int list(CliContext &context);
} // namespace TenantCommands

namespace SeedCommands {
int seed(CliContext &context);
} // namespace SeedCommands

namespace ValidateCommands {
int validate(CliContext &context);
int history(CliContext &context);
} // namespace ValidateCommands

namespace EnvCommands {
int show(CliContext &context);
int set(CliContext &context);
} // namespace EnvCommands

namespace SandboxCommands {
int start(CliContext &context);
int stop(CliContext &context);
int status(CliContext &context);
int destroy(CliContext &context);
} // namespace SandboxCommands

namespace BackupCommands {
int run(CliContext &context);
int list(CliContext &context);
int verify(CliContext &context);
int prune(CliContext &context);
int restore(CliContext &context);
int scheduleAdd(CliContext &context);
int scheduleList(CliContext &context);
int scheduleRemove(CliContext &context);
int scheduled(CliContext &context);
} // namespace BackupCommands

namespace RoleCommands {
int setup(CliContext &context);
int grant(CliContext &context);
int revoke(CliContext &context);
int list(CliContext &context);
} // namespace RoleCommands

namespace AuditCommands {
int audit(CliContext &context);
} // namespace AuditCommands

namespace QueryCommands {
int query(CliContext &context);
int search(CliContext &context);
} // namespace QueryCommands

// Runs migrations as `migrate up` or `down` does (confirmation at the terminal where core says
// one is due, progress, the report printed); the exit status. Also what `backup restore
// --migrate` runs afterwards.
int runMigration(CliContext &context, MigrationRunOptions options);

} // namespace fuelsync::cli
