// fuelsync-db validate: the front door of core's SchemaValidator.

#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "ReportText.h"
#include "backup/BackupLocation.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "migrationfiles/MigrationSet.h"
#include "validate/SchemaValidator.h"
#include "validate/ValidationHistory.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace fuelsync::cli {

namespace ValidateCommands {

int validate(CliContext &context)
{
    SchemaValidator::Options options;
    options.tenants = context.args().values(QStringLiteral("tenant"));
    options.checks = context.args().values(QStringLiteral("check"));
    if (context.args().has(QStringLiteral("max-seconds"))) {
        bool ok = false;
        options.maxSeconds = context.args().value(QStringLiteral("max-seconds")).toInt(&ok);
        if (!ok || options.maxSeconds < 1)
            return context.fail(QCoreApplication::translate("fuelsync-db",
                                                            "--max-seconds takes a whole number of "
                                                            "seconds, 1 or more"),
                                2);
    }
    if (!context.jobs(&options.jobs))
        return 2;
    options.historyRoot = ValidationHistory::root();
    options.runner = context.runner();
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    const bool json = context.args().has(QStringLiteral("json"));
    SchemaValidator::Report report;
    {
        CliJob job(context, CliJob::Details::Verbose, json);
        try {
            report = SchemaValidator::run(settings, set, options, job.control());
        } catch (const RequestError &e) {
            job.finish();
            return context.fail(e, job.isCancelled());
        } catch (const DbError &e) {
            job.finish();
            return context.fail(e, job.isCancelled());
        }
    }

    if (context.args().has(QStringLiteral("fix-script"))) {
        QSaveFile file(context.args().value(QStringLiteral("fix-script")));
        if (!file.open(QIODevice::WriteOnly) || file.write(report.fixScript().toUtf8()) < 0
            || !file.commit()) {
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "cannot write the fix script %1: %2")
                    .arg(file.fileName(), file.errorString()),
                1);
        }
    }
    if (json) {
        context.out() << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
        return report.exitCode();
    }

    ReportText::printValidation(report, context.out());
    return report.exitCode();
}

int history(CliContext &context)
{
    int limit = 20;
    if (context.args().has(QStringLiteral("limit"))) {
        bool ok = false;
        limit = context.args().value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1)
            return context.fail(QCoreApplication::translate("fuelsync-db",
                                                            "--limit takes a whole number, 1 or "
                                                            "more"),
                                2);
    }
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    QString folder;
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("validate history"));
        const BackupLocation::Identity identity = BackupLocation::identify(*connection);
        folder = ValidationHistory::folderFor(ValidationHistory::root(), identity.database,
                                              identity.systemIdentifier, identity.place);
    } catch (const DbError &e) {
        return context.fail(e, false);
    }
    const QList<ValidationHistory::Entry> entries = ValidationHistory(folder).recent(limit);
    if (context.args().has(QStringLiteral("json"))) {
        QJsonArray runs;
        for (const ValidationHistory::Entry &e : entries)
            runs.append(e.toJson());
        context.out() << QJsonDocument(QJsonObject { { QStringLiteral("folder"), folder },
                                                     { QStringLiteral("runs"), runs } })
                             .toJson(QJsonDocument::Indented);
        return 0;
    }
    QTextStream &out = context.out();
    if (entries.isEmpty()) {
        out << QCoreApplication::translate("fuelsync-db",
                                           "No validation of this database is on record (%1).")
                   .arg(folder)
            << Qt::endl;
        return 0;
    }
    out << QCoreApplication::translate("fuelsync-db", "Validations of this database (%1):")
               .arg(folder)
        << Qt::endl;
    for (const ValidationHistory::Entry &e : entries) {
        const QString when = e.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        const qint64 seconds = e.startedAt.secsTo(e.finishedAt);
        QString outcome;
        if (!e.error.isEmpty()) {
            outcome = QCoreApplication::translate("fuelsync-db", "FAILED: %1").arg(e.error);
        } else {
            outcome = QCoreApplication::translate("fuelsync-db", "%n error(s)", nullptr, e.errors)
                + QStringLiteral(", ")
                + QCoreApplication::translate("fuelsync-db", "%n warning(s)", nullptr, e.warnings);
            if (e.notChecked > 0)
                outcome += QStringLiteral(", ")
                    + QCoreApplication::translate("fuelsync-db", "%n not checked", nullptr,
                                                  e.notChecked);
        }
        out << QStringLiteral("  ") << when << QStringLiteral("  ")
            << QCoreApplication::translate("fuelsync-db", "%1 s").arg(seconds)
            << QStringLiteral("  ") << e.checks.join(u',') << QStringLiteral("  ") << outcome
            << Qt::endl
            << QStringLiteral("      ")
            << QCoreApplication::translate("fuelsync-db", "by %1, %n tenant(s)", nullptr,
                                           e.tenantsChecked)
                   .arg(e.runner);
        if (!e.drifted.isEmpty())
            out << QStringLiteral("; ")
                << QCoreApplication::translate("fuelsync-db", "drifted: %1")
                       .arg(QStringList(e.drifted.mid(0, 10)).join(QStringLiteral(", "))
                            + (e.drifted.size() > 10 ? QStringLiteral(", …") : QString()));
        out << Qt::endl;
    }
    return 0;
}

} // namespace ValidateCommands

} // namespace fuelsync::cli
