#pragma once

#include "ValidationFinding.h"
#include "common/JobControl.h"
#include "common/RequestError.h"
#include "db/ConnectionSettings.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace fuelsync {

class MigrationSet;

// A validation asked for something that is not there (a check, a tenant): bad usage, exit 2.
class ValidationRequestError : public RequestError
{
public:
    using RequestError::RequestError;
    int exitStatus() const override;
};

// `fuelsync-db validate`: what public's and every tenant's live schema really are, against what
// the migration files say they should be. Reads only: its sessions are READ ONLY with a statement
// timeout, so it runs on a read-only login too.
//
// The checks:
//   versions: tenants behind the files; versions applied with no file; a recorded checksum that is
//     not the file's; a registered tenant without its schema; a schema that keeps
//     schema_migrations but is not registered.
//   drift: public and each tenant against the reference of the version it records (the schema
//     the files produce at that version, ReferenceSchema), never against another tenant; extra,
//     missing and different objects are each named.
//   relationships: foreign keys that are not DEFERRABLE; constraints added NOT VALID and never
//     validated.
//   indexes: IndexCheck.
//   orphans: for every foreign key of the reference, the rows whose parent is missing.
//   health: HealthCheck.
//   comments: tables, columns and CHECK constraints without a comment.
class SchemaValidator
{
public:
    struct Options
    {
        QStringList tenants; // empty: every registered tenant
        QStringList checks; // empty: every check
        QString cacheDir; // where references are kept; empty: ReferenceSchema::defaultCacheDir()
        int statementTimeoutMs = 60'000;
        // How long the run may take; what it has not reached by then is not checked (said so,
        // never called clean). 0: no limit.
        int maxSeconds = 0;
        // Sessions that read the tenants' catalogs side by side (drift).
        int jobs = 2;
        // health: a session idle in a transaction or running one statement this long is named.
        int sessionSeconds = 60;
        // indexes and health: tables and indexes smaller than this are not called unused,
        // scanned sequentially or bloated (their cost is small).
        qint64 sizeThresholdBytes = qint64(10) << 20;
        // Where each run is kept (ValidationHistory, by database under this folder); empty:
        // nowhere. The front doors give ValidationHistory::root().
        QString historyRoot;
        QString runner; // who runs it, for the history
    };

    // A schema, or a check of one, that the run could not finish: never reported as clean.
    struct NotChecked
    {
        QString schema;
        QString check;
        QString reason;
    };

    struct Report
    {
        QString database;
        QDateTime startedAt;
        QDateTime finishedAt;
        QString runner;
        QString historyFolder; // where this run was recorded; empty: not recorded
        QStringList checks; // the checks that ran
        int tenantsChecked = 0;
        QList<ValidationFinding> findings;
        // Adds a finding: what every check's findings are made with.
        void add(const QString &check, ValidationFinding::Severity severity, const QString &schema,
                 const QString &object, const QString &problem, const QString &why,
                 const QString &fixSql = {}, bool fixOutsideTransaction = false,
                 QList<RowFilter> rows = {});
        QList<NotChecked> notChecked;
        // One line per group: "3 tenants match the reference of 005; 1 differs (demo_002)".
        QStringList summary;

        // Findings that say the same of the same object in several schemas (a comment missing
        // in every tenant), as one with the schemas it holds in, in the order first found. The
        // first finding's fix is for its schema; the others' are alike.
        struct Group
        {
            ValidationFinding finding;
            QStringList schemas;
        };
        QList<Group> grouped() const;

        // What was not checked, one entry per check and reason, with the schemas it holds for.
        struct NotCheckedGroup
        {
            QString check;
            QString reason;
            QStringList schemas;
        };
        QList<NotCheckedGroup> notCheckedGrouped() const;

        // The findings' fixes as one psql script, none of it run: those that run in a
        // transaction together first, then each that cannot (CREATE INDEX CONCURRENTLY) alone.
        QString fixScript() const;

        int count(ValidationFinding::Severity severity) const;
        // 0: no error finding, 1: an error finding or a schema not checked.
        int exitCode() const;
        QJsonObject toJson() const;
    };

    static QStringList checkNames();

    // Throws ValidationRequestError for an unknown check or tenant, RequestError when a reference
    // cannot be built (which file failed, and why), JobCancelled, and DbError when the server
    // cannot be reached.
    static Report run(const ConnectionSettings &settings, const MigrationSet &set,
                      const Options &options, JobControl &control);
};

} // namespace fuelsync
