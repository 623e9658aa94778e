// fuelsync-db validate: the front door of core's SchemaValidator.

#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "db/DbError.h"
#include "migrationfiles/MigrationSet.h"
#include "validate/SchemaValidator.h"

#include <QCoreApplication>
#include <QJsonDocument>
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

    QTextStream &out = context.out();
    out << QCoreApplication::translate("fuelsync-db", "Validated %1: %2")
               .arg(report.database, report.checks.join(QStringLiteral(", ")))
        << Qt::endl;
    for (const QString &line : std::as_const(report.summary))
        out << QStringLiteral("  ") << line << Qt::endl;
    for (const SchemaValidator::Report::Group &group : report.grouped()) {
        const ValidationFinding &f = group.finding;
        const QString where = group.schemas.size() == 1
            ? f.schema
            : QCoreApplication::translate("fuelsync-db", "%1 schemas (%2)")
                  .arg(group.schemas.size())
                  .arg(group.schemas.size() <= 5
                           ? group.schemas.join(QStringLiteral(", "))
                           : QStringList(group.schemas.mid(0, 5)).join(QStringLiteral(", "))
                               + QStringLiteral(", …"));
        out << Qt::endl
            << ValidationFinding::severityName(f.severity).toUpper() << QStringLiteral("  ")
            << f.check << QStringLiteral("  ") << where << QStringLiteral("  ") << f.object
            << Qt::endl
            << QStringLiteral("    ") << f.problem << Qt::endl
            << QStringLiteral("    ")
            << QCoreApplication::translate("fuelsync-db", "why: %1").arg(f.why) << Qt::endl;
        if (!f.fixSql.isEmpty() && group.schemas.size() == 1)
            out << QStringLiteral("    ")
                << QCoreApplication::translate("fuelsync-db", "fix: %1").arg(f.fixSql) << Qt::endl;
        else if (!f.fixSql.isEmpty())
            out << QStringLiteral("    ")
                << QCoreApplication::translate("fuelsync-db",
                                               "fix, for %1 (the same in each; "
                                               "--fix-script writes all): %2")
                       .arg(f.schema, f.fixSql)
                << Qt::endl;
    }
    for (const SchemaValidator::Report::NotCheckedGroup &group : report.notCheckedGrouped()) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db", "NOT CHECKED  %1  %2: %3")
                   .arg(group.schemas.join(QStringLiteral(", ")), group.check, group.reason)
            << Qt::endl;
    }
    // Counted first: lupdate does not get through a qualified call among translate()'s arguments.
    const int errors = report.count(ValidationFinding::Severity::Error);
    const int warnings = report.count(ValidationFinding::Severity::Warning);
    const int infos = report.count(ValidationFinding::Severity::Info);
    const int notChecked = int(report.notChecked.size());
    out << Qt::endl
        << QCoreApplication::translate("fuelsync-db", "%n error(s)", nullptr, errors)
        << QStringLiteral(", ")
        << QCoreApplication::translate("fuelsync-db", "%n warning(s)", nullptr, warnings)
        << QStringLiteral(", ")
        << QCoreApplication::translate("fuelsync-db", "%n info finding(s)", nullptr, infos);
    if (notChecked > 0)
        out << QStringLiteral(", ")
            << QCoreApplication::translate("fuelsync-db", "%n not checked", nullptr, notChecked);
    out << u'.' << Qt::endl;
    return report.exitCode();
}

} // namespace ValidateCommands

} // namespace fuelsync::cli
