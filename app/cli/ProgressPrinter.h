#pragma once

#include "migrate/MigrationProgress.h"

#include <QTextStream>

#include <mutex>

namespace fuelsync::cli {

// Shows a run's progress on stderr: the phases, a live counter on a terminal, and (with
// --verbose) every schema as it finishes. Called from the runner's worker threads.
class ProgressPrinter : public MigrationProgress
{
public:
    ProgressPrinter(QTextStream &err, bool quiet, bool verbose, bool terminal);

    void planned(const MigrationPlan &plan) override;
    void phaseStarted(int index, int count, MigrationScope scope, int schemas) override;
    void schemaFinished(const SchemaOutcome &schema) override;
    void finish();

private:
    void drawCounter();

    QTextStream &m_err;
    bool m_quiet;
    bool m_verbose;
    bool m_terminal;
    std::mutex m_mutex;
    int m_phaseSchemas = 0;
    int m_done = 0;
    int m_failed = 0;
    bool m_counterShown = false;
};

} // namespace fuelsync::cli
