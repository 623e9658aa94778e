#include "RowRuleCheck.h"

#include "ValidationChecks.h"
#include "catalog/SchemaSnapshot.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlArray.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QSet>
#include <QSqlQuery>

#include <limits>
#include <tuple>

namespace fuelsync {

namespace {

using Severity = ValidationFinding::Severity;

// One business rule: the rows of `table` that break it, counted with up to five examples.
struct BusinessRule
{
    const char *table;
    QStringList columns; // what it reads; a tenant without them is drift's to report
    QStringList otherTables;
    Severity severity;
    const char *object; // "rule <name>"
    // SELECT <example text> FROM ... WHERE <broken>: the rows that break it; %1 is the schema.
    const char *brokenRows;
};

class Rules
{
    Q_DECLARE_TR_FUNCTIONS(SchemaValidator)

public:
    Rules(DbConnection &connection, const QString &schema, const SchemaSnapshot &reference,
          SchemaValidator::Report &report)
        : m_connection(connection)
        , m_schema(schema)
        , m_reference(reference)
        , m_report(report)
    { }

    void run()
    {
        readColumns();
        referenceChecks();
        businessRules();
    }

private:
    void add(Severity severity, const QString &object, const QString &problem, const QString &why)
    {
        m_report.add(ValidationChecks::orphans, severity, m_schema, object, problem, why);
    }

    // Every column of the schema's tables, as "table.column".
    void readColumns()
    {
        QSqlQuery query = m_connection.exec(
            QStringLiteral("SELECT c.relname || '.' || a.attname FROM pg_attribute a "
                           "JOIN pg_class c ON c.oid = a.attrelid "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
                           "  AND NOT a.attisdropped"),
            { m_schema });
        while (query.next())
            m_columns.insert(query.value(0).toString());
    }

    bool has(const QString &table, const QStringList &columns) const
    {
        for (const QString &column : columns) {
            if (!m_columns.contains(table + u'.' + column))
                return false;
        }
        return true;
    }

    // Counts the rows `sql` (SELECT <example> FROM ... WHERE ...) returns, with the first five,
    // run with the schema first on the search path (the reference's expressions name its
    // objects without it).
    std::pair<qint64, QString> countRows(const QString &sql)
    {
        m_connection.exec(QStringLiteral("BEGIN READ ONLY"));
        try {
            m_connection.exec(QStringLiteral("SET LOCAL search_path = %1, public")
                                  .arg(SqlIdentifier::quote(m_schema)));
            QSqlQuery query = m_connection.exec(
                QStringLiteral("WITH broken AS (%1) "
                               "SELECT (SELECT count(*) FROM broken), "
                               "       (SELECT string_agg(e::text, '; ') "
                               "          FROM (SELECT * FROM broken LIMIT 5) AS x(e))")
                    .arg(sql));
            query.next();
            std::pair<qint64, QString> result { query.value(0).toLongLong(),
                                                query.value(1).toString() };
            query.finish();
            m_connection.exec(QStringLiteral("COMMIT"));
            return result;
        } catch (const DbError &) {
            try {
                m_connection.exec(QStringLiteral("ROLLBACK"));
            } catch (const DbError &) {
                // The session is gone: the first error is the one to tell.
            }
            throw;
        }
    }

    // CHECK constraints of the reference that the live table lacks or holds NOT VALID.
    void referenceChecks()
    {
        struct Live
        {
            bool validated = false;
            QString definition;
        };
        QHash<QString, Live> live; // "table.constraint"
        QSqlQuery query = m_connection.exec(
            QStringLiteral("SELECT cl.relname || '.' || con.conname, con.convalidated, "
                           "pg_get_constraintdef(con.oid) "
                           "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
                           "JOIN pg_namespace n ON n.oid = cl.relnamespace "
                           "WHERE n.nspname = ? AND con.contype = 'c'"),
            { m_schema });
        while (query.next())
            live.insert(query.value(0).toString(),
                        { query.value(1).toBool(), query.value(2).toString() });
        const QMap<QString, QString> checks = m_reference.objectsOf(QStringLiteral("constraint"));
        for (auto it = checks.cbegin(); it != checks.cend(); ++it) {
            QString expression = it.value();
            if (!expression.startsWith(QStringLiteral("CHECK ")))
                continue;
            const auto state = live.constFind(it.key());
            const bool same = state != live.cend() && state->definition == it.value();
            if (same && state->validated)
                continue; // there as the files say, and validated: the server checked every row
            const QString table = it.key().section(u'.', 0, 0);
            if (ValidationChecks::toolOwned(table) || !tableExists(table))
                continue;
            expression.remove(0, 6);
            for (const QString &suffix :
                 { QStringLiteral(" NOT VALID"), QStringLiteral(" NO INHERIT") }) {
                if (expression.endsWith(suffix))
                    expression.chop(suffix.size());
            }
            qint64 count = 0;
            QString examples;
            try {
                std::tie(count, examples) =
                    countRows(QStringLiteral("SELECT ctid FROM %1 WHERE NOT (%2)")
                                  .arg(SqlIdentifier::qualified(m_schema, table), expression));
            } catch (const DbError &e) {
                // A column the check reads is gone (dropping it dropped the check): drift
                // names the column; there is nothing here to count.
                if (e.sqlState() == u"42703")
                    continue;
                throw;
            }
            if (count == 0)
                continue;
            const int shown = int(std::min<qint64>(count, std::numeric_limits<int>::max()));
            add(Severity::Error, QStringLiteral("constraint ") + it.key(),
                tr("%n rows of %1 break the reference's %2 (%3), which the table %4; rows at %5",
                   nullptr, shown)
                    .arg(table, it.key().section(u'.', 1), it.value(),
                         state == live.cend() ? tr("lacks")
                             : same           ? tr("holds NOT VALID")
                                              : tr("holds with another definition"),
                         examples),
                tr("the files say no such row can exist; code and reports written for them "
                   "trust it. Mend the rows, then add the constraint back (drift gives its fix)"));
        }
    }

