#include "BackupLocation.h"

#include "BackupRunLog.h"
#include "BackupStore.h"
#include "DurableFiles.h"
#include "db/DbConnection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QStandardPaths>

namespace fuelsync {

namespace {

// A name as a folder's: the characters a file name may safely hold.
QString folderName(const QString &name)
{
    QString safe = name;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    if (safe.startsWith(u'.'))
        safe.replace(0, 1, u'_');
    return safe;
}

QString rememberedFile(const QString &connectionName)
{
    return QDir(BackupLocation::root())
        .filePath(QStringLiteral(".connections/") + folderName(connectionName));
}

} // namespace

QString BackupLocation::root()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/fuelsync-admin/backups");
}

QString BackupLocation::legacyFolder(const QString &connectionName)
{
    return root() + u'/' + folderName(connectionName);
}

BackupLocation::Identity BackupLocation::identify(DbConnection &connection)
{
    QSqlQuery query = connection.exec(QStringLiteral(
        "SELECT system_identifier::text, current_database() FROM pg_control_system()"));
    Identity identity;
    if (query.next()) {
        identity.systemIdentifier = query.value(0).toString();
        identity.database = query.value(1).toString();
    }
    return identity;
}

QString BackupLocation::folderFor(const Identity &identity)
{
    QString name = folderName(identity.database);
    if (name != identity.database) {
        name += u'-'
            + QString::fromLatin1(QCryptographicHash::hash(identity.database.toUtf8(),
                                                           QCryptographicHash::Sha256)
                                      .toHex()
                                      .left(8));
    }
    return root() + u'/' + name + u'-' + identity.systemIdentifier;
}

BackupLocation::Resolved BackupLocation::resolve(DbConnection &connection,
                                                 const QString &connectionName)
{
    return settle(identify(connection), connectionName);
}

BackupLocation::Resolved BackupLocation::settle(const Identity &identity,
                                                const QString &connectionName)
{
    Resolved resolved;
    resolved.identity = identity;
    resolved.folder = folderFor(resolved.identity);
    if (DurableFiles::makePrivateFolder(QDir(root()).filePath(QStringLiteral(".connections"))))
        DurableFiles::writePrivateFile(rememberedFile(connectionName), resolved.folder.toUtf8());

    const QString legacy = legacyFolder(connectionName);
    if (!QDir(legacy).exists() || QDir(legacy).absolutePath() == resolved.folder)
        return resolved;
    // What the old folder holds of this database (on this server, when the manifest says which).
    for (const BackupStore::Entry &entry : BackupStore(legacy).list()) {
        if (!entry.manifest || entry.manifest->database != resolved.identity.database
            || (!entry.manifest->systemIdentifier.isEmpty()
                && entry.manifest->systemIdentifier != resolved.identity.systemIdentifier))
            continue;
        if (!DurableFiles::makePrivateFolder(resolved.folder))
            return resolved;
        const QString target = QDir(resolved.folder).filePath(entry.id);
        if (!QFile::exists(target) && QDir().rename(entry.folder, target))
            resolved.adopted.append(entry.id);
    }
    // The run records of the connection go with them.
    const QDir runs(QDir(legacy).filePath(QLatin1String(BackupRunLog::folderName)));
    const QStringList records = runs.entryList(QDir::Files);
    if (!records.isEmpty() && DurableFiles::makePrivateFolder(QDir(resolved.folder)
                                                                  .filePath(QLatin1String(
                                                                      BackupRunLog::folderName)))) {
        for (const QString &record : records)
            QDir().rename(runs.filePath(record),
                          QDir(resolved.folder)
                              .filePath(QLatin1String(BackupRunLog::folderName) + u'/' + record));
    }
    if (!resolved.adopted.isEmpty() || !records.isEmpty())
        resolved.adoptedFrom = legacy;
    // Gone when nothing else is left in it.
    QDir().rmdir(runs.path());
    QDir().rmdir(legacy);
    return resolved;
}

QString BackupLocation::lastKnown(const QString &connectionName)
{
    QFile file(rememberedFile(connectionName));
    if (file.open(QIODevice::ReadOnly)) {
        const QString folder = QString::fromUtf8(file.readAll()).trimmed();
        if (!folder.isEmpty())
            return folder;
    }
    return legacyFolder(connectionName);
}

} // namespace fuelsync
