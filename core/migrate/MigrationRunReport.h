#pragma once

#include "MigrationPlan.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

enum class StepStatus {
    Applied, // committed (up)
    RolledBack, // committed (down)
    Tried, // dry run: ran and was rolled back
    Failed,
    Cancelled, // running when the run was cancelled; rolled back
    Skipped, // not run: an earlier step of this schema failed, or the dry run cannot try it
    NotStarted, // not run: the run stopped before reaching it
};
QString stepStatusName(StepStatus status);

// What happened to one migration in one schema.
struct StepOutcome
{
    QString schema;
    QString version;
    QString description;
    StepStatus status = StepStatus::NotStarted;
    qint64 durationMs = 0;
    QString file; // where a failure is: the migration file, or the recorded rollback
    int line = 0; // line in that file, 0 when unknown
    QString error; // the server's message, detail and hint
    QString sqlState;
    QStringList changes; // dry run: schema changes and rows affected
    QStringList warnings; // WARNING messages the server sent while it ran
    QString note;

    QString location() const; // "migrations/schema/004_x.sql:27"
};

struct SchemaOutcome
{
    QString schema;
    QString displayName;
    bool isPublic = false;
    QList<StepOutcome> steps;
    qint64 durationMs = 0;
    QString error; // a failure not tied to one step (blocked schema, lost connection)

    bool failed() const;
};

// Everything a migrate up / down run did, for the CLI's text and JSON output and for the window.
class MigrationRunReport
{
public:
    enum class Result {
        NothingToDo,
        Succeeded,
        Failed, // some schema failed; the others' results are in schemas
        Refused, // checks failed before anything ran
        Cancelled,
        LockHeld, // another run holds the lock; nothing ran
        ConnectionFailed,
        InvalidRequest, // e.g. an unknown tenant was named; nothing ran
    };

    Result result = Result::NothingToDo;
    MigrationPlan::Direction direction = MigrationPlan::Direction::Up;
    bool dryRun = false;
    QString environment;
    QString database; // user@host/db
    QString lockHolder;
    QString error;
    QList<MigrationProblem> refusals;
    QStringList notes;
    QStringList versions; // versions the plan touched, in order
    QStringList dataLoss; // down: what the rollback SQL destroys, one sentence each
    QList<SchemaOutcome> schemas;
    qint64 durationMs = 0;

    int stepCount(StepStatus status) const;
    int failedSchemaCount() const;
    int tenantCount() const;
    // 0 success or nothing to do, 1 failed or refused, 3 connection failed, 4 lock held,
    // 130 cancelled, 2 invalid request.
    int exitCode() const;
    QJsonObject toJson() const;
    static QString resultName(Result result);
};

} // namespace fuelsync
