#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;

// The definition of everything in one or more schemas (tables, views, sequences, columns,
// constraints, indexes, functions, triggers, types, comments), read from the catalog. Two
// snapshots compare to a readable list of changes; the dry run uses it to say what a migration
// would change, and tests use it to show that a refused or failed run changed nothing.
class SchemaSnapshot
{
public:
    static SchemaSnapshot capture(DbConnection &connection, const QStringList &schemas);

    // "+ table stations", "- column sales.profit", "~ column sales.amount: numeric(12,2) →
    // numeric(14,2)". Objects whose name contains one of `ignore` are left out.
    QStringList changesTo(const SchemaSnapshot &after, const QStringList &ignore = {}) const;

    bool operator==(const SchemaSnapshot &other) const { return m_objects == other.m_objects; }
    bool isEmpty() const { return m_objects.isEmpty(); }

private:
    QMap<QString, QString> m_objects; // "kind name" -> definition
};

} // namespace fuelsync
