#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "browse/SchemaTreeReader.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ExitStatus.h"
#include "query/QueryConsole.h"
#include "query/ResultText.h"
#include "query/TenantQuery.h"
#include "query/TenantSearch.h"
#include "sql/SqlScript.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fuelsync::cli {

namespace {

enum class Format { Table, Csv, Json };

QJsonArray jsonRows(const QList<ResultColumn> &columns, const QList<ResultRow> &rows)
{
    QJsonArray array;
    for (const auto &row : rows)
        array.append(QJsonDocument::fromJson(ResultText::jsonObject(columns, row)).object());
    return array;
}

QJsonArray jsonColumns(const QList<ResultColumn> &columns)
{
    QJsonArray array;
    for (const auto &column : columns)
        array.append(column.name);
    return array;
}

// One question to the tenants: rows with a leading tenant column, as each schema answers.
int askTenants(CliContext &context, DbConnection &session, const ConnectionSettings &settings,
               const QString &sql, Format format)
{
    const QStringList named = context.args().values(QStringLiteral("tenant"));
    QStringList schemas;
    QStringList known;
    for (const auto &entry : SchemaTreeReader::schemas(session)) {
        if (entry.kind == SchemaEntry::Kind::Tenant && entry.exists)
            known.append(entry.schema);
    }
    if (named.isEmpty()) {
        schemas = known;
    } else {
        for (const auto &schema : named) {
            if (!known.contains(schema))
                return context.fail(
                    QCoreApplication::translate("fuelsync-db", "%1 is not a tenant schema of %2")
                        .arg(schema, session.databaseName()),
                    ExitStatus::Usage);
            schemas.append(schema);
        }
    }
    if (schemas.isEmpty()) {
        context.err() << QCoreApplication::translate("fuelsync-db", "%1 has no tenants.")
                             .arg(session.databaseName())
                      << Qt::endl;
        return ExitStatus::Done;
    }
    TenantQuery::Options options;
    options.settings = settings.withApplicationName(context.runner() + QStringLiteral(" query"));
    options.schemas = schemas;
    options.jobs = 4;
    if (!context.jobs(&options.jobs))
        return ExitStatus::Usage;

    QList<ResultColumn> columns;
    QList<ResultRow> rows;
    bool headerWritten = false;
    const ResultColumn tenantColumn { QStringLiteral("tenant"), 25 };
    CliJob job(context, CliJob::Details::Verbose);
    const TenantQuery::Summary summary =
        TenantQuery::run(options, sql, job.control(), [&](const TenantQuery::Answer &answer) {
            if (columns.isEmpty())
                columns = QList<ResultColumn> { tenantColumn } + answer.columns;
            for (const auto &row : answer.rows) {
                ResultRow withTenant;
                withTenant.cells = QStringList { answer.schema } + row.cells;
                withTenant.nulls.resize(int(withTenant.cells.size()));
                for (int c = 0; c < row.nulls.size(); ++c)
                    withTenant.nulls.setBit(c + 1, row.nulls.testBit(c));
                if (format == Format::Csv) {
                    if (!headerWritten) {
                        context.out() << ResultText::csvHeader(columns);
                        headerWritten = true;
                    }
                    context.out() << ResultText::csvLine(withTenant);
                } else {
                    rows.append(std::move(withTenant));
                }
            }
            if (format == Format::Csv)
                context.out().flush();
        });
    job.finish();
    if (columns.isEmpty())
        columns = QList<ResultColumn> { tenantColumn } + summary.columns;
    std::stable_sort(rows.begin(), rows.end(), [](const ResultRow &a, const ResultRow &b) {
        return a.cells.first() < b.cells.first();
    });

    QJsonArray failures;
    for (const auto &failure : summary.failures) {
        failures.append(QJsonObject { { QStringLiteral("tenant"), failure.schema },
                                      { QStringLiteral("error"), failure.error },
                                      { QStringLiteral("sqlState"), failure.sqlState },
                                      { QStringLiteral("version"), failure.version } });
    }
    if (format == Format::Json) {
        context.out() << QJsonDocument(
                             QJsonObject { { QStringLiteral("columns"), jsonColumns(columns) },
                                           { QStringLiteral("rows"), jsonRows(columns, rows) },
                                           { QStringLiteral("answered"), summary.answered },
                                           { QStringLiteral("failures"), failures },
                                           { QStringLiteral("cancelled"), summary.cancelled } })
                             .toJson(QJsonDocument::Indented);
    } else if (format == Format::Table && summary.answered > 0) {
        context.out() << ResultText::aligned(columns, rows) << Qt::endl;
        context.out() << QCoreApplication::translate("fuelsync-db", "(%n rows", nullptr,
                                                     int(rows.size()))
                      << QCoreApplication::translate("fuelsync-db", " from %n tenants)", nullptr,
                                                     summary.answered)
                      << Qt::endl;
    } else if (!headerWritten) {
        context.out() << ResultText::csvHeader(columns);
    }
    for (const auto &failure : summary.failures) {
        context.err() << (failure.version.isEmpty()
                              ? QCoreApplication::translate("fuelsync-db", "%1: %2")
                                    .arg(failure.schema, failure.error)
                              : QCoreApplication::translate("fuelsync-db", "%1 (at %2): %3")
                                    .arg(failure.schema, failure.version, failure.error))
                      << Qt::endl;
    }
    if (summary.cancelled)
        return context.fail(QCoreApplication::translate("fuelsync-db", "cancelled"),
                            ExitStatus::Cancelled);
    if (!summary.failures.isEmpty()) {
        context.err() << QCoreApplication::translate("fuelsync-db", "%n tenants could not answer; ",
                                                     nullptr, int(summary.failures.size()))
                      << QCoreApplication::translate("fuelsync-db", "%n answered.", nullptr,
                                                     summary.answered)
                      << Qt::endl;
        return ExitStatus::Failed;
    }
    return ExitStatus::Done;
}

// Statements in one read-only transaction, each result printed whole.
int askDatabase(CliContext &context, DbConnection &session, const QString &sql, Format format)
{
    const SqlScript script = SqlScript::parse(sql);
    if (!script.isValid())
        return context.fail(script.problems().first().message, ExitStatus::Usage);
    QueryConsole console(session, { QueryConsole::Mode::ReadOnly, {}, 1000, 100'000, 100'000 });
    QJsonArray results;
    for (const auto &statement : script.statements()) {
        StatementOutcome outcome = console.run(statement.text);
        QList<ResultRow> rows = outcome.result.rows;
        qint64 read = rows.size();
        bool wroteHeader = false;
        const auto flush = [&](const QList<ResultRow> &page) {
            if (format != Format::Csv)
                return;
            if (!wroteHeader)
                context.out() << ResultText::csvHeader(outcome.result.columns);
            wroteHeader = true;
            for (const auto &row : page)
                context.out() << ResultText::csvLine(row);
        };
        if (format == Format::Csv) {
            flush(rows);
            rows.clear();
        }
        while (!outcome.cursor.isEmpty()) {
            const QList<ResultRow> page = console.fetch(outcome.cursor, read, 1000);
            read += page.size();
            if (format == Format::Csv)
                flush(page);
            else
                rows += page;
            if (page.size() < 1000)
                break;
        }
        for (const auto &notice : std::as_const(outcome.notices))
            context.err() << notice << Qt::endl;
        if (outcome.result.kind != StatementResult::Kind::Rows) {
            if (format == Format::Json)
                results.append(
                    QJsonObject { { QStringLiteral("statement"), statement.text },
                                  { QStringLiteral("tag"), outcome.result.commandTag } });
            else
                context.err() << outcome.result.commandTag << Qt::endl;
            continue;
        }
        if (format == Format::Json) {
            results.append(
                QJsonObject { { QStringLiteral("statement"), statement.text },
                              { QStringLiteral("columns"), jsonColumns(outcome.result.columns) },
                              { QStringLiteral("rows"), jsonRows(outcome.result.columns, rows) } });
        } else if (format == Format::Table) {
            context.out() << ResultText::aligned(outcome.result.columns, rows) << Qt::endl
                          << QCoreApplication::translate("fuelsync-db", "(%n rows)", nullptr,
                                                         int(read))
                          << Qt::endl;
        } else if (!wroteHeader) {
            context.out() << ResultText::csvHeader(outcome.result.columns);
        }
        if (outcome.result.rowsLeftOut > 0) {
            const int more = int(qMin(outcome.result.rowsLeftOut, qint64(INT_MAX)));
            context.err() << QCoreApplication::translate("fuelsync-db",
                                                         "(%n more rows not shown)", nullptr, more)
                          << Qt::endl;
        }
    }
    if (format == Format::Json)
        context.out() << QJsonDocument(results).toJson(QJsonDocument::Indented);
    return ExitStatus::Done;
}

} // namespace

