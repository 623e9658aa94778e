#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace fuelsync {

// What each backup run came to, kept next to the backups (in a hidden ".runs" folder, the newest
// 200), so a night that failed is seen the next morning in `backup list` and in the window.
class BackupRunLog
{
public:
    struct Entry
    {
        QDateTime startedAt;
        QDateTime finishedAt;
        bool ok = false;
        QString backupId; // when it succeeded
        QString error; // when it failed
        QString target; // user@host:port/db
        QString runner;
        QJsonObject toJson() const;
        static Entry fromJson(const QJsonObject &json);
    };

    explicit BackupRunLog(QString backupFolder);

    // Adds the entry; false when the folder cannot be written (the run's own outcome stands).
    bool record(const Entry &entry) const;
    // Newest first.
    QList<Entry> recent(int count = 20) const;

    static constexpr int kept = 200;
    static constexpr const char *folderName = ".runs";

private:
    QString m_folder;
};

} // namespace fuelsync
