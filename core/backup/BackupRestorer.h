#pragma once

#include "common/JobControl.h"
#include "db/ConnectionSettings.h"
#include "migrate/MigrationRunReport.h"
#include "migrationfiles/MigrationSet.h"
#include "migrationfiles/MigrationVersion.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace fuelsync {

class DbConnection;

// Brings one tenant back from a backup, touching no other schema. The archive is restored into
// a scratch database, renamed there, dumped again and brought over under a name of its own, and
// its rows are compared with the manifest; the live schema is not touched until then.
//  - Side by side (--as): that name is the new schema's; the copy is not registered as a tenant.
//  - In place: it comes over under a staging name; then one transaction locks the tenant's
//    tables, renames the live schema aside, renames the staged one into its place and drops the
//    old one, so it all happens or none of it does.
// The migration run lock is held throughout, and the archive's checksum is checked first.
class BackupRestorer
{
    Q_DECLARE_TR_FUNCTIONS(BackupRestorer)

public:
    struct Options
    {
        QString schema; // the tenant schema in the backup
        QString as; // restore under this new schema name; empty: into its own schema
        // public may be named: side by side, or in place (refused when a tenant registered
        // since the backup would lose its registration)
        bool allowPublic = false;
        QString pgBin; // where pg_dump and pg_restore are; empty: found by PgDumpTool
        int lockTimeoutMs = 10'000; // how long putting it in place waits for the tenant's tables
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
        // The same restore (live row counts aside, which move on a busy tenant).
        bool sameAs(const Plan &other) const;
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
    // what it says, else nothing happens). Throws RequestError (JobCancelled when cancelled) or
    // DbError; the database is then as it was. Progress: a step for each stage. How it ended is
    // recorded in the audit (kind "restore"); the restored schema belongs to fuelsync_owner and
    // is readable by support, as a migrated one is.
    static Result restore(const ConnectionSettings &settings, const QString &backupFolder,
                          const Options &options, const Plan &confirmed, JobControl &control);

    // After restoring in place: the newest migration of `set` for the schema's scope, when the
    // backup is older than it (a restored tenant to bring up to date with migrate up); nothing
    // when it is not, or for a copy side by side (not a tenant the runner migrates).
    static std::optional<MigrationVersion> migrationsAhead(const Plan &plan,
                                                           const MigrationSet &set);

    // Schemas of restores that did not finish are named with these and the process id.
    static QString stagingPrefix();
    static QString asidePrefix();

private:
    static Result restoreUnrecorded(const ConnectionSettings &settings, const QString &backupFolder,
                                    const Options &options, const Plan &confirmed,
                                    JobControl &control);
};

} // namespace fuelsync
