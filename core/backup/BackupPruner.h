#pragma once

#include "BackupRetention.h"
#include "common/JobControl.h"

#include <QCoreApplication>

namespace fuelsync {

class ConnectionSettings;

// Applies a retention policy to the backups in a folder: each backup the policy does not keep is
// first renamed to a hidden ".deleting-" name (so a half-deleted folder never looks like a
// backup) and then removed. Folders of runs that died (their process is gone and they are over
// an hour old) are removed too.
class BackupPruner
{
    Q_DECLARE_TR_FUNCTIONS(BackupPruner)

public:
    struct Result
    {
        QList<BackupRetention::Decision> decisions; // newest first
        QStringList removed; // ids (with dryRun: that would be)
        QStringList leftovers; // unfinished runs' folders removed (or that would be)
    };

    // Throws RequestError for a policy that keeps nothing, or when a folder cannot be removed,
    // JobCancelled when cancelled between two removals (what was removed before stays removed,
    // and is listed in the message). Progress: an item per backup removed.
    static Result prune(const QString &folder, const BackupRetention::Policy &policy, bool dryRun,
                        JobControl &control,
                        const QDateTime &now = QDateTime::currentDateTimeUtc());

    // Records a prune that removed something (a dry run, or one that removed nothing, changed
    // nothing and is not recorded) in the audit of the database the folder keeps backups of.
    // Never throws: returns why it could not be recorded.
    static QString recordInAudit(const ConnectionSettings &settings, const QString &folder,
                                 const Result &result);

    static constexpr const char *deletingPrefix = ".deleting-";
};

} // namespace fuelsync
