#include "BackupStore.h"

#include "BackupRunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cctype>

namespace fuelsync {

BackupStore::BackupStore(const QString &folder)
    : m_folder(QDir(folder).absolutePath())
{ }

QList<BackupStore::Entry> BackupStore::list() const
{
    QList<Entry> entries;
    const QDir dir(m_folder);
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        Entry entry;
        entry.id = name;
        entry.folder = dir.filePath(name);
        QFile file(QDir(entry.folder).filePath(QLatin1String(BackupManifest::fileName)));
        QFile seal(QDir(entry.folder).filePath(QLatin1String(BackupManifest::sealFileName)));
        if (!file.open(QIODevice::ReadOnly)) {
            entry.problem = QCoreApplication::translate("BackupStore", "it has no manifest");
        } else {
            const QByteArray bytes = file.readAll();
            // The seal first: a manifest edited, or a byte of it flipped, is not believed. The
            // seal's digest is what counts, however its line ends.
            const bool hasSeal = seal.open(QIODevice::ReadOnly);
            const QByteArray sealed = hasSeal ? seal.readAll().trimmed().left(64) : QByteArray();
            const bool sealReadable = sealed.size() == 64
                && std::all_of(sealed.cbegin(), sealed.cend(),
                               [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
            entry.sealed =
                sealReadable && sealed.toLower() == BackupManifest::sealOf(bytes).left(64);
            QJsonParseError parse;
            const QJsonDocument json = QJsonDocument::fromJson(bytes, &parse);
            if (hasSeal && !sealReadable)
                entry.problem = QCoreApplication::translate(
                                    "BackupStore", "its seal (%1) is damaged: it holds no SHA-256")
                                    .arg(QLatin1String(BackupManifest::sealFileName));
            else if (hasSeal && !entry.sealed)
                entry.problem = QCoreApplication::translate("BackupStore",
                                                            "its manifest changed after the backup "
                                                            "was taken: its SHA-256 is not the one "
                                                            "sealed in %1")
                                    .arg(QLatin1String(BackupManifest::sealFileName));
            else if (!json.isObject())
                entry.problem =
                    QCoreApplication::translate("BackupStore", "its manifest is not JSON: %1")
                        .arg(parse.errorString());
            else
                entry.manifest = BackupManifest::fromJson(json.object(), &entry.problem);
            if (entry.manifest && !entry.sealed && entry.manifest->format >= 3) {
                entry.problem = QCoreApplication::translate("BackupStore",
                                                            "its manifest's seal (%1) is missing")
                                    .arg(QLatin1String(BackupManifest::sealFileName));
                entry.manifest.reset();
            }
            if (entry.manifest && entry.manifest->id != name) {
                entry.problem =
                    QCoreApplication::translate("BackupStore", "its manifest is of backup %1")
                        .arg(entry.manifest->id);
                entry.manifest.reset();
            }
        }
        entries.append(entry);
    }
    std::reverse(entries.begin(), entries.end());
    return entries;
}

std::optional<BackupStore::Entry> BackupStore::find(const QString &id) const
{
    for (const Entry &entry : list()) {
        if (entry.id == id)
            return entry;
    }
    return std::nullopt;
}

QStringList BackupStore::partials() const
{
    const QDir dir(m_folder);
    QStringList found;
    for (const QString &name :
         dir.entryList({ QLatin1String(BackupRunner::partialPrefix) + u'*' },
                       QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name))
        found.append(dir.filePath(name));
    return found;
}

} // namespace fuelsync
