#pragma once

#include <QString>

namespace fuelsync::DurableFiles {

// Flushes a file's or a directory's entries to the disk (fsync); false when it cannot be opened
// or synced. A folder is renamed into place only after its files and itself are synced, and
// the rename is made durable by syncing the parent.
bool syncFile(const QString &path);
bool syncDirectory(const QString &path);

// The SHA-256 (hex) of a file's bytes, and its size; empty when it cannot be read.
QString sha256(const QString &path, qint64 *bytes = nullptr);
QString sha256(const QByteArray &bytes);

// Backups hold every tenant's data and the platform's password hashes: their folders are
// 0700 and their files 0600, whatever the umask.
//
// Creates `path` and any missing parents with mode 0700 (existing folders are left as they are);
// false when it cannot.
bool makePrivateFolder(const QString &path);
// Writes `bytes` to `path` atomically (a temporary file renamed into place), synced, mode 0600.
bool writePrivateFile(const QString &path, const QByteArray &bytes);
// Whether a folder lets users other than its owner read or enter it.
bool othersCanRead(const QString &path);

} // namespace fuelsync::DurableFiles
