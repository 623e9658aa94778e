#pragma once

#include <QString>

namespace fuelsync {

// Which migrations directory a front door uses when it is not told: FUELSYNC_MIGRATIONS_DIR,
// else ./migrations when it has a schema/ folder, else the installed copy next to the program
// (../share/fuelsync-admin/migrations), else the source tree the program was built from.
class MigrationsLocation
{
public:
    // `requested` (a --migrations flag) wins when it is not empty.
    static QString resolve(const QString &requested = QString());
};

} // namespace fuelsync
