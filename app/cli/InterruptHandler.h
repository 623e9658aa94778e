#pragma once

#include <functional>

namespace fuelsync::cli {

// While it lives, the first Ctrl-C (SIGINT or SIGTERM) calls `onInterrupt` from a watcher thread
// (never inside the signal handler) so a run can cancel cleanly; a second one ends the process.
class InterruptHandler
{
public:
    explicit InterruptHandler(std::function<void()> onInterrupt);
    ~InterruptHandler();
    InterruptHandler(const InterruptHandler &) = delete;
    InterruptHandler &operator=(const InterruptHandler &) = delete;
};

} // namespace fuelsync::cli
