#include "InterruptHandler.h"

#include <atomic>
#include <unistd.h>

namespace fuelsync::cli {

namespace {

// The newest handler's pipe: the only thing the signal handler touches.
std::atomic<int> g_writeEnd { -1 };

void onSignal(int)
{
    const char byte = 1;
    // write() is async-signal-safe; the watcher thread does the real work.
    [[maybe_unused]] const ssize_t written = write(g_writeEnd.load(), &byte, 1);
}

} // namespace

InterruptHandler::InterruptHandler(std::function<void()> onInterrupt)
{
    if (pipe(m_pipe) != 0) {
        m_pipe[0] = m_pipe[1] = -1;
        return;
    }
    const int readEnd = m_pipe[0];
    m_watcher = std::thread([readEnd, callback = std::move(onInterrupt)] {
        char byte = 0;
        // The first byte is a signal (or the destructor's 0 to stop watching).
        if (read(readEnd, &byte, 1) == 1 && byte == 1)
            callback();
    });
    m_previousWriteEnd = g_writeEnd.exchange(m_pipe[1]);
    struct sigaction action
    {
    };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // a second Ctrl-C ends the process at once
    sigaction(SIGINT, &action, &m_previousInt);
    sigaction(SIGTERM, &action, &m_previousTerm);
}

InterruptHandler::~InterruptHandler()
{
    if (m_pipe[1] < 0)
        return;
    sigaction(SIGINT, &m_previousInt, nullptr);
    sigaction(SIGTERM, &m_previousTerm, nullptr);
    g_writeEnd.store(m_previousWriteEnd);
    const char stop = 0;
    [[maybe_unused]] const ssize_t written = write(m_pipe[1], &stop, 1);
    if (m_watcher.joinable())
        m_watcher.join();
    close(m_pipe[0]);
    close(m_pipe[1]);
}

} // namespace fuelsync::cli
