#pragma once

#include "BackupSchedule.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"

#include <functional>

namespace fuelsync {

// One run of a schedule: the backup, then its verification (a check, or a restore test), then
// pruning by the schedule's retention. What it came to is the outcome, kept with the schedule.
class ScheduledBackup
{
    Q_DECLARE_TR_FUNCTIONS(ScheduledBackup)

public:
    struct Outcome
    {
        bool ok = false;
        QString backupId;
        QString summary; // for a person
    };

    static Outcome run(const BackupSchedule &schedule, const ConnectionSettings &settings,
                       const QString &folder, const QString &runner, JobControl &control);
};

} // namespace fuelsync
