#pragma once

#include "MigrationState.h"
#include "common/ChangeConfirmation.h"
#include "migrationfiles/MigrationSet.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fuelsync {

struct MigrationPlanOptions
{
    // up: apply versions up to and including this one; down: keep this one and older.
    std::optional<MigrationVersion> target;
    DeploymentEnvironment environment = DeploymentEnvironment::Development;
    // down: only the tenants that were named (--tenant) are rolled back; public stays as it is.
    bool tenantsOnly = false;
};

// What to do in one schema.
struct SchemaWork
{
    QString schema;
    QString displayName;
    bool isPublic = false;
    bool ensureTable = false; // schema_migrations missing or of an older shape
    bool tableExists = false; // ... and which of the two
    QList<const MigrationFile *> migrations; // up: in version order
    QList<AppliedMigration> rollbacks; // down: newest first (the file may no longer exist)

    int stepCount() const { return int(migrations.size() + rollbacks.size()); }
};

// A group of work of one scope. Phases run one after another; within a phase, schemas run in
// parallel. Migrations apply in version order: consecutive versions of one scope form a phase, so
// with the usual numbering (public ones first) it is public, then every tenant; a public migration
// numbered after tenant ones waits until they have run in every tenant.
struct PlanPhase
{
    MigrationScope scope = MigrationScope::Public;
    QList<SchemaWork> work;
};

// A schema the plan cannot touch (registered but missing, invalid name); reported as failed.
struct BlockedSchema
{
    QString schema;
    QString reason;
};

class MigrationPlan
{
public:
    enum class Direction { Up, Down };

    static MigrationPlan up(const MigrationSet &set, const DatabaseMigrationState &state,
                            const MigrationPlanOptions &options);
    static MigrationPlan down(const MigrationSet &set, const DatabaseMigrationState &state,
                              const MigrationPlanOptions &options);

    // The refusals every run shares, whatever it is told to touch: the files' own problems, and
    // applied versions whose file changed or is gone, in any schema. For a caller that must know
    // before it changes something else (restore --migrate, before the restore).
    static QList<MigrationProblem> filesAgainstApplied(const MigrationSet &set,
                                                       const DatabaseMigrationState &state);

    Direction direction() const { return m_direction; }
    // Reasons the plan must not run at all (changed checksums, out-of-order, irreversible...).
    const QList<MigrationProblem> &refusals() const { return m_refusals; }
    const QList<PlanPhase> &phases() const { return m_phases; }
    const QList<BlockedSchema> &blocked() const { return m_blocked; }
    const QStringList &notes() const { return m_notes; }

    bool isRefused() const { return !m_refusals.isEmpty(); }
    bool hasWork() const { return !m_phases.isEmpty(); }
    int stepCount() const;
    int schemaCount() const;
    // Versions touched, in the order they run (up) or are rolled back (down).
    QStringList versions() const;

    // What running it must be confirmed with, in the window as at the terminal: on production,
    // any run that changes something, by typing the database's name; elsewhere a rollback, by
    // saying yes; nothing for a dry run, a plan with nothing to do, or a migration up outside
    // production.
    ChangeConfirmation confirmation(DeploymentEnvironment environment, bool dryRun,
                                    const QString &database) const;

    // Phase of every migration of a set: the index of its run of same-scope versions.
    static QHash<QString, int> phaseNumbers(const MigrationSet &set);

private:
    void checkAppliedAgainstFiles(const MigrationSet &set, const DatabaseMigrationState &state);

    Direction m_direction = Direction::Up;
    QList<MigrationProblem> m_refusals;
    QList<PlanPhase> m_phases;
    QList<BlockedSchema> m_blocked;
    QStringList m_notes;
};

} // namespace fuelsync
