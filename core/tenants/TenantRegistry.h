#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

namespace fuelsync {

class DbConnection;
class MigrationSet;

// The tenants of a FuelSync database: rows of public.tenants, each naming its schema.
class TenantRegistry
{
public:
    struct Tenant
    {
        QString schema;
        QString name;
        QString version; // highest applied tenant migration, empty when none
        int pending = 0; // tenant migrations not applied yet
        QString problem; // schema missing, invalid name
    };

    static QList<Tenant> list(DbConnection &connection, const MigrationSet &set);
    static QJsonArray toJson(const QList<Tenant> &tenants);

    // Registers a tenant and creates its empty schema, in one transaction. The caller holds the
    // run lock. Throws RequestError when the name is invalid or taken, or there is no registry.
    static void create(DbConnection &connection, const QString &schema, const QString &name);
    // Undoes create() for a tenant that was just created and holds nothing of its own yet.
    static void removeNew(DbConnection &connection, const QString &schema);
    static bool schemaExists(DbConnection &connection, const QString &schema);
};

} // namespace fuelsync
