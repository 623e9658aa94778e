#include "MigrationFile.h"

namespace fuelsync {

QString scopeName(MigrationScope scope)
{
    return scope == MigrationScope::Public ? QStringLiteral("public") : QStringLiteral("tenant");
}

QString transactionModeName(TransactionMode mode)
{
    return mode == TransactionMode::PerMigration ? QStringLiteral("per-migration")
                                                 : QStringLiteral("none");
}

} // namespace fuelsync
