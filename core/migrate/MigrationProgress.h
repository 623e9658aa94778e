#pragma once

#include "MigrationRunReport.h"

namespace fuelsync {

// Receives a run's progress as it happens. Called from worker threads: implementations must be
// thread-safe (the CLI prints under a mutex; the window forwards through queued signals).
class MigrationProgress
{
public:
    virtual ~MigrationProgress() = default;
    virtual void planned(const MigrationPlan &plan) { Q_UNUSED(plan) }
    virtual void phaseStarted(int index, int count, MigrationScope scope, int schemas)
    {
        Q_UNUSED(index)
        Q_UNUSED(count)
        Q_UNUSED(scope)
        Q_UNUSED(schemas)
    }
    virtual void schemaStarted(const QString &schema) { Q_UNUSED(schema) }
    virtual void stepFinished(const StepOutcome &step) { Q_UNUSED(step) }
    virtual void schemaFinished(const SchemaOutcome &schema) { Q_UNUSED(schema) }
};

} // namespace fuelsync
