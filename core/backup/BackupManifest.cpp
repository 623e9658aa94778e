#include "BackupManifest.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace fuelsync {

qint64 BackupManifest::Schema::rows() const
{
    qint64 sum = 0;
    for (const Table &table : tables)
        sum += table.rows;
    return sum;
}

qint64 BackupManifest::bytes() const
{
    qint64 sum = 0;
    for (const Schema &s : schemas)
        sum += s.bytes;
    return sum;
}

const BackupManifest::Schema *BackupManifest::schema(const QString &name) const
{
    for (const Schema &s : schemas) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

QJsonObject BackupManifest::toJson() const
{
    QJsonArray schemaList;
    for (const Schema &s : schemas) {
        QJsonObject tableCounts;
        for (const Table &t : s.tables)
            tableCounts.insert(t.name, double(t.rows));
        schemaList.append(QJsonObject { { QStringLiteral("name"), s.name },
                                        { QStringLiteral("version"), s.version },
                                        { QStringLiteral("file"), s.file },
                                        { QStringLiteral("bytes"), double(s.bytes) },
                                        { QStringLiteral("sha256"), s.sha256 },
                                        { QStringLiteral("dump_ms"), double(s.dumpMs) },
                                        { QStringLiteral("rows"), tableCounts } });
    }
    return QJsonObject {
        { QStringLiteral("format"), format },
        { QStringLiteral("id"), id },
        { QStringLiteral("database"), database },
        { QStringLiteral("target"), target },
        { QStringLiteral("server_version"), serverVersion },
        { QStringLiteral("pg_dump_version"), pgDumpVersion },
        { QStringLiteral("snapshot_at"), snapshotAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("started_at"), startedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("finished_at"), finishedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("duration_ms"), double(durationMs) },
        { QStringLiteral("jobs"), jobs },
        { QStringLiteral("schemas"), schemaList },
    };
}

std::optional<BackupManifest> BackupManifest::fromJson(const QJsonObject &json, QString *error)
{
    BackupManifest m;
    m.format = json.value(QStringLiteral("format")).toInt(0);
    if (m.format < 1 || m.format > currentFormat) {
        *error = QCoreApplication::translate("BackupManifest",
                                             "manifest format %1 is not one this version reads "
                                             "(1 to %2)")
                     .arg(m.format)
                     .arg(currentFormat);
        return std::nullopt;
    }
    m.id = json.value(QStringLiteral("id")).toString();
    m.database = json.value(QStringLiteral("database")).toString();
    m.target = json.value(QStringLiteral("target")).toString();
    m.serverVersion = json.value(QStringLiteral("server_version")).toString();
    m.pgDumpVersion = json.value(QStringLiteral("pg_dump_version")).toString();
    const auto time = [&json](const char *key) {
        return QDateTime::fromString(json.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
    };
    m.snapshotAt = time("snapshot_at");
    m.startedAt = time("started_at");
    m.finishedAt = time("finished_at");
    m.durationMs = qint64(json.value(QStringLiteral("duration_ms")).toDouble());
    m.jobs = json.value(QStringLiteral("jobs")).toInt(1);
    for (const QJsonValue &value : json.value(QStringLiteral("schemas")).toArray()) {
        const QJsonObject o = value.toObject();
        Schema s;
        s.name = o.value(QStringLiteral("name")).toString();
        s.version = o.value(QStringLiteral("version")).toString();
        s.file = o.value(QStringLiteral("file")).toString();
        s.bytes = qint64(o.value(QStringLiteral("bytes")).toDouble());
        s.sha256 = o.value(QStringLiteral("sha256")).toString();
        s.dumpMs = qint64(o.value(QStringLiteral("dump_ms")).toDouble());
        const QJsonObject rows = o.value(QStringLiteral("rows")).toObject();
        for (auto it = rows.begin(); it != rows.end(); ++it)
            s.tables.append({ it.key(), qint64(it.value().toDouble()) });
        if (s.name.isEmpty() || s.file.isEmpty() || s.sha256.size() != 64 || s.file.contains(u'/')
            || s.file.startsWith(u'.')) {
            *error = QCoreApplication::translate("BackupManifest",
                                                 "the manifest lists a schema without a name, "
                                                 "an archive file or its SHA-256");
            return std::nullopt;
        }
        m.schemas.append(s);
    }
    if (m.id.isEmpty() || m.schemas.isEmpty() || !m.snapshotAt.isValid()) {
        *error = QCoreApplication::translate("BackupManifest",
                                             "the manifest has no id, no schemas or no time");
        return std::nullopt;
    }
    return m;
}

} // namespace fuelsync
