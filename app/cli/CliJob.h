#pragma once

#include "InterruptHandler.h"
#include "ProgressPrinter.h"
#include "common/JobControl.h"

namespace fuelsync::cli {

class CliContext;

// What a command runs a long core operation with: the operation's JobControl, whose progress a
// ProgressPrinter shows on stderr (nothing with --quiet, or when `silent`, as for --json), and
// which Ctrl-C (SIGINT, SIGTERM) cancels while the job lives.
//
//     CliJob job(context, CliJob::Details::Always);
//     const BackupManifest manifest = BackupRunner::run(settings, options, job.control());
class CliJob
{
public:
    enum class Details {
        Always, // each finished item as a line (archives, restore stages)
        Verbose, // only with --verbose (a migration's schemas)
    };

    CliJob(CliContext &context, Details details, bool silent = false);
    ~CliJob();
    CliJob(const CliJob &) = delete;
    CliJob &operator=(const CliJob &) = delete;

    JobControl &control() { return m_control; }
    bool isCancelled() const { return m_control.isCancelled(); }
    // Ends the progress output (a counter's line), before the command prints its result.
    void finish() { m_printer.finish(); }

private:
    ProgressPrinter m_printer;
    JobControl m_control;
    InterruptHandler m_interrupt;
};

} // namespace fuelsync::cli
