#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "ReportText.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "environment/EnvironmentResolver.h"
#include "migrationfiles/MigrationSet.h"
#include "roles/LoginPrivileges.h"
#include "sandbox/Sandbox.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>

namespace fuelsync::cli {

namespace SandboxCommands {

int start(CliContext &context)
{
    Sandbox sandbox;
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    Sandbox::StartReport report;
    {
        CliJob job(context, CliJob::Details::Always);
        report = sandbox.start(set, context.runner(), job.control());
    }
    // Say what starting it changed: the migrations it applied, if any.
    if (report.migration)
        ReportText::printRun(*report.migration, context.out(), context.err());
    if (!report.ok)
        return context.fail(report.error, 1);
    context.out()
        << QCoreApplication::translate("fuelsync-db", "The sandbox is running (%1).")
               .arg(sandbox.directory())
        << Qt::endl
        << QCoreApplication::translate("fuelsync-db", "Connect with: %1").arg(sandbox.uri())
        << Qt::endl
        << QCoreApplication::translate(
               "fuelsync-db",
               "or pass --sandbox to fuelsync-db, e.g. 'fuelsync-db --sandbox migrate "
               "status'.")
        << Qt::endl;
    return 0;
}

int stop(CliContext &context)
{
    Sandbox sandbox;
    QString error;
    if (!sandbox.stop(&error))
        return context.fail(error, 1);
    context.out() << QCoreApplication::translate("fuelsync-db", "The sandbox is stopped.")
                  << Qt::endl;
    return 0;
}

int status(CliContext &context)
{
    Sandbox sandbox;
    if (!sandbox.exists()) {
        context.out() << QCoreApplication::translate(
                             "fuelsync-db",
                             "There is no sandbox yet (it would live in %1). Create it with "
                             "'fuelsync-db sandbox start'.")
                             .arg(sandbox.directory())
                      << Qt::endl;
        return 1;
    }
    if (!sandbox.isRunning()) {
        context.out() << QCoreApplication::translate("fuelsync-db", "The sandbox in %1 is stopped.")
                             .arg(sandbox.directory())
                      << Qt::endl;
        return 1;
    }
    context.out() << QCoreApplication::translate("fuelsync-db", "The sandbox in %1 is running.")
                         .arg(sandbox.directory())
                  << Qt::endl
                  << QCoreApplication::translate("fuelsync-db", "URI: %1").arg(sandbox.uri())
                  << Qt::endl;
    try {
        auto connection =
            DbConnection::open(sandbox.connectionSettings(), QStringLiteral("sandbox"));
        context.out() << QCoreApplication::translate("fuelsync-db", "Server: PostgreSQL %1")
                             .arg(connection->serverVersion())
                      << Qt::endl;
        context.out() << QCoreApplication::translate("fuelsync-db", "Size: %1")
                             .arg(QLocale().formattedDataSize(connection->databaseBytes(), 1,
                                                              QLocale::DataSizeTraditionalFormat))
                      << Qt::endl;
    } catch (const DbError &e) {
        context.err() << e.text() << Qt::endl;
    }
    return 0;
}

int destroy(CliContext &context)
{
    Sandbox sandbox;
    QString error;
    if (!sandbox.exists() && !QFileInfo::exists(sandbox.directory())) {
        context.out() << QCoreApplication::translate("fuelsync-db",
                                                     "There is no sandbox to destroy.")
                      << Qt::endl;
        return 0;
    }
    if (!context.args().has(QStringLiteral("yes"))) {
        if (!context.interactive())
            return context.fail(QCoreApplication::translate(
                                    "fuelsync-db",
                                    "destroying the sandbox deletes all its data: confirm with "
                                    "--yes"),
                                2);
        if (!context.ask(
                QCoreApplication::translate(
                    "fuelsync-db", "Delete the sandbox in %1 and all its data? Type 'yes':")
                    .arg(sandbox.directory()),
                QStringLiteral("yes")))
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "not confirmed; nothing was deleted"),
                1);
    }
    if (!sandbox.destroy(&error))
        return context.fail(error, 1);
    context.out() << QCoreApplication::translate("fuelsync-db", "The sandbox was deleted.")
                  << Qt::endl;
    return 0;
}

} // namespace SandboxCommands

namespace EnvCommands {

int show(CliContext &context)
{
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("env"));
        const auto declared = EnvironmentResolver::declared(*connection);
        context.out() << (declared
                              ? QCoreApplication::translate("fuelsync-db", "%1 declares itself %2.")
                                    .arg(connection->databaseName(),
                                         DeploymentEnvironments::name(*declared))
                              : QCoreApplication::translate(
                                    "fuelsync-db",
                                    "%1 declares no environment; commands treat it as "
                                    "development unless --env says otherwise.")
                                    .arg(connection->databaseName()))
                      << Qt::endl;
        // What this login may do here, as the server decides it.
        const LoginPrivileges login = LoginPrivileges::read(*connection);
        const LoginPrivileges::Access access =
            login.access(!context.readOnlyProfile().isEmpty(), context.readOnlyProfile());
        context.out() << (access.text.isEmpty()
                              ? QCoreApplication::translate("fuelsync-db",
                                                            "%1 may write (%n privilege(s)).",
                                                            nullptr, int(login.writes.size()))
                                    .arg(login.login)
                              : QStringLiteral("%1: %2").arg(login.login, access.text))
                      << Qt::endl;
        return 0;
    } catch (const RequestError &e) {
        return context.fail(e);
    } catch (const DbError &e) {
        return context.fail(e);
    }
}

int set(CliContext &context)
{
    const auto environment = DeploymentEnvironments::parse(context.args().word(2));
    if (!environment)
        return context.fail(QCoreApplication::translate(
                                "fuelsync-db", "env set takes development, staging or production"),
                            2);
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("env"));
        const QString database = connection->databaseName();
        // Core's rule: leaving production lifts its gates, so it is confirmed with the
        // database's name, or --yes in a script.
        const ChangeConfirmation asked = EnvironmentResolver::declareConfirmation(
            EnvironmentResolver::declared(*connection), *environment, database);
        if (asked.needed()) {
            // A session that cannot write is told so before anyone is asked to type a name
            // (with --yes, the server's own refusal says it).
            if (!context.args().has(QStringLiteral("yes"))
                && connection
                        ->scalar(QStringLiteral("SELECT current_setting('transaction_read_only')"))
                        .toString()
                    == u"on")
                return context.fail(QCoreApplication::translate(
                                        "fuelsync-db",
                                        "this session is read-only, so the server refuses to "
                                        "change the database's environment; nothing was "
                                        "changed"),
                                    1);
            if (!context.confirm(
                    asked,
                    QCoreApplication::translate(
                        "fuelsync-db",
                        "%1 declares itself production. Declaring it %2 lifts the production "
                        "gates: migrations run without approval or typed confirmation.")
                        .arg(database, DeploymentEnvironments::name(*environment))))
                return context.fail(
                    QCoreApplication::translate("fuelsync-db",
                                                "not confirmed; %1 still declares itself "
                                                "production")
                        .arg(database),
                    1);
        }
        EnvironmentResolver::declare(*connection, *environment);
        context.out() << QCoreApplication::translate("fuelsync-db",
                                                     "%1 now declares itself %2 (for new "
                                                     "sessions).")
                             .arg(database, DeploymentEnvironments::name(*environment))
                      << Qt::endl;
        return 0;
    } catch (const RequestError &e) {
        return context.fail(e);
    } catch (const DbError &e) {
        return context.fail(e);
    }
}

} // namespace EnvCommands

} // namespace fuelsync::cli
