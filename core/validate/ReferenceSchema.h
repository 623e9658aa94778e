#pragma once

#include "catalog/SchemaSnapshot.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"
#include "migrationfiles/MigrationVersion.h"

#include <QCoreApplication>

namespace fuelsync {

class MigrationSet;

// What the migration files produce at one version: public and a tenant schema, built by running
// the files up to that version in a scratch database on the server (dropped afterwards; for a
// login that may not create one, in a throwaway local cluster of the same major version), read
// from the catalog, and kept in a cache on disk keyed by the files' checksums, the version and
// the server's major version, so that each version is built once. This, not another tenant, is
// what a live schema is compared with.
class ReferenceSchema
{
    Q_DECLARE_TR_FUNCTIONS(ReferenceSchema)

public:
    SchemaSnapshot publicSchema;
    SchemaSnapshot tenantSchema;
    // SchemaSnapshot::fingerprintEach() of the reference tenant, read where it was built: what a
    // live tenant's digest is compared with.
    QString tenantDigest;

    // A foreign key of the reference: what the orphans check looks for in each live schema.
    struct ForeignKey
    {
        QString name;
        QString table;
        QStringList columns;
        bool parentInPublic = false; // else in the same schema as the child
        QString parentTable;
        QStringList parentColumns;
    };
    QList<ForeignKey> publicForeignKeys;
    QList<ForeignKey> tenantForeignKeys;
    QString version;
    bool fromCache = false;

    // The schema name the reference tenant is built under (never a tenant's).
    static QString tenantSchemaName();

    // The cache key: the version, each file up to it (version, scope, checksum) and the
    // server's major version.
    static QString cacheKey(const MigrationSet &set, const MigrationVersion &version,
                            int serverMajorVersion);

    // The reference at `version`, from `cacheDir` when it holds it, else built (and stored
    // there; an empty cacheDir keeps nothing). Throws RequestError when it cannot be built: the
    // login may not create a database, or a file fails (which, where, and the server's message).
    static ReferenceSchema obtain(const ConnectionSettings &settings, const MigrationSet &set,
                                  const MigrationVersion &version, int serverMajorVersion,
                                  const QString &cacheDir, JobControl &control);

    // Where references are kept by default: the user's cache folder.
    static QString defaultCacheDir();

private:
    // On the server when the login may create a database there, else in a local throwaway
    // cluster of the server's major version (buildLocally).
    static ReferenceSchema build(const ConnectionSettings &settings, const MigrationSet &set,
                                 const MigrationVersion &version, int serverMajorVersion,
                                 JobControl &control);
    static ReferenceSchema buildLocally(const MigrationSet &set, const MigrationVersion &version,
                                        int serverMajorVersion, const QString &whyNotHere,
                                        JobControl &control);
    // In a scratch database reached with `settings` (a login that may create one).
    static ReferenceSchema buildIn(const ConnectionSettings &settings, const MigrationSet &set,
                                   const MigrationVersion &version, JobControl &control);
};

} // namespace fuelsync
