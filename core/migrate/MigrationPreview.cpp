#include "MigrationPreview.h"

#include "MigrationStateReader.h"
#include "migrationfiles/SchemaMigrationsTable.h"
#include "approve/ApprovalStore.h"
#include "common/TextLists.h"
#include "db/DbConnection.h"
#include "lint/MigrationLinter.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <QSqlQuery>

namespace fuelsync {

namespace {

// How many different rollback texts the plan's schemas recorded for `version`.
int recordedVariants(DbConnection &connection, const MigrationPlan &plan, const QString &version)
{
    QStringList schemas;
    for (const PlanPhase &phase : plan.phases()) {
        for (const SchemaWork &work : phase.work) {
            for (const AppliedMigration &applied : work.rollbacks) {
                if (applied.versionText == version)
                    schemas.append(work.schema);
            }
        }
    }
    QSet<QString> texts;
    SchemaMigrationsTable::queryInChunks(
        connection, schemas,
        QStringLiteral("SELECT md5(coalesce(rollback_sql, '')) AS h FROM %1 WHERE version = ?"),
        [&version](const QString &) { return QVariantList { version }; },
        QStringLiteral("SELECT DISTINCT h FROM (%1) x"), {},
        [&texts](const QSqlQuery &q) {
            texts.insert(q.value(0).toString());
            return true;
        });
    return std::max(1, int(texts.size()));
}

} // namespace

MigrationPreview MigrationPreview::read(DbConnection &connection,
                                        std::shared_ptr<const MigrationSet> set,
                                        const MigrationRunOptions &options)
{
    MigrationPreview preview;
    preview.set = std::move(set);
    preview.environment = EnvironmentResolver::resolve(connection, options.environment);
    const DatabaseMigrationState state = MigrationStateReader::read(connection, options.tenants);
    MigrationPlanOptions planOptions;
    planOptions.target = options.target;
    planOptions.environment = preview.environment.environment;
    planOptions.tenantsOnly = !options.tenants.isEmpty();
    preview.plan = options.direction == MigrationPlan::Direction::Up
        ? MigrationPlan::up(*preview.set, state, planOptions)
        : MigrationPlan::down(*preview.set, state, planOptions);

    const QStringList versions = preview.plan.versions();
    const LintReport lint = MigrationLinter::lint(*preview.set);
    for (const LintFinding &finding : lint.findings) {
        if (versions.contains(finding.version))
            preview.lint.append(finding);
    }
    if (options.direction == MigrationPlan::Direction::Up && !options.dryRun
        && preview.environment.environment == DeploymentEnvironment::Production) {
        preview.approvalRefusals = ApprovalStore::refusalsFor(connection, *preview.set, versions);
    }

    if (options.direction == MigrationPlan::Direction::Down) {
        preview.rollbacks = readRollbacks(connection, preview.plan, *preview.set);
        preview.rollbackRefusals = registryRefusals(preview.rollbacks, state);
    }
    return preview;
}

QList<MigrationPreview::Rollback> MigrationPreview::readRollbacks(DbConnection &connection,
                                                                  const MigrationPlan &plan,
                                                                  const MigrationSet &set)
{
    QList<Rollback> rollbacks;
    for (const QString &version : plan.versions()) {
        Rollback rollback;
        rollback.version = version;
        for (const PlanPhase &phase : plan.phases()) {
            for (const SchemaWork &work : phase.work) {
                for (const AppliedMigration &applied : work.rollbacks) {
                    if (applied.versionText != version)
                        continue;
                    ++rollback.schemas;
                    if (rollback.recordedIn.isEmpty()) {
                        bool found = false;
                        rollback.sql = SchemaMigrationsTable::recordedRollbackSql(
                            connection, work.schema, version, &found);
                        rollback.recordedIn = work.schema;
                        rollback.description = applied.description;
                    }
                }
            }
        }
        if (rollback.description.isEmpty()) {
            const auto parsed = MigrationVersion::parse(version);
            if (const MigrationFile *file = parsed ? set.find(*parsed) : nullptr)
                rollback.description = file->description;
        }
        rollback.losses = DataLossReader::read(rollback.sql);
        rollback.variants = recordedVariants(connection, plan, version);
        rollbacks.append(rollback);
    }
    return rollbacks;
}

QStringList MigrationPreview::dataLossSentences(const QList<Rollback> &rollbacks)
{
    QStringList sentences;
    for (const Rollback &rollback : rollbacks) {
        for (const DataLossReader::Loss &loss : rollback.losses) {
            sentences.append(
                QCoreApplication::translate("MigrationPreview", "%1 (%2) %3, %4")
                    .arg(rollback.version, rollback.description, loss.sentence,
                         QCoreApplication::translate("MigrationPreview", "in %n schemas", nullptr,
                                                     rollback.schemas)));
        }
    }
    return sentences;
}

QList<MigrationProblem> MigrationPreview::registryRefusals(const QList<Rollback> &rollbacks,
                                                           const DatabaseMigrationState &state)
{
    QList<MigrationProblem> refusals;
    if (state.registeredTenants == 0)
        return refusals;
    QStringList tenants;
    for (const SchemaState &tenant : state.tenants)
        tenants.append(tenant.schema);
    for (const SchemaState &tenant : state.otherTenants)
        tenants.append(tenant.schema);
    for (const Rollback &rollback : rollbacks) {
        if (rollback.recordedIn != u"public")
            continue;
        const bool dropsRegistry = std::any_of(
            rollback.losses.cbegin(), rollback.losses.cend(), [](const DataLossReader::Loss &loss) {
                using Kind = DataLossReader::Loss::Kind;
                return (loss.kind == Kind::Table
                        && (loss.object == u"tenants" || loss.object == u"public.tenants"))
                    || (loss.kind == Kind::Schema && loss.object == u"public");
            });
        if (!dropsRegistry)
            continue;
        refusals.append(
            { QString(), 0,
              QCoreApplication::translate(
                  "MigrationPreview",
                  "rolling back %1 (%2) drops the tenant registry public.tenants, where %n "
                  "tenants are registered (%3): their schemas would stay behind, unregistered, "
                  "and no later 'migrate up' would find them. Roll back only the tenants "
                  "(--tenant=SCHEMA), or remove the tenants first",
                  nullptr, state.registeredTenants)
                  .arg(rollback.version, rollback.description,
                       TextLists::abbreviated(tenants, 5)) });
    }
    return refusals;
}

QStringList MigrationPreview::scopes() const
{
    QStringList scopes;
    for (const PlanPhase &phase : plan.phases()) {
        const QString name = scopeName(phase.scope);
        if (!scopes.contains(name))
            scopes.append(name);
    }
    return scopes;
}

int MigrationPreview::tenantCount() const
{
    QSet<QString> tenants;
    for (const PlanPhase &phase : plan.phases()) {
        for (const SchemaWork &work : phase.work) {
            if (!work.isPublic)
                tenants.insert(work.schema);
        }
    }
    return int(tenants.size());
}

bool MigrationPreview::touchesPublic() const
{
    for (const PlanPhase &phase : plan.phases()) {
        for (const SchemaWork &work : phase.work) {
            if (work.isPublic)
                return true;
        }
    }
    return false;
}

bool MigrationPreview::canRun() const
{
    return !plan.isRefused() && approvalRefusals.isEmpty() && rollbackRefusals.isEmpty()
        && plan.hasWork();
}

QStringList MigrationPreview::refusals() const
{
    QStringList lines;
    for (const MigrationProblem &p : plan.refusals())
        lines.append(p.text());
    for (const MigrationProblem &p : approvalRefusals)
        lines.append(p.text());
    for (const MigrationProblem &p : rollbackRefusals)
        lines.append(p.text());
    return lines;
}

QJsonObject MigrationPreview::toJson() const
{
    QJsonArray lintArray;
    for (const LintFinding &f : lint)
        lintArray.append(f.toJson());
    QJsonArray rollbackArray;
    for (const Rollback &r : rollbacks) {
        QJsonArray losses;
        for (const DataLossReader::Loss &l : r.losses)
            losses.append(l.sentence);
        rollbackArray.append(QJsonObject { { QStringLiteral("version"), r.version },
                                           { QStringLiteral("description"), r.description },
                                           { QStringLiteral("sql"), r.sql },
                                           { QStringLiteral("recordedIn"), r.recordedIn },
                                           { QStringLiteral("schemas"), r.schemas },
                                           { QStringLiteral("variants"), r.variants },
                                           { QStringLiteral("destroys"), losses } });
    }
    return { { QStringLiteral("direction"),
               plan.direction() == MigrationPlan::Direction::Up ? QStringLiteral("up")
                                                                : QStringLiteral("down") },
             { QStringLiteral("environment"), environment.describe() },
             { QStringLiteral("versions"), QJsonArray::fromStringList(versions()) },
             { QStringLiteral("scopes"), QJsonArray::fromStringList(scopes()) },
             { QStringLiteral("tenants"), tenantCount() },
             { QStringLiteral("public"), touchesPublic() },
             { QStringLiteral("canRun"), canRun() },
             { QStringLiteral("refusals"), QJsonArray::fromStringList(refusals()) },
             { QStringLiteral("notes"), QJsonArray::fromStringList(plan.notes()) },
             { QStringLiteral("lint"), lintArray },
             { QStringLiteral("rollbacks"), rollbackArray } };
}

} // namespace fuelsync
