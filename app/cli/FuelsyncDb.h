#pragma once

#include "CliContext.h"

#include <QStringList>

namespace fuelsync::cli {

// fuelsync-db as a function: its arguments in (without the program's name), its exit status
// out, what it prints on the console's streams. main() runs it on the process's own streams;
// the tests run it in-process. The command table (CommandTable) decides what is a command, which
// options it takes, and what --help says.
class FuelsyncDb
{
public:
    static int run(const QStringList &arguments, const CliConsole &console);
};

} // namespace fuelsync::cli
