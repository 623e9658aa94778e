#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;

// Where a database's backups are kept when no folder is named: one folder per database, named by
// its server's identity (the system identifier of pg_control_system()) and the database's name,
// so every profile or URI that reaches the same database sees the same backups, and two databases
// of one name on different servers never share a folder. The connection's name (a profile,
// "sandbox", user@host:port/db) is only a label.
//
// Earlier versions kept backups in a folder named after the connection: what such a folder holds
// of this database is moved into the database's folder the first time that connection is used.
class BackupLocation
{
    Q_DECLARE_TR_FUNCTIONS(BackupLocation)

public:
    struct Identity
    {
        QString systemIdentifier; // empty when the login may not read it
        QString database;
        QString place; // host:port/db as reached (no user), for backups of earlier versions
    };
    // Throws DbError when the server cannot be asked. A login that may not call
    // pg_control_system() (a hardened server) gets an identity of the place it reached instead.
    static Identity identify(DbConnection &connection);
    // <root>/<database>-<system identifier>, or <root>/<database>-at-<place> without one (a
    // name that needed changing to be a folder's gets a hash of the real one, so two names never
    // meet).
    static QString folderFor(const Identity &identity);

    struct Resolved
    {
        QString folder;
        Identity identity;
        QStringList adopted; // backups moved in from the connection's old folder
        QString adoptedFrom;
        // What the old folder still holds (another database's backups, unusable ones, runs that
        // did not finish): left there, and said.
        QStringList leftBehind;
        QString oldFolder;
    };
    // The connected database's folder: identify(), then settle().
    static Resolved resolve(DbConnection &connection, const QString &connectionName);
    // The database's folder, on the local disk only: remembers it for `connectionName` (see
    // lastKnown) and moves in the backups and run records the connection's old folder holds of
    // this database.
    static Resolved settle(const Identity &identity, const QString &connectionName);

    // Where a run that could not connect records that it failed: the folder `connectionName`
    // led to the last time it connected, else its old folder.
    static QString lastKnown(const QString &connectionName);

    // ~/.local/share/fuelsync-admin/backups
    static QString root();
    // The folder earlier versions used for a connection: <root>/<connection name>.
    static QString legacyFolder(const QString &connectionName);
};

} // namespace fuelsync
