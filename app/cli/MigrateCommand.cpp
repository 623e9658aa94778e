#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "ReportText.h"
#include "approve/ApprovalPolicy.h"
#include "approve/ApprovalStore.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "environment/EnvironmentResolver.h"
#include "lint/MigrationLinter.h"
#include "migrate/MigrationPreview.h"
#include "migrate/MigrationRunner.h"
#include "migrate/MigrationScaffold.h"
#include "migrate/MigrationStatus.h"
#include "migrationfiles/MigrationSet.h"
#include "validate/MigrationValidation.h"
#include "validate/ValidationHistory.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <functional>

namespace fuelsync::cli {

namespace {

bool parseVersion(CliContext &context, std::optional<MigrationVersion> *target)
{
    if (!context.args().has(QStringLiteral("version")))
        return true;
    const QString text = context.args().value(QStringLiteral("version"));
    *target = MigrationVersion::parse(text);
    if (!*target) {
        context.fail(QCoreApplication::translate("fuelsync-db",
                                                 "--version takes a migration version such as 003"),
                     2);
        return false;
    }
    return true;
}

// CliContext::withSession for `migrate COMMAND`.
int withSession(CliContext &context, const QString &command, int requestExit,
                const std::function<int(DbConnection &, const ConnectionSettings &)> &work)
{
    return context.withSession(QStringLiteral("migrate ") + command, requestExit, work);
}

// A rollback, and anything on a production database, is confirmed: at a terminal by typing, in
// a script by --yes. Without either, nothing runs. What a rollback destroys is printed first in
// every case, --yes or not.
bool confirmRun(CliContext &context, const MigrationPlan &plan,
                const EnvironmentResolver::Resolved &environment, const QString &database,
                const QStringList &dataLoss)
{
    const bool down = plan.direction() == MigrationPlan::Direction::Down;
    const bool dryRun = context.args().has(QStringLiteral("dry-run"));
    QTextStream &err = context.err();
    const QString about =
        (down ? QCoreApplication::translate("fuelsync-db",
                                            "About to ROLL BACK %1 in %n schemas of %2 (%3).",
                                            nullptr, plan.schemaCount())
              : QCoreApplication::translate("fuelsync-db",
                                            "About to apply %1 in %n schemas of %2 (%3).", nullptr,
                                            plan.schemaCount()))
            .arg(plan.versions().join(QStringLiteral(", ")), database, environment.describe());
    if (down) {
        err << (dryRun ? QCoreApplication::translate("fuelsync-db",
                                                     "Dry run of a rollback (nothing is changed):")
                       : about)
            << Qt::endl;
        if (dataLoss.isEmpty()) {
            err << QCoreApplication::translate("fuelsync-db",
                                               "The recorded rollback SQL drops no table, column "
                                               "or schema and deletes no rows.")
                << Qt::endl;
        } else {
            err << (dryRun ? QCoreApplication::translate("fuelsync-db",
                                                         "A real run would destroy, for good:")
                           : QCoreApplication::translate(
                               "fuelsync-db", "This destroys, for good (take a backup first):"))
                << Qt::endl;
            for (const QString &loss : dataLoss)
                err << "  " << loss << Qt::endl;
        }
    }
    // Core's rule, the same as the window's: what needs confirming, and with what.
    return context.confirm(plan.confirmation(environment.environment, dryRun, database),
                           down ? QString() : about);
}

int runUpOrDown(CliContext &context, MigrationPlan::Direction direction)
{

    MigrationRunOptions options;
    options.direction = direction;
    options.tenants = context.args().values(QStringLiteral("tenant"));
    options.dryRun = context.args().has(QStringLiteral("dry-run"));
    options.runner = context.runner();
    if (!parseVersion(context, &options.target) || !context.jobs(&options.jobs)
        || !context.lockTimeoutMs(&options.lockTimeoutMs)
        || !context.environment(&options.environment))
        return 2;
    return runMigration(context, options);
}

} // namespace

int runMigration(CliContext &context, MigrationRunOptions options)
{
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode))
        return exitCode;
    const QString database =
        settings.database().isEmpty() ? settings.displayName() : settings.database();
    options.confirm = [&context, database](const MigrationPlan &plan,
                                           const EnvironmentResolver::Resolved &environment,
                                           const QStringList &dataLoss) {
        return confirmRun(context, plan, environment, database, dataLoss);
    };

    // --validate: the schemas the run touches, before (a drifted one refuses the run) and after.
    std::unique_ptr<MigrationValidation> validation;
    if (context.args().has(QStringLiteral("validate"))) {
        SchemaValidator::Options base;
        base.historyRoot = ValidationHistory::root();
        base.runner = options.runner;
        validation = std::make_unique<MigrationValidation>(
            settings, set, base, context.args().has(QStringLiteral("allow-drift")));
        options.gate = validation->gate();
    } else if (context.args().has(QStringLiteral("allow-drift"))) {
        return context.fail(
            QCoreApplication::translate("fuelsync-db", "--allow-drift goes with --validate"), 2);
    }

    const bool json = context.args().has(QStringLiteral("json"));
    MigrationRunReport report;
    {
        CliJob job(context, CliJob::Details::Verbose, json);
        report = MigrationRunner(settings, set, options).run(job.control());
    }
    if (json)
        context.out() << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
    else
        ReportText::printRun(report, context.out(), context.err());
    for (const MigrationProblem &refusal : report.refusals)
        context.explainReadOnly(refusal.message);
    int result = report.exitCode();
    if (validation && !options.dryRun && !validation->touched().isEmpty()
        && (report.result == MigrationRunReport::Result::Succeeded
            || report.result == MigrationRunReport::Result::Failed)) {
        SchemaValidator::Report after;
        {
            CliJob job(context, CliJob::Details::Verbose, json);
            try {
                after = validation->after(job.control());
            } catch (const RequestError &e) {
                job.finish();
                return std::max(result, context.fail(e, job.isCancelled()));
            } catch (const DbError &e) {
                job.finish();
                return std::max(result, context.fail(e, job.isCancelled()));
            }
        }
        if (!json)
            ReportText::printValidationAfter(after, context.out());
        result = std::max(result, after.exitCode());
    }
    return result;
}

