#include "MigrationOverview.h"

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
    return overview;
}

} // namespace fuelsync
