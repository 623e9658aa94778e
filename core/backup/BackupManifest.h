#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fuelsync {

// What one backup holds, written as manifest.json in its folder when every archive is complete:
// when it was taken, from which server with which pg_dump; each archive's size and SHA-256 and
// the schemas it holds; and for each schema its migration version at that instant and its
// tables' row counts, all read in the snapshot the archives were dumped from.
//
// An archive holds one schema, or (when there are many tenants) several tenants: each pg_dump
// reads the whole catalog before any data, so one archive per schema costs that many catalog
// reads. A tenant is restored alone from a shared archive all the same (BackupSchemaSelection).
// Format 1 (one archive per schema, its file named in the schema's entry) is still read.
struct BackupManifest
{
    struct Table
    {
        QString name;
        qint64 rows = 0;
    };

    struct Archive
    {
        QString file; // relative to the backup's folder
        qint64 bytes = 0;
        QString sha256; // hex
        qint64 dumpMs = 0;
        QStringList schemas; // in the order they were named to pg_dump
    };

    struct Schema
    {
        QString name;
        QString version; // the newest migration applied to it; empty when none
        QString archive; // the file of the archive holding it
        QList<Table> tables;
        qint64 rows() const;
    };

    // Format 3 adds the server's identity, what the backup was to hold (every schema, or those
    // named) and the tenant registry as the snapshot saw it, and is sealed.
    static constexpr int currentFormat = 3;
    static constexpr const char *fileName = "manifest.json";
    // The manifest's own SHA-256, kept beside it ("<hex>  manifest.json", as sha256sum writes
    // it): a manifest that differs from its seal is not a usable backup. Format 3 must have one.
    static constexpr const char *sealFileName = "manifest.json.sha256";
    static QByteArray sealOf(const QByteArray &manifestBytes);

    int format = currentFormat;
    QString id; // the folder's name
    QString database;
    QString systemIdentifier; // the server's (pg_control_system()); empty before format 3
    // Every schema of the database (public and every registered tenant), or only those named.
    bool allSchemas = true;
    // The tenants public.tenants registered (with a schema) in the snapshot: with allSchemas,
    // each must be among `schemas`, so a tenant can never silently go missing from a backup.
    QStringList registry;
    QString target; // user@host:port/db, never with a password
    QString serverVersion; // "15.4"
    QString pgDumpVersion; // "pg_dump (PostgreSQL) 15.4"
    QDateTime snapshotAt; // the instant every archive shows
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 durationMs = 0;
    int jobs = 1;
    QList<Archive> archives;
    QList<Schema> schemas;

    // Which database the backup is of, for grouping: the server's identity and the database's
    // name; for a backup of an earlier version (no identity), where it was reached
    // (host:port/db, without the user).
    QString databaseKey() const;
    // "user@host:port/db" without "user@".
    static QString placeOf(const QString &target);

    qint64 bytes() const;
    const Schema *schema(const QString &name) const;
    const Archive *archiveOf(const QString &schemaName) const;

    QJsonObject toJson() const;
    // Writes manifest.json and then its seal into `folder`, private (0600) and synced; false when
    // either cannot be written.
    bool writeTo(const QString &folder) const;
    // Null, with the reason, for a manifest this version cannot read.
    static std::optional<BackupManifest> fromJson(const QJsonObject &json, QString *error);
};

} // namespace fuelsync
