#include "MigrationPlan.h"

#include "common/TextLists.h"

#include <QCoreApplication>
#include <QMap>
#include <QSet>

#include <algorithm>

namespace fuelsync {

namespace {

QString whereApplied(const QStringList &schemas)
{
    if (schemas.size() == 1 && schemas.first() == u"public")
        return QCoreApplication::translate("MigrationPlan", "in public");
    return QCoreApplication::translate("MigrationPlan", "in %1: %2")
        .arg(schemas.size() == 1 ? QCoreApplication::translate("MigrationPlan", "schema")
                                 : QCoreApplication::translate("MigrationPlan", "%n schemas",
                                                               nullptr, int(schemas.size())),
             TextLists::abbreviated(schemas));
}

QList<const SchemaState *> schemasOfScope(const DatabaseMigrationState &state, MigrationScope scope)
{
    QList<const SchemaState *> result;
    if (scope == MigrationScope::Public) {
        result.append(&state.publicSchema);
    } else {
        for (const SchemaState &tenant : state.tenants) {
            if (tenant.problem.isEmpty())
                result.append(&tenant);
        }
    }
    return result;
}

SchemaWork workFor(const SchemaState &schema)
{
    SchemaWork work;
    work.schema = schema.schema;
    work.displayName = schema.displayName;
    work.isPublic = schema.schema == u"public";
    work.ensureTable = !schema.tableCurrent;
    work.tableExists = schema.hasTable;
    return work;
}

} // namespace

int MigrationPlan::stepCount() const
{
    int steps = 0;
    for (const PlanPhase &phase : m_phases) {
        for (const SchemaWork &work : phase.work)
            steps += work.stepCount();
    }
    return steps;
}

int MigrationPlan::schemaCount() const
{
    QSet<QString> schemas;
    for (const PlanPhase &phase : m_phases) {
        for (const SchemaWork &work : phase.work)
            schemas.insert(work.schema);
    }
    return int(schemas.size());
}

QStringList MigrationPlan::versions() const
{
    QStringList result;
    for (const PlanPhase &phase : m_phases) {
        QMap<QString, QString> inPhase; // sortable key -> text
        for (const SchemaWork &work : phase.work) {
            for (const MigrationFile *m : work.migrations)
                inPhase.insert(m->version.key(), m->version.text());
            for (const AppliedMigration &r : work.rollbacks)
                inPhase.insert(r.version ? r.version->key() : r.versionText, r.versionText);
        }
        QStringList texts = inPhase.values();
        std::sort(texts.begin(), texts.end(), [](const QString &a, const QString &b) {
            return *MigrationVersion::parse(a) < *MigrationVersion::parse(b);
        });
        if (m_direction == Direction::Down)
            std::reverse(texts.begin(), texts.end());
        for (const QString &t : texts) {
            if (!result.contains(t))
                result.append(t);
        }
    }
    return result;
}

QHash<QString, int> MigrationPlan::phaseNumbers(const MigrationSet &set)
{
    // Migrations apply in version order, as Flyway does: each run of consecutive versions of one
    // scope is a phase. Dependencies always point to earlier versions (the set checks that), so
    // version order honours them, and a public migration that follows tenant ones waits until
    // those have run in every tenant.
    QHash<QString, int> phase;
    int current = -1;
    std::optional<MigrationScope> previous;
    for (const MigrationFile &migration : set.migrations()) {
        if (!previous || *previous != migration.scope)
            ++current;
        previous = migration.scope;
        phase.insert(migration.version.key(), current);
    }
    return phase;
}

void MigrationPlan::checkAppliedAgainstFiles(const MigrationSet &set,
                                             const DatabaseMigrationState &state)
{
    // (version key, recorded checksum) -> schemas; version key -> schemas without a file.
    QMap<QPair<QString, QString>, QStringList> changed;
    QMap<QString, QStringList> withoutFile;
    QMap<QString, QString> versionText;
    auto inspect = [&](const SchemaState &schema) {
        for (const AppliedMigration &row : schema.applied) {
            const QString key = row.version ? row.version->key() : row.versionText;
            versionText.insert(key, row.versionText);
            const MigrationFile *file = row.version ? set.find(*row.version) : nullptr;
            if (!file)
                withoutFile[key].append(schema.schema);
            else if (!row.checksum.isEmpty() && row.checksum != file->checksum)
                changed[{ key, row.checksum }].append(schema.schema);
        }
    };
    // Every schema, also the tenants a --tenant run leaves alone: applying a changed file to one
    // tenant would make the tenants diverge.
    inspect(state.publicSchema);
    for (const SchemaState *tenant : state.allTenants())
        inspect(*tenant);

    for (auto it = changed.cbegin(); it != changed.cend(); ++it) {
        const MigrationFile *file =
            set.find(*MigrationVersion::parse(versionText.value(it.key().first)));
        m_refusals.append(
            { file->displayPath, 0,
              QCoreApplication::translate(
                  "MigrationPlan",
                  "has changed since it was applied %1: checksum recorded then %2, checksum of the "
                  "file now %3. Applied migrations must never be edited: restore the file and put "
                  "the change in a new migration")
                  .arg(whereApplied(it.value()), it.key().second, file->checksum) });
    }
    for (auto it = withoutFile.cbegin(); it != withoutFile.cend(); ++it) {
        m_refusals.append(
            { QString(), 0,
              QCoreApplication::translate(
                  "MigrationPlan",
                  "version %1 is applied %2, but there is no migration file for it "
                  "in %3: is this checkout older than the database?")
                  .arg(versionText.value(it.key()), whereApplied(it.value()), set.directory()) });
    }
}

QList<MigrationProblem> MigrationPlan::filesAgainstApplied(const MigrationSet &set,
                                                           const DatabaseMigrationState &state)
{
    MigrationPlan plan;
    plan.m_refusals = set.problems();
    if (set.isValid())
        plan.checkAppliedAgainstFiles(set, state);
    return plan.m_refusals;
}

MigrationPlan MigrationPlan::up(const MigrationSet &set, const DatabaseMigrationState &state,
                                const MigrationPlanOptions &options)
{
    MigrationPlan plan;
    plan.m_direction = Direction::Up;
    for (const MigrationProblem &problem : set.problems())
        plan.m_refusals.append(problem);
    if (!set.isValid())
        return plan;
    if (options.target && !set.find(*options.target)) {
        plan.m_refusals.append(
            { QString(), 0,
              QCoreApplication::translate("MigrationPlan",
                                          "there is no migration %1 (the latest is %2)")
                  .arg(options.target->text(),
                       set.latest() ? set.latest()->text()
                                    : QCoreApplication::translate("MigrationPlan", "none")) });
        return plan;
    }
    plan.checkAppliedAgainstFiles(set, state);

    for (const SchemaState &tenant : state.tenants) {
        if (!tenant.problem.isEmpty())
            plan.m_blocked.append({ tenant.schema, tenant.problem });
    }

    const QHash<QString, int> phaseOf = phaseNumbers(set);
    QMap<int, PlanPhase> phases;
    // (version key) -> schemas where it is pending below a higher applied version
    QMap<QString, QStringList> outOfOrder;
    QMap<QString, QString> outOfOrderHighest;

    for (const MigrationScope scope : { MigrationScope::Public, MigrationScope::Tenant }) {
        for (const SchemaState *schema : schemasOfScope(state, scope)) {
            const std::optional<MigrationVersion> highest = schema->highestApplied();
            QMap<int, SchemaWork> workByPhase;
            for (const MigrationFile &migration : set.migrations()) {
                if (migration.scope != scope || schema->isApplied(migration.version))
                    continue;
                if (options.target && *options.target < migration.version)
                    continue;
                if (!migration.appliesIn(options.environment))
                    continue;
                if (highest && migration.version < *highest) {
                    outOfOrder[migration.version.key()].append(schema->schema);
                    outOfOrderHighest.insert(migration.version.key(), highest->text());
                    continue;
                }
                const int phase = phaseOf.value(migration.version.key());
                if (!workByPhase.contains(phase))
                    workByPhase.insert(phase, workFor(*schema));
                workByPhase[phase].migrations.append(&migration);
            }
            // The table only needs creating in the first transaction that touches the schema.
            bool first = true;
            for (auto it = workByPhase.begin(); it != workByPhase.end(); ++it) {
                if (!first)
                    it->ensureTable = false;
                first = false;
                phases[it.key()].scope = scope;
                phases[it.key()].work.append(*it);
            }
        }
    }

    for (auto it = outOfOrder.cbegin(); it != outOfOrder.cend(); ++it) {
        const MigrationFile *file = set.find(*MigrationVersion::parse(it.key()));
        plan.m_refusals.append(
            { file->displayPath, 0,
              QCoreApplication::translate(
                  "MigrationPlan",
                  "%1 is not applied %2, where a later version (%3) already is: running it now "
                  "would apply migrations out of order. Give the change a version after the latest "
                  "applied one")
                  .arg(file->version.text(), whereApplied(it.value()),
                       outOfOrderHighest.value(it.key())) });
    }

    for (const MigrationFile &migration : set.migrations()) {
        if (!migration.appliesIn(options.environment)
            && (!options.target || !(*options.target < migration.version))) {
            plan.m_notes.append(
                QCoreApplication::translate("MigrationPlan",
                                            "%1 (%2) is for %3 only and is not applied in %4")
                    .arg(migration.version.text(), migration.description,
                         DeploymentEnvironments::listName(migration.environments),
                         DeploymentEnvironments::name(options.environment)));
        }
    }
    for (auto it = phases.cbegin(); it != phases.cend(); ++it)
        plan.m_phases.append(it.value());
    return plan;
}

MigrationPlan MigrationPlan::down(const MigrationSet &set, const DatabaseMigrationState &state,
                                  const MigrationPlanOptions &options)
{
    MigrationPlan plan;
    plan.m_direction = Direction::Down;
    for (const SchemaState &tenant : state.tenants) {
        if (!tenant.problem.isEmpty())
            plan.m_blocked.append({ tenant.schema, tenant.problem });
    }

    // Every applied version, with where it is applied and its scope.
    struct Applied
    {
        MigrationVersion version;
        MigrationScope scope;
    };
    QMap<QString, Applied> applied;
    auto collect = [&](const SchemaState &schema, MigrationScope scope) {
        for (const AppliedMigration &row : schema.applied) {
            if (!row.version) {
                plan.m_refusals.append(
                    { QString(), 0,
                      QCoreApplication::translate(
                          "MigrationPlan",
                          "schema %1 records a version '%2' that is not a version "
                          "number; fix its schema_migrations by hand first")
                          .arg(schema.schema, row.versionText) });
                continue;
            }
            applied.insert(row.version->key(), { *row.version, scope });
        }
    };
    if (!options.tenantsOnly) {
        collect(state.publicSchema, MigrationScope::Public);
    } else {
        const bool publicNewer = std::any_of(
            state.publicSchema.applied.cbegin(), state.publicSchema.applied.cend(),
            [&options](const AppliedMigration &row) {
                return row.version && (!options.target || *options.target < *row.version);
            });
        if (publicNewer) {
            plan.m_notes.append(QCoreApplication::translate(
                "MigrationPlan",
                "public was left as it is: a rollback of named tenants (--tenant) changes only "
                "their schemas"));
        }
    }
    for (const SchemaState *tenant : schemasOfScope(state, MigrationScope::Tenant))
        collect(*tenant, MigrationScope::Tenant);
    if (plan.isRefused())
        return plan;

    QList<Applied> toRollBack;
    for (const Applied &a : applied) {
        if (!options.target || *options.target < a.version)
            toRollBack.append(a);
    }
    std::sort(toRollBack.begin(), toRollBack.end(),
              [](const Applied &a, const Applied &b) { return b.version < a.version; });
    if (!options.target && toRollBack.size() > 1)
        toRollBack = toRollBack.mid(0, 1);

    // Consecutive versions of one scope form a phase: strictly newest first, schema by schema.
    QMap<QString, QStringList> irreversible; // version key -> schemas
    for (qsizetype i = 0; i < toRollBack.size();) {
        const MigrationScope scope = toRollBack.at(i).scope;
        qsizetype j = i;
        QSet<QString> versions;
        while (j < toRollBack.size() && toRollBack.at(j).scope == scope)
            versions.insert(toRollBack.at(j++).version.key());
        PlanPhase phase;
        phase.scope = scope;
        for (const SchemaState *schema : schemasOfScope(state, scope)) {
            SchemaWork work = workFor(*schema);
            work.ensureTable = false;
            for (const AppliedMigration &row : schema->applied) {
                if (!row.version || !versions.contains(row.version->key()))
                    continue;
                if (!row.hasRollbackSql)
                    irreversible[row.version->key()].append(schema->schema);
                AppliedMigration step = row;
                if (const MigrationFile *file = set.find(*row.version);
                    file && step.description.isEmpty())
                    step.description = file->description;
                work.rollbacks.append(step);
            }
            std::sort(work.rollbacks.begin(), work.rollbacks.end(),
                      [](const AppliedMigration &a, const AppliedMigration &b) {
                          return *b.version < *a.version;
                      });
            if (!work.rollbacks.isEmpty())
                phase.work.append(work);
        }
        if (!phase.work.isEmpty())
            plan.m_phases.append(phase);
        i = j;
    }

    for (auto it = irreversible.cbegin(); it != irreversible.cend(); ++it) {
        const MigrationFile *file = set.find(*MigrationVersion::parse(it.key()));
        QString why = file && !file->irreversibleReason.isEmpty()
            ? QCoreApplication::translate("MigrationPlan",
                                          " (the file says it is irreversible: %1)")
                  .arg(file->irreversibleReason)
            : QString();
        plan.m_refusals.append(
            { file ? file->displayPath : QString(), 0,
              QCoreApplication::translate(
                  "MigrationPlan",
                  "version %1 cannot be rolled back %2: it was applied without "
                  "rollback SQL%3")
                  .arg(applied.value(it.key()).version.text(), whereApplied(it.value()), why) });
    }
    return plan;
}

} // namespace fuelsync

namespace fuelsync {

ChangeConfirmation MigrationPlan::confirmation(DeploymentEnvironment environment, bool dryRun,
                                               const QString &database) const
{
    if (dryRun || !hasWork())
        return ChangeConfirmation::none();
    const bool down = m_direction == Direction::Down;
    const QString what = down
        ? QCoreApplication::translate("MigrationPlan", "A rollback")
        : QCoreApplication::translate("MigrationPlan", "Migrating a production database");
    if (environment == DeploymentEnvironment::Production)
        return ChangeConfirmation::typeName(what, database);
    return down ? ChangeConfirmation::yes(what) : ChangeConfirmation::none();
}

} // namespace fuelsync
