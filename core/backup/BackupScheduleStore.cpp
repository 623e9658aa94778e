#include "BackupScheduleStore.h"

#include "common/AdminSettings.h"

#include <QScopeGuard>

#include <algorithm>

namespace fuelsync {

namespace {

const QString group = QStringLiteral("backupSchedules");

} // namespace

BackupScheduleStore::BackupScheduleStore()
    : m_settings(AdminSettings::open())
{ }

BackupScheduleStore::~BackupScheduleStore() = default;

QList<BackupSchedule> BackupScheduleStore::schedules() const
{
    m_settings->sync();
    m_settings->beginGroup(group);
    const QStringList names = m_settings->childGroups();
    m_settings->endGroup();
    QList<BackupSchedule> list;
    for (const QString &name : names) {
        if (const auto schedule = find(name))
            list.append(*schedule);
    }
    std::sort(list.begin(), list.end(),
              [](const BackupSchedule &a, const BackupSchedule &b) { return a.name < b.name; });
    return list;
}

std::optional<BackupSchedule> BackupScheduleStore::find(const QString &name) const
{
    m_settings->sync();
    m_settings->beginGroup(group + u'/' + name);
    const auto done = qScopeGuard([this] { m_settings->endGroup(); });
    if (!m_settings->contains(QStringLiteral("profile")))
        return std::nullopt;
    BackupSchedule s;
    s.name = name;
    s.profile = m_settings->value(QStringLiteral("profile")).toString();
    s.schemas = m_settings->value(QStringLiteral("schemas")).toStringList();
    s.at = QTime::fromString(m_settings->value(QStringLiteral("at")).toString(),
                             QStringLiteral("HH:mm"));
    for (const QVariant &day : m_settings->value(QStringLiteral("weekdays")).toList())
        s.weekdays.append(day.toInt());
    s.jobs = m_settings->value(QStringLiteral("jobs"), 2).toInt();
    s.validate = m_settings->value(QStringLiteral("validate"), false).toBool();
    s.verify =
        BackupSchedule::verifyFromName(m_settings->value(QStringLiteral("verify")).toString())
            .value_or(BackupSchedule::Verify::Check);
    s.retention.keepLast = m_settings->value(QStringLiteral("keepLast")).toInt();
    s.retention.dailyDays = m_settings->value(QStringLiteral("keepDaily")).toInt();
    s.retention.weeklyWeeks = m_settings->value(QStringLiteral("keepWeekly")).toInt();
    s.retention.monthlyMonths = m_settings->value(QStringLiteral("keepMonthly")).toInt();
    s.folder = m_settings->value(QStringLiteral("folder")).toString();
    s.lastRunAt = m_settings->value(QStringLiteral("lastRunAt")).toDateTime();
    s.lastRunOk = m_settings->value(QStringLiteral("lastRunOk")).toBool();
    s.lastRunResult = m_settings->value(QStringLiteral("lastRunResult")).toString();
    return s;
}

bool BackupScheduleStore::save(const BackupSchedule &s, QString *error)
{
    if (const QString problem = s.problem(); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    m_settings->beginGroup(group + u'/' + s.name);
    m_settings->setValue(QStringLiteral("profile"), s.profile);
    m_settings->setValue(QStringLiteral("schemas"), s.schemas);
    m_settings->setValue(QStringLiteral("at"), s.at.toString(QStringLiteral("HH:mm")));
    QVariantList days;
    for (int day : s.weekdays)
        days.append(day);
    m_settings->setValue(QStringLiteral("weekdays"), days);
    m_settings->setValue(QStringLiteral("jobs"), s.jobs);
    m_settings->setValue(QStringLiteral("validate"), s.validate);
    m_settings->setValue(QStringLiteral("verify"), BackupSchedule::verifyName(s.verify));
    m_settings->setValue(QStringLiteral("keepLast"), s.retention.keepLast);
    m_settings->setValue(QStringLiteral("keepDaily"), s.retention.dailyDays);
    m_settings->setValue(QStringLiteral("keepWeekly"), s.retention.weeklyWeeks);
    m_settings->setValue(QStringLiteral("keepMonthly"), s.retention.monthlyMonths);
    m_settings->setValue(QStringLiteral("folder"), s.folder);
    m_settings->endGroup();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError) {
        *error = tr("the settings could not be written (%1)").arg(m_settings->fileName());
        return false;
    }
    return true;
}

void BackupScheduleStore::remove(const QString &name)
{
    m_settings->remove(group + u'/' + name);
    m_settings->sync();
}

void BackupScheduleStore::recordRun(const QString &name, const QDateTime &at, bool ok,
                                    const QString &result)
{
    m_settings->beginGroup(group + u'/' + name);
    m_settings->setValue(QStringLiteral("lastRunAt"), at);
    m_settings->setValue(QStringLiteral("lastRunOk"), ok);
    m_settings->setValue(QStringLiteral("lastRunResult"), result);
    m_settings->endGroup();
    m_settings->sync();
}

} // namespace fuelsync
