#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// What checking one backup found, kept as verify.json in its folder: for each archive whether
// its bytes still have the manifest's SHA-256, whether pg_restore can read its table of contents,
// and (after a restore test) whether the rows restored are the manifest's.
struct BackupVerification
{
    struct Archive
    {
        QString file;
        QStringList schemas; // what it holds
        bool checksumOk = false;
        bool readable = false; // pg_restore --list
        bool restored = false; // with a restore test
        QStringList problems; // for a person
    };

    static constexpr const char *fileName = "verify.json";

    QString backupId;
    QDateTime at;
    bool restoreTested = false;
    QString scratchDatabase; // where the restore test ran (dropped since)
    qint64 durationMs = 0;
    QList<Archive> archives;
    QStringList problems; // of the backup as a whole

    bool ok() const;
    QStringList allProblems() const;

    QJsonObject toJson() const;
    static std::optional<BackupVerification> fromJson(const QJsonObject &json);
};

} // namespace fuelsync
