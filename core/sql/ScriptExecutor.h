#pragma once

#include "SqlScript.h"
#include "common/JobControl.h"
#include "db/DbError.h"

#include <QSqlQuery>

#include <atomic>
#include <functional>

namespace fuelsync {

class DbConnection;

// A statement of a script failed: the server's error and the file line it points at.
struct ScriptFailure
{
    DbError error;
    QString file;
    int line = 0;
};

// Sends a script's statements one at a time (Qt's driver would ignore an error after the first
// statement of a multi-statement string) and maps a server error back to the file's line: the
// statement's first line plus the line the server pointed at within it.
class ScriptExecutor
{
public:
    using AfterStatement = std::function<void(const SqlStatement &, QSqlQuery &)>;

    // Throws ScriptFailure; a cancelled job (checked between statements) fails with a Cancelled
    // DbError.
    static void run(DbConnection &connection, const SqlScript &script, const QString &file,
                    const JobControl *control = nullptr, const AfterStatement &after = {});
};

} // namespace fuelsync
