#pragma once

#include "migrationfiles/SchemaMigrationsTable.h"

#include <QHash>
#include <QList>
#include <QString>

namespace fuelsync {

// What one schema has applied, as read before planning.
struct SchemaState
{
    QString schema;
    QString displayName; // a tenant's name from public.tenants; empty for public
    bool exists = false;
    bool hasTable = false; // schema_migrations exists
    bool tableCurrent = false; // ... and has every integrity column
    QString problem; // non-empty: this schema cannot be migrated (invalid name, missing schema)
    // The problem is this login's: it may not read the schema or its schema_migrations (the
    // schema itself may be fine).
    bool accessDenied = false;
    QHash<QString, AppliedMigration> applied; // by version key

    bool isApplied(const MigrationVersion &version) const
    {
        return applied.contains(version.key());
    }
    std::optional<MigrationVersion> highestApplied() const;
};

// The migration state of a whole database: `public` and the registered tenants read.
struct DatabaseMigrationState
{
    bool hasTenantRegistry = false; // public.tenants exists
    int registeredTenants = 0; // all rows of public.tenants
    SchemaState publicSchema;
    QList<SchemaState> tenants; // those asked for (all when none were named), by schema name
    // The registered tenants that were not asked for (--tenant named others). Read all the same,
    // so that what a run checks (a file changed since any schema applied it, where the fleet
    // stands) never depends on which tenants it was told to touch.
    QList<SchemaState> otherTenants;

    // Every valid tenant read, asked for or not.
    QList<const SchemaState *> allTenants() const;
};

} // namespace fuelsync
