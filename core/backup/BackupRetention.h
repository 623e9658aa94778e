#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

// Which backups a retention policy keeps: the newest N, plus the newest of each day, week and
// month for as long as asked (counted back from now). Whatever the policy, the newest backup and
// the newest that passed verification are kept, and so is anything that is not a usable backup
// (a person looks at those).
class BackupRetention
{
public:
    struct Policy
    {
        int keepLast = 0;
        int dailyDays = 0; // the newest of each day, for this many days
        int weeklyWeeks = 0; // of each ISO week
        int monthlyMonths = 0; // of each month
        bool keepsNothing() const
        {
            return keepLast <= 0 && dailyDays <= 0 && weeklyWeeks <= 0 && monthlyMonths <= 0;
        }
    };

    struct Backup
    {
        QString id;
        QDateTime takenAt; // invalid: not a usable backup
        bool verified = false; // its last verification passed
    };

    struct Decision
    {
        QString id;
        bool keep = true;
        QStringList reasons; // why it is kept
    };

    // One decision per backup, in the order given (newest first expected).
    static QList<Decision> decide(const QList<Backup> &backups, const Policy &policy,
                                  const QDateTime &now);
};

} // namespace fuelsync
