#include "Terminal.h"

#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace fuelsync::cli::Terminal {

bool stdinIsTerminal()
{
    return isatty(STDIN_FILENO) == 1;
}

bool stderrIsTerminal()
{
    return isatty(STDERR_FILENO) == 1;
}

QString readHidden(const QString &prompt)
{
    QTextStream err(stderr);
    err << prompt;
    err.flush();
    termios original {};
    const bool haveTerminal = tcgetattr(STDIN_FILENO, &original) == 0;
    if (haveTerminal) {
        termios silent = original;
        silent.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    QTextStream in(stdin);
    QString line = in.readLine();
    if (haveTerminal)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &original);
    err << Qt::endl;
    return line;
}

bool confirm(const QString &question, const QString &expected)
{
    QTextStream err(stderr);
    err << question << ' ';
    err.flush();
    QTextStream in(stdin);
    return in.readLine().trimmed() == expected;
}

} // namespace fuelsync::cli::Terminal
