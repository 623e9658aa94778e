#include "HealthCheck.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QSqlQuery>

#include <cmath>

namespace fuelsync {

namespace {

using Severity = ValidationFinding::Severity;

const QString healthCheck = QStringLiteral("health");

// PostgreSQL stops assigning transaction IDs (to protect its data) about 2^31 - 3 million
// transactions after the oldest unfrozen one; long before that, autovacuum must have frozen it.
constexpr qint64 wraparoundDanger = 1'500'000'000;

QString percent(double fraction)
{
    return QString::number(fraction * 100.0, 'f', fraction < 0.995 && fraction > 0.0 ? 1 : 0)
        + u'%';
}

QString megabytes(qint64 bytes)
{
    if (bytes >= qint64(1) << 30)
        return QString::number(double(bytes) / double(qint64(1) << 30), 'f', 1)
            + QStringLiteral(" GB");
    return QString::number(double(bytes) / double(1 << 20), 'f', 1) + QStringLiteral(" MB");
}

class Health
{
    Q_DECLARE_TR_FUNCTIONS(SchemaValidator)

public:
    Health(DbConnection &connection, const QString &schemas,
           const SchemaValidator::Options &options, SchemaValidator::Report &report,
           JobControl &control)
        : m_connection(connection)
        , m_schemas(schemas)
        , m_options(options)
        , m_report(report)
        , m_control(control)
    { }

    void run()
    {
        // Each part on its own: one the login may not read is not checked, the others go on.
        const std::pair<QString, void (Health::*)()> parts[] = {
            { tr("sequences"), &Health::sequences },
            { tr("tables without a primary key"), &Health::tablesWithoutPrimaryKey },
            { tr("transaction-ID age"), &Health::transactionIdAge },
            { tr("bloat"), &Health::bloat },
            { tr("sessions"), &Health::sessions },
            { tr("cache and connections"), &Health::cacheAndConnections },
            { tr("largest tables and indexes"), &Health::largest },
            { tr("slowest statements"), &Health::slowestStatements },
        };
        qint64 done = 0;
        const qint64 total = qint64(std::size(parts));
        for (const auto &[name, part] : parts) {
            m_control.throwIfCancelled();
            m_control.setStep(tr("checking health: %1").arg(name), total);
            try {
                (this->*part)();
            } catch (const DbError &e) {
                if (m_control.isCancelled())
                    throw;
                m_report.notChecked.append(
                    { QString(), healthCheck + QStringLiteral(" (") + name + u')', e.text() });
            }
            m_control.setProgress(++done, total);
        }
    }

private:
    void add(Severity severity, const QString &schema, const QString &object,
             const QString &problem, const QString &why, const QString &fix = {},
             bool outsideTransaction = false)
    {
        m_report.add(healthCheck, severity, schema, object, problem, why, fix, outsideTransaction);
    }

    qint64 sizeThreshold() const { return m_options.sizeThresholdBytes; }

    // --- sequences ---------------------------------------------------------------------------

