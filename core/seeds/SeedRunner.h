#pragma once

#include "SeedFile.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"
#include "migrate/MigrationRunReport.h"
#include "tenancy/TenantFanOut.h"

#include <QJsonObject>

#include <optional>

namespace fuelsync {

class MigrationSet;

// `seed --set=NAME`: runs a seed set's public section, creates and migrates the schemas of the
// tenants it registered, then runs its tenant section in every matching tenant (in parallel, one
// transaction per tenant). Seeds are written to be idempotent, so running one again adds nothing.
class SeedRunner
{
public:
    struct Options
    {
        QString set;
        QList<QPair<QString, QString>> params; // overrides of the file's params
        int jobs = TenantFanOut::defaultJobs();
        std::optional<DeploymentEnvironment> environment;
        QString runner;
        int lockTimeoutMs = SessionOptions::defaultChangeLockTimeoutMs;
    };

    struct TenantResult
    {
        QString schema;
        bool ok = false;
        qint64 durationMs = 0;
        QString error;
        QString location; // file:line of a failure
    };

    struct Report
    {
        QString seed;
        QString environment;
        QString error; // the run as a whole failed or was refused
        int exitCode = 0;
        qint64 publicMs = 0;
        QStringList createdSchemas;
        std::optional<MigrationRunReport> migration; // migrating the seeded tenants
        QList<TenantResult> tenants;
        qint64 durationMs = 0;
        QJsonObject toJson() const;
    };

    // Progress: public's section as a step, then an item per tenant seeded. Cancelling it: no
    // new tenant starts, and running ones roll back. How it ended is recorded in the audit.
    static Report run(const ConnectionSettings &settings, const MigrationSet &set,
                      const Options &options, JobControl &control);
    static QString seedsDirectory(const MigrationSet &set);

private:
    static Report runUnrecorded(const ConnectionSettings &settings, const MigrationSet &set,
                                const Options &options, JobControl &control);
};

} // namespace fuelsync
