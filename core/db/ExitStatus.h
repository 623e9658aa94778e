#pragma once

#include <exception>

namespace fuelsync {

// What a command's exit status means, the same for every command of fuelsync-db (and for the
// reports core returns: a migration run's, a seed's, a new tenant's), so a script can tell a
// refusal from a server that cannot be reached, or from a run that another holds off.
struct ExitStatus
{
    static constexpr int Done = 0; // done, or nothing to do
    static constexpr int Failed = 1; // a statement failed, or the request was refused
    static constexpr int Usage = 2; // the command line or the request is not valid
    static constexpr int Unreachable = 3; // no connection could be made
    static constexpr int Busy = 4; // another run holds the run lock
    static constexpr int Cancelled = 130; // cancelled (Ctrl-C), as a shell reports SIGINT

    // The status an error ends a command with: a RequestError's own (RequestError::exitStatus),
    // a DbError's by its kind (3 when no connection could be made, else 1), and 130 for any error
    // after the work was cancelled (a statement the cancel stopped on the server).
    static int of(const std::exception &error, bool cancelled = false);
};

} // namespace fuelsync
