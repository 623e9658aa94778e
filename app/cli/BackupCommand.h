#pragma once

namespace fuelsync::cli {

class CliContext;

// backup run | list
int runBackupCommand(CliContext &context);

} // namespace fuelsync::cli
