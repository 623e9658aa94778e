#include "BackupPruner.h"

#include "BackupRunner.h"
#include "BackupStore.h"
#include "BackupVerifier.h"
#include "audit/AuditLog.h"
#include "common/RequestError.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fuelsync {

namespace {

// A run's partial folder whose run is over: nothing holds its lock (a run that died released it
// with its process). A run holds its lock file from the moment its folder exists until the folder
// is renamed into place, so one without a lock file was left by a run that died (or by an older
// version, which removed the file before the rename); it counts as over once a minute old, the
// moment between a folder and its lock file being long gone.
bool isLeftover(const QString &path, const QDateTime &now)
{
    const int fd =
        ::open(QFile::encodeName(QDir(path).filePath(QLatin1String(BackupRunner::runLockName)))
                   .constData(),
               O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return QFileInfo(path).lastModified().secsTo(now) > 60;
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
}

} // namespace

QString BackupPruner::recordInAudit(const ConnectionSettings &settings, const QString &folder,
                                    const Result &result)
{
    if (result.removed.isEmpty() && result.leftovers.isEmpty())
        return {};
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::prune);
    entry.what = { { QStringLiteral("folder"), QDir(folder).absolutePath() },
                   { QStringLiteral("removed"), QJsonArray::fromStringList(result.removed) } };
    if (!result.leftovers.isEmpty())
        entry.what.insert(QStringLiteral("unfinished runs removed"),
                          QJsonArray::fromStringList(result.leftovers));
    return AuditLog::recordAlone(settings, entry);
}

BackupPruner::Result BackupPruner::prune(const QString &folder,
                                         const BackupRetention::Policy &policy, bool dryRun,
                                         JobControl &control, const QDateTime &now)
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
    // Each database's backups by themselves: one folder may hold several.
    QStringList databases;
    for (const BackupStore::Entry &e : entries) {
        const QString key = e.manifest ? e.manifest->databaseKey() : QString();
        if (!databases.contains(key))
            databases.append(key);
    }
    result.decisions.resize(entries.size());
    for (const QString &database : std::as_const(databases)) {
        QList<qsizetype> indexes;
        QList<BackupRetention::Backup> group;
        for (qsizetype i = 0; i < entries.size(); ++i) {
            if ((entries.at(i).manifest ? entries.at(i).manifest->databaseKey() : QString())
                == database) {
                indexes.append(i);
                group.append(backups.at(i));
            }
        }
        const QList<BackupRetention::Decision> decided =
            BackupRetention::decide(group, policy, now);
        for (qsizetype k = 0; k < indexes.size(); ++k)
            result.decisions[indexes.at(k)] = decided.at(k);
    }
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
    // What an interrupted prune was removing goes first.
    for (const QString &name : dir.entryList({ QLatin1String(deletingPrefix) + u'*' },
                                             QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
        QDir(dir.filePath(name)).removeRecursively();
    control.setStep(tr("Removing %n backup(s)", nullptr, int(result.removed.size())),
                    result.removed.size());
    for (const QString &id : std::as_const(result.removed)) {
        control.throwIfCancelled(
            tr("pruning was cancelled (removed before: %1)")
                .arg(done.isEmpty() ? tr("none") : done.join(QStringLiteral(", "))));
        const QString hidden = dir.filePath(QLatin1String(deletingPrefix) + id);
        if (!QDir().rename(dir.filePath(id), hidden) || !QDir(hidden).removeRecursively())
            throw RequestError(
                tr("cannot remove backup %1 from %2 (removed before it: %3)")
                    .arg(id, store.folder(),
                         done.isEmpty() ? tr("none") : done.join(QStringLiteral(", "))));
        done.append(id);
        control.itemDone(false, id);
    }
    for (const QString &leftover : std::as_const(result.leftovers))
        QDir(leftover).removeRecursively();
    return result;
}

} // namespace fuelsync