namespace QueryCommands {

int query(CliContext &context)
{
    QString sql = context.args().word(1);
    if (sql.isEmpty() || sql == u"-") {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return context.fail(QCoreApplication::translate("fuelsync-db", "cannot read stdin"),
                                ExitStatus::Usage);
        sql = QString::fromUtf8(in.readAll());
    }
    if (SqlScript::parse(sql).statements().isEmpty())
        return context.fail(QCoreApplication::translate(
                                "fuelsync-db", "no statement given (as an argument, or on stdin)"),
                            ExitStatus::Usage);
    Format format = Format::Table;
    if (context.args().has(QStringLiteral("format"))) {
        const QString name = context.args().value(QStringLiteral("format"));
        if (name == u"csv")
            format = Format::Csv;
        else if (name == u"json")
            format = Format::Json;
        else if (name != u"table")
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "--format is table, csv or json"),
                ExitStatus::Usage);
    }
    const bool tenants = context.args().has(QStringLiteral("all-tenants"))
        || context.args().has(QStringLiteral("tenant"));
    if (context.args().has(QStringLiteral("all-tenants"))
        && context.args().has(QStringLiteral("tenant")))
        return context.fail(QCoreApplication::translate(
                                "fuelsync-db", "--all-tenants and --tenant do not go together"),
                            ExitStatus::Usage);
    return context.withSession(QStringLiteral("query"), ExitStatus::Failed,
                               [&](DbConnection &session, const ConnectionSettings &settings) {
                                   return tenants
                                       ? askTenants(context, session, settings, sql, format)
                                       : askDatabase(context, session, sql, format);
                               });
}

