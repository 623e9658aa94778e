#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "ReportText.h"
#include "migrationfiles/MigrationSet.h"
#include "seeds/SeedRunner.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace fuelsync::cli {

namespace SeedCommands {

int seed(CliContext &context)
{
    if (!context.args().has(QStringLiteral("set")))
        return context.fail(
            QCoreApplication::translate("fuelsync-db",
                                        "seed needs --set=basic, comprehensive or production"),
            2);
    SeedRunner::Options options;
    options.set = context.args().value(QStringLiteral("set"));
    options.runner = context.runner();
    for (const QString &param : context.args().values(QStringLiteral("param"))) {
        const qsizetype equals = param.indexOf(u'=');
        if (equals <= 0)
            return context.fail(
                QCoreApplication::translate("fuelsync-db",
                                            "--param takes NAME=VALUE, e.g. --param days=30"),
                2);
        options.params.append({ param.left(equals).trimmed(), param.mid(equals + 1).trimmed() });
    }
    if (!context.jobs(&options.jobs) || !context.environment(&options.environment)
        || !context.lockTimeoutMs(&options.lockTimeoutMs))
        return 2;
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    const bool json = context.args().has(QStringLiteral("json"));
    SeedRunner::Report report;
    {
        CliJob job(context, CliJob::Details::Verbose, json);
        report = SeedRunner::run(settings, set, options, job.control());
    }
    if (json) {
        context.out() << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
        return report.exitCode;
    }
    if (!report.error.isEmpty())
        return context.fail(report.error, report.exitCode);
    if (!report.environment.isEmpty())
        context.out()
            << QCoreApplication::translate("fuelsync-db", "Environment: %1").arg(report.environment)
            << Qt::endl;
    if (report.migration && report.migration->exitCode() != 0)
        ReportText::printRun(*report.migration, context.out(), context.err());
    int seeded = 0;
    for (const auto &tenant : report.tenants) {
        if (tenant.ok) {
            ++seeded;
            continue;
        }
        context.err() << "  " << tenant.schema << ": "
                      << (tenant.location.isEmpty() ? QString()
                                                    : tenant.location + QStringLiteral(": "))
                      << tenant.error << Qt::endl;
    }
    context.out() << QCoreApplication::translate("fuelsync-db", "Seed set '%1': public in %2")
                         .arg(report.seed, ReportText::seconds(report.publicMs));
    if (!report.tenants.isEmpty())
        context.out() << QCoreApplication::translate("fuelsync-db", ", %n tenants seeded", nullptr,
                                                     seeded);
    if (!report.createdSchemas.isEmpty())
        context.out() << QCoreApplication::translate(
            "fuelsync-db", " (%n new tenant schemas created and migrated)", nullptr,
            int(report.createdSchemas.size()));
    context.out() << QCoreApplication::translate("fuelsync-db", "; %1 in all.")
                         .arg(ReportText::seconds(report.durationMs))
                  << Qt::endl;
    return report.exitCode;
}

} // namespace SeedCommands

} // namespace fuelsync::cli
