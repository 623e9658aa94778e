#pragma once

namespace fuelsync::cli {

class CliContext;

// migrate up | down | status | create
int runMigrateCommand(CliContext &context);

} // namespace fuelsync::cli
