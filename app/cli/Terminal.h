#pragma once

#include <QString>

namespace fuelsync::cli::Terminal {

bool stdinIsTerminal();
bool stderrIsTerminal();
// Reads a line from the terminal without echoing it (for passwords).
QString readHidden(const QString &prompt);
// Asks on the terminal; true only when the answer is exactly `expected`.
bool confirm(const QString &question, const QString &expected);

} // namespace fuelsync::cli::Terminal
