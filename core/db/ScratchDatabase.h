#pragma once

#include "db/ConnectionSettings.h"

#include <memory>

namespace fuelsync {

class DbConnection;

// A database of a verification's, a restore's or a validation reference's own on the server,
// created empty (from template0) and dropped when it goes away, whatever happened. Its name is the
// prefix, the process id and a random number, so a leftover says what it was for.
class ScratchDatabase
{
public:
    ScratchDatabase(const ConnectionSettings &settings, const QString &prefix);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;

    const QString &name() const { return m_name; }
    const ConnectionSettings &settings() const { return m_settings; } // reaching it

private:
    std::unique_ptr<DbConnection> m_admin;
    QString m_name;
    ConnectionSettings m_settings;
};

} // namespace fuelsync
