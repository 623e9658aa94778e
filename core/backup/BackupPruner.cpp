#include "BackupPruner.h"

#include "BackupRunner.h"
#include "BackupStore.h"
#include "BackupVerifier.h"
#include "common/RequestError.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <csignal>

namespace fuelsync {

namespace {

// ".partial-<id>-<pid>" of a process that is gone, and older than an hour.
bool isLeftover(const QString &path, const QDateTime &now)
{
    const QString name = QFileInfo(path).fileName();
    bool ok = false;
    const qint64 pid = name.section(u'-', -1).toLongLong(&ok);
    if (!ok || pid <= 0)
        return false;
    const bool gone = ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
    return gone && QFileInfo(path).lastModified().secsTo(now) > 3600;
}

} // namespace

BackupPruner::Result BackupPruner::prune(const QString &folder,
                                         const BackupRetention::Policy &policy, bool dryRun,
                                         const QDateTime &now)
{
    if (policy.keepsNothing())
        throw RequestError(tr("a retention policy must keep something: give --keep-last, "
                              "--keep-daily, --keep-weekly or --keep-monthly"));
    const BackupStore store(folder);
    const QList<BackupStore::Entry> entries = store.list();
    QList<BackupRetention::Backup> backups;
    for (const BackupStore::Entry &e : entries) {
        BackupRetention::Backup b;
        b.id = e.id;
        if (e.manifest) {
            b.takenAt = e.manifest->snapshotAt;
            const auto verified = BackupVerifier::lastVerification(e.folder);
            b.verified = verified && verified->ok();
        }
        backups.append(b);
    }
    Result result;
    result.decisions = BackupRetention::decide(backups, policy, now);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!result.decisions.at(i).keep)
            result.removed.append(entries.at(i).id);
    }
    for (const QString &partial : store.partials()) {
        if (isLeftover(partial, now))
            result.leftovers.append(partial);
    }
    if (dryRun)
        return result;

    QStringList done;
    const QDir dir(store.folder());
    for (const QString &id : std::as_const(result.removed)) {
        const QString hidden = dir.filePath(QLatin1String(deletingPrefix) + id);
        if (!QDir().rename(dir.filePath(id), hidden) || !QDir(hidden).removeRecursively())
            throw RequestError(
                tr("cannot remove backup %1 from %2 (removed before it: %3)")
                    .arg(id, store.folder(),
                         done.isEmpty() ? tr("none") : done.join(QStringLiteral(", "))));
        done.append(id);
    }
    for (const QString &leftover : std::as_const(result.leftovers))
        QDir(leftover).removeRecursively();
    return result;
}

} // namespace fuelsync
