#include "MigrationStateReader.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/SqlArray.h"
#include "db/SqlIdentifier.h"
#include "tenants/TenantSchemaName.h"

#include <QCoreApplication>
#include <QSet>

namespace fuelsync {

namespace {
constexpr int unionChunk = 400;
}

std::optional<MigrationVersion> SchemaState::highestApplied() const
{
    std::optional<MigrationVersion> highest;
    for (const AppliedMigration &row : applied) {
        if (row.version && (!highest || *highest < *row.version))
            highest = row.version;
    }
    return highest;
}

QList<QPair<QString, QString>> MigrationStateReader::registeredTenants(DbConnection &connection,
                                                                       bool *registryExists)
{
    *registryExists =
        connection.scalar(QStringLiteral("SELECT to_regclass('public.tenants') IS NOT NULL"))
            .toBool();
    QList<QPair<QString, QString>> tenants;
    if (!*registryExists)
        return tenants;
    // to_jsonb(t) reads the display name without requiring the column to exist.
    QSqlQuery query = connection.exec(
        QStringLiteral("SELECT t.schema_name::text, to_jsonb(t)->>'name' FROM public.tenants t "
                       "WHERE t.schema_name IS NOT NULL ORDER BY t.schema_name"));
    while (query.next())
        tenants.append({ query.value(0).toString(), query.value(1).toString() });
    return tenants;
}

DatabaseMigrationState MigrationStateReader::read(DbConnection &connection,
                                                  const QStringList &onlyTenants)
{
    for (const QString &name : onlyTenants) {
        const QString problem = TenantSchemaName::check(name);
        if (!problem.isEmpty())
            throw RequestError(problem);
    }

    DatabaseMigrationState state;
    const auto tenants = registeredTenants(connection, &state.hasTenantRegistry);
    state.registeredTenants = int(tenants.size());

    if (!onlyTenants.isEmpty()) {
        QSet<QString> registered;
        for (const auto &tenant : tenants)
            registered.insert(tenant.first);
        QStringList unknown;
        for (const QString &name : onlyTenants) {
            if (!registered.contains(name))
                unknown.append(name);
        }
        if (!unknown.isEmpty()) {
            const QString message = state.hasTenantRegistry
                ? QCoreApplication::translate("MigrationStateReader",
                                              "not registered in public.tenants: %1 (see "
                                              "'tenant list', or register with 'tenant create')")
                      .arg(unknown.join(QStringLiteral(", ")))
                : QCoreApplication::translate("MigrationStateReader",
                                              "there is no public.tenants yet, so %1 is not a "
                                              "tenant: run 'migrate up' first")
                      .arg(unknown.join(QStringLiteral(", ")));
            throw RequestError(message);
        }
    }

    state.publicSchema.schema = QStringLiteral("public");
    const QSet<QString> wanted(onlyTenants.cbegin(), onlyTenants.cend());
    for (const auto &tenant : tenants) {
        if (!wanted.isEmpty() && !wanted.contains(tenant.first))
            continue;
        SchemaState schema;
        schema.schema = tenant.first;
        schema.displayName = tenant.second;
        schema.problem = TenantSchemaName::check(tenant.first);
        state.tenants.append(schema);
    }

    QList<SchemaState *> schemas { &state.publicSchema };
    for (SchemaState &tenant : state.tenants) {
        if (tenant.problem.isEmpty())
            schemas.append(&tenant);
    }
    readTableShapes(connection, schemas);

    if (state.publicSchema.hasTable) {
        for (const AppliedMigration &row :
             SchemaMigrationsTable::readAll(connection, QStringLiteral("public"))) {
            state.publicSchema.applied.insert(row.version ? row.version->key() : row.versionText,
                                              row);
        }
    }
    QList<SchemaState *> tenantTables;
    for (SchemaState &tenant : state.tenants) {
        if (tenant.problem.isEmpty() && !tenant.exists) {
            tenant.problem = QCoreApplication::translate(
                                 "MigrationStateReader",
                                 "the schema %1 is registered in public.tenants but does not exist")
                                 .arg(tenant.schema);
        }
        if (tenant.hasTable)
            tenantTables.append(&tenant);
    }
    readTenantRows(connection, tenantTables);
    return state;
}

void MigrationStateReader::readTableShapes(DbConnection &connection, QList<SchemaState *> &schemas)
{
    QStringList names;
    QHash<QString, SchemaState *> byName;
    for (SchemaState *schema : schemas) {
        names.append(schema->schema);
        byName.insert(schema->schema, schema);
    }
    QSqlQuery query = connection.exec(
        QStringLiteral(
            "SELECT n.nspname::text, c.oid IS NOT NULL, "
            "  (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid "
            "     AND NOT a.attisdropped AND a.attname = ANY(?::name[])) "
            "FROM pg_namespace n "
            "LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'schema_migrations' "
            "  AND c.relkind IN ('r', 'p') "
            "WHERE n.nspname = ANY(?::name[])"),
        { SqlArray::textLiteral(SchemaMigrationsTable::integrityColumns()),
          SqlArray::textLiteral(names) });
    const int columnCount = int(SchemaMigrationsTable::integrityColumns().size());
    while (query.next()) {
        SchemaState *schema = byName.value(query.value(0).toString());
        if (!schema)
            continue;
        schema->exists = true;
        schema->hasTable = query.value(1).toBool();
        schema->tableCurrent = schema->hasTable && query.value(2).toInt() == columnCount;
    }
}

void MigrationStateReader::readTenantRows(DbConnection &connection, QList<SchemaState *> &schemas)
{
    for (qsizetype start = 0; start < schemas.size(); start += unionChunk) {
        const qsizetype end = std::min(schemas.size(), start + unionChunk);
        QStringList parts;
        for (qsizetype i = start; i < end; ++i) {
            const SchemaState *schema = schemas.at(i);
            // Tables of the seed's older shape lack the integrity columns: read them as NULL.
            const QString table =
                SqlIdentifier::quote(schema->schema) + QStringLiteral(".schema_migrations");
            parts.append(schema->tableCurrent
                             ? QStringLiteral("SELECT %1, version::text, checksum::text, "
                                              "rollback_sql IS NOT NULL, transactional FROM %2")
                                   .arg(i)
                                   .arg(table)
                             : QStringLiteral("SELECT %1, version::text, "
                                              "to_jsonb(m)->>'checksum', rollback_sql IS NOT NULL, "
                                              "coalesce((to_jsonb(m)->>'transactional')::boolean, "
                                              "true) FROM %2 m")
                                   .arg(i)
                                   .arg(table));
        }
        QSqlQuery query = connection.exec(parts.join(QStringLiteral(" UNION ALL ")));
        while (query.next()) {
            SchemaState *schema = schemas.at(query.value(0).toInt());
            AppliedMigration row;
            row.versionText = query.value(1).toString();
            row.version = MigrationVersion::parse(row.versionText);
            row.checksum = query.value(2).toString().trimmed();
            row.hasRollbackSql = query.value(3).toBool();
            row.transactional = query.value(4).toBool();
            schema->applied.insert(row.version ? row.version->key() : row.versionText, row);
        }
    }
}

} // namespace fuelsync
