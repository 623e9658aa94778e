#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;

// A schema as the browser lists it.
struct SchemaEntry
{
    enum class Kind { Platform, Tenant, Other };
    QString schema;
    QString displayName; // the tenant's name from public.tenants; empty for other schemas
    Kind kind = Kind::Other;
    bool exists = true; // false: registered as a tenant but the schema is missing
};

// A table (or view) of one schema, with the planner's figures: nothing is counted.
struct TableEntry
{
    QString name;
    char kind = 'r'; // pg_class.relkind
    double estimatedRows = -1; // reltuples; -1 when never analyzed
    qint64 totalBytes = -1; // table, indexes and TOAST; -1 for views
    QString comment;
};

// What the schema browser shows, read so that a database with thousands of tenants lists in a
// few milliseconds: the schemas in one query, a schema's tables only when asked for, and the
// tenants' migration versions separately, in chunks, since those need each tenant's own table.
class SchemaTreeReader
{
    Q_DECLARE_TR_FUNCTIONS(SchemaTreeReader)

public:
    // `public`, then the registered tenants by schema name (also the ones whose schema is
    // missing), then the other schemas a user made (not pg_*, not information_schema).
    static QList<SchemaEntry> schemas(DbConnection &connection);

    // The highest applied migration of each schema (as MigrationVersion orders them) that has a
    // schema_migrations table; schemas without one are left out. Reads `chunk` schemas a query.
    static QHash<QString, QString> highestVersions(DbConnection &connection,
                                                   const QStringList &schemas, int chunk = 100);

    static QList<TableEntry> tables(DbConnection &connection, const QString &schema);
};

} // namespace fuelsync
