#include "TenantRegistry.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"
#include "migrate/MigrationStateReader.h"
#include "migrationfiles/MigrationSet.h"
#include "roles/SchemaGrants.h"
#include "tenancy/TenantSchemaName.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace fuelsync {

QList<TenantRegistry::Tenant> TenantRegistry::list(DbConnection &connection,
                                                   const MigrationSet &set)
{
    const DatabaseMigrationState state = MigrationStateReader::read(connection, {});
    QList<Tenant> tenants;
    for (const SchemaState &schema : state.tenants) {
        Tenant tenant;
        tenant.schema = schema.schema;
        tenant.name = schema.displayName;
        tenant.problem = schema.problem;
        if (const auto highest = schema.highestApplied())
            tenant.version = highest->text();
        for (const MigrationFile &migration : set.migrations()) {
            if (migration.scope == MigrationScope::Tenant && !schema.isApplied(migration.version))
                ++tenant.pending;
        }
        tenants.append(tenant);
    }
    return tenants;
}

QJsonArray TenantRegistry::toJson(const QList<Tenant> &tenants)
{
    QJsonArray array;
    for (const Tenant &tenant : tenants) {
        QJsonObject o { { QStringLiteral("schema"), tenant.schema },
                        { QStringLiteral("name"), tenant.name },
                        { QStringLiteral("version"), tenant.version },
                        { QStringLiteral("pending"), tenant.pending } };
        if (!tenant.problem.isEmpty())
            o.insert(QStringLiteral("problem"), tenant.problem);
        array.append(o);
    }
    return array;
}

bool TenantRegistry::schemaExists(DbConnection &connection, const QString &schema)
{
    return connection
        .scalar(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)"),
                { schema })
        .toBool();
}

void TenantRegistry::create(DbConnection &connection, const QString &schema, const QString &name)
{
    const QString problem = TenantSchemaName::check(schema);
    if (!problem.isEmpty())
        throw RequestError(problem);
    bool registryExists = false;
    const auto registered = MigrationStateReader::registeredTenants(connection, &registryExists);
    if (!registryExists) {
        throw RequestError(QCoreApplication::translate(
            "TenantRegistry",
            "there is no public.tenants yet: run 'migrate up' first, so the "
            "platform schema exists"));
    }
    for (const auto &tenant : registered) {
        if (tenant.first == schema)
            throw RequestError(
                QCoreApplication::translate("TenantRegistry", "the tenant %1 is already registered")
                    .arg(schema));
    }
    if (schemaExists(connection, schema)) {
        throw RequestError(QCoreApplication::translate(
                               "TenantRegistry",
                               "a schema named %1 already exists but is not a registered tenant; "
                               "nothing was changed (rename or drop it first if it is a leftover)")
                               .arg(schema));
    }
    Transaction transaction(connection);
    connection.exec(QStringLiteral("INSERT INTO public.tenants (name, schema_name) VALUES (?, ?)"),
                    { name.isEmpty() ? schema : name, schema });
    connection.exec(QStringLiteral("CREATE SCHEMA %1").arg(SqlIdentifier::quote(schema)));
    // Owned by fuelsync_owner and readable by support from the start, once roles setup ran.
    SchemaGrants::apply(connection, { schema });
    transaction.commit();
}

void TenantRegistry::removeNew(DbConnection &connection, const QString &schema)
{
    if (!TenantSchemaName::isValid(schema))
        throw RequestError(TenantSchemaName::check(schema));
    Transaction transaction(connection);
    connection.exec(
        QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(SqlIdentifier::quote(schema)));
    connection.exec(QStringLiteral("DELETE FROM public.tenants WHERE schema_name = ?"), { schema });
    transaction.commit();
}

} // namespace fuelsync
