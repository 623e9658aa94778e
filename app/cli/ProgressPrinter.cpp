#include "ProgressPrinter.h"

#include <QCoreApplication>

namespace fuelsync::cli {

namespace {
QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("fuelsync-db", text, nullptr, n);
}
} // namespace

ProgressPrinter::ProgressPrinter(QTextStream &err, bool quiet, bool verbose, bool terminal)
    : m_err(err)
    , m_quiet(quiet)
    , m_verbose(verbose)
    , m_terminal(terminal)
{ }

void ProgressPrinter::planned(const MigrationPlan &plan)
{
    std::lock_guard lock(m_mutex);
    if (m_quiet)
        return;
    const QString verb =
        plan.direction() == MigrationPlan::Direction::Up ? tr("apply") : tr("roll back");
    m_err << tr("Plan: %1 %2 in %n schemas", plan.schemaCount())
                 .arg(verb, plan.versions().join(QStringLiteral(", ")))
          << Qt::endl;
}

void ProgressPrinter::phaseStarted(int index, int count, MigrationScope scope, int schemas)
{
    std::lock_guard lock(m_mutex);
    m_phaseSchemas = schemas;
    m_done = 0;
    m_failed = 0;
    if (m_quiet)
        return;
    m_err << tr("Phase %1 of %2: %3")
                 .arg(index + 1)
                 .arg(count)
                 .arg(scope == MigrationScope::Public ? tr("public")
                                                      : tr("%n tenant schemas", schemas))
          << Qt::endl;
}

void ProgressPrinter::drawCounter()
{
    m_err << '\r' << tr("  %1 of %2 schemas done").arg(m_done).arg(m_phaseSchemas);
    if (m_failed > 0)
        m_err << tr(", %n failed", m_failed);
    m_err.flush();
    m_counterShown = true;
}

void ProgressPrinter::schemaFinished(const SchemaOutcome &schema)
{
    std::lock_guard lock(m_mutex);
    ++m_done;
    if (schema.failed())
        ++m_failed;
    if (m_quiet)
        return;
    if (m_verbose) {
        if (m_counterShown) {
            m_err << '\r' << QString(60, u' ') << '\r';
            m_counterShown = false;
        }
        m_err << "  " << schema.schema << ": "
              << (schema.failed() ? tr("FAILED") : tr("done in %1 ms").arg(schema.durationMs))
              << Qt::endl;
    }
    if (m_terminal)
        drawCounter();
}

void ProgressPrinter::finish()
{
    std::lock_guard lock(m_mutex);
    if (m_counterShown) {
        m_err << Qt::endl;
        m_counterShown = false;
    }
}

} // namespace fuelsync::cli
