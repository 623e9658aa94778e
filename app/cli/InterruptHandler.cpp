#include "InterruptHandler.h"

#include <atomic>
#include <csignal>
#include <thread>
#include <unistd.h>

namespace fuelsync::cli {

namespace {

int g_pipe[2] = { -1, -1 };
std::thread g_watcher;
struct sigaction g_previousInt;
struct sigaction g_previousTerm;

void onSignal(int)
{
    const char byte = 1;
    // write() is async-signal-safe; the watcher thread does the real work.
    [[maybe_unused]] const ssize_t written = write(g_pipe[1], &byte, 1);
}

} // namespace

InterruptHandler::InterruptHandler(std::function<void()> onInterrupt)
{
    if (pipe(g_pipe) != 0)
        return;
    g_watcher = std::thread([callback = std::move(onInterrupt)] {
        char byte = 0;
        // The first byte is a signal (or the destructor's 0 to stop watching).
        if (read(g_pipe[0], &byte, 1) == 1 && byte == 1)
            callback();
    });
    struct sigaction action
    {
    };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // a second Ctrl-C ends the process at once
    sigaction(SIGINT, &action, &g_previousInt);
    sigaction(SIGTERM, &action, &g_previousTerm);
}

InterruptHandler::~InterruptHandler()
{
    if (g_pipe[1] < 0)
        return;
    sigaction(SIGINT, &g_previousInt, nullptr);
    sigaction(SIGTERM, &g_previousTerm, nullptr);
    const char stop = 0;
    [[maybe_unused]] const ssize_t written = write(g_pipe[1], &stop, 1);
    if (g_watcher.joinable())
        g_watcher.join();
    close(g_pipe[0]);
    close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

} // namespace fuelsync::cli
