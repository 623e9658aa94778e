#pragma once

#include <QString>

namespace fuelsync {

class DbConnection;

// How many distinct release managers must approve a migration file before a production run
// applies it: public.fuelsync_approval_policy, one row per environment (only production is
// gated). Without a row, one. Changing it is the maintainers' (the grant is the permission) and
// is recorded in the audit, refusals included.
class ApprovalPolicy
{
public:
    static constexpr int maximum = 10;

    // Creates the table (default: one approval) with its grants, when missing, in the caller's
    // transaction. Roles setup does, so that the table is the superuser's and not one
    // maintainer's.
    static void ensure(DbConnection &connection);
    // The approvals production requires (1 when no policy was set).
    static int required(DbConnection &connection);
    // Sets it, creating the table (with its grants) when missing. Throws RequestError, nothing
    // changed, when the session may not: a login that is not a maintainer.
    static void setRequired(DbConnection &connection, int approvals);

    // "required:2" -> 2; 0 when the text is not a policy.
    static int parse(const QString &text);
};

} // namespace fuelsync
