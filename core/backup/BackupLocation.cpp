#include "BackupLocation.h"

#include "BackupRunLog.h"
#include "BackupStore.h"
#include "DurableFiles.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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
    Identity identity;
    identity.database = connection.databaseName();
    identity.place = BackupManifest::placeOf(connection.settings().displayName());
    try {
        identity.systemIdentifier =
            connection
                .scalar(QStringLiteral("SELECT system_identifier::text FROM pg_control_system()"))
                .toString();
    } catch (const DbError &error) {
        if (error.sqlState() != u"42501") // only a login that may not ask goes on without it
            throw;
    }
    return identity;
}

QString BackupLocation::folderFor(const Identity &identity)
{
    QString name = folderName(identity.database);
    if (name != identity.database) {
        name += u'-'
            + QString::fromLatin1(
                    QCryptographicHash::hash(identity.database.toUtf8(), QCryptographicHash::Sha256)
                        .toHex()
                        .left(8));
    }
    if (identity.systemIdentifier.isEmpty())
        return root() + u'/' + name + QStringLiteral("-at-") + folderName(identity.place);
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
    // What the old folder holds of this database: on this server, when the manifest says which;
    // else reached at the same host, port and database (a profile may have been pointed
    // elsewhere since).
    const auto ours = [&identity](const BackupManifest &m) {
        if (m.database != identity.database)
            return false;
        if (!m.systemIdentifier.isEmpty() && !identity.systemIdentifier.isEmpty())
            return m.systemIdentifier == identity.systemIdentifier;
        return BackupManifest::placeOf(m.target) == identity.place;
    };
    for (const BackupStore::Entry &entry : BackupStore(legacy).list()) {
        if (!entry.manifest || !ours(*entry.manifest)) {
            resolved.leftBehind.append(entry.id);
            continue;
        }
        if (!DurableFiles::makePrivateFolder(resolved.folder))
            return resolved;
        const QString target = QDir(resolved.folder).filePath(entry.id);
        if (!QFile::exists(target) && QDir().rename(entry.folder, target))
            resolved.adopted.append(entry.id);
        else
            resolved.leftBehind.append(entry.id);
    }
    // The run records of this connection and of this database go with them.
    const QDir runs(QDir(legacy).filePath(QLatin1String(BackupRunLog::folderName)));
    const QString runsHere =
        QDir(resolved.folder).filePath(QLatin1String(BackupRunLog::folderName));
    int moved = 0;
    for (const QString &record : runs.entryList(QDir::Files)) {
        QFile file(runs.filePath(record));
        const QJsonObject json = file.open(QIODevice::ReadOnly)
            ? QJsonDocument::fromJson(file.readAll()).object()
            : QJsonObject();
        file.close();
        const QString target = BackupRunLog::Entry::fromJson(json).target;
        if ((target == connectionName || BackupManifest::placeOf(target) == identity.place)
            && DurableFiles::makePrivateFolder(runsHere)
            && QDir().rename(runs.filePath(record), QDir(runsHere).filePath(record)))
            ++moved;
    }
    if (!resolved.adopted.isEmpty() || moved > 0)
        resolved.adoptedFrom = legacy;
    for (const QString &partial : BackupStore(legacy).partials())
        resolved.leftBehind.append(QDir(partial).dirName());
    // Gone when nothing else is left in it.
    QDir().rmdir(runs.path());
    QDir().rmdir(legacy);
    if (!resolved.leftBehind.isEmpty())
        resolved.oldFolder = legacy;
    return resolved;
}

QString BackupLocation::lastKnown(const QString &connectionName)
{
    QFile file(rememberedFile(connectionName));
    if (file.open(QIODevice::ReadOnly)) {
        QString folder = QString::fromUtf8(file.readAll()).trimmed();
        if (!folder.isEmpty())
            return folder;
    }
    return legacyFolder(connectionName);
}

} // namespace fuelsync
