#include "MigrationValidation.h"

#include "ValidationChecks.h"
#include "migrate/MigrationPlan.h"

#include <QSet>

namespace fuelsync {

MigrationValidation::MigrationValidation(ConnectionSettings settings, const MigrationSet &set,
                                         SchemaValidator::Options base, bool allowDrift)
    : m_settings(std::move(settings))
    , m_set(set)
    , m_base(std::move(base))
    , m_allowDrift(allowDrift)
{ }

SchemaValidator::Options MigrationValidation::optionsFor(const QStringList &checks) const
{
    SchemaValidator::Options options = m_base;
    options.checks = checks;
    options.tenants.clear();
    for (const QString &schema : std::as_const(m_state->touched)) {
        if (schema != u"public")
            options.tenants.append(schema);
    }
    return options;
}

MigrationRunOptions::Gate MigrationValidation::gate()
{
    return [this](const MigrationPlan &plan, QStringList &notes,
                  JobControl &control) -> QList<MigrationProblem> {
        QStringList touched;
        QSet<QString> seen;
        for (const PlanPhase &phase : plan.phases()) {
            for (const SchemaWork &work : phase.work) {
                if (!seen.contains(work.schema)) {
                    seen.insert(work.schema);
                    touched.append(work.schema);
                }
            }
        }
        m_state->touched = touched;
        if (touched.isEmpty())
            return {};
        control.setStep(
            tr("validating the %n schema(s) the run will touch", nullptr, int(touched.size())));
        const bool tenantsTouched = !(touched.size() == 1 && touched.first() == u"public");
        SchemaValidator::Options options = optionsFor({ ValidationChecks::drift });
        // Only public: its check alone (no tenant named would mean every tenant).
        if (!tenantsTouched)
            options.tenants.clear();
        SchemaValidator::Report report;
        try {
            report = SchemaValidator::run(m_settings, m_set, options, control);
        } catch (const RequestError &e) {
            return { MigrationProblem(
                QString(), 0,
                tr("--validate: the schemas could not be validated: %1").arg(e.message())) };
        }
        m_state->before = report;

        // Per schema touched: how many drift findings, and the first.
        QMap<QString, QPair<int, QString>> drifted;
        for (const ValidationFinding &f : std::as_const(report.findings)) {
            if (f.severity == ValidationFinding::Severity::Info || !seen.contains(f.schema))
                continue;
            auto &entry = drifted[f.schema];
            if (entry.first++ == 0)
                entry.second = f.object + QStringLiteral(": ") + f.problem;
        }
        QMap<QString, QString> unchecked;
        for (const SchemaValidator::NotChecked &n : std::as_const(report.notChecked)) {
            if (seen.contains(n.schema) && !unchecked.contains(n.schema))
                unchecked.insert(n.schema, n.reason);
        }
        QList<MigrationProblem> refusals;
        for (auto it = drifted.cbegin(); it != drifted.cend(); ++it) {
            const QString text =
                tr("%1 drifted from the reference of its version (%n finding(s), first: %2); "
                   "'fuelsync-db validate --tenant=%1 --check=drift' lists them",
                   nullptr, it.value().first)
                    .arg(it.key(), it.value().second);
            if (m_allowDrift)
                notes.append(tr("migrated although it drifted (--allow-drift): %1").arg(text));
            else
                refusals.append(MigrationProblem(QString(), 0, text));
        }
        for (auto it = unchecked.cbegin(); it != unchecked.cend(); ++it) {
            const QString text = tr("%1 could not be validated: %2").arg(it.key(), it.value());
            if (m_allowDrift)
                notes.append(tr("migrated without validation (--allow-drift): %1").arg(text));
            else
                refusals.append(MigrationProblem(QString(), 0, text));
        }
        if (!refusals.isEmpty())
            refusals.append(MigrationProblem(
                QString(), 0,
                tr("nothing was migrated: mend the drift (validate --fix-script writes the SQL), "
                   "or migrate anyway with --allow-drift")));
        return refusals;
    };
}

SchemaValidator::Report MigrationValidation::after(JobControl &control) const
{
    SchemaValidator::Options options =
        optionsFor({ ValidationChecks::versions, ValidationChecks::drift });
    return SchemaValidator::run(m_settings, m_set, options, control);
}

} // namespace fuelsync
