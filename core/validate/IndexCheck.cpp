#include "IndexCheck.h"

#include "ValidationChecks.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace fuelsync {

namespace {

using Severity = ValidationFinding::Severity;

class Indexes
{
    Q_DECLARE_TR_FUNCTIONS(SchemaValidator)

public:
    Indexes(DbConnection &connection, const QString &schemas,
            const SchemaValidator::Options &options, SchemaValidator::Report &report)
        : m_connection(connection)
        , m_schemas(schemas)
        , m_options(options)
        , m_report(report)
    { }

    void run()
    {
        invalid();
        foreignKeysWithoutIndex();
        duplicates();
        redundant();
        unused();
        sequentiallyScanned();
    }

private:
    void add(Severity severity, const QString &schema, const QString &object,
             const QString &problem, const QString &why, const QString &fix = {},
             bool outsideTransaction = false)
    {
        m_report.add(ValidationChecks::indexes, severity, schema, object, problem, why, fix,
                     outsideTransaction);
    }

    void invalid()
    {
        const QString &schemas = m_schemas;
        // Invalid indexes: left by a CREATE INDEX CONCURRENTLY that failed.
        QSqlQuery invalid = m_connection.exec(
            QStringLiteral("SELECT n.nspname::text, t.relname::text, ic.relname::text, "
                           "       pg_get_indexdef(i.indexrelid) "
                           "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                           "JOIN pg_class t ON t.oid = i.indrelid "
                           "JOIN pg_namespace n ON n.oid = ic.relnamespace "
                           "WHERE n.nspname = ANY(?::name[]) AND NOT i.indisvalid "
                           // One still being built concurrently is invalid until it is done.
                           "  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index b "
                           "                   WHERE b.index_relid = i.indexrelid) "
                           "ORDER BY 1, 2, 3"),
            { schemas });
        while (invalid.next()) {
            const QString schema = invalid.value(0).toString();
            const QString index = invalid.value(2).toString();
            QString create = invalid.value(3).toString();
            create.replace(QStringLiteral(" INDEX "), QStringLiteral(" INDEX CONCURRENTLY "));
            add(Severity::Error, schema,
                QStringLiteral("index %1.%2").arg(invalid.value(1).toString(), index),
                tr("the index is invalid: a concurrent build failed and left it behind"),
                tr("queries do not use it, yet every write still maintains it"),
                QStringLiteral("DROP INDEX CONCURRENTLY %1;\n%2;")
                    .arg(SqlIdentifier::qualified(schema, index), create),
                true);
        }
    }

    void foreignKeysWithoutIndex()
    {
        const QString &schemas = m_schemas;
        // Foreign keys no valid index leads with a column of.
        QSqlQuery unindexed = m_connection.exec(
            QStringLiteral(
                "SELECT n.nspname::text, cl.relname::text, con.conname::text, "
                "       (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) "
                "          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
                "          JOIN pg_attribute a ON a.attrelid = con.conrelid "
                "           AND a.attnum = k.attnum) "
                "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
                "JOIN pg_namespace n ON n.oid = cl.relnamespace "
                "WHERE n.nspname = ANY(?::name[]) AND con.contype = 'f' "
                "  AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = con.conrelid "
                "      AND i.indisvalid AND i.indpred IS NULL "
                // The migration linter's rule (fk-without-index): an index that leads with a
                // column of the key serves a parent's delete or key update.
                "      AND i.indkey[0] = ANY(con.conkey)) "
                "ORDER BY 1, 2, 3"),
            { schemas });
        while (unindexed.next()) {
            const QString schema = unindexed.value(0).toString();
            const QString table = unindexed.value(1).toString();
            if (ValidationChecks::toolOwned(table))
                continue;
            const QString columns = unindexed.value(3).toString();
            add(Severity::Warning, schema,
                QStringLiteral("constraint %1.%2").arg(table, unindexed.value(2).toString()),
                tr("no index leads with a column of the foreign key (%1)").arg(columns),
                tr("deleting or changing a parent row scans the whole child table, holding its "
                   "lock, and joins on the key cannot use an index"),
                QStringLiteral("CREATE INDEX CONCURRENTLY ON %1 (%2);")
                    .arg(SqlIdentifier::qualified(schema, table), columns),
                true);
        }
    }

