#pragma once

#include "MigrationPlan.h"
#include "MigrationRunReport.h"
#include "common/JobControl.h"
#include "db/SessionOptions.h"

#include <functional>

namespace fuelsync {

class DbConnection;
class MigrationProgress;

// Applies (or rolls back) the planned migrations of one schema on one session.
//
// Each migration runs in a transaction of its own together with its schema_migrations row, so a
// failure leaves the schema exactly as it was before that migration, and a killed runner leaves
// nothing half-applied. Statements are sent one at a time so that a server error points to the
// file and line it came from. A dry run tries the schema's migrations in one transaction that is
// rolled back, and reports the changes they would make.
class SchemaMigrator
{
public:
    struct Options
    {
        MigrationPlan::Direction direction = MigrationPlan::Direction::Up;
        bool dryRun = false;
        int lockTimeoutMs = SessionOptions::defaultChangeLockTimeoutMs;
        QString runner; // recorded in schema_migrations.runner
        const JobControl *control = nullptr; // asked between statements
        std::function<QString(int backendPid)> lockWaitFor; // describes a lock_timeout's lock
        MigrationProgress *progress = nullptr;
    };

    SchemaMigrator(DbConnection &connection, const SchemaWork &work, const Options &options);
    SchemaOutcome run();

    // search_path for a schema: the tenant first, then public (so shared objects such as
    // extension functions resolve); `public` alone for the public schema.
    static QString searchPathFor(const QString &schema);

private:
    void prepareSession();
    void applyAll();
    void rollBackAll();
    void runStatements(const SqlScript &script, const QString &file, StepOutcome &step);
    void fail(StepOutcome &step, const std::exception &error, const QString &file, int line);
    void finishStep(const StepOutcome &step);
    void markRest(qsizetype from, StepStatus status, const QString &note);
    void throwIfCancelled() const;
    // Rows of public.tenants, or -1 when there is no such table.
    qint64 registeredTenants();
    QStringList snapshotChanges(const class SchemaSnapshot &before);

    DbConnection &m_connection;
    const SchemaWork &m_work;
    const Options &m_options;
    SchemaOutcome m_outcome;
    int m_currentLine = 0;
};

} // namespace fuelsync
