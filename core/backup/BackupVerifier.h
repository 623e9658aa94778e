#pragma once

#include "BackupVerification.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"

#include <QCoreApplication>

#include <functional>

namespace fuelsync {

// Checks a backup: each archive's SHA-256 against the manifest and its table of contents with
// pg_restore --list; with a restore test, every archive restored into a scratch database on the
// server (created, and dropped afterwards whatever happens) and its rows compared with the
// manifest. The result is kept as verify.json in the backup's folder.
class BackupVerifier
{
    Q_DECLARE_TR_FUNCTIONS(BackupVerifier)

public:
    struct Options
    {
        bool restoreTest = false;
        QString pgBin; // where pg_restore is; empty: found by PgDumpTool
    };

    // `folder` is a backup's folder; `settings` reach the server for a restore test (unused
    // without one). Throws RequestError for a folder that is not a backup, JobCancelled; DbError
    // when the scratch database cannot be created. Progress: a step per archive checked or
    // restored.
    static BackupVerification verify(const QString &folder, const ConnectionSettings &settings,
                                     const Options &options, JobControl &control);
    // The verification kept in a backup's folder, if any.
    static std::optional<BackupVerification> lastVerification(const QString &folder);
};

} // namespace fuelsync