    void sequences()
    {
        QSqlQuery query = m_connection.exec(
            QStringLiteral(
                "SELECT s.schemaname::text, s.sequencename::text, s.data_type::text, "
                "       s.last_value, s.min_value, s.max_value, "
                "       s.increment_by, "
                "       has_sequence_privilege(c.oid, 'SELECT') "
                "         OR has_sequence_privilege(c.oid, 'USAGE'), "
                "       d.deptype::text, t.relname::text, a.attname::text, "
                "       format_type(a.atttypid, a.atttypmod) "
                "FROM pg_sequences s "
                "JOIN pg_namespace n ON n.nspname = s.schemaname "
                "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename "
                "LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid "
                "  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
                "LEFT JOIN pg_class t ON t.oid = d.refobjid "
                "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                "WHERE s.schemaname = ANY(?::name[]) ORDER BY 1, 2"),
            { m_schemas });
        QMap<QString, int> unreadable; // by schema
        while (query.next()) {
            const QString schema = query.value(0).toString();
            const QString sequence = query.value(1).toString();
            if (query.value(3).isNull()) {
                if (!query.value(7).toBool())
                    ++unreadable[schema];
                continue; // never used
            }
            const double last = double(query.value(3).toLongLong());
            const double min = double(query.value(4).toLongLong());
            const double max = double(query.value(5).toLongLong());
            const bool ascending = query.value(6).toLongLong() > 0;
            const double span = max - min;
            if (span <= 0)
                continue;
            const double used = ascending ? (last - min) / span : (max - last) / span;
            if (used <= 0.75)
                continue;
            const QString type = query.value(2).toString();
            const QString table = query.value(9).toString();
            const QString column = query.value(10).toString();
            const QString columnType = query.value(11).toString();
            QStringList fix;
            if (!table.isEmpty() && columnType != u"bigint") {
                fix.append(QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 TYPE bigint;")
                               .arg(SqlIdentifier::qualified(schema, table),
                                    SqlIdentifier::quote(column)));
            }
            // An identity column's sequence follows its column; a serial's or a free one's
            // is widened itself (its maximum moves to bigint's when it was its type's).
            if (type != u"bigint" && query.value(8).toString() != u"i") {
                fix.append(QStringLiteral("ALTER SEQUENCE %1 AS bigint;")
                               .arg(SqlIdentifier::qualified(schema, sequence)));
            }
            const QString owner = table.isEmpty()
                ? QString()
                : QStringLiteral(" (%1.%2, %3)").arg(table, column, columnType);
            add(used > 0.9 ? Severity::Error : Severity::Warning, schema,
                QStringLiteral("sequence %1").arg(sequence),
                tr("%1 of the sequence is used: %2 of at most %3 (%4)%5")
                    .arg(percent(used), query.value(3).toString(), query.value(5).toString(), type,
                         owner),
                fix.isEmpty()
                    ? tr("when it reaches its end every insert that needs a new value fails; it "
                         "is already bigint, so the table's keys need another plan")
                    : tr("when it reaches its end every insert that needs a new value fails; "
                         "widening the column rewrites the table under an ACCESS EXCLUSIVE lock, "
                         "so plan it for a quiet hour"),
                fix.join(u'\n'));
        }
        for (auto it = unreadable.cbegin(); it != unreadable.cend(); ++it) {
            m_report.notChecked.append(
                { it.key(), healthCheck + QStringLiteral(" (") + tr("sequences") + u')',
                  tr("%n sequence(s) cannot be read by this login (it needs SELECT or USAGE on "
                     "them)",
                     nullptr, it.value()) });
        }
    }

    // --- tables without a primary key -------------------------------------------------------

    void tablesWithoutPrimaryKey()
    {
        QSqlQuery query = m_connection.exec(
            QStringLiteral("SELECT n.nspname::text, c.relname::text FROM pg_class c "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE n.nspname = ANY(?::name[]) AND c.relkind IN ('r', 'p') "
                           "  AND NOT c.relispartition "
                           "  AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                           "                  WHERE k.conrelid = c.oid AND k.contype = 'p') "
                           "ORDER BY 1, 2"),
            { m_schemas });
        while (query.next()) {
            add(Severity::Warning, query.value(0).toString(),
                QStringLiteral("table %1").arg(query.value(1).toString()),
                tr("the table has no primary key"),
                tr("its rows cannot be told apart: duplicates creep in, logical replication "
                   "cannot update or delete them, and a row cannot be named to fix it"));
        }
    }

    // --- transaction-ID age -----------------------------------------------------------------

