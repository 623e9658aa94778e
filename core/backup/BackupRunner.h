#pragma once

#include "BackupManifest.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"

#include <QCoreApplication>
#include <QStringList>

#include <functional>

namespace fuelsync {

// Takes a backup: public and every tenant schema (or those named), in pg_dump custom-format
// archives (one per schema, or tenants packed as BackupArchiveLayout says), several at once, all
// from one exported snapshot so the set shows one instant. The archives and the manifest go into a
// hidden ".partial-" folder that is synced and renamed to the backup's id only when everything is
// complete; a failed or cancelled run removes it, and one that is killed leaves only that hidden
// folder, which no listing takes for a backup.
class BackupRunner
{
    Q_DECLARE_TR_FUNCTIONS(BackupRunner)

public:
    // pg_dumps at once unless asked: each is a session reading the whole schema, so two keep a
    // busy server's load down while the next archive is already being written.
    static constexpr int defaultJobs = 2;

    struct Options
    {
        QStringList schemas; // "public" and tenant schemas; empty: public and every tenant
        int jobs = defaultJobs; // pg_dumps at once
        // Tenants in one archive: 0 lets BackupArchiveLayout choose, 1 gives each its own.
        int schemasPerArchive = 0;
        QString destination; // the folder holding backups; created when missing
        QString pgBin; // where pg_dump is; empty: found by PgDumpTool
        QString runner; // who runs it, for application_name
        int lockWaitSeconds = 120; // a table locked longer (a migration) fails the run
        // Once the snapshot is exported: what is written after it is in no archive.
        std::function<void()> snapshotTaken;
    };

    // The manifest of the backup now in <destination>/<id>. Throws RequestError (a schema that is
    // not there, an old pg_dump, a pg_dump that failed), JobCancelled or DbError; nothing is kept
    // then. Progress: a step, then an item per archive (what it holds: a schema's name, or the
    // archive's and how many schemas). Each run's outcome is recorded in the destination's
    // BackupRunLog.
    static BackupManifest run(const ConnectionSettings &settings, const Options &options,
                              JobControl &control);

    static constexpr const char *partialPrefix = ".partial-";
    // In a run's partial folder, locked (flock) while the run lives.
    static constexpr const char *runLockName = ".run.lock";

private:
    static BackupManifest takeBackup(const ConnectionSettings &settings, const Options &options,
                                     JobControl &control);
};

} // namespace fuelsync
