#pragma once

#include "BackupRestorer.h"
#include "common/ChangeConfirmation.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"

#include <QCoreApplication>

#include <optional>

namespace fuelsync {

// One tenant's restore as every front door runs it, in this order:
//  1. plan(): what comes back and what it replaces, read from the backup and the live database,
//     and whether the migration files are newer than the backup (migrationsAhead());
//  2. confirmation(): what the person must confirm (replacing a live schema: its name, typed);
//  3. restore(): the restore itself (BackupRestorer, which plans again under the lock and does
//     nothing when that is no longer what was confirmed);
//  4. migrationOffer(): a tenant restored in place that is older than the migration files is
//     offered to be brought up to date, which migrationOptions() (a migrate up of that tenant
//     alone) does.
class TenantRestore
{
    Q_DECLARE_TR_FUNCTIONS(TenantRestore)

public:
    TenantRestore(ConnectionSettings settings, QString backupFolder,
                  BackupRestorer::Options options, MigrationSet files);

    // Reads the plan on a session of its own. Throws RequestError (no such backup or schema, a
    // name that is taken, public without allowPublic) or DbError.
    const BackupRestorer::Plan &plan();
    // The newest migration of the files for the schema's scope, when the backup is older;
    // nothing for a copy side by side. Needs plan().
    std::optional<MigrationVersion> migrationsAhead() const;
    // "The backup is at version 003; the migration files reach 005." Empty when it is not behind.
    QString aheadText() const;
    ChangeConfirmation confirmation() const;
    // When a migration is to follow the restore (--migrate): throws RequestError, before anything
    // is restored, if the migration files are ones no run would take (changed or gone since a
    // schema applied them, or with problems of their own), so the two do not end half done.
    void checkMigrationFiles() const;

    // Restores what plan() read (reading it first if it was not). Throws as
    // BackupRestorer::restore does; the database is then as it was.
    BackupRestorer::Result restore(JobControl &control);

    // After restore(): the version to bring the restored tenant up to, when one is due. Never
    // for public, whose migrations run with every tenant's (a plain migrate up).
    std::optional<MigrationVersion> migrationOffer() const;
    // The migrate up the offer runs: the restored tenant alone, to the newest version.
    MigrationRunOptions migrationOptions(const QString &runner) const;
    MigrationRunReport migrate(const QString &runner, JobControl &control) const;

private:
    ConnectionSettings m_settings;
    QString m_folder;
    BackupRestorer::Options m_options;
    MigrationSet m_files;
    std::optional<BackupRestorer::Plan> m_plan;
    bool m_restored = false;
};

} // namespace fuelsync
