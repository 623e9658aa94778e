#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;

// Who ran what, where, when and how long: the rows of public's and the tenants'
// schema_migrations, newest first.
class MigrationHistory
{
public:
    struct Entry
    {
        QString schema;
        QString version;
        QString description;
        QDateTime executedAt;
        QString executedBy; // database role
        QString runner; // program, user and host that ran it, when recorded
        qint64 executionMs = -1;
    };

    // The `limit` newest entries over `schemas` (public and tenant schema names, checked against
    // the catalog; those without schema_migrations are skipped). Reads in chunks of schemas, so
    // thousands of tenants cost a few dozen queries.
    static QList<Entry> recent(DbConnection &connection, const QStringList &schemas, int limit);
};

} // namespace fuelsync