    void transactionIdAge()
    {
        QSqlQuery database = m_connection.exec(
            QStringLiteral("SELECT age(datfrozenxid)::bigint, "
                           "       current_setting('autovacuum_freeze_max_age')::bigint "
                           "FROM pg_database WHERE datname = current_database()"));
        database.next();
        const qint64 age = database.value(0).toLongLong();
        const qint64 freezeMax = database.value(1).toLongLong();

        QSqlQuery tables = m_connection.exec(
            QStringLiteral("SELECT n.nspname::text, c.relname::text, age(c.relfrozenxid)::bigint "
                           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE n.nspname = ANY(?::name[]) AND c.relkind IN ('r', 'm', 't') "
                           "  AND c.relfrozenxid <> '0' "
                           "ORDER BY age(c.relfrozenxid) DESC, 1, 2 LIMIT 5"),
            { m_schemas });
        QString oldest;
        while (tables.next()) {
            const QString schema = tables.value(0).toString();
            const QString table = tables.value(1).toString();
            const qint64 tableAge = tables.value(2).toLongLong();
            if (oldest.isEmpty())
                oldest = tr("; the oldest table is %1.%2 at %3").arg(schema, table).arg(tableAge);
            if (tableAge <= freezeMax)
                continue;
            add(tableAge > wraparoundDanger ? Severity::Error : Severity::Warning, schema,
                QStringLiteral("table %1").arg(table),
                tr("the table's oldest unfrozen transaction ID is %1 transactions old, past "
                   "autovacuum_freeze_max_age (%2)")
                    .arg(tableAge)
                    .arg(freezeMax),
                tr("autovacuum should have frozen it by now; something keeps it from finishing "
                   "(a long transaction, a lock, a cancelled vacuum). Past about 2 billion the "
                   "server stops accepting writes to protect its data"),
                QStringLiteral("VACUUM (FREEZE, VERBOSE) %1;")
                    .arg(SqlIdentifier::qualified(schema, table)),
                true);
        }
        const QString text =
            tr("transaction-ID age %1 of autovacuum_freeze_max_age %2 (%3)%4")
                .arg(age)
                .arg(freezeMax)
                .arg(percent(double(age) / double(std::max<qint64>(freezeMax, 1))), oldest);
        const Severity severity = age > wraparoundDanger ? Severity::Error
            : age > freezeMax                            ? Severity::Warning
                                                         : Severity::Info;
        add(severity, QString(), QStringLiteral("database"), text,
            severity == Severity::Info
                ? tr("autovacuum freezes old rows before the age reaches the setting; this is "
                     "how far the database is from it")
                : tr("past the setting, autovacuum forces freezing vacuums; past about 2 billion "
                     "the server stops accepting writes to protect its data"));
    }

    // --- bloat ------------------------------------------------------------------------------

