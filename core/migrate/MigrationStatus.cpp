#include "MigrationStatus.h"

#include "MigrationStateReader.h"
#include "approve/ApprovalStore.h"
#include "db/DbConnection.h"

#include <QJsonArray>
#include <QMap>

namespace fuelsync {

bool MigrationStatus::Version::isPending() const
{
    if (!fileExists || !applicable)
        return false;
    return scope == MigrationScope::Public ? !appliedInPublic : !tenantsBehind.isEmpty();
}

int MigrationStatus::pendingCount() const
{
    int count = 0;
    for (const Version &version : versions)
        count += version.isPending() ? 1 : 0;
    return count;
}

bool MigrationStatus::isUpToDate() const
{
    if (upWouldRefuse() || !blockedTenants.isEmpty())
        return false;
    for (const Version &version : versions) {
        if (version.isPending() || version.checksum == ChecksumState::Changed
            || version.checksum == ChecksumState::FileMissing)
            return false;
    }
    return true;
}

QString MigrationStatus::checksumStateName(ChecksumState state)
{
    switch (state) {
    case ChecksumState::Matches:
        return QStringLiteral("matches");
    case ChecksumState::Changed:
        return QStringLiteral("changed");
    case ChecksumState::NotRecorded:
        return QStringLiteral("not-recorded");
    case ChecksumState::NotApplied:
        return QStringLiteral("not-applied");
    case ChecksumState::FileMissing:
        return QStringLiteral("file-missing");
    }
    return {};
}

MigrationStatus MigrationStatus::read(DbConnection &connection, const MigrationSet &set,
                                      const QStringList &tenants, DeploymentEnvironment environment)
{
    MigrationStatus status;
    status.directory = set.directory();
    status.fileProblems = set.problems();
    const DatabaseMigrationState state = MigrationStateReader::read(connection, tenants);
    status.hasTenantRegistry = state.hasTenantRegistry;
    QList<const SchemaState *> validTenants;
    for (const SchemaState &tenant : state.tenants) {
        if (tenant.problem.isEmpty())
            validTenants.append(&tenant);
        else
            status.blockedTenants.append({ tenant.schema, tenant.problem });
    }
    status.tenantCount = int(validTenants.size());
    for (const SchemaState *tenant : validTenants)
        status.tenantSchemas.append(tenant->schema);

    // Every version that has a file or is applied somewhere, in version order.
    QMap<MigrationVersion, Version> byVersion;
    for (const MigrationFile &file : set.migrations()) {
        Version v;
        v.version = file.version.text();
        v.description = file.description;
        v.scope = file.scope;
        v.file = file.displayPath;
        v.applicable = file.appliesIn(environment);
        v.environments = DeploymentEnvironments::listName(file.environments);
        byVersion.insert(file.version, v);
    }
    auto entryFor = [&](const AppliedMigration &row, MigrationScope scope) -> Version * {
        if (!row.version)
            return nullptr;
        auto it = byVersion.find(*row.version);
        if (it == byVersion.end()) {
            Version v;
            v.version = row.versionText;
            v.description = row.description;
            v.scope = scope;
            v.fileExists = false;
            v.checksum = ChecksumState::FileMissing;
            it = byVersion.insert(*row.version, v);
        }
        return &it.value();
    };
    auto noteChecksum = [&](Version &v, const AppliedMigration &row, const QString &schema) {
        if (!v.fileExists)
            return;
        const MigrationFile *file = set.find(*row.version);
        if (row.checksum.isEmpty()) {
            if (v.checksum == ChecksumState::NotApplied)
                v.checksum = ChecksumState::NotRecorded;
        } else if (row.checksum != file->checksum) {
            v.checksum = ChecksumState::Changed;
            v.changedIn.append(schema);
        } else if (v.checksum == ChecksumState::NotApplied) {
            v.checksum = ChecksumState::Matches;
        }
    };

    for (const AppliedMigration &row : state.publicSchema.applied) {
        if (Version *v = entryFor(row, MigrationScope::Public)) {
            v->appliedInPublic = true;
            v->appliedAt = row.executedAt;
            v->appliedBy = row.executedBy;
            v->executionMs = row.executionMs;
            noteChecksum(*v, row, QStringLiteral("public"));
        }
    }
    for (const SchemaState *tenant : validTenants) {
        for (const AppliedMigration &row : tenant->applied) {
            if (Version *v = entryFor(row, MigrationScope::Tenant)) {
                ++v->tenantsApplied;
                noteChecksum(*v, row, tenant->schema);
            }
        }
    }
    for (auto it = byVersion.begin(); it != byVersion.end(); ++it) {
        Version &v = it.value();
        if (v.scope != MigrationScope::Tenant)
            continue;
        v.tenantsTotal = status.tenantCount;
        if (!v.fileExists || !v.applicable)
            continue;
        for (const SchemaState *tenant : validTenants) {
            if (!tenant->isApplied(it.key()))
                v.tenantsBehind.append(tenant->schema);
        }
    }
    const QList<MigrationApproval> approvals = ApprovalStore::readAll(connection);
    for (const MigrationFile &file : set.migrations()) {
        Version &v = byVersion[file.version];
        if (const MigrationApproval *approval = ApprovalStore::covering(approvals, file))
            v.approval = *approval;
        else if (const MigrationApproval *voided = ApprovalStore::voided(approvals, file))
            v.voidedApproval = *voided;
    }
    status.versions = byVersion.values();

    if (set.isValid()) {
        MigrationPlanOptions planOptions;
        planOptions.environment = environment;
        const MigrationPlan plan = MigrationPlan::up(set, state, planOptions);
        status.upRefusals = plan.refusals();
        if (!plan.isRefused() && environment == DeploymentEnvironment::Production)
            status.upRefusals = ApprovalStore::refusalsFor(connection, set, plan.versions());
    }
    return status;
}

QJsonObject MigrationStatus::toJson() const
{
    QJsonObject root;
    root.insert(QStringLiteral("database"), database);
    root.insert(QStringLiteral("environment"), environment);
    root.insert(QStringLiteral("migrationsDirectory"), directory);
    root.insert(QStringLiteral("tenantCount"), tenantCount);
    root.insert(QStringLiteral("upToDate"), isUpToDate());
    root.insert(QStringLiteral("pending"), pendingCount());
    QJsonArray problems;
    for (const MigrationProblem &p : fileProblems) {
        problems.append(QJsonObject { { QStringLiteral("file"), p.file },
                                      { QStringLiteral("line"), p.line },
                                      { QStringLiteral("message"), p.message } });
    }
    root.insert(QStringLiteral("fileProblems"), problems);
    QJsonArray refusals;
    for (const MigrationProblem &p : upRefusals) {
        refusals.append(QJsonObject { { QStringLiteral("file"), p.file },
                                      { QStringLiteral("message"), p.message } });
    }
    root.insert(QStringLiteral("upWouldRefuse"), refusals);
    QJsonArray blocked;
    for (const BlockedSchema &b : blockedTenants) {
        blocked.append(QJsonObject { { QStringLiteral("schema"), b.schema },
                                     { QStringLiteral("problem"), b.reason } });
    }
    root.insert(QStringLiteral("blockedTenants"), blocked);
    QJsonArray list;
    for (const Version &v : versions) {
        QJsonObject o { { QStringLiteral("version"), v.version },
                        { QStringLiteral("description"), v.description },
                        { QStringLiteral("scope"), scopeName(v.scope) },
                        { QStringLiteral("file"), v.file },
                        { QStringLiteral("fileExists"), v.fileExists },
                        { QStringLiteral("applicable"), v.applicable },
                        { QStringLiteral("environments"), v.environments },
                        { QStringLiteral("pending"), v.isPending() },
                        { QStringLiteral("checksum"), checksumStateName(v.checksum) } };
        if (v.scope == MigrationScope::Public) {
            o.insert(QStringLiteral("applied"), v.appliedInPublic);
            if (v.appliedAt.isValid())
                o.insert(QStringLiteral("appliedAt"), v.appliedAt.toString(Qt::ISODateWithMs));
            if (!v.appliedBy.isEmpty())
                o.insert(QStringLiteral("appliedBy"), v.appliedBy);
            if (v.executionMs >= 0)
                o.insert(QStringLiteral("executionMs"), v.executionMs);
        } else {
            o.insert(QStringLiteral("tenantsApplied"), v.tenantsApplied);
            o.insert(QStringLiteral("tenantsTotal"), v.tenantsTotal);
            o.insert(QStringLiteral("tenantsBehind"), QJsonArray::fromStringList(v.tenantsBehind));
        }
        if (!v.changedIn.isEmpty())
            o.insert(QStringLiteral("changedIn"), QJsonArray::fromStringList(v.changedIn));
        o.insert(QStringLiteral("approval"), v.approval ? v.approval->toJson() : QJsonValue());
        if (v.voidedApproval)
            o.insert(QStringLiteral("voidedApproval"), v.voidedApproval->toJson());
        list.append(o);
    }
    root.insert(QStringLiteral("versions"), list);
    return root;
}

} // namespace fuelsync