namespace MigrateCommands {

int status(CliContext &context)
{
    std::optional<DeploymentEnvironment> requested;
    if (!context.environment(&requested))
        return 2;
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    return withSession(
        context, QStringLiteral("status"), 2,
        [&](DbConnection &connection, const ConnectionSettings &settings) {
            const auto environment = EnvironmentResolver::resolve(connection, requested);
            MigrationStatus status = MigrationStatus::read(
                connection, set, context.args().values(QStringLiteral("tenant")),
                environment.environment);
            status.database = settings.displayName();
            status.environment = environment.describe();
            if (context.args().has(QStringLiteral("json")))
                context.out() << QJsonDocument(status.toJson()).toJson(QJsonDocument::Indented);
            else
                ReportText::printStatus(status, context.out());
            return status.upWouldRefuse() ? 1 : 0;
        });
}

int create(CliContext &context)
{
    if (!context.args().has(QStringLiteral("name")))
        return context.fail(
            QCoreApplication::translate(
                "fuelsync-db", "migrate create needs --name=NAME, e.g. --name=add_opening_date"),
            2);
    MigrationScope scope = MigrationScope::Tenant;
    if (context.args().has(QStringLiteral("scope"))) {
        const QString value = context.args().value(QStringLiteral("scope"));
        if (value == u"public")
            scope = MigrationScope::Public;
        else if (value != u"tenant")
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "--scope is public or tenant"), 2);
    }
    try {
        const auto created = MigrationScaffold::create(
            context.migrationsDirectory(), context.args().value(QStringLiteral("name")), scope);
        context.out() << QCoreApplication::translate("fuelsync-db",
                                                     "Created migration %1 (%2 scope):")
                             .arg(created.version, scopeName(scope))
                      << Qt::endl
                      << "  " << created.schemaFile << Qt::endl
                      << "  " << created.rollbackFile << Qt::endl;
        if (!created.depends.isEmpty())
            context.out() << QCoreApplication::translate(
                                 "fuelsync-db",
                                 "It depends on %1 (see '-- depends:'; add others it needs).")
                                 .arg(created.depends)
                          << Qt::endl;
        return 0;
    } catch (const RequestError &e) {
        return context.fail(e.message(), 1);
    }
}