int search(CliContext &context)
{
    const QString text = context.args().word(1);
    if (text.trimmed().isEmpty())
        return context.fail(QCoreApplication::translate("fuelsync-db", "search for what?"),
                            ExitStatus::Usage);
    return context.withSession(
        QStringLiteral("search"), ExitStatus::Failed,
        [&](DbConnection &session, const ConnectionSettings &) {
            const TenantSearch::Plan plan = TenantSearch::plan(session);
            const QList<SearchHit> hits = TenantSearch::search(session, plan, text);
            if (context.args().has(QStringLiteral("json"))) {
                QJsonArray array;
                for (const auto &hit : hits) {
                    array.append(
                        QJsonObject { { QStringLiteral("kind"), SearchHit::kindName(hit.kind) },
                                      { QStringLiteral("tenant"), hit.schema },
                                      { QStringLiteral("tenantName"), hit.tenantName },
                                      { QStringLiteral("table"), hit.table },
                                      { QStringLiteral("id"), hit.key },
                                      { QStringLiteral("stationId"), hit.stationId },
                                      { QStringLiteral("stationName"), hit.stationName },
                                      { QStringLiteral("label"), hit.label },
                                      { QStringLiteral("detail"), hit.detail } });
                }
                context.out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
                return ExitStatus::Done;
            }
            if (hits.isEmpty()) {
                context.out() << QCoreApplication::translate("fuelsync-db", "No match.")
                              << Qt::endl;
                return ExitStatus::Done;
            }
            std::optional<SearchHit::Kind> group;
            for (const auto &hit : hits) {
                if (group != hit.kind) {
                    context.out() << SearchHit::kindName(hit.kind) << Qt::endl;
                    group = hit.kind;
                }
                context.out() << "  " << hit.label;
                if (!hit.detail.isEmpty())
                    context.out() << " (" << hit.detail << ')';
                if (!hit.stationName.isEmpty())
                    context.out() << QCoreApplication::translate("fuelsync-db", " at %1")
                                         .arg(hit.stationName);
                if (hit.kind != SearchHit::Kind::Tenant)
                    context.out() << "  " << hit.schema << '.' << hit.table << ' ' << hit.key;
                context.out() << Qt::endl;
            }
            return ExitStatus::Done;
        });
}

} // namespace QueryCommands
} // namespace fuelsync::cli
