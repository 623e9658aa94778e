#include "MigrationOverview.h"

#include "audit/AuditLog.h"
#include "lint/MigrationLinter.h"

namespace fuelsync {

MigrationOverview MigrationOverview::read(DbConnection &connection,
                                          const QString &migrationsDirectory,
                                          DeploymentEnvironment environment, int historyLimit)
{
    MigrationOverview overview;
    overview.set = std::make_shared<const MigrationSet>(MigrationSet::load(migrationsDirectory));
    overview.lint = MigrationLinter::lint(*overview.set);
    overview.status = MigrationStatus::read(connection, *overview.set, {}, environment);
    const QStringList schemas =
        QStringList { QStringLiteral("public") } + overview.status.tenantSchemas;
    overview.history = MigrationHistory::recent(connection, schemas, historyLimit);
    AuditLog::Filter filter;
    filter.kinds = { QString::fromLatin1(AuditEntry::migrateUp),
                     QString::fromLatin1(AuditEntry::migrateDown),
                     QString::fromLatin1(AuditEntry::dryRun),
                     QString::fromLatin1(AuditEntry::approve),
                     QString::fromLatin1(AuditEntry::approvalPolicy),
                     QString::fromLatin1(AuditEntry::tenantCreate) };
    filter.limit = historyLimit;
    overview.audit = AuditLog::read(connection, filter);
    return overview;
}

} // namespace fuelsync
