#include "TenantQuery.h"

#include "audit/AuditLog.h"
#include "browse/SchemaTreeReader.h"
#include "common/JobControl.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"
#include "sql/SqlScript.h"
#include "tenancy/TenantFanOut.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>

#include <mutex>

namespace fuelsync {
namespace {

QString describeColumns(const QList<ResultColumn> &columns)
{
    QStringList names;
    for (const ResultColumn &column : columns)
        names.append(column.name);
    return names.join(QStringLiteral(", "));
}

bool sameColumns(const QList<ResultColumn> &a, const QList<ResultColumn> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).name != b.at(i).name || a.at(i).typeOid != b.at(i).typeOid)
            return false;
    }
    return true;
}

} // namespace

TenantQuery::Summary TenantQuery::run(const Options &options, const QString &statement,
                                      JobControl &control, const Sink &sink)
{
    const SqlScript script = SqlScript::parse(statement);
    if (script.statements().size() != 1) {
        throw RequestError(QCoreApplication::translate(
            "TenantQuery", "a question to every tenant is one statement; this text holds %n",
            nullptr, int(script.statements().size())));
    }
    const QString text = script.statements().first().text;
    for (const QString &schema : options.schemas) {
        if (schema.isEmpty() || schema.size() > 63 || schema.contains(QChar(0)))
            throw RequestError(
                QCoreApplication::translate("TenantQuery", "not a schema name: %1").arg(schema));
    }

    Summary summary;
    std::mutex mutex;
    bool haveColumns = false;
    control.setStep(QCoreApplication::translate("TenantQuery", "asking %n tenants", nullptr,
                                                int(options.schemas.size())),
                    options.schemas.size());

    TenantFanOut fanOut(
        { options.settings, QStringLiteral("query"), std::max(1, options.jobs), 200 });
    const auto hook = control.onCancel([&fanOut] { fanOut.cancel(); });
    const auto finish = [&](const QString &schema, const QString &error, const QString &state) {
        std::lock_guard lock(mutex);
        if (!error.isEmpty())
            summary.failures.append({ schema, error, state, {} });
        control.itemDone(!error.isEmpty(), error.isEmpty() ? schema : schema + u": " + error);
    };
    fanOut.run(
        int(options.schemas.size()), [&](DbConnection *c, int item, const QString &connectError) {
            const QString &schema = options.schemas.at(item);
            if (!c) {
                finish(schema, connectError, {});
                return;
            }
            if (control.isCancelled())
                return;
            try {
                QElapsedTimer timer;
                timer.start();
                // The schema's name is quoted (it may hold any character); the transaction takes
                // its snapshot before the statement, so the statement cannot make it read-write.
                c->runFixed(
                    QStringLiteral("BEGIN TRANSACTION READ ONLY; SET LOCAL search_path = %1, "
                                   "public; SELECT 1")
                        .arg(SqlIdentifier::quote(schema)));
                Answer answer;
                answer.schema = schema;
                try {
                    StatementResult result =
                        c->runAlone(text, options.maxRowsPerSchema, options.cellLimit);
                    answer.columns = std::move(result.columns);
                    answer.rows = std::move(result.rows);
                    answer.rowsLeftOut = result.rowsLeftOut;
                } catch (const DbError &error) {
                    if (c->isUsable())
                        c->runFixed(QStringLiteral("ROLLBACK; SELECT pg_advisory_unlock_all()"));
                    if (control.isCancelled())
                        return;
                    finish(schema, error.message(), error.sqlState());
                    return;
                }
                // Whatever the statement did ends here: the transaction is rolled back and an
                // advisory lock it took (which would outlive it) is let go.
                c->runFixed(QStringLiteral("ROLLBACK; SELECT pg_advisory_unlock_all()"));
                answer.elapsedMs = timer.elapsed();
                {
                    std::lock_guard lock(mutex);
                    if (!haveColumns) {
                        summary.columns = answer.columns;
                        haveColumns = true;
                    } else if (!sameColumns(summary.columns, answer.columns)) {
                        summary.failures.append(
                            { schema,
                              QCoreApplication::translate(
                                  "TenantQuery",
                                  "gives other columns (%1) than the first tenant (%2)")
                                  .arg(describeColumns(answer.columns),
                                       describeColumns(summary.columns)),
                              {},
                              {} });
                        control.itemDone(true, schema);
                        return;
                    }
                    ++summary.answered;
                    summary.rows += answer.rows.size();
                    if (sink)
                        sink(answer);
                }
                control.itemDone(false, schema);
            } catch (const std::exception &error) {
                finish(schema, QString::fromUtf8(error.what()).section(u'\n', 0, 0), {});
            }
        });
    summary.cancelled = control.isCancelled() || fanOut.isCancelled();

    // Refused by the server (a write, a missing privilege): on record, once for the run.
    QStringList refusedIn;
    QString refusal;
    for (const Failure &failure : std::as_const(summary.failures)) {
        if (failure.sqlState == u"25006" || failure.sqlState == u"42501") {
            refusedIn.append(failure.schema);
            if (refusal.isEmpty())
                refusal = failure.error;
        }
    }
    if (!refusedIn.isEmpty()) {
        AuditEntry entry;
        entry.kind = QString::fromLatin1(AuditEntry::query);
        entry.outcome = AuditEntry::Outcome::Refused;
        entry.what = { { QStringLiteral("statement"), text.left(2000) },
                       { QStringLiteral("console"), QStringLiteral("every tenant") },
                       { QStringLiteral("schemas"),
                         QJsonArray::fromStringList(refusedIn.mid(0, 50)) },
                       { QStringLiteral("refusedIn"), int(refusedIn.size()) } };
        entry.error = refusal;
        AuditLog::recordAlone(options.settings, entry);
    }

    // A missing column or table is most often a tenant behind in version: say which it is at.
    QStringList behind;
    for (const Failure &failure : std::as_const(summary.failures)) {
        if (failure.sqlState == u"42703" || failure.sqlState == u"42P01")
            behind.append(failure.schema);
    }
    if (!behind.isEmpty()) {
        try {
            auto c = DbConnection::open(options.settings, QStringLiteral("query"));
            const QHash<QString, QString> versions = SchemaTreeReader::highestVersions(*c, behind);
            for (Failure &failure : summary.failures)
                failure.version = versions.value(failure.schema);
        } catch (const std::exception &) {
            // The versions only explain; the failures stand without them.
        }
    }
    std::sort(summary.failures.begin(), summary.failures.end(),
              [](const Failure &a, const Failure &b) { return a.schema < b.schema; });
    return summary;
}

} // namespace fuelsync
