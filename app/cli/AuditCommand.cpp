#include "CliContext.h"
#include "Commands.h"
#include "audit/AuditLog.h"
#include "db/DbConnection.h"
#include "db/ExitStatus.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fuelsync::cli {

namespace AuditCommands {

int audit(CliContext &context)
{
    AuditLog::Filter filter;
    filter.limit = 100;
    if (context.args().has(QStringLiteral("since"))) {
        const QString text = context.args().value(QStringLiteral("since"));
        filter.since = QDateTime::fromString(text, Qt::ISODate);
        if (!filter.since.isValid()) {
            const QDate day = QDate::fromString(text, Qt::ISODate);
            if (day.isValid())
                filter.since = day.startOfDay();
        }
        if (!filter.since.isValid())
            return context.fail(QCoreApplication::translate(
                                    "fuelsync-db",
                                    "--since takes a date such as 2026-12-01, or an ISO date and "
                                    "time"),
                                ExitStatus::Usage);
    }
    if (context.args().has(QStringLiteral("kind")))
        filter.kind = context.args().value(QStringLiteral("kind"));
    if (context.args().has(QStringLiteral("limit"))) {
        bool ok = false;
        filter.limit = context.args().value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || filter.limit < 1)
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "--limit takes a number from 1"),
                ExitStatus::Usage);
    }
    return context.withSession(
        QStringLiteral("audit"), ExitStatus::Failed,
        [&](DbConnection &session, const ConnectionSettings &) {
            const QList<AuditEntry> entries = AuditLog::read(session, filter);
            if (context.args().has(QStringLiteral("json"))) {
                QJsonArray array;
                for (const AuditEntry &e : entries) {
                    array.append(QJsonObject {
                        { QStringLiteral("id"), e.id },
                        { QStringLiteral("at"), e.at.toUTC().toString(Qt::ISODateWithMs) },
                        { QStringLiteral("kind"), e.kind },
                        { QStringLiteral("outcome"), AuditEntry::outcomeName(e.outcome) },
                        { QStringLiteral("databaseRole"), e.databaseRole },
                        { QStringLiteral("osUser"), e.osUser },
                        { QStringLiteral("host"), e.host },
                        { QStringLiteral("program"), e.program },
                        { QStringLiteral("what"), e.what },
                        { QStringLiteral("error"), e.error },
                        { QStringLiteral("durationMs"), e.durationMs } });
                }
                context.out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
                return ExitStatus::Done;
            }
            if (!AuditLog::exists(session)) {
                context.out() << QCoreApplication::translate(
                                     "fuelsync-db",
                                     "%1 keeps no audit yet (public.fuelsync_audit is made by the "
                                     "first action that writes, or by 'roles setup').")
                                     .arg(session.databaseName())
                              << Qt::endl;
                return ExitStatus::Done;
            }
            for (const AuditEntry &e : entries) {
                context.out() << e.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                              << "  " << e.kind.leftJustified(16) << "  "
                              << AuditEntry::outcomeName(e.outcome).toUpper().leftJustified(9)
                              << "  " << e.databaseRole;
                if (!e.osUser.isEmpty())
                    context.out() << " (" << e.osUser << '@' << e.host << ')';
                if (e.durationMs >= 0)
                    context.out() << "  " << QString::number(double(e.durationMs) / 1000.0, 'f', 1)
                                  << " s";
                context.out() << Qt::endl;
                const QString summary = e.summary();
                if (!summary.isEmpty())
                    context.out() << "    " << summary << Qt::endl;
                if (!e.error.isEmpty())
                    context.out() << "    "
                                  << QString(e.error).replace(u'\n', QStringLiteral("\n    "))
                                  << Qt::endl;
            }
            context.out() << QCoreApplication::translate("fuelsync-db", "%n entries.", nullptr,
                                                         int(entries.size()))
                          << Qt::endl;
            return ExitStatus::Done;
        });
}

} // namespace AuditCommands

} // namespace fuelsync::cli
