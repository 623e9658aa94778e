#pragma once

#include <QString>

namespace fuelsync::TenantSchemaName {

// A tenant schema name must be a lower-case SQL identifier ([a-z_][a-z0-9_]{0,62}) that is not
// `public`, `information_schema` or a `pg_` schema. Returns an empty string when valid, else the
// reason in words.
QString check(const QString &name);
inline bool isValid(const QString &name)
{
    return check(name).isEmpty();
}

} // namespace fuelsync::TenantSchemaName
