#include "MigrationRunReport.h"

#include "db/ExitStatus.h"

#include <QJsonArray>

namespace fuelsync {

QString stepStatusName(StepStatus status)
{
    switch (status) {
    case StepStatus::Applied:
        return QStringLiteral("applied");
    case StepStatus::RolledBack:
        return QStringLiteral("rolled-back");
    case StepStatus::Tried:
        return QStringLiteral("tried");
    case StepStatus::Failed:
        return QStringLiteral("failed");
    case StepStatus::Cancelled:
        return QStringLiteral("cancelled");
    case StepStatus::Skipped:
        return QStringLiteral("skipped");
    case StepStatus::NotStarted:
        return QStringLiteral("not-started");
    }
    return {};
}

QString StepOutcome::location() const
{
    if (file.isEmpty())
        return {};
    return line > 0 ? file + u':' + QString::number(line) : file;
}

bool SchemaOutcome::failed() const
{
    if (!error.isEmpty())
        return true;
    for (const StepOutcome &step : steps) {
        if (step.status == StepStatus::Failed)
            return true;
    }
    return false;
}

int MigrationRunReport::stepCount(StepStatus status) const
{
    int count = 0;
    for (const SchemaOutcome &schema : schemas) {
        for (const StepOutcome &step : schema.steps)
            count += step.status == status ? 1 : 0;
    }
    return count;
}

int MigrationRunReport::failedSchemaCount() const
{
    int count = 0;
    for (const SchemaOutcome &schema : schemas)
        count += schema.failed() ? 1 : 0;
    return count;
}

int MigrationRunReport::tenantCount() const
{
    int count = 0;
    for (const SchemaOutcome &schema : schemas)
        count += schema.isPublic ? 0 : 1;
    return count;
}

int MigrationRunReport::exitCode() const
{
    switch (result) {
    case Result::NothingToDo:
    case Result::Succeeded:
        return ExitStatus::Done;
    case Result::Failed:
    case Result::Refused:
        return ExitStatus::Failed;
    case Result::InvalidRequest:
        return ExitStatus::Usage;
    case Result::ConnectionFailed:
        return ExitStatus::Unreachable;
    case Result::LockHeld:
        return ExitStatus::Busy;
    case Result::Cancelled:
        return ExitStatus::Cancelled;
    }
    return ExitStatus::Failed;
}

QString MigrationRunReport::resultName(Result result)
{
    switch (result) {
    case Result::NothingToDo:
        return QStringLiteral("nothing-to-do");
    case Result::Succeeded:
        return QStringLiteral("succeeded");
    case Result::Failed:
        return QStringLiteral("failed");
    case Result::Refused:
        return QStringLiteral("refused");
    case Result::Cancelled:
        return QStringLiteral("cancelled");
    case Result::LockHeld:
        return QStringLiteral("lock-held");
    case Result::ConnectionFailed:
        return QStringLiteral("connection-failed");
    case Result::InvalidRequest:
        return QStringLiteral("invalid-request");
    }
    return {};
}

QJsonObject MigrationRunReport::toJson() const
{
    QJsonObject root;
    root.insert(QStringLiteral("result"), resultName(result));
    root.insert(QStringLiteral("direction"),
                direction == MigrationPlan::Direction::Up ? QStringLiteral("up")
                                                          : QStringLiteral("down"));
    root.insert(QStringLiteral("dryRun"), dryRun);
    root.insert(QStringLiteral("environment"), environment);
    root.insert(QStringLiteral("database"), database);
    root.insert(QStringLiteral("durationMs"), durationMs);
    if (!lockHolder.isEmpty())
        root.insert(QStringLiteral("lockHolder"), lockHolder);
    if (!error.isEmpty())
        root.insert(QStringLiteral("error"), error);
    QJsonArray refusalArray;
    for (const MigrationProblem &problem : refusals) {
        refusalArray.append(QJsonObject { { QStringLiteral("file"), problem.file },
                                          { QStringLiteral("line"), problem.line },
                                          { QStringLiteral("message"), problem.message } });
    }
    root.insert(QStringLiteral("refusals"), refusalArray);
    root.insert(QStringLiteral("notes"), QJsonArray::fromStringList(notes));
    root.insert(QStringLiteral("versions"), QJsonArray::fromStringList(versions));
    if (direction == MigrationPlan::Direction::Down)
        root.insert(QStringLiteral("dataLoss"), QJsonArray::fromStringList(dataLoss));
    QJsonArray schemaArray;
    for (const SchemaOutcome &schema : schemas) {
        QJsonArray steps;
        for (const StepOutcome &step : schema.steps) {
            QJsonObject s { { QStringLiteral("version"), step.version },
                            { QStringLiteral("description"), step.description },
                            { QStringLiteral("status"), stepStatusName(step.status) },
                            { QStringLiteral("durationMs"), step.durationMs } };
            if (!step.error.isEmpty()) {
                s.insert(QStringLiteral("error"), step.error);
                s.insert(QStringLiteral("file"), step.file);
                s.insert(QStringLiteral("line"), step.line);
                s.insert(QStringLiteral("sqlState"), step.sqlState);
            }
            if (!step.changes.isEmpty())
                s.insert(QStringLiteral("changes"), QJsonArray::fromStringList(step.changes));
            if (!step.warnings.isEmpty())
                s.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(step.warnings));
            if (!step.note.isEmpty())
                s.insert(QStringLiteral("note"), step.note);
            steps.append(s);
        }
        QJsonObject o { { QStringLiteral("schema"), schema.schema },
                        { QStringLiteral("name"), schema.displayName },
                        { QStringLiteral("scope"),
                          schema.isPublic ? QStringLiteral("public") : QStringLiteral("tenant") },
                        { QStringLiteral("failed"), schema.failed() },
                        { QStringLiteral("durationMs"), schema.durationMs },
                        { QStringLiteral("steps"), steps } };
        if (!schema.error.isEmpty())
            o.insert(QStringLiteral("error"), schema.error);
        schemaArray.append(o);
    }
    root.insert(QStringLiteral("schemas"), schemaArray);
    QJsonObject counts;
    for (StepStatus status :
         { StepStatus::Applied, StepStatus::RolledBack, StepStatus::Tried, StepStatus::Failed,
           StepStatus::Cancelled, StepStatus::Skipped, StepStatus::NotStarted }) {
        counts.insert(stepStatusName(status), stepCount(status));
    }
    root.insert(QStringLiteral("counts"), counts);
    return root;
}

} // namespace fuelsync