    // Estimated from the planner's statistics (row counts, average widths), as pgAdmin's and
    // check_postgres's estimates are: what the rows need against the pages the table holds.
    void bloat()
    {
        QSqlQuery tables = m_connection.exec(
            QStringLiteral(
                "WITH t AS ( "
                "  SELECT n.nspname, c.relname, c.relpages::bigint AS pages, c.reltuples, "
                "         current_setting('block_size')::int AS bs, "
                "         coalesce((SELECT (regexp_match(o, 'fillfactor=([0-9]+)'))[1]::int "
                "                   FROM unnest(c.reloptions) AS o "
                "                   WHERE o LIKE 'fillfactor=%'), 100) AS ff, "
                "         (SELECT sum((1 - s.null_frac) * s.avg_width) FROM pg_stats s "
                "           WHERE s.schemaname = n.nspname AND s.tablename = c.relname) AS width "
                "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "  WHERE n.nspname = ANY(?::name[]) AND c.relkind = 'r' "
                "    AND c.relpages::bigint * current_setting('block_size')::int >= ?) "
                "SELECT nspname::text, relname::text, pages * bs, "
                // A row: its 23-byte header aligned to 24, its data aligned to 8, its 4-byte
                // line pointer; a page: 24 bytes of header, filled to its fillfactor.
                "       ceil(reltuples * (24 + 8 * ceil(width / 8.0) + 4) "
                "            / ((bs - 24) * ff / 100.0))::bigint * bs "
                "FROM t WHERE width IS NOT NULL AND reltuples >= 0 ORDER BY 1, 2"),
            { m_schemas, sizeThreshold() });
        while (tables.next()) {
            const qint64 actual = tables.value(2).toLongLong();
            const qint64 expected = tables.value(3).toLongLong();
            const qint64 waste = actual - expected;
            if (waste < sizeThreshold() || double(waste) < 0.4 * double(actual))
                continue;
            add(Severity::Warning, tables.value(0).toString(),
                QStringLiteral("table %1").arg(tables.value(1).toString()),
                tr("about %1 of the table's %2 holds no live row (estimated bloat %3)")
                    .arg(megabytes(waste), megabytes(actual),
                         percent(double(waste) / double(actual))),
                tr("every sequential scan and backup reads the empty space too. VACUUM makes it "
                   "reusable but does not return it; VACUUM FULL does, under an ACCESS EXCLUSIVE "
                   "lock for the whole rewrite (pg_repack without one)"));
        }

        QSqlQuery indexes = m_connection.exec(
            QStringLiteral(
                "WITH i AS ( "
                "  SELECT n.nspname, t.relname AS tablename, ic.relname AS indexname, "
                "         ic.relpages::bigint AS pages, ic.reltuples, "
                "         current_setting('block_size')::int AS bs, "
                "         (SELECT sum((1 - s.null_frac) * s.avg_width) "
                "            FROM unnest(x.indkey) AS k(attnum) "
                "            JOIN pg_attribute a ON a.attrelid = x.indrelid "
                "             AND a.attnum = k.attnum "
                "            JOIN pg_stats s ON s.schemaname = n.nspname "
                "             AND s.tablename = t.relname AND s.attname = a.attname) AS width, "
                "         (SELECT count(*) FROM unnest(x.indkey) AS k(attnum) "
                "           WHERE k.attnum <> 0) AS columns, x.indnatts AS natts "
                "  FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid "
                "  JOIN pg_class t ON t.oid = x.indrelid "
                "  JOIN pg_namespace n ON n.oid = t.relnamespace "
                "  JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree' "
                "  WHERE n.nspname = ANY(?::name[]) AND x.indisvalid "
                "    AND ic.relpages::bigint * current_setting('block_size')::int >= ?) "
                "SELECT nspname::text, tablename::text, indexname::text, pages * bs, "
                // An index entry: 8 bytes of header and the key aligned to 8, a 4-byte line
                // pointer; a leaf page: 24 bytes of header, 16 of btree's own, 90 % full.
                "       (ceil(reltuples * (8 + 8 * ceil(width / 8.0) + 4) "
                "             / ((bs - 40) * 0.9)) + 1)::bigint * bs "
                "FROM i WHERE width IS NOT NULL AND columns = natts AND reltuples >= 0 "
                "ORDER BY 1, 2, 3"),
            { m_schemas, sizeThreshold() });
        while (indexes.next()) {
            const QString schema = indexes.value(0).toString();
            const QString index = indexes.value(2).toString();
            const qint64 actual = indexes.value(3).toLongLong();
            const qint64 expected = indexes.value(4).toLongLong();
            const qint64 waste = actual - expected;
            if (waste < sizeThreshold() || double(waste) < 0.5 * double(actual))
                continue;
            add(Severity::Warning, schema,
                QStringLiteral("index %1.%2").arg(indexes.value(1).toString(), index),
                tr("about %1 of the index's %2 holds no entry (estimated bloat %3)")
                    .arg(megabytes(waste), megabytes(actual),
                         percent(double(waste) / double(actual))),
                tr("a bloated index is read and cached page by page like a full one; rebuilding "
                   "it concurrently gives the space back without blocking writes"),
                QStringLiteral("REINDEX INDEX CONCURRENTLY %1;")
                    .arg(SqlIdentifier::qualified(schema, index)),
                true);
        }
    }

