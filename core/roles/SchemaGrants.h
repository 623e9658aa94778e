#pragma once

#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;

// What FuelSync's roles hold on a schema, made true after anything creates objects in it (roles
// setup over every schema; tenant create, a restore side by side and each migration over theirs):
//  - the schema and its objects belong to fuelsync_owner, where the session may give them away
//    (it acts as their owner and is a member of fuelsync_owner), so maintainers can change them
//    without being superusers and without owning them one by one;
//  - fuelsync_support has USAGE on the schema and SELECT on every table and view, except columns
//    that hold secrets (password hashes, tokens, keys: see secretColumnPattern), which it cannot
//    read (the table's SELECT is replaced by SELECT on its other columns).
// Default privileges cover objects fuelsync_owner creates; this covers what a login created
// itself, and tables whose secrets default privileges would have shown. Runs in the caller's
// transaction, so a migration's objects and their grants commit together. Does nothing in a
// database where `fuelsync-db roles setup` has not run.
class SchemaGrants
{
public:
    struct Result
    {
        int ownersChanged = 0; // objects given to fuelsync_owner
        int grantsMade = 0; // GRANT / REVOKE statements run
        // Objects left with their owner: the session may not give them away (named).
        QStringList notGiven;
    };

    // Whether `roles setup` has run on this cluster (the roles exist).
    static bool rolesExist(DbConnection &connection);
    // Whether it has run on this database: the roles exist, and fuelsync_owner's default
    // privileges (which setup sets in each database) are here. Other databases of the cluster
    // are left as they are.
    static bool isSetUp(DbConnection &connection);
    static Result apply(DbConnection &connection, const QStringList &schemas);

    // Column names taken as secrets (case-insensitive POSIX regular expression): a word of the
    // name is password, passwd, secret, token, salt, api_key / apikey or private_key.
    static const char *secretColumnPattern();
};

} // namespace fuelsync
