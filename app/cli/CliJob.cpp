#include "CliJob.h"

#include "CliContext.h"

namespace fuelsync::cli {

CliJob::CliJob(CliContext &context, Details details, bool silent)
    : m_printer(context.err(), context.quiet() || silent,
                details == Details::Always || context.verbose(), context.stderrIsTerminal())
    , m_control(m_printer.listener())
    , m_interrupt([this] { m_control.cancel(); })
{ }

CliJob::~CliJob() = default;

} // namespace fuelsync::cli
