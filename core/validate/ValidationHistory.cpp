#include "ValidationHistory.h"

#include "backup/BackupLocation.h"
#include "backup/DurableFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStandardPaths>

namespace fuelsync {

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList fromArray(const QJsonValue &value)
{
    QStringList list;
    for (const auto &item : value.toArray())
        list.append(item.toString());
    return list;
}

} // namespace

ValidationHistory::Entry ValidationHistory::Entry::of(const SchemaValidator::Report &report)
{
    Entry e;
    e.startedAt = report.startedAt;
    e.finishedAt = report.finishedAt;
    e.target = report.database;
    e.runner = report.runner;
    e.checks = report.checks;
    e.tenantsChecked = report.tenantsChecked;
    e.errors = report.count(ValidationFinding::Severity::Error);
    e.warnings = report.count(ValidationFinding::Severity::Warning);
    e.infos = report.count(ValidationFinding::Severity::Info);
    e.notChecked = int(report.notChecked.size());
    e.exitCode = report.exitCode();
    QSet<QString> seen;
    for (const ValidationFinding &f : report.findings) {
        if (f.check == u"drift" && !seen.contains(f.schema)) {
            seen.insert(f.schema);
            e.drifted.append(f.schema);
        }
    }
    e.summary = report.summary;
    return e;
}

QJsonObject ValidationHistory::Entry::toJson() const
{
    return QJsonObject {
        { QStringLiteral("started_at"), startedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("finished_at"), finishedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("target"), target },
        { QStringLiteral("runner"), runner },
        { QStringLiteral("checks"), toArray(checks) },
        { QStringLiteral("tenants_checked"), tenantsChecked },
        { QStringLiteral("errors"), errors },
        { QStringLiteral("warnings"), warnings },
        { QStringLiteral("infos"), infos },
        { QStringLiteral("not_checked"), notChecked },
        { QStringLiteral("exit_code"), exitCode },
        { QStringLiteral("error"), error },
        { QStringLiteral("drifted"), toArray(drifted) },
        { QStringLiteral("summary"), toArray(summary) }
    };
}

ValidationHistory::Entry ValidationHistory::Entry::fromJson(const QJsonObject &json)
{
    Entry e;
    e.startedAt = QDateTime::fromString(json.value(QStringLiteral("started_at")).toString(),
                                        Qt::ISODateWithMs);
    e.finishedAt = QDateTime::fromString(json.value(QStringLiteral("finished_at")).toString(),
                                         Qt::ISODateWithMs);
    e.target = json.value(QStringLiteral("target")).toString();
    e.runner = json.value(QStringLiteral("runner")).toString();
    e.checks = fromArray(json.value(QStringLiteral("checks")));
    e.tenantsChecked = json.value(QStringLiteral("tenants_checked")).toInt();
    e.errors = json.value(QStringLiteral("errors")).toInt();
    e.warnings = json.value(QStringLiteral("warnings")).toInt();
    e.infos = json.value(QStringLiteral("infos")).toInt();
    e.notChecked = json.value(QStringLiteral("not_checked")).toInt();
    e.exitCode = json.value(QStringLiteral("exit_code")).toInt();
    e.error = json.value(QStringLiteral("error")).toString();
    e.drifted = fromArray(json.value(QStringLiteral("drifted")));
    e.summary = fromArray(json.value(QStringLiteral("summary")));
    return e;
}

ValidationHistory::ValidationHistory(QString folder)
    : m_folder(std::move(folder))
{ }

bool ValidationHistory::record(const Entry &entry) const
{
    if (!DurableFiles::makePrivateFolder(m_folder))
        return false;
    // Named by when it started, so names sort by time; the pid keeps two at once apart.
    if (!DurableFiles::writePrivateFile(
            QDir(m_folder).filePath(
                entry.startedAt.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmsszzz"))
                + QStringLiteral("-%1.json").arg(QCoreApplication::applicationPid())),
            QJsonDocument(entry.toJson()).toJson()))
        return false;
    const QDir dir(m_folder);
    const QStringList names = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (qsizetype i = 0; i + kept < names.size(); ++i)
        QFile::remove(dir.filePath(names.at(i)));
    return true;
}

QList<ValidationHistory::Entry> ValidationHistory::recent(int count) const
{
    const QDir dir(m_folder);
    const QStringList names = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
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

QString ValidationHistory::root()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/fuelsync-admin/validation");
}

QString ValidationHistory::folderFor(const QString &root, const QString &database,
                                     const QString &systemIdentifier, const QString &place)
{
    BackupLocation::Identity identity;
    identity.database = database;
    identity.systemIdentifier = systemIdentifier;
    identity.place = place;
    return QDir(root).filePath(QFileInfo(BackupLocation::folderFor(identity)).fileName());
}

} // namespace fuelsync
