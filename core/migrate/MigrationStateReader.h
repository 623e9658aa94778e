#pragma once

#include "MigrationState.h"

#include <QStringList>

namespace fuelsync {

class DbConnection;

// Reads the applied migrations of `public` and of every registered tenant (or the ones named)
// in a handful of queries, whatever the number of tenants: tenants' tables are read through
// UNION ALL queries of a few hundred schemas each, never one query per tenant.
class MigrationStateReader
{
public:
    // `onlyTenants` empty: all tenants of public.tenants. A named tenant that is not registered, or
    // whose name is not a valid schema name, throws RequestError with the reason.
    static DatabaseMigrationState read(DbConnection &connection, const QStringList &onlyTenants);

    // Lists public.tenants (schema name, display name), in schema-name order; empty when the
    // registry does not exist yet.
    static QList<QPair<QString, QString>> registeredTenants(DbConnection &connection,
                                                            bool *registryExists);

private:
    static void readTableShapes(DbConnection &connection, QList<SchemaState *> &schemas);
    static void readTenantRows(DbConnection &connection, QList<SchemaState *> &schemas);
};

} // namespace fuelsync
