#include "ExitStatus.h"

#include "DbError.h"
#include "common/RequestError.h"

namespace fuelsync {

int ExitStatus::of(const std::exception &error, bool cancelled)
{
    if (cancelled)
        return Cancelled;
    if (const auto *request = dynamic_cast<const RequestError *>(&error))
        return request->exitStatus();
    // A statement cancelled without a cancel of ours (statement_timeout) failed.
    if (const auto *db = dynamic_cast<const DbError *>(&error))
        return db->kind() == DbError::Kind::Connect ? Unreachable : Failed;
    return Failed;
}

} // namespace fuelsync
