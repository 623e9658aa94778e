#pragma once

#include "MigrationPlan.h"
#include "MigrationRunner.h"
#include "MigrationState.h"
#include "lint/DataLossReader.h"
#include "lint/LintFinding.h"

#include <QJsonObject>

#include <memory>

namespace fuelsync {

class DbConnection;

// What `migrate up` / `migrate down` would do, read without the run lock and without changing
// anything: the plan, the lint findings and approvals of the versions it runs, what the runner
// would refuse, and, for a rollback, the SQL recorded when each version was applied with the data
// it destroys. The confirmation a person answers is built from this.
class MigrationPreview
{
public:
    struct Rollback
    {
        QString version;
        QString description;
        QString sql; // as recorded when the version was applied
        QString recordedIn; // the schema it was read from
        int schemas = 0; // schemas it runs in
        // Different recorded texts among those schemas (a rollback file edited between two
        // applications): each schema runs its own, and only the first is shown.
        int variants = 1;
        QList<DataLossReader::Loss> losses;
    };

    static MigrationPreview read(DbConnection &connection, std::shared_ptr<const MigrationSet> set,
                                 const MigrationRunOptions &options);
    // A rollback plan's versions, newest first: the SQL each schema recorded and what it destroys.
    static QList<Rollback> readRollbacks(DbConnection &connection, const MigrationPlan &plan,
                                         const MigrationSet &set);
    // One sentence per thing a rollback destroys: "005 (alerts system) drops the table alerts
    // and all its rows, in 3 schemas".
    static QStringList dataLossSentences(const QList<Rollback> &rollbacks);
    // A rollback of public that drops the tenant registry (public.tenants, or public itself)
    // while tenants are registered would leave their schemas behind, unregistered, where no
    // later `migrate up` finds them: refused, naming them.
    static QList<MigrationProblem> registryRefusals(const QList<Rollback> &rollbacks,
                                                    const DatabaseMigrationState &state);

    std::shared_ptr<const MigrationSet> set; // the plan points into it
    MigrationPlan plan;
    EnvironmentResolver::Resolved environment;
    QList<LintFinding> lint; // of the versions the plan runs
    QList<MigrationProblem> approvalRefusals; // production, up, not a dry run
    QList<MigrationProblem> rollbackRefusals; // down: registryRefusals()
    QList<Rollback> rollbacks; // down

    QStringList versions() const { return plan.versions(); }
    QStringList scopes() const; // "public", "tenant", in the order they run
    int tenantCount() const; // tenant schemas the plan touches
    bool touchesPublic() const;
    // Runs as planned: not refused by the plan or for approvals, and something to do.
    bool canRun() const;
    // Every reason it cannot run, one per line.
    QStringList refusals() const;
    QJsonObject toJson() const;
};

} // namespace fuelsync
