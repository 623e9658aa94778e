#pragma once

#include "BackupRetention.h"
#include "BackupRunner.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTime>

#include <optional>

namespace fuelsync {

// A backup that runs by itself: which profile, which schemas, at what time on which days, then
// whether to verify it and which retention to prune by. Installed as a systemd user timer that
// runs `fuelsync-db --profile P backup scheduled NAME` (or, without systemd, the cron line).
struct BackupSchedule
{
    Q_DECLARE_TR_FUNCTIONS(BackupSchedule)

public:
    enum class Verify { None, Check, RestoreTest };

    QString name; // [a-z0-9_-], the timer's name
    QString profile;
    QStringList schemas; // empty: public and every tenant
    QTime at = QTime(2, 30);
    QList<int> weekdays; // 1 (Monday) to 7; empty: every day
    int jobs = BackupRunner::defaultJobs;
    Verify verify = Verify::Check;
    BackupRetention::Policy retention; // keeps nothing: no pruning
    QString folder; // where the backups go; empty: the profile's folder
    // After the backup, validate the database (every check; fuelsync-db's scheduled run does it,
    // and a validation with an error finding makes the run not OK).
    bool validate = false;

    // What the last run came to (kept by the run itself).
    QDateTime lastRunAt;
    bool lastRunOk = false;
    QString lastRunResult;

    // Empty when it can be saved; otherwise what is wrong.
    QString problem() const;

    // systemd's OnCalendar= for it ("Mon,Fri *-*-* 02:30:00") and the crontab line.
    QString onCalendar() const;
    QString cronLine(const QString &fuelsyncDb) const;
    // The unit files' text; `fuelsyncDb` is the program's absolute path, `settingsFile` the
    // FUELSYNC_ADMIN_SETTINGS in force (empty: the user's settings).
    QString serviceUnit(const QString &fuelsyncDb, const QString &settingsFile) const;
    QString timerUnit() const;
    QString unitName() const; // "fuelsync-backup-NAME"
    // The command the timer runs, as arguments.
    QStringList command() const;
    // When it next runs after `from`, by its days and time.
    QDateTime nextRunAfter(const QDateTime &from) const;

    static QString verifyName(Verify verify);
    static std::optional<Verify> verifyFromName(const QString &name);
    // "mon,wed" (any case, spaces allowed) -> { 1, 3 }, in the order given; "" -> {} (every
    // day); nothing when a part is not a day's three-letter name.
    static std::optional<QList<int>> weekdaysFromText(const QString &text);
};

} // namespace fuelsync