    void duplicates()
    {
        const QString &schemas = m_schemas;
        // Indexes that are exact copies of another on the same table.
        QSqlQuery duplicates = m_connection.exec(
            QStringLiteral(
                "SELECT n.nspname::text, t.relname::text, "
                "       string_agg(ic.relname::text, chr(1) ORDER BY "
                "         EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ic.oid) DESC, "
                "         ic.oid), "
                "       pg_size_pretty(sum(pg_relation_size(i.indexrelid)) "
                "                      - max(pg_relation_size(i.indexrelid))) "
                "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                "JOIN pg_class t ON t.oid = i.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = ANY(?::name[]) "
                "GROUP BY n.nspname, t.relname, i.indrelid, i.indkey::text, i.indclass::text, "
                "         i.indoption::text, i.indcollation::text, "
                "         coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), "
                "         coalesce(pg_get_expr(i.indpred, i.indrelid), ''), i.indisunique "
                "HAVING count(*) > 1 ORDER BY 1, 2"),
            { schemas });
        while (duplicates.next()) {
            const QString schema = duplicates.value(0).toString();
            QStringList names = duplicates.value(2).toString().split(QChar(1));
            if (names.size() < 2)
                continue;
            // Kept: the one a constraint needs, else the oldest (the copies came later).
            const QString keep = names.takeFirst();
            QStringList drops;
            for (const QString &name : std::as_const(names))
                drops.append(QStringLiteral("DROP INDEX CONCURRENTLY %1;")
                                 .arg(SqlIdentifier::qualified(schema, name)));
            add(Severity::Warning, schema,
                QStringLiteral("index %1.%2")
                    .arg(duplicates.value(1).toString(), names.join(QStringLiteral(", "))),
                tr("the same index as %1 (%2 that could be freed)")
                    .arg(keep, duplicates.value(3).toString()),
                tr("every write maintains each copy, and each takes space and cache"),
                drops.join(u'\n'), true);
        }
    }

    // Btree indexes whose key columns lead another btree index of the same table in the same
    // order (and sort order, operator class and collation): the longer one serves their queries.
    void redundant()
    {
        QSqlQuery query = m_connection.exec(
            QStringLiteral(
                "SELECT n.nspname::text, t.relname::text, a.relname::text, "
                "       min(b.relname::text), pg_size_pretty(pg_relation_size(a.oid)) "
                "FROM pg_index ia JOIN pg_index ib ON ib.indrelid = ia.indrelid "
                "  AND ib.indexrelid <> ia.indexrelid "
                "JOIN pg_class a ON a.oid = ia.indexrelid JOIN pg_class b ON b.oid = ib.indexrelid "
                "JOIN pg_class t ON t.oid = ia.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "JOIN pg_am am ON am.oid = a.relam AND am.amname = 'btree' "
                "WHERE n.nspname = ANY(?::name[]) AND b.relam = a.relam "
                "  AND ia.indisvalid AND ib.indisvalid AND NOT ia.indisunique "
                "  AND ia.indpred IS NULL AND ib.indpred IS NULL "
                "  AND ia.indexprs IS NULL AND ib.indexprs IS NULL "
                // No INCLUDE columns of its own, and fewer key columns than the other.
                "  AND ia.indnatts = ia.indnkeyatts AND ia.indnkeyatts < ib.indnkeyatts "
                "  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = a.oid) "
                "  AND NOT EXISTS (SELECT 1 FROM generate_series(0, ia.indnkeyatts - 1) AS g(i) "
                "      WHERE ia.indkey[g.i] <> ib.indkey[g.i] "
                "         OR ia.indclass[g.i] <> ib.indclass[g.i] "
                "         OR ia.indoption[g.i] <> ib.indoption[g.i] "
                "         OR ia.indcollation[g.i] <> ib.indcollation[g.i]) "
                "GROUP BY n.nspname, t.relname, a.relname, a.oid ORDER BY 1, 2, 3"),
            { m_schemas });
        while (query.next()) {
            const QString schema = query.value(0).toString();
            const QString index = query.value(2).toString();
            if (ValidationChecks::toolOwned(query.value(1).toString()))
                continue;
            add(Severity::Warning, schema,
                QStringLiteral("index %1.%2").arg(query.value(1).toString(), index),
                tr("its columns lead %1, which serves the same lookups (%2 that could be freed)")
                    .arg(query.value(3).toString(), query.value(4).toString()),
                tr("every write maintains both; the longer index answers every query the "
                   "shorter one does, a little larger per entry"),
                QStringLiteral("DROP INDEX CONCURRENTLY %1;")
                    .arg(SqlIdentifier::qualified(schema, index)),
                true);
        }
    }