    // --- sessions ---------------------------------------------------------------------------

    void sessions()
    {
        QSqlQuery query = m_connection.exec(QStringLiteral(
            "SELECT a.pid, a.usename::text, a.application_name, a.state, "
            "       extract(epoch FROM now() - a.state_change)::bigint, "
            "       extract(epoch FROM now() - a.query_start)::bigint, "
            "       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200), "
            "       (SELECT string_agg(format('%s (%s, %s, %s)', b.pid, b.usename, "
            "                 coalesce(b.state, '?'), "
            "                 left(regexp_replace(coalesce(b.query, ''), '\\s+', ' ', 'g'), "
            "                      120)), '; ' ORDER BY b.pid) "
            "          FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids(a.pid))) "
            "FROM pg_stat_activity a "
            "WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() "
            "  AND a.datname = current_database() "
            "ORDER BY a.pid"));
        const qint64 limit = m_options.sessionSeconds;
        while (query.next()) {
            const QString pid = query.value(0).toString();
            const QString state = query.value(3).toString();
            const QString who =
                tr("session %1 (%2, %3)")
                    .arg(pid, query.value(1).toString(),
                         query.value(2).toString().isEmpty() ? tr("no application name")
                                                             : query.value(2).toString());
            const QString object = QStringLiteral("session %1").arg(pid);
            const QString statement = query.value(6).toString();
            const qint64 inState = query.value(4).toLongLong();
            const QString blockers = query.value(7).toString();
            if (state.startsWith(QStringLiteral("idle in transaction")) && inState >= limit) {
                add(Severity::Warning, QString(), object,
                    tr("%1 has been idle in a transaction for %2 s; its last statement: %3")
                        .arg(who)
                        .arg(inState)
                        .arg(statement),
                    tr("an open transaction keeps its locks and keeps VACUUM from removing the "
                       "rows that died since it began. Ask its owner, or end it with "
                       "pg_terminate_backend(%1) once you know what it is")
                        .arg(pid));
            } else if (state == u"active" && query.value(5).toLongLong() >= limit) {
                add(Severity::Warning, QString(), object,
                    tr("%1 has been running one statement for %2 s: %3")
                        .arg(who)
                        .arg(query.value(5).toLongLong())
                        .arg(statement),
                    tr("a long statement holds its locks and its snapshot for as long as it "
                       "runs; pg_cancel_backend(%1) stops the statement and keeps the session")
                        .arg(pid));
            }
            if (!blockers.isEmpty()) {
                add(Severity::Warning, QString(), object,
                    tr("%1 is waiting for a lock held by %2; it waits for: %3")
                        .arg(who, blockers, statement),
                    tr("whatever it is doing stops until the holder commits or ends, and "
                       "everything queued behind it waits too"));
            }
        }
        // Without pg_read_all_stats a login sees only its own roles' sessions (the others'
        // rows show no database, state or statement).
        const bool seesAll =
            m_connection
                .scalar(QStringLiteral("SELECT rolsuper OR pg_has_role('pg_read_all_stats', "
                                       "'USAGE') FROM pg_roles WHERE rolname = current_user"))
                .toBool();
        if (!seesAll) {
            add(Severity::Info, QString(), QStringLiteral("sessions"),
                tr("this login sees only its own roles' sessions: whether other sessions are "
                   "idle in a transaction, long-running or blocked was not checked"),
                tr("a member of pg_read_all_stats sees every session"));
        }
    }

    // --- cache hit ratio and connections ----------------------------------------------------

