#include "ScriptExecutor.h"

#include "db/DbConnection.h"

#include <QCoreApplication>

namespace fuelsync {

void ScriptExecutor::run(DbConnection &connection, const SqlScript &script, const QString &file,
                         const JobControl *control, const AfterStatement &after)
{
    for (const SqlStatement &statement : script.statements()) {
        if (control && control->isCancelled()) {
            throw ScriptFailure { DbError(
                                      DbError::Kind::Cancelled,
                                      QCoreApplication::translate("ScriptExecutor", "cancelled")),
                                  file, statement.line };
        }
        try {
            QSqlQuery query = connection.exec(statement.text);
            if (after)
                after(statement, query);
        } catch (const DbError &error) {
            const int line =
                statement.line + (error.lineInStatement() > 0 ? error.lineInStatement() - 1 : 0);
            throw ScriptFailure { error, file, line };
        }
    }
}

} // namespace fuelsync
