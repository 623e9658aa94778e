#include "MigrationStateReader.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlArray.h"
#include "db/SqlIdentifier.h"
#include "tenancy/TenantFanOut.h"
#include "tenancy/TenantSchemaName.h"

#include <QCoreApplication>
#include <QSet>

#include <optional>
#include <vector>

namespace fuelsync {

namespace {

// A UNION ALL of many tables plans in more than linear time (400 schemas cost three times what
// 4 × 100 do), and each table costs a fresh backend about 0.3 ms to open; small chunks read in
// parallel sessions keep 1,000 tenants well under a second.
constexpr int unionChunk = 50;
constexpr int parallelFrom = 4; // chunks
constexpr int parallelSessions = 2;

struct Row
{
    int schemaIndex;
    AppliedMigration applied;
};

QString chunkQuery(const QList<SchemaState *> &schemas, qsizetype start, qsizetype end)
{
    QStringList parts;
    for (qsizetype i = start; i < end; ++i) {
        const SchemaState *schema = schemas.at(i);
        const QString table =
            SqlIdentifier::quote(schema->schema) + QStringLiteral(".schema_migrations");
        // Tables of the seed's older shape lack the integrity columns: read them through to_jsonb.
        parts.append(
            schema->tableCurrent
                ? QString(QStringLiteral("SELECT %1, version::text, checksum::text, "
                                         "rollback_sql IS NOT NULL, transactional FROM ")
                              .arg(i)
                          + table)
                : QString(QStringLiteral("SELECT %1, version::text, to_jsonb(m)->>'checksum', "
                                         "rollback_sql IS NOT NULL, "
                                         "coalesce((to_jsonb(m)->>'transactional')::boolean, true) "
                                         "FROM ")
                              .arg(i)
                          + table + QStringLiteral(" m")));
    }
    return parts.join(QStringLiteral(" UNION ALL "));
}

void readChunk(DbConnection &connection, const QString &sql, std::vector<Row> &rows)
{
    QSqlQuery query = connection.exec(sql);
    while (query.next()) {
        Row row;
        row.schemaIndex = query.value(0).toInt();
        row.applied.versionText = query.value(1).toString();
        row.applied.version = MigrationVersion::parse(row.applied.versionText);
        row.applied.checksum = query.value(2).toString().trimmed();
        row.applied.hasRollbackSql = query.value(3).toBool();
        row.applied.transactional = query.value(4).toBool();
        rows.push_back(row);
    }
}

} // namespace

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
        SchemaState schema;
        schema.schema = tenant.first;
        schema.displayName = tenant.second;
        schema.problem = TenantSchemaName::check(tenant.first);
        if (wanted.isEmpty() || wanted.contains(tenant.first))
            state.tenants.append(schema);
        else
            state.otherTenants.append(schema);
    }

    QList<SchemaState *> schemas { &state.publicSchema };
    for (QList<SchemaState> *list : { &state.tenants, &state.otherTenants }) {
        for (SchemaState &tenant : *list) {
            if (tenant.problem.isEmpty())
                schemas.append(&tenant);
        }
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
    for (QList<SchemaState> *list : { &state.tenants, &state.otherTenants }) {
        for (SchemaState &tenant : *list) {
            if (tenant.problem.isEmpty() && !tenant.exists) {
                tenant.problem =
                    QCoreApplication::translate(
                        "MigrationStateReader",
                        "the schema %1 is registered in public.tenants but does not exist")
                        .arg(tenant.schema);
            }
            if (tenant.hasTable)
                tenantTables.append(&tenant);
        }
    }
    readTenantRows(connection, tenantTables);
    return state;
}

QList<const SchemaState *> DatabaseMigrationState::allTenants() const
{
    QList<const SchemaState *> result;
    for (const QList<SchemaState> *list : { &tenants, &otherTenants }) {
        for (const SchemaState &tenant : *list) {
            if (tenant.problem.isEmpty())
                result.append(&tenant);
        }
    }
    return result;
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
            "     AND NOT a.attisdropped AND a.attname = ANY(?::name[])), "
            "  has_schema_privilege(n.oid, 'USAGE') "
            "    AND (c.oid IS NULL OR has_table_privilege(c.oid, 'SELECT')) "
            // A join to unnest() hashes the names; `= ANY(array)` would compare every schema
            // with every name.
            "FROM unnest(?::text[]) AS wanted(name) "
            "JOIN pg_namespace n ON n.nspname = wanted.name::name "
            "LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'schema_migrations' "
            "  AND c.relkind IN ('r', 'p')"),
        { SqlArray::textLiteral(SchemaMigrationsTable::integrityColumns()),
          SqlArray::textLiteral(names) });
    const int columnCount = int(SchemaMigrationsTable::integrityColumns().size());
    while (query.next()) {
        SchemaState *schema = byName.value(query.value(0).toString());
        if (!schema)
            continue;
        schema->exists = true;
        if (!query.value(3).toBool()) {
            schema->accessDenied = true;
            schema->problem =
                QCoreApplication::translate("MigrationStateReader",
                                            "this login may not read the schema %1 (it needs "
                                            "USAGE on it and SELECT on its schema_migrations)")
                    .arg(schema->schema);
            continue;
        }
        schema->hasTable = query.value(1).toBool();
        schema->tableCurrent = schema->hasTable && query.value(2).toInt() == columnCount;
    }
}

void MigrationStateReader::readTenantRows(DbConnection &connection, QList<SchemaState *> &schemas)
{
    QStringList chunks;
    for (qsizetype start = 0; start < schemas.size(); start += unionChunk)
        chunks.append(chunkQuery(schemas, start, std::min(schemas.size(), start + unionChunk)));
    std::vector<std::vector<Row>> results(chunks.size());

    bool done = false;
    if (chunks.size() >= parallelFrom) {
        // Extra read-only sessions; if the server refuses them, the coordinating session reads
        // alone.
        TenantFanOut::Options options;
        options.settings = connection.settings();
        options.purpose = QStringLiteral("state-reader");
        options.jobs = parallelSessions;
        TenantFanOut fanOut(options);
        std::vector<char> ok(chunks.size(), 0);
        std::vector<std::optional<DbError>> failures(chunks.size());
        fanOut.run(int(chunks.size()), [&](DbConnection *reader, int item, const QString &) {
            if (!reader)
                return;
            try {
                readChunk(*reader, chunks.at(item), results[item]);
                ok[item] = 1;
            } catch (const DbError &error) {
                failures[item] = error;
            }
        });
        for (const auto &failure : failures) {
            if (failure && failure->kind() == DbError::Kind::Statement)
                throw *failure; // the same query would fail on any session
        }
        done = std::all_of(ok.cbegin(), ok.cend(), [](char c) { return c != 0; });
        for (qsizetype i = 0; !done && i < chunks.size(); ++i) {
            if (!ok[i]) {
                results[i].clear();
                readChunk(connection, chunks.at(i), results[i]);
            }
        }
        done = true;
    }
    if (!done) {
        for (qsizetype i = 0; i < chunks.size(); ++i)
            readChunk(connection, chunks.at(i), results[i]);
    }
    for (const std::vector<Row> &chunk : results) {
        for (const Row &row : chunk) {
            SchemaState *schema = schemas.at(row.schemaIndex);
            const QString key =
                row.applied.version ? row.applied.version->key() : row.applied.versionText;
            schema->applied.insert(key, row.applied);
        }
    }
}

} // namespace fuelsync