    void cacheAndConnections()
    {
        QSqlQuery cache = m_connection.exec(
            QStringLiteral("SELECT blks_hit, blks_read, stats_reset::text FROM pg_stat_database "
                           "WHERE datname = current_database()"));
        if (cache.next()) {
            const double hit = cache.value(0).toDouble();
            const double read = cache.value(1).toDouble();
            const QString since = cache.value(2).isNull()
                ? tr("since the statistics began")
                : tr("since %1").arg(cache.value(2).toString());
            if (hit + read < 10'000) {
                add(Severity::Info, QString(), QStringLiteral("cache"),
                    tr("too few blocks read %1 to judge the cache hit ratio").arg(since),
                    tr("the ratio says how often a read finds its page in shared buffers"));
            } else {
                const double ratio = hit / (hit + read);
                add(ratio < 0.99 ? Severity::Warning : Severity::Info, QString(),
                    QStringLiteral("cache"), tr("cache hit ratio %1 %2").arg(percent(ratio), since),
                    ratio < 0.99
                        ? tr("below 99 %, many reads go to the disk: shared_buffers may be too "
                             "small for the working set, or queries scan more than they need")
                        : tr("reads find their page in shared buffers; nothing to do"));
            }
        }

        QSqlQuery connections = m_connection.exec(QStringLiteral(
            // Every login sees how many sessions each database has, not only its own.
            "SELECT (SELECT sum(numbackends) FROM pg_stat_database), "
            "       current_setting('max_connections')::int, "
            "       current_setting('superuser_reserved_connections')::int"));
        connections.next();
        const int used = connections.value(0).toInt();
        const int usable = connections.value(1).toInt() - connections.value(2).toInt();
        const double share = double(used) / double(std::max(usable, 1));
        add(share > 0.8 ? Severity::Warning : Severity::Info, QString(),
            QStringLiteral("connections"),
            tr("%1 of %2 connections in use (%3; max_connections less those reserved for "
               "superusers)")
                .arg(used)
                .arg(usable)
                .arg(percent(share)),
            share > 0.8 ? tr("when none is left, new logins are refused: the application and "
                             "this tool alike; a connection pooler spares them")
                        : tr("how close the server is to refusing new logins"));
    }

    // --- the largest tables and indexes -----------------------------------------------------