// `migrate plan [--down] [--version=V] [--tenant=SCHEMA]... [--json]`: what `migrate up` (or
// `down`) would do, read without the lock and without changing anything; exit 1 when it would
// be refused.
int plan(CliContext &context)
{
    MigrationRunOptions options;
    options.direction = context.args().has(QStringLiteral("down")) ? MigrationPlan::Direction::Down
                                                                   : MigrationPlan::Direction::Up;
    options.tenants = context.args().values(QStringLiteral("tenant"));
    if (!parseVersion(context, &options.target) || !context.environment(&options.environment))
        return 2;
    auto set =
        std::make_shared<const MigrationSet>(MigrationSet::load(context.migrationsDirectory()));
    return withSession(
        context, QStringLiteral("plan"), 2,
        [&](DbConnection &connection, const ConnectionSettings &settings) {
            const MigrationPreview preview = MigrationPreview::read(connection, set, options);
            if (context.args().has(QStringLiteral("json")))
                context.out() << QJsonDocument(preview.toJson()).toJson(QJsonDocument::Indented);
            else
                ReportText::printPreview(preview, settings.displayName(), context.out());
            return preview.refusals().isEmpty() ? 0 : 1;
        });
}

// `migrate approve --version=V [--comment=TEXT]`: records that the session's role approves the
// file as it is now, for this database.
int approve(CliContext &context)
{
    if (context.args().has(QStringLiteral("policy"))) {
        if (context.args().has(QStringLiteral("version")))
            return context.fail(QCoreApplication::translate(
                                    "fuelsync-db", "give --version=V or --policy, not both"),
                                2);
        const int required = ApprovalPolicy::parse(context.args().value(QStringLiteral("policy")));
        if (required == 0)
            return context.fail(
                QCoreApplication::translate(
                    "fuelsync-db", "--policy takes required:N, N from 1 to 10 (required:2)"),
                2);
        return withSession(context, QStringLiteral("approve"), 1,
                           [&](DbConnection &connection, const ConnectionSettings &) {
                               ApprovalPolicy::setRequired(connection, required);
                               context.out() << QCoreApplication::translate(
                                                    "fuelsync-db",
                                                    "Production runs of %1 now need %n distinct "
                                                    "approver(s) of each migration file.",
                                                    nullptr, required)
                                                    .arg(connection.databaseName())
                                             << Qt::endl;
                               return 0;
                           });
    }
    if (!context.args().has(QStringLiteral("version")))
        return context.fail(
            QCoreApplication::translate("fuelsync-db",
                                        "migrate approve needs --version=V, e.g. --version=006 "
                                        "(or --policy=required:N)"),
            2);
    std::optional<DeploymentEnvironment> requested;
    if (!context.environment(&requested))
        return 2;
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    return withSession(
        context, QStringLiteral("approve"), 1,
        [&](DbConnection &connection, const ConnectionSettings &settings) {
            const auto environment = EnvironmentResolver::resolve(connection, requested);
            const MigrationApproval approval = ApprovalStore::approve(
                connection, set, context.args().value(QStringLiteral("version")),
                DeploymentEnvironments::name(environment.environment),
                context.args().value(QStringLiteral("comment")));
            if (context.args().has(QStringLiteral("json"))) {
                context.out() << QJsonDocument(approval.toJson()).toJson(QJsonDocument::Indented);
            } else {
                context.out() << QCoreApplication::translate(
                                     "fuelsync-db",
                                     "Approved migration %1 (checksum %2…) for %3 "
                                     "(%4) as %5.")
                                     .arg(approval.version, approval.checksum.left(12),
                                          settings.displayName(), environment.describe(),
                                          approval.approver())
                              << Qt::endl;
            }
            return 0;
        });
}

// `migrate lint [--version=V] [--json]`: reads the files only; exit 1 when an error is not
// acknowledged.
int lint(CliContext &context)
{
    std::optional<MigrationVersion> version;
    if (!parseVersion(context, &version))
        return 2;
    const MigrationSet set = MigrationSet::load(context.migrationsDirectory());
    if (version && !set.find(*version))
        return context.fail(
            QCoreApplication::translate("fuelsync-db", "there is no migration %1 in %2")
                .arg(version->text(), context.migrationsDirectory()),
            2);
    LintReport report = MigrationLinter::lint(set);
    if (version)
        report.findings = report.forVersion(set.find(*version)->version.text());
    if (context.args().has(QStringLiteral("json")))
        context.out() << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
    else
        ReportText::printLint(report.findings, context.out());
    return report.hasErrors() ? 1 : 0;
}

int up(CliContext &context)
{
    return runUpOrDown(context, MigrationPlan::Direction::Up);
}

int down(CliContext &context)
{
    return runUpOrDown(context, MigrationPlan::Direction::Down);
}

} // namespace MigrateCommands

} // namespace fuelsync::cli
