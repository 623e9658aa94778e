#include "BackupRunLog.h"

#include "DurableFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace fuelsync {

namespace {

QString runsFolder(const QString &backupFolder)
{
    return QDir(backupFolder).filePath(QLatin1String(BackupRunLog::folderName));
}

} // namespace

QJsonObject BackupRunLog::Entry::toJson() const
{
    return QJsonObject {
        { QStringLiteral("started_at"), startedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("finished_at"), finishedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("ok"), ok },
        { QStringLiteral("backup"), backupId },
        { QStringLiteral("error"), error },
        { QStringLiteral("target"), target },
        { QStringLiteral("runner"), runner }
    };
}

BackupRunLog::Entry BackupRunLog::Entry::fromJson(const QJsonObject &json)
{
    Entry e;
    e.startedAt = QDateTime::fromString(json.value(QStringLiteral("started_at")).toString(),
                                        Qt::ISODateWithMs);
    e.finishedAt = QDateTime::fromString(json.value(QStringLiteral("finished_at")).toString(),
                                         Qt::ISODateWithMs);
    e.ok = json.value(QStringLiteral("ok")).toBool();
    e.backupId = json.value(QStringLiteral("backup")).toString();
    e.error = json.value(QStringLiteral("error")).toString();
    e.target = json.value(QStringLiteral("target")).toString();
    e.runner = json.value(QStringLiteral("runner")).toString();
    return e;
}

BackupRunLog::BackupRunLog(QString backupFolder)
    : m_folder(std::move(backupFolder))
{ }

bool BackupRunLog::record(const Entry &entry) const
{
    const QString folder = runsFolder(m_folder);
    if (!DurableFiles::makePrivateFolder(folder))
        return false;
    // Named by when it started, so names sort by time; the pid keeps two at once apart.
    if (!DurableFiles::writePrivateFile(
            QDir(folder).filePath(
                entry.startedAt.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmsszzz"))
                + QStringLiteral("-%1.json").arg(QCoreApplication::applicationPid())),
            QJsonDocument(entry.toJson()).toJson()))
        return false;
    const QDir dir(folder);
    const QStringList names = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (qsizetype i = 0; i + kept < names.size(); ++i)
        QFile::remove(dir.filePath(names.at(i)));
    return true;
}

QList<BackupRunLog::Entry> BackupRunLog::recent(int count) const
{
    const QDir dir(runsFolder(m_folder));
    QStringList names = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    QList<Entry> entries;
    for (qsizetype i = names.size() - 1; i >= 0 && entries.size() < count; --i) {
        QFile file(dir.filePath(names.at(i)));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonDocument json = QJsonDocument::fromJson(file.readAll());
        if (json.isObject())
            entries.append(Entry::fromJson(json.object()));
    }
    return entries;
}

} // namespace fuelsync
