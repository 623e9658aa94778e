#pragma once

#include "SchemaValidator.h"
#include "migrate/MigrationRunner.h"

#include <QCoreApplication>

#include <memory>

namespace fuelsync {

// `migrate up --validate`: the schemas a run will touch are validated before it starts, and
// again after it. A schema that drifted from its reference (a drift finding that is a warning or
// an error), or that could not be compared, refuses the run before anything changes, unless
// drift is allowed (then it is only noted): migrating a schema that is not what its files say
// builds the next version on top of an unknown one.
class MigrationValidation
{
    Q_DECLARE_TR_FUNCTIONS(MigrationValidation)

public:
    // `base` carries the cache, history and runner; its checks and tenants are set here.
    MigrationValidation(ConnectionSettings settings, const MigrationSet &set,
                        SchemaValidator::Options base, bool allowDrift);

    // The gate for MigrationRunOptions::gate. It keeps the schemas the plan touches for after().
    MigrationRunOptions::Gate gate();

    // The schemas the plan touched (public and tenants), known once the gate ran.
    const QStringList &touched() const { return m_state->touched; }
    // The validation before the run (drift), once the gate ran.
    const std::optional<SchemaValidator::Report> &before() const { return m_state->before; }

    // Drift and versions of the schemas the run touched, after it. Throws as SchemaValidator.
    SchemaValidator::Report after(JobControl &control) const;

private:
    struct State
    {
        QStringList touched;
        std::optional<SchemaValidator::Report> before;
    };
    SchemaValidator::Options optionsFor(const QStringList &checks) const;

    ConnectionSettings m_settings;
    const MigrationSet &m_set;
    SchemaValidator::Options m_base;
    bool m_allowDrift = false;
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace fuelsync
