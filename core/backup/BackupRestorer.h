#pragma once

#include "db/ConnectionSettings.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>

namespace fuelsync {

class DbConnection;

// Brings one tenant back from a backup, touching no other schema:
//  - into its own schema: the schema as it is now is renamed aside, the archive restored in one
//    transaction, its rows compared with the manifest, and only then the old schema dropped; on
//    any failure the new one is dropped and the old one renamed back;
//  - side by side under a new name (--as): restored into a scratch database, renamed there,
//    dumped again and restored into the database under the new name, so the live tenant is not
//    touched at all (the copy is not registered as a tenant).
// The migration run lock is held throughout, and the archive's checksum is checked first.
class BackupRestorer
{
    Q_DECLARE_TR_FUNCTIONS(BackupRestorer)

public:
    struct Options
    {
        QString schema; // the tenant schema in the backup
        QString as; // restore under this new schema name; empty: into its own schema
        bool allowPublic = false; // public may be named (side by side only, for now)
        QString pgBin; // where pg_dump and pg_restore are; empty: found by PgDumpTool
        std::function<void(const QString &step)> progress;
    };

    // What a restore would do, for the confirmation: read without changing anything.
    struct Plan
    {
        QString backupId;
        QString schema;
        QString target;
        bool replaces = false; // the target exists and will be replaced
        QString backupVersion; // the schema's migration version in the backup
        QString currentVersion; // the target's now (when it exists)
        qint64 backupRows = 0;
        qint64 currentRows = 0; // the target's now
        QString describe() const; // for a person: what goes, what comes
    };

    // Throws RequestError for a backup or schema that is not there, a name that is not a
    // tenant schema's, public without allowPublic, or a side-by-side name already taken.
    static Plan plan(DbConnection &connection, const QString &backupFolder, const Options &options);

    struct Result
    {
        Plan plan;
        qint64 restoredRows = 0;
        qint64 durationMs = 0;
    };

    // Restores what plan() describes (planned again under the lock; `confirmed` must still be
    // what it says, else nothing happens). Throws RequestError or DbError; the database is then
    // as it was.
    static Result restore(const ConnectionSettings &settings, const QString &backupFolder,
                          const Options &options, const Plan &confirmed);
};

} // namespace fuelsync
