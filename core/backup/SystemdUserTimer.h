#pragma once

#include "BackupSchedule.h"

namespace fuelsync {

// Puts a backup schedule in the user's systemd: a service and a timer unit in
// ~/.config/systemd/user (XDG_CONFIG_HOME), enabled with `systemctl --user`, so it runs with the
// window closed. Where systemd cannot be asked, the files are still written and the result says
// why; the schedule's cron line does the same job.
class SystemdUserTimer
{
    Q_DECLARE_TR_FUNCTIONS(SystemdUserTimer)

public:
    struct Result
    {
        QString unitDirectory;
        bool enabled = false; // systemctl --user enable --now succeeded
        QString message; // what systemctl said when it did not
    };

    // `fuelsyncDb` is the program the timer runs (absolute path). With `enable` false, only the
    // files are written.
    static Result install(const BackupSchedule &schedule, const QString &fuelsyncDb, bool enable);
    // Disables the timer (when systemd can be asked) and removes the files.
    static Result uninstall(const BackupSchedule &schedule, bool disable);
    static QString unitDirectory();
};

} // namespace fuelsync
