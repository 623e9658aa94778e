#pragma once

#include "MigrationPlan.h"
#include "approve/MigrationApproval.h"

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace fuelsync {

class DbConnection;

// `migrate status`: for every version, its scope and description, where it is applied (public;
// N of M tenants, and which are behind), whether the applied file is still the same, and who
// approved the file as it is now.
class MigrationStatus
{
public:
    enum class ChecksumState {
        Matches, // every recorded checksum equals the file's
        Changed, // the file changed after it was applied somewhere
        NotRecorded, // applied before checksums were kept
        NotApplied,
        FileMissing, // applied, but there is no file
    };

    struct Version
    {
        QString version;
        QString description;
        MigrationScope scope = MigrationScope::Public;
        QString file;
        bool fileExists = true;
        bool applicable = true; // false: not for this environment
        QString environments;
        bool appliedInPublic = false;
        QDateTime appliedAt; // public scope
        QString appliedBy;
        qint64 executionMs = -1;
        int tenantsApplied = 0;
        int tenantsTotal = 0;
        QStringList tenantsBehind;
        ChecksumState checksum = ChecksumState::NotApplied;
        QStringList changedIn; // schemas where the recorded checksum differs
        std::optional<MigrationApproval> approval; // covers the file as it is now
        std::optional<MigrationApproval> voidedApproval; // for an earlier state of the file
        bool isPending() const;
    };

    static MigrationStatus read(DbConnection &connection, const MigrationSet &set,
                                const QStringList &tenants, DeploymentEnvironment environment);

    QString database;
    QString environment;
    QString directory;
    QList<MigrationProblem> fileProblems;
    // Why `migrate up` (all tenants, to the newest version) would refuse to run now, beyond the
    // problems of the files themselves: an applied file changed or gone, a pending version older
    // than an applied one, and on production a version nobody approved.
    QList<MigrationProblem> upRefusals;
    QList<Version> versions;
    int tenantCount = 0; // tenants read (valid ones)
    QStringList tenantSchemas; // their schemas
    QList<BlockedSchema> blockedTenants;
    bool hasTenantRegistry = false;

    int pendingCount() const;
    bool isUpToDate() const;
    // Whether `migrate up` would refuse (file problems included): status then exits 1.
    bool upWouldRefuse() const { return !fileProblems.isEmpty() || !upRefusals.isEmpty(); }
    QJsonObject toJson() const;
    static QString checksumStateName(ChecksumState state);
};

} // namespace fuelsync
