#pragma once

#include <csignal>
#include <functional>
#include <thread>

namespace fuelsync::cli {

// While it lives, the first Ctrl-C (SIGINT or SIGTERM) calls `onInterrupt` from a watcher thread
// (never inside the signal handler) so a run can cancel cleanly; a second one ends the process.
// Handlers nest: the newest one alive gets the signal (a migration run inside a restore).
class InterruptHandler
{
public:
    explicit InterruptHandler(std::function<void()> onInterrupt);
    ~InterruptHandler();
    InterruptHandler(const InterruptHandler &) = delete;
    InterruptHandler &operator=(const InterruptHandler &) = delete;

private:
    int m_pipe[2] = { -1, -1 };
    int m_previousWriteEnd = -1;
    std::thread m_watcher;
    struct sigaction m_previousInt
    {
    };
    struct sigaction m_previousTerm
    {
    };
};

} // namespace fuelsync::cli
