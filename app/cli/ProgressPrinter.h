#pragma once

#include "common/JobControl.h"

#include <QTextStream>

#include <mutex>

namespace fuelsync::cli {

// Shows a job's progress on stderr, whatever the job (a migration run, a backup, a restore, a
// seed): each step as a line, each finished item as a line when `details` is on, and on a
// terminal a live counter ("  3 of 12 done, 1 failed"). Its listener() is the job's
// JobControl listener, called from the job's worker threads.
class ProgressPrinter
{
public:
    ProgressPrinter(QTextStream &err, bool quiet, bool details, bool terminal);
    ~ProgressPrinter();
    ProgressPrinter(const ProgressPrinter &) = delete;
    ProgressPrinter &operator=(const ProgressPrinter &) = delete;

    JobControl::Listener listener();
    // Ends a counter's line; the destructor does it too.
    void finish();

private:
    void show(const JobControl::Progress &progress);
    void clearCounter();

    QTextStream &m_err;
    bool m_quiet;
    bool m_details;
    bool m_terminal;
    std::mutex m_mutex;
    QString m_step;
    bool m_stepShown = false;
    bool m_counterShown = false;
};

} // namespace fuelsync::cli