    bool tableExists(const QString &table) { return m_connection.relationExists(m_schema, table); }

    void businessRules()
    {
        const BusinessRule rules[] = {
            { "nozzle_readings",
              { QStringLiteral("id"), QStringLiteral("nozzle_id"), QStringLiteral("reading"),
                QStringLiteral("recorded_at") },
              {},
              Severity::Error,
              "rule readings-go-down",
              "SELECT id FROM (SELECT id, reading < lag(reading) OVER (PARTITION BY nozzle_id "
              "ORDER BY recorded_at) AS down FROM %1.nozzle_readings) r WHERE down" },
            { "nozzle_readings",
              { QStringLiteral("id"), QStringLiteral("nozzle_id"), QStringLiteral("recorded_at") },
              { QStringLiteral("sales") },
              Severity::Warning,
              "rule reading-without-sale",
              "SELECT r.id FROM (SELECT id, row_number() OVER (PARTITION BY nozzle_id ORDER BY "
              "recorded_at) AS n FROM %1.nozzle_readings) r WHERE r.n > 1 AND NOT EXISTS "
              "(SELECT 1 FROM %1.sales s WHERE s.reading_id = r.id)" },
            { "creditors",
              { QStringLiteral("name"), QStringLiteral("credit_limit"),
                QStringLiteral("outstanding_balance") },
              {},
              Severity::Warning,
              "rule creditor-over-limit",
              "SELECT coalesce(name, '-') || ' (' || outstanding_balance || ' of ' || credit_limit "
              "|| ')' FROM "
              "%1.creditors WHERE outstanding_balance > credit_limit" },
            { "fuel_inventory",
              { QStringLiteral("station_id"), QStringLiteral("fuel_type"),
                QStringLiteral("current_stock") },
              {},
              Severity::Error,
              "rule stock-below-zero",
              "SELECT fuel_type || ' ' || current_stock || ' at ' || station_id FROM "
              "%1.fuel_inventory WHERE current_stock < 0" },
        };
        for (const BusinessRule &rule : rules) {
            const QString table = QString::fromLatin1(rule.table);
            if (!has(table, rule.columns))
                continue;
            bool others = true;
            for (const QString &other : rule.otherTables)
                others = others && tableExists(other);
            if (!others
                || (rule.otherTables.contains(QStringLiteral("sales"))
                    && !has(QStringLiteral("sales"), { QStringLiteral("reading_id") })))
                continue;
            const auto [count, examples] =
                countRows(QString::fromLatin1(rule.brokenRows).arg(SqlIdentifier::quote(m_schema)));
            if (count == 0)
                continue;
            const int shown = int(std::min<qint64>(count, std::numeric_limits<int>::max()));
            const QString object = QString::fromLatin1(rule.object);
            QString problem;
            QString why;
            if (object.endsWith(u"readings-go-down")) {
                problem = tr("%n meter reading(s) lower than the nozzle's reading before, e.g. "
                             "%1",
                             nullptr, shown);
                why = tr("a meter only counts up: the litres sold between two readings come out "
                         "negative, and every total over them is wrong");
            } else if (object.endsWith(u"reading-without-sale")) {
                problem = tr("%n reading(s) after a nozzle's first with no sale, e.g. %1", nullptr,
                             shown);
                why = tr("each reading after a nozzle's first records the sale of the litres "
                         "since the one before: without it, the day's sales are short");
            } else if (object.endsWith(u"creditor-over-limit")) {
                problem = tr("%n creditor(s) owe more than their credit limit: %1", nullptr, shown);
                why = tr("credit sales past the limit should have been refused; the station is "
                         "owed more than it agreed to lend");
            } else {
                problem = tr("%n fuel stock(s) below zero: %1", nullptr, shown);
                why = tr("a tank cannot hold less than nothing: a delivery or a measurement is "
                         "missing, or sales were recorded twice");
            }
            add(rule.severity, object, problem.arg(examples), why);
        }
    }

    DbConnection &m_connection;
    const QString &m_schema;
    const SchemaSnapshot &m_reference;
    SchemaValidator::Report &m_report;
    QSet<QString> m_columns;
};

} // namespace

void RowRuleCheck::run(DbConnection &connection, const QString &schema,
                       const SchemaSnapshot &reference, SchemaValidator::Report &report)
{
    Rules(connection, schema, reference, report).run();
}

} // namespace fuelsync
