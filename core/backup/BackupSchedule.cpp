#include "BackupSchedule.h"

#include <QRegularExpression>

namespace fuelsync {

namespace {

const char *const dayNames[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

// One argument as systemd reads it in ExecStart= (and a shell, in the cron line): in double
// quotes, with backslash, quote, dollar and percent escaped.
QString quoted(const QString &argument)
{
    QString escaped = argument;
    escaped.replace(u'\\', QStringLiteral("\\\\"));
    escaped.replace(u'"', QStringLiteral("\\\""));
    escaped.replace(u'$', QStringLiteral("\\$"));
    escaped.replace(u'%', QStringLiteral("%%"));
    return u'"' + escaped + u'"';
}

} // namespace

QString BackupSchedule::problem() const
{
    static const QRegularExpression valid(
        QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9_-]{0,39}")));
    if (!valid.match(name).hasMatch())
        return tr("a schedule's name is 1 to 40 lower-case letters, digits, '-' or '_'");
    if (profile.isEmpty())
        return tr("a schedule needs the profile to back up");
    if (!at.isValid())
        return tr("a schedule needs a time of day (HH:MM)");
    for (int day : weekdays) {
        if (day < 1 || day > 7)
            return tr("days are mon to sun");
    }
    if (jobs < 1 || jobs > 64)
        return tr("jobs are 1 to 64");
    return QString();
}

QString BackupSchedule::onCalendar() const
{
    QStringList days;
    for (int day : weekdays)
        days.append(QLatin1String(dayNames[day - 1]));
    return (days.isEmpty() ? QString() : days.join(u',') + u' ') + QStringLiteral("*-*-* ")
        + at.toString(QStringLiteral("HH:mm:00"));
}

QStringList BackupSchedule::command() const
{
    return { QStringLiteral("--profile"), profile, QStringLiteral("backup"),
             QStringLiteral("scheduled"), name };
}

QString BackupSchedule::cronLine(const QString &fuelsyncDb) const
{
    QStringList days;
    for (int day : weekdays)
        days.append(QString::number(day % 7)); // cron counts Sunday as 0
    QStringList arguments { quoted(fuelsyncDb) };
    for (const QString &a : command())
        arguments.append(quoted(a));
    return QStringLiteral("%1 %2 * * %3 %4")
        .arg(at.minute())
        .arg(at.hour())
        .arg(days.isEmpty() ? QStringLiteral("*") : days.join(u','), arguments.join(u' '));
}

QString BackupSchedule::unitName() const
{
    return QStringLiteral("fuelsync-backup-") + name;
}

QString BackupSchedule::serviceUnit(const QString &fuelsyncDb, const QString &settingsFile) const
{
    QStringList arguments { quoted(fuelsyncDb) };
    for (const QString &a : command())
        arguments.append(quoted(a));
    QString text = QStringLiteral("[Unit]\nDescription=FuelSync backup %1 (profile %2)\n\n"
                                  "[Service]\nType=oneshot\nExecStart=%3\n")
                       .arg(name, profile, arguments.join(u' '));
    if (!settingsFile.isEmpty())
        text += QStringLiteral("Environment=%1\n")
                    .arg(quoted(QStringLiteral("FUELSYNC_ADMIN_SETTINGS=") + settingsFile));
    return text;
}

QString BackupSchedule::timerUnit() const
{
    // Persistent: a run missed while the machine was off happens when it is back.
    return QStringLiteral("[Unit]\nDescription=FuelSync backup %1\n\n[Timer]\nOnCalendar=%2\n"
                          "Persistent=true\n\n[Install]\nWantedBy=timers.target\n")
        .arg(name, onCalendar());
}

QDateTime BackupSchedule::nextRunAfter(const QDateTime &from) const
{
    const QDateTime local = from.toLocalTime();
    for (int d = 0; d <= 7; ++d) {
        const QDate day = local.date().addDays(d);
        if (!weekdays.isEmpty() && !weekdays.contains(day.dayOfWeek()))
            continue;
        QDateTime candidate(day, at);
        if (candidate > local)
            return candidate;
    }
    return QDateTime();
}

QString BackupSchedule::verifyName(Verify verify)
{
    switch (verify) {
    case Verify::None:
        return QStringLiteral("none");
    case Verify::Check:
        return QStringLiteral("check");
    case Verify::RestoreTest:
        return QStringLiteral("restore-test");
    }
    return QString();
}

std::optional<BackupSchedule::Verify> BackupSchedule::verifyFromName(const QString &name)
{
    for (Verify v : { Verify::None, Verify::Check, Verify::RestoreTest }) {
        if (verifyName(v) == name)
            return v;
    }
    return std::nullopt;
}

std::optional<QList<int>> BackupSchedule::weekdaysFromText(const QString &text)
{
    QList<int> days;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString name = part.trimmed();
        int day = 0;
        for (int d = 0; d < 7; ++d) {
            if (name.compare(QLatin1String(dayNames[d]), Qt::CaseInsensitive) == 0)
                day = d + 1;
        }
        if (day == 0)
            return std::nullopt;
        days.append(day);
    }
    return days;
}

} // namespace fuelsync
