#pragma once

#include <QString>

namespace fuelsync::SqlIdentifier {

// Always-quoted form of an identifier read from outside ("tenant_a" -> "\"tenant_a\"",
// a"b -> "\"a\"\"b\""). Unlike QSqlDriver::escapeIdentifier, which returns a name that starts or
// ends with '"' untouched and splits on '.', this is safe for any input.
QString quote(const QString &identifier);

// "schema"."name", each part quoted as quote() does.
QString qualified(const QString &schema, const QString &name);

// A lower-case SQL identifier that needs no quoting: [a-z_][a-z0-9_]{0,62}.
bool isPlainLowerCase(const QString &identifier);

} // namespace fuelsync::SqlIdentifier