    void largest()
    {
        // The candidates by their pages as last counted, then their exact sizes.
        QSqlQuery tables = m_connection.exec(
            QStringLiteral(
                "SELECT n.nspname::text, c.relname::text, pg_total_relation_size(c.oid), "
                "       pg_indexes_size(c.oid) "
                "FROM (SELECT oid FROM pg_class WHERE relkind IN ('r', 'm') "
                "        AND relnamespace IN (SELECT oid FROM pg_namespace "
                "                             WHERE nspname = ANY(?::name[])) "
                "      ORDER BY relpages DESC LIMIT 20) AS top "
                "JOIN pg_class c ON c.oid = top.oid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "ORDER BY 3 DESC, 1, 2 LIMIT 5"),
            { m_schemas });
        QStringList listed;
        while (tables.next()) {
            listed.append(tr("%1.%2 %3 (indexes %4)")
                              .arg(tables.value(0).toString(), tables.value(1).toString(),
                                   megabytes(tables.value(2).toLongLong()),
                                   megabytes(tables.value(3).toLongLong())));
        }
        if (!listed.isEmpty()) {
            add(Severity::Info, QString(), QStringLiteral("largest tables"),
                tr("the largest tables: %1").arg(listed.join(QStringLiteral("; "))),
                tr("where the space goes: the first places to look for bloat, old data to "
                   "archive, or a missing partitioning"));
        }
        QSqlQuery indexes = m_connection.exec(
            QStringLiteral(
                "SELECT n.nspname::text, c.relname::text, pg_relation_size(c.oid) "
                "FROM (SELECT oid FROM pg_class WHERE relkind = 'i' "
                "        AND relnamespace IN (SELECT oid FROM pg_namespace "
                "                             WHERE nspname = ANY(?::name[])) "
                "      ORDER BY relpages DESC LIMIT 20) AS top "
                "JOIN pg_class c ON c.oid = top.oid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "ORDER BY 3 DESC, 1, 2 LIMIT 5"),
            { m_schemas });
        listed.clear();
        while (indexes.next()) {
            listed.append(QStringLiteral("%1.%2 %3")
                              .arg(indexes.value(0).toString(), indexes.value(1).toString(),
                                   megabytes(indexes.value(2).toLongLong())));
        }
        if (!listed.isEmpty()) {
            add(Severity::Info, QString(), QStringLiteral("largest indexes"),
                tr("the largest indexes: %1").arg(listed.join(QStringLiteral("; "))),
                tr("each is maintained on every write to its table; an unused or redundant one "
                   "among them (see the indexes check) is pure cost"));
        }
    }

    // --- pg_stat_statements -----------------------------------------------------------------

    void slowestStatements()
    {
        const QString schema =
            m_connection
                .scalar(QStringLiteral("SELECT n.nspname::text FROM pg_extension e "
                                       "JOIN pg_namespace n ON n.oid = e.extnamespace "
                                       "WHERE e.extname = 'pg_stat_statements'"))
                .toString();
        if (schema.isEmpty()) {
            add(Severity::Info, QString(), QStringLiteral("pg_stat_statements"),
                tr("pg_stat_statements is not installed in this database, so the slowest "
                   "statements cannot be listed"),
                tr("to enable it: add pg_stat_statements to shared_preload_libraries in "
                   "postgresql.conf, restart the server, then run CREATE EXTENSION "
                   "pg_stat_statements; in this database"));
            return;
        }
        const QString view = SqlIdentifier::qualified(schema, QStringLiteral("pg_stat_statements"));
        // Before PostgreSQL 13 the columns were mean_time and total_time.
        const bool exec = m_connection
                              .scalar(QStringLiteral("SELECT count(*) FROM pg_attribute "
                                                     "WHERE attrelid = to_regclass(?) "
                                                     "AND attname = 'mean_exec_time'"),
                                      { view })
                              .toInt()
            > 0;
        const QString mean = exec ? QStringLiteral("mean_exec_time") : QStringLiteral("mean_time");
        const QString total =
            exec ? QStringLiteral("total_exec_time") : QStringLiteral("total_time");
        QSqlQuery query = m_connection.exec(
            QStringLiteral("SELECT calls, %2, %3, "
                           "       left(regexp_replace(query, '\\s+', ' ', 'g'), 300) "
                           "FROM %1 WHERE dbid = (SELECT oid FROM pg_database "
                           "                      WHERE datname = current_database()) "
                           "ORDER BY %2 DESC LIMIT 5")
                .arg(view, mean, total));
        int rank = 0;
        while (query.next()) {
            ++rank;
            const double meanMs = query.value(1).toDouble();
            add(meanMs >= 1000.0 ? Severity::Warning : Severity::Info, QString(),
                QStringLiteral("statement %1").arg(rank),
                tr("%1 ms on average over %2 calls (%3 s in all): %4")
                    .arg(QString::number(meanMs, 'f', 1), query.value(0).toString(),
                         QString::number(query.value(2).toDouble() / 1000.0, 'f', 1),
                         query.value(3).toString()),
                tr("the slowest statements by mean time since pg_stat_statements was reset; "
                   "EXPLAIN (ANALYZE, BUFFERS) one of them to see where its time goes"));
        }
    }

    DbConnection &m_connection;
    const QString &m_schemas;
    const SchemaValidator::Options &m_options;
    SchemaValidator::Report &m_report;
    JobControl &m_control;
};

} // namespace

void HealthCheck::run(DbConnection &connection, const QString &schemas,
                      const SchemaValidator::Options &options, SchemaValidator::Report &report,
                      JobControl &control)
{
    Health(connection, schemas, options, report, control).run();
}

} // namespace fuelsync
