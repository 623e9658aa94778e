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

} // namespace fuelsync::DurableFiles
