#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

// How a backup's schemas are spread over archives. Every pg_dump reads the whole catalog before
// any data (about half a second with 200 tenants), so an archive per schema costs a catalog read
// per schema and grows with the square of the tenants; packing tenants keeps a backup as fast as
// one pg_dump of the database. A tenant is restored alone from a shared archive all the same.
//  - public, and any schema whose name is not a plain lower-case identifier, gets an archive of
//    its own: "<name>.dump" (or "schema-<n>.dump" for a name that is no safe file name).
//  - Tenants get one each ("<name>.dump") while there are at most automaticArchives(jobs) of
//    them, or when schemasPerArchive is 1; else they are packed into "tenants-<k>.dump" archives
//    balanced by size (largest first into the lightest), at most schemasPerArchive in each when
//    it is given, else automaticArchives(jobs) of them.
struct BackupArchiveLayout
{
    struct SchemaSize
    {
        QString name;
        qint64 bytes = 0; // its tables' size on disk, to balance the archives
    };

    struct Archive
    {
        QString file;
        QStringList schemas; // in the order given, except that a packed archive's are sorted
        qint64 bytes = 0; // the schemas' sizes added up
    };

    // Tenant archives when packing is automatic: four for each pg_dump running at once.
    static int automaticArchives(int jobs);

    // The archives for `schemas` (each named once), in the order the schemas are given: those of
    // their own first, then the packed ones. schemasPerArchive: 0 automatic, 1 one each, N at
    // most N tenants in an archive.
    static QList<Archive> plan(const QList<SchemaSize> &schemas, int jobs, int schemasPerArchive);
};

} // namespace fuelsync
