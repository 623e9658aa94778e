#pragma once

#include "catalog/SchemaSnapshot.h"

#include <QString>
#include <QStringList>

namespace fuelsync::ValidationChecks {

// The validator's checks, by the names `validate --check` takes.
inline const QString versions = QStringLiteral("versions");
inline const QString drift = QStringLiteral("drift");
inline const QString relationships = QStringLiteral("relationships");
inline const QString indexes = QStringLiteral("indexes");
inline const QString orphans = QStringLiteral("orphans");
inline const QString health = QStringLiteral("health");
inline const QString comments = QStringLiteral("comments");

// Tables the tool keeps beside the files' objects: compared by the versions check, not by the
// others.
inline QStringList toolOwnedTables()
{
    return { QStringLiteral("schema_migrations"), QStringLiteral("migration_approvals") };
}

// Whether an object's name within its schema is one of those tables' (their columns, indexes,
// constraints, comments).
inline bool toolOwned(const QString &name)
{
    return SchemaSnapshot::belongsTo(name, toolOwnedTables());
}

} // namespace fuelsync::ValidationChecks
