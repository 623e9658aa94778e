#pragma once

#include "MigrationFile.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <functional>

namespace fuelsync {

class DbConnection;

// One row of a schema's `schema_migrations`.
struct AppliedMigration
{
    QString versionText; // as recorded
    std::optional<MigrationVersion> version; // parsed; empty when the row holds something else
    QString checksum; // empty: not recorded (a row written before checksums were kept)
    bool hasRollbackSql = false;
    bool transactional = true;
    // Filled only when read in full (public schema, history):
    QString description;
    QDateTime executedAt;
    qint64 executionMs = -1;
    QString executedBy;
    QString script;
};

// The bookkeeping table each schema keeps: the seed's columns (id, version, description,
// executed_at, rollback_sql) plus what integrity needs (checksum, execution_ms, executed_by, the
// script's path, whether it ran in a transaction, and which runner ran it). Each tenant schema has
// its own, so a tenant's dump restores with its version.
class SchemaMigrationsTable
{
public:
    static constexpr const char *tableName = "schema_migrations";
    // "schema".schema_migrations, the schema quoted.
    static QString qualifiedName(const QString &schema);

    // Creates the table in `schema` when it does not exist, or adds the integrity columns to a
    // table of the seed's older shape when it does. Runs inside the caller's transaction.
    static void ensure(DbConnection &connection, const QString &schema, bool tableExists);

    static void record(DbConnection &connection, const QString &schema,
                       const MigrationFile &migration, qint64 executionMs, const QString &runner);
    static void remove(DbConnection &connection, const QString &schema, const QString &versionText);
    // The rollback SQL recorded when `versionText` was applied; throws when there is none.
    static QString recordedRollbackSql(DbConnection &connection, const QString &schema,
                                       const QString &versionText, bool *found);

    // Every row, in full, oldest version first.
    static QList<AppliedMigration> readAll(DbConnection &connection, const QString &schema);
    // The newest version applied to the schema, by version order; empty when none (or when the
    // schema has no table).
    static QString newestVersion(DbConnection &connection, const QString &schema);

    // One question over many schemas' tables, in UNION ALL queries of up to 200 schemas:
    // `perSchema` is a SELECT with %1 for the table, bound with valuesFor(schema); each chunk's
    // union takes the place of %1 in `around` (bound after them with aroundValues). Every row
    // goes to `row`, which returns false to stop. Thousands of tenants cost a few dozen queries.
    static void queryInChunks(DbConnection &connection, const QStringList &schemas,
                              const QString &perSchema,
                              const std::function<QVariantList(const QString &)> &valuesFor,
                              const QString &around, const QVariantList &aroundValues,
                              const std::function<bool(const QSqlQuery &)> &row);

    // Column list an up-to-date table has, to tell an older shape from the current one.
    static QStringList integrityColumns();
};

} // namespace fuelsync
