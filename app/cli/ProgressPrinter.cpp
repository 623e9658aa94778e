#include "ProgressPrinter.h"

#include <QCoreApplication>

namespace fuelsync::cli {

ProgressPrinter::ProgressPrinter(QTextStream &err, bool quiet, bool details, bool terminal)
    : m_err(err)
    , m_quiet(quiet)
    , m_details(details)
    , m_terminal(terminal)
{ }

ProgressPrinter::~ProgressPrinter()
{
    finish();
}

JobControl::Listener ProgressPrinter::listener()
{
    return [this](const JobControl::Progress &progress) {
        show(progress);
    };
}

void ProgressPrinter::clearCounter()
{
    if (!m_counterShown)
        return;
    m_err << '\r' << QString(60, u' ') << '\r';
    m_counterShown = false;
}

void ProgressPrinter::show(const JobControl::Progress &progress)
{
    std::lock_guard lock(m_mutex);
    if (m_quiet)
        return;
    if (!m_stepShown || progress.step != m_step) {
        m_step = progress.step;
        m_stepShown = true;
        clearCounter();
        if (!m_step.isEmpty())
            m_err << m_step << Qt::endl;
    }
    if (m_details && !progress.detail.isEmpty()) {
        clearCounter();
        m_err << "  " << progress.detail << Qt::endl;
    }
    if (!m_terminal || progress.done == 0)
        return;
    m_err << '\r'
          << (progress.total > 0
                  ? QCoreApplication::translate("fuelsync-db", "  %1 of %2 done")
                        .arg(progress.done)
                        .arg(progress.total)
                  : QCoreApplication::translate("fuelsync-db", "  %1 done").arg(progress.done));
    if (progress.failed > 0)
        m_err << QCoreApplication::translate("fuelsync-db", ", %n failed", nullptr,
                                             int(progress.failed));
    m_err.flush();
    m_counterShown = true;
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