    // Indexes no query has used since the statistics were reset, above the size threshold;
    // never one that backs a constraint or is the only one serving a foreign key.
    void unused()
    {
        QSqlQuery query = m_connection.exec(
            QStringLiteral(
                "SELECT s.schemaname::text, s.relname::text, s.indexrelname::text, "
                "       pg_size_pretty(pg_relation_size(s.indexrelid)), "
                "       (SELECT stats_reset::text FROM pg_stat_database "
                "         WHERE datname = current_database()) "
                "FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid "
                "JOIN pg_class ic ON ic.oid = s.indexrelid "
                "WHERE s.schemaname = ANY(?::name[]) AND s.idx_scan = 0 "
                "  AND NOT i.indisunique AND NOT i.indisprimary AND i.indisvalid "
                "  AND ic.relpages::bigint * current_setting('block_size')::int >= ? "
                "  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
                "  AND NOT EXISTS (SELECT 1 FROM pg_constraint f "
                "      WHERE f.conrelid = i.indrelid AND f.contype = 'f' "
                "        AND i.indkey[0] = ANY(f.conkey) "
                "        AND NOT EXISTS (SELECT 1 FROM pg_index o "
                "            WHERE o.indrelid = i.indrelid AND o.indexrelid <> i.indexrelid "
                "              AND o.indisvalid AND o.indpred IS NULL "
                "              AND o.indkey[0] = ANY(f.conkey))) "
                "ORDER BY 1, 2, 3"),
            { m_schemas, m_options.sizeThresholdBytes });
        while (query.next()) {
            const QString schema = query.value(0).toString();
            const QString index = query.value(2).toString();
            const QString since = query.value(4).isNull()
                ? tr("since the statistics began (never reset)")
                : tr("since the statistics were reset on %1").arg(query.value(4).toString());
            add(Severity::Warning, schema,
                QStringLiteral("index %1.%2").arg(query.value(1).toString(), index),
                tr("no query has used the index %1 (%2)").arg(since, query.value(3).toString()),
                tr("every write maintains it for nothing. Scans on a standby are not counted "
                   "here: check them before dropping it"),
                QStringLiteral("DROP INDEX CONCURRENTLY %1;")
                    .arg(SqlIdentifier::qualified(schema, index)),
                true);
        }
    }

    // Tables above the size threshold read mostly by sequential scans.
    void sequentiallyScanned()
    {
        QSqlQuery query = m_connection.exec(
            QStringLiteral("SELECT s.schemaname::text, s.relname::text, s.seq_scan, "
                           "       s.seq_tup_read / s.seq_scan, coalesce(s.idx_scan, 0), "
                           "       pg_size_pretty(pg_relation_size(s.relid)) "
                           "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
                           "WHERE s.schemaname = ANY(?::name[]) AND s.seq_scan >= 50 "
                           "  AND s.seq_scan > coalesce(s.idx_scan, 0) "
                           "  AND c.relpages::bigint * current_setting('block_size')::int >= ? "
                           "ORDER BY 1, 2"),
            { m_schemas, m_options.sizeThresholdBytes });
        while (query.next()) {
            add(Severity::Warning, query.value(0).toString(),
                QStringLiteral("table %1").arg(query.value(1).toString()),
                tr("read by %1 sequential scans (about %2 rows each) against %3 index scans; "
                   "the table holds %4")
                    .arg(query.value(2).toString(), query.value(3).toString(),
                         query.value(4).toString(), query.value(5).toString()),
                tr("each sequential scan reads the whole table; the queries behind them (see "
                   "pg_stat_statements) may want an index on the columns they filter by"));
        }
    }

    DbConnection &m_connection;
    const QString &m_schemas;
    const SchemaValidator::Options &m_options;
    SchemaValidator::Report &m_report;
};

} // namespace

void IndexCheck::run(DbConnection &connection, const QString &schemas,
                     const SchemaValidator::Options &options, SchemaValidator::Report &report)
{
    Indexes(connection, schemas, options, report).run();
}

} // namespace fuelsync
