#include "BackupRetention.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace fuelsync {

QList<BackupRetention::Decision> BackupRetention::decide(const QList<Backup> &backups,
                                                         const Policy &policy, const QDateTime &now)
{
    QList<Decision> decisions;
    QList<qsizetype> usable; // indexes, newest first
    for (qsizetype i = 0; i < backups.size(); ++i) {
        decisions.append({ backups.at(i).id, false, {} });
        if (backups.at(i).takenAt.isValid())
            usable.append(i);
        else
            decisions.last().reasons.append(
                QCoreApplication::translate("BackupRetention", "not a usable backup"));
    }
    std::stable_sort(usable.begin(), usable.end(), [&backups](qsizetype a, qsizetype b) {
        return backups.at(a).takenAt > backups.at(b).takenAt;
    });

    for (qsizetype n = 0; n < usable.size() && n < policy.keepLast; ++n)
        decisions[usable.at(n)].reasons.append(QCoreApplication::translate(
            "BackupRetention", "one of the last %n", nullptr, policy.keepLast));
    // The newest of each period, for periods that began within the time asked.
    const auto periods = [&](int count, const QDateTime &since, auto periodOf, const char *label) {
        if (count <= 0)
            return;
        QSet<QString> seen;
        for (qsizetype i : std::as_const(usable)) {
            const QDateTime at = backups.at(i).takenAt.toLocalTime();
            if (at < since)
                break;
            const QString period = periodOf(at.date());
            if (seen.contains(period))
                continue;
            seen.insert(period);
            decisions[i].reasons.append(
                QCoreApplication::translate("BackupRetention", label).arg(period));
        }
    };
    const QDateTime local = now.toLocalTime();
    periods(
        policy.dailyDays, QDateTime(local.date().addDays(1 - policy.dailyDays), QTime(0, 0)),
        [](const QDate &d) { return d.toString(Qt::ISODate); },
        QT_TRANSLATE_NOOP("BackupRetention", "daily %1"));
    const QDate monday = local.date().addDays(1 - local.date().dayOfWeek());
    periods(
        policy.weeklyWeeks,
        QDateTime(monday.addDays(qint64(-7) * (policy.weeklyWeeks - 1)), QTime(0, 0)),
        [](const QDate &d) {
            int year = 0;
            const int week = d.weekNumber(&year);
            return QStringLiteral("%1-W%2").arg(year).arg(week, 2, 10, QLatin1Char('0'));
        },
        QT_TRANSLATE_NOOP("BackupRetention", "weekly %1"));
    const QDate firstOfMonth(local.date().year(), local.date().month(), 1);
    periods(
        policy.monthlyMonths,
        QDateTime(firstOfMonth.addMonths(1 - policy.monthlyMonths), QTime(0, 0)),
        [](const QDate &d) { return d.toString(QStringLiteral("yyyy-MM")); },
        QT_TRANSLATE_NOOP("BackupRetention", "monthly %1"));

    // Whatever the policy and however long runs have failed, the newest backup stays.
    if (!usable.isEmpty())
        decisions[usable.first()].reasons.append(
            QCoreApplication::translate("BackupRetention", "the newest backup"));
    for (qsizetype i : std::as_const(usable)) {
        if (backups.at(i).verified) {
            decisions[i].reasons.append(
                QCoreApplication::translate("BackupRetention", "the newest verified backup"));
            break;
        }
    }
    for (Decision &d : decisions)
        d.keep = !d.reasons.isEmpty();
    return decisions;
}

} // namespace fuelsync
