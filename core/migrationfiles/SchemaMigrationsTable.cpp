#include "SchemaMigrationsTable.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>

namespace fuelsync {

namespace {
QString qualified(const QString &schema)
{
    return SqlIdentifier::quote(schema) + QStringLiteral(".schema_migrations");
}
} // namespace

QString SchemaMigrationsTable::qualifiedName(const QString &schema)
{
    return qualified(schema);
}

void SchemaMigrationsTable::queryInChunks(
    DbConnection &connection, const QStringList &schemas, const QString &perSchema,
    const std::function<QVariantList(const QString &)> &valuesFor, const QString &around,
    const QVariantList &aroundValues, const std::function<bool(const QSqlQuery &)> &row)
{
    constexpr qsizetype chunk = 200;
    for (qsizetype start = 0; start < schemas.size(); start += chunk) {
        QStringList parts;
        QVariantList values;
        for (const QString &schema : schemas.mid(start, chunk)) {
            parts.append(perSchema.arg(qualified(schema)));
            values += valuesFor(schema);
        }
        QSqlQuery q = connection.exec(around.arg(parts.join(QStringLiteral(" UNION ALL "))),
                                      values + aroundValues);
        while (q.next()) {
            if (!row(q))
                return;
        }
    }
}

QStringList SchemaMigrationsTable::integrityColumns()
{
    return { QStringLiteral("checksum"),      QStringLiteral("execution_ms"),
             QStringLiteral("executed_by"),   QStringLiteral("script"),
             QStringLiteral("transactional"), QStringLiteral("runner") };
}

void SchemaMigrationsTable::ensure(DbConnection &connection, const QString &schema,
                                   bool tableExists)
{
    const QString table = qualified(schema);
    if (tableExists) {
        // A table of the seed's original shape (created by the old scripts/migrate.js) is adopted.
        connection.exec(
            QStringLiteral(
                "ALTER TABLE %1"
                " ADD COLUMN IF NOT EXISTS checksum CHAR(64),"
                " ADD COLUMN IF NOT EXISTS execution_ms INTEGER,"
                " ADD COLUMN IF NOT EXISTS executed_by TEXT NOT NULL DEFAULT current_user,"
                " ADD COLUMN IF NOT EXISTS script TEXT,"
                " ADD COLUMN IF NOT EXISTS transactional BOOLEAN NOT NULL DEFAULT true,"
                " ADD COLUMN IF NOT EXISTS runner TEXT")
                .arg(table));
        return;
    }
    // One round trip: the table is created in every tenant schema of a fan-out.
    connection.exec(
        QStringLiteral(
            "CREATE TABLE %1 ("
            " id SERIAL PRIMARY KEY,"
            " version VARCHAR(50) NOT NULL UNIQUE,"
            " description TEXT NOT NULL,"
            " executed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),"
            " rollback_sql TEXT,"
            " checksum CHAR(64),"
            " execution_ms INTEGER,"
            " executed_by TEXT NOT NULL DEFAULT current_user,"
            " script TEXT,"
            " transactional BOOLEAN NOT NULL DEFAULT true,"
            " runner TEXT);"
            "COMMENT ON TABLE %1 IS 'Migrations applied to this schema, kept by fuelsync-db. "
            "Do not edit by hand.';"
            "COMMENT ON COLUMN %1.id IS 'Order in which the migrations were applied here.';"
            "COMMENT ON COLUMN %1.version IS 'The migration''s version, as written in its file "
            "header.';"
            "COMMENT ON COLUMN %1.description IS 'The description from the file header.';"
            "COMMENT ON COLUMN %1.executed_at IS 'When the migration was committed.';"
            "COMMENT ON COLUMN %1.rollback_sql IS 'The rollback file as it was when the migration "
            "was applied: what migrate down runs. NULL for an irreversible migration.';"
            "COMMENT ON COLUMN %1.checksum IS 'SHA-256 of the migration file when it was applied; "
            "a file that no longer matches is refused.';"
            "COMMENT ON COLUMN %1.execution_ms IS 'How long the migration took in this schema, in "
            "milliseconds.';"
            "COMMENT ON COLUMN %1.executed_by IS 'The database role that applied it.';"
            "COMMENT ON COLUMN %1.script IS 'The file applied, relative to the migrations "
            "directory.';"
            "COMMENT ON COLUMN %1.transactional IS 'False when the file ran without a transaction "
            "(transaction: none).';"
            "COMMENT ON COLUMN %1.runner IS 'The tool, its version, and the operating-system user "
            "and host that ran it.';")
            .arg(table));
}

void SchemaMigrationsTable::record(DbConnection &connection, const QString &schema,
                                   const MigrationFile &migration, qint64 executionMs,
                                   const QString &runner)
{
    connection.exec(QStringLiteral("INSERT INTO %1 (version, description, rollback_sql, checksum, "
                                   "execution_ms, script, transactional, runner) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                        .arg(qualified(schema)),
                    { migration.version.text(), migration.description,
                      migration.isReversible() ? QVariant(migration.rollbackSql)
                                               : QVariant(QMetaType(QMetaType::QString)),
                      migration.checksum, QVariant(qint64(executionMs)), migration.displayPath,
                      migration.transaction == TransactionMode::PerMigration, runner });
}

void SchemaMigrationsTable::remove(DbConnection &connection, const QString &schema,
                                   const QString &versionText)
{
    connection.exec(QStringLiteral("DELETE FROM %1 WHERE version = ?").arg(qualified(schema)),
                    { versionText });
}

QString SchemaMigrationsTable::recordedRollbackSql(DbConnection &connection, const QString &schema,
                                                   const QString &versionText, bool *found)
{
    QSqlQuery query = connection.exec(
        QStringLiteral("SELECT rollback_sql FROM %1 WHERE version = ?").arg(qualified(schema)),
        { versionText });
    *found = query.next();
    return *found ? query.value(0).toString() : QString();
}

QList<AppliedMigration> SchemaMigrationsTable::readAll(DbConnection &connection,
                                                       const QString &schema)
{
    // to_jsonb(row) reads a table of any older shape without naming columns it may lack.
    QSqlQuery query = connection.exec(
        QStringLiteral(
            "SELECT version, description, "
            "to_char(executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
            "to_jsonb(m)->>'checksum', (to_jsonb(m)->>'execution_ms')::bigint, "
            "to_jsonb(m)->>'executed_by', to_jsonb(m)->>'script', "
            "rollback_sql IS NOT NULL, "
            "coalesce((to_jsonb(m)->>'transactional')::boolean, true) "
            "FROM %1 m ORDER BY id")
            .arg(qualified(schema)));
    QList<AppliedMigration> rows;
    while (query.next()) {
        AppliedMigration row;
        row.versionText = query.value(0).toString();
        row.version = MigrationVersion::parse(row.versionText);
        row.description = query.value(1).toString();
        row.executedAt = QDateTime::fromString(query.value(2).toString(), Qt::ISODateWithMs);
        row.checksum = query.value(3).toString().trimmed();
        row.executionMs = query.value(4).isNull() ? -1 : query.value(4).toLongLong();
        row.executedBy = query.value(5).toString();
        row.script = query.value(6).toString();
        row.hasRollbackSql = query.value(7).toBool();
        row.transactional = query.value(8).toBool();
        rows.append(row);
    }
    return rows;
}

QString SchemaMigrationsTable::newestVersion(DbConnection &connection, const QString &schema)
{
    if (!connection.relationExists(schema, QLatin1String(tableName)))
        return QString();
    QSqlQuery rows =
        connection.exec(QStringLiteral("SELECT version FROM %1").arg(qualifiedName(schema)));
    std::optional<MigrationVersion> newest;
    while (rows.next()) {
        const auto version = MigrationVersion::parse(rows.value(0).toString());
        if (version && (!newest || *version > *newest))
            newest = version;
    }
    return newest ? newest->text() : QString();
}

} // namespace fuelsync
