#include "ProgressPrinter.h"

#include <QCoreApplication>

namespace fuelsync::cli {

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
    const QString verb = plan.direction() == MigrationPlan::Direction::Up
        ? QCoreApplication::translate("fuelsync-db", "apply")
        : QCoreApplication::translate("fuelsync-db", "roll back");
    m_err << QCoreApplication::translate("fuelsync-db", "Plan: %1 %2 in %n schemas", nullptr,
                                         plan.schemaCount())
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
    m_err << QCoreApplication::translate("fuelsync-db", "Phase %1 of %2: %3")
                 .arg(index + 1)
                 .arg(count)
                 .arg(scope == MigrationScope::Public
                          ? QCoreApplication::translate("fuelsync-db", "public")
                          : QCoreApplication::translate("fuelsync-db", "%n tenant schemas", nullptr,
                                                        schemas))
          << Qt::endl;
}

void ProgressPrinter::drawCounter()
{
    m_err << '\r'
          << QCoreApplication::translate("fuelsync-db", "  %1 of %2 schemas done")
                 .arg(m_done)
                 .arg(m_phaseSchemas);
    if (m_failed > 0)
        m_err << QCoreApplication::translate("fuelsync-db", ", %n failed", nullptr, m_failed);
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
              << (schema.failed() ? QCoreApplication::translate("fuelsync-db", "FAILED")
                                  : QCoreApplication::translate("fuelsync-db", "done in %1 ms")
                                        .arg(schema.durationMs))
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
