#include "StatementResult.h"

namespace fuelsync {

qint64 StatementResult::taggedCount() const
{
    const qsizetype space = commandTag.lastIndexOf(u' ');
    if (space < 0)
        return -1;
    bool ok = false;
    const qint64 count = commandTag.mid(space + 1).toLongLong(&ok);
    return ok ? count : -1;
}

QString StatementResult::tagVerb() const
{
    return commandTag.section(u' ', 0, 0);
}

} // namespace fuelsync
