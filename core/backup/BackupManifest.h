#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// What one backup holds, written as manifest.json in its folder when every archive is complete:
// when it was taken, from which server with which pg_dump, and for each schema its migration
// version at that instant, its archive's size and SHA-256, and its tables' row counts, all read
// in the snapshot the archives were dumped from.
struct BackupManifest
{
    struct Table
    {
        QString name;
        qint64 rows = 0;
    };

    struct Schema
    {
        QString name;
        QString version; // the newest migration applied to it; empty when none
        QString file; // the archive, relative to the backup's folder
        qint64 bytes = 0;
        QString sha256; // hex
        qint64 dumpMs = 0;
        QList<Table> tables;
        qint64 rows() const;
    };

    static constexpr int currentFormat = 1;
    static constexpr const char *fileName = "manifest.json";

    int format = currentFormat;
    QString id; // the folder's name
    QString database;
    QString target; // user@host:port/db, never with a password
    QString serverVersion; // "15.4"
    QString pgDumpVersion; // "pg_dump (PostgreSQL) 15.4"
    QDateTime snapshotAt; // the instant every archive shows
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 durationMs = 0;
    int jobs = 1;
    QList<Schema> schemas;

    qint64 bytes() const;
    const Schema *schema(const QString &name) const;

    QJsonObject toJson() const;
    // Null, with the reason, for a manifest this version cannot read.
    static std::optional<BackupManifest> fromJson(const QJsonObject &json, QString *error);
};

} // namespace fuelsync
