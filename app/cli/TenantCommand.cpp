#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "ReportText.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ExitStatus.h"
#include "environment/EnvironmentResolver.h"
#include "migrationfiles/MigrationSet.h"
#include "tenants/TenantProvisioner.h"
#include "tenants/TenantRegistry.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace fuelsync::cli {

namespace TenantCommands {

int create(CliContext &context)
{
    const QString schema = context.args().word(2);
    if (schema.isEmpty())
        return context.fail(
            QCoreApplication::translate("fuelsync-db",
                                        "tenant create needs the schema name: tenant create SCHEMA "
                                        "[--name=TEXT] [--version=V]"),
            2);
    TenantProvisioner::Options options;
    options.schema = schema;
    options.name = context.args().value(QStringLiteral("name"));
    options.migrate = !context.args().has(QStringLiteral("no-migrate"));
    options.runner = context.runner();
    if (context.args().has(QStringLiteral("version"))) {
        if (!options.migrate)
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "--version and --no-migrate contradict"),
                2);
        options.target = MigrationVersion::parse(context.args().value(QStringLiteral("version")));
        if (!options.target)
            return context.fail(
                QCoreApplication::translate("fuelsync-db",
                                            "--version takes a migration version such as 003"),
                2);
    }
    if (!context.environment(&options.environment)
        || !context.lockTimeoutMs(&options.lockTimeoutMs))
        return 2;
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    // Asked when core says the creation must be confirmed (on production, like a migration).
    options.confirm = [&](const ChangeConfirmation &asked, const QString &versionChoice,
                          const EnvironmentResolver::Resolved &environment) {
        const QString database = asked.answer;
        const QString about = versionChoice.isEmpty()
            ? QCoreApplication::translate("fuelsync-db",
                                          "About to create tenant %1 in %2 (%3), without "
                                          "migrating it.")
                  .arg(schema, database, environment.describe())
            : QCoreApplication::translate("fuelsync-db",
                                          "About to create tenant %1 in %2 (%3) and migrate it "
                                          "to %4.")
                  .arg(schema, database, environment.describe(), versionChoice);
        return context.confirm(asked, about);
    };
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    TenantProvisioner::Report report;
    {
        CliJob job(context, CliJob::Details::Verbose);
        report = TenantProvisioner::create(settings, set, options, job.control());
    }
    if (report.migration && report.exitCode != 0)
        ReportText::printRun(*report.migration, context.out(), context.err());
    if (report.exitCode != 0)
        return context.fail(report.error, report.exitCode);
    context.out() << QCoreApplication::translate("fuelsync-db", "Created tenant %1").arg(schema);
    if (report.migration && !report.migration->versions.isEmpty())
        context.out() << QCoreApplication::translate("fuelsync-db", " and applied %1")
                             .arg(report.migration->versions.join(QStringLiteral(", ")));
    context.out() << '.' << Qt::endl;
    if (!report.versionChoice.isEmpty())
        context.out()
            << QCoreApplication::translate("fuelsync-db", "It is at %1.").arg(report.versionChoice)
            << Qt::endl;
    return 0;
}

int list(CliContext &context)
{
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("tenant-list"));
        const auto tenants = TenantRegistry::list(*connection, set);
        if (context.args().has(QStringLiteral("json"))) {
            context.out()
                << QJsonDocument(TenantRegistry::toJson(tenants)).toJson(QJsonDocument::Indented);
            return 0;
        }
        auto cell = [](const QString &text, int width) {
            const QString fitted =
                text.size() < width ? text : text.left(width - 2) + QChar(0x2026);
            return fitted.leftJustified(width, u' ');
        };
        context.out() << cell(QCoreApplication::translate("fuelsync-db", "SCHEMA"), 28)
                      << cell(QCoreApplication::translate("fuelsync-db", "NAME"), 32)
                      << cell(QCoreApplication::translate("fuelsync-db", "VERSION"), 9)
                      << QCoreApplication::translate("fuelsync-db", "PENDING") << Qt::endl;
        for (const auto &tenant : tenants) {
            context.out() << cell(tenant.schema, 28) << cell(tenant.name, 32)
                          << cell(tenant.version.isEmpty()
                                      ? QCoreApplication::translate("fuelsync-db", "none")
                                      : tenant.version,
                                  9)
                          << (tenant.problem.isEmpty() ? QString::number(tenant.pending)
                                                       : tenant.problem)
                          << Qt::endl;
        }
        context.out() << QCoreApplication::translate("fuelsync-db", "%n tenants.", nullptr,
                                                     int(tenants.size()))
                      << Qt::endl;
        return 0;
    } catch (const RequestError &e) {
        return context.fail(e.message(), ExitStatus::Usage);
    } catch (const DbError &e) {
        return context.fail(e);
    }
}

} // namespace TenantCommands

} // namespace fuelsync::cli
