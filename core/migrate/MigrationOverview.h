#pragma once

#include "MigrationHistory.h"
#include "MigrationStatus.h"
#include "audit/AuditEntry.h"
#include "lint/LintReport.h"
#include "migrationfiles/MigrationSet.h"

#include <memory>

namespace fuelsync {

class DbConnection;

// Everything the Migrations view shows, read in one go: the files (with their lint findings),
// where each version stands in this database with its approvals, and the recent history.
struct MigrationOverview
{
    std::shared_ptr<const MigrationSet> set;
    MigrationStatus status;
    LintReport lint;
    QList<MigrationHistory::Entry> history;
    // What the audit recorded of migrations (applies, rollbacks, dry runs, approvals, new
    // tenants: failures and refusals too), newest first; empty where no audit is kept.
    QList<AuditEntry> audit;

    // Reads the files from `migrationsDirectory` and the state from the database.
    static MigrationOverview read(DbConnection &connection, const QString &migrationsDirectory,
                                  DeploymentEnvironment environment, int historyLimit = 200);
};

} // namespace fuelsync
