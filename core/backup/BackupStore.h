#pragma once

#include "BackupManifest.h"

#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// The backups in one folder: each complete backup is a sub-folder named by its id holding a
// manifest; hidden ".partial-" folders are runs that did not finish and are never listed as
// backups.
class BackupStore
{
public:
    struct Entry
    {
        QString id;
        QString folder; // absolute
        std::optional<BackupManifest> manifest;
        QString problem; // why the manifest could not be read
        // Its manifest matches the seal kept beside it (false for a backup of an earlier version,
        // which had none).
        bool sealed = false;
    };

    explicit BackupStore(const QString &folder);
    const QString &folder() const { return m_folder; }

    // Newest first (by id, which starts with the time it was taken).
    QList<Entry> list() const;
    std::optional<Entry> find(const QString &id) const;
    // Folders of runs that did not finish.
    QStringList partials() const;

private:
    QString m_folder;
};

} // namespace fuelsync
