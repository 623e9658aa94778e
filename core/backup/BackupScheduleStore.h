#pragma once

#include "BackupSchedule.h"

#include <QSettings>

#include <memory>
#include <optional>

namespace fuelsync {

// Backup schedules, kept with the connection profiles in FuelSync Admin's settings.
class BackupScheduleStore
{
    Q_DECLARE_TR_FUNCTIONS(BackupScheduleStore)

public:
    BackupScheduleStore(); // AdminSettings::open()
    ~BackupScheduleStore();

    QList<BackupSchedule> schedules() const; // by name
    std::optional<BackupSchedule> find(const QString &name) const;
    // False with the reason when the schedule has a problem.
    bool save(const BackupSchedule &schedule, QString *error);
    void remove(const QString &name);
    // What a run of the schedule came to.
    void recordRun(const QString &name, const QDateTime &at, bool ok, const QString &result);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace fuelsync
