#include "BackupVerification.h"

#include <QJsonArray>

namespace fuelsync {

bool BackupVerification::ok() const
{
    if (!problems.isEmpty() || archives.isEmpty())
        return false;
    for (const Archive &a : archives) {
        if (!a.checksumOk || !a.readable || (restoreTested && !a.restored) || !a.problems.isEmpty())
            return false;
    }
    return true;
}

QStringList BackupVerification::allProblems() const
{
    QStringList all = problems;
    for (const Archive &a : archives) {
        for (const QString &p : a.problems)
            all.append((a.file.isEmpty() ? a.schemas.join(QStringLiteral(", ")) : a.file)
                       + QStringLiteral(": ") + p);
    }
    return all;
}

QJsonObject BackupVerification::toJson() const
{
    QJsonArray list;
    for (const Archive &a : archives)
        list.append(
            QJsonObject { { QStringLiteral("file"), a.file },
                          { QStringLiteral("schemas"), QJsonArray::fromStringList(a.schemas) },
                          { QStringLiteral("checksum_ok"), a.checksumOk },
                          { QStringLiteral("readable"), a.readable },
                          { QStringLiteral("restored"), a.restored },
                          { QStringLiteral("problems"), QJsonArray::fromStringList(a.problems) } });
    return QJsonObject { { QStringLiteral("backup"), backupId },
                         { QStringLiteral("at"), at.toUTC().toString(Qt::ISODateWithMs) },
                         { QStringLiteral("ok"), ok() },
                         { QStringLiteral("restore_tested"), restoreTested },
                         { QStringLiteral("scratch_database"), scratchDatabase },
                         { QStringLiteral("duration_ms"), double(durationMs) },
                         { QStringLiteral("archives"), list },
                         { QStringLiteral("problems"), QJsonArray::fromStringList(problems) } };
}

std::optional<BackupVerification> BackupVerification::fromJson(const QJsonObject &json)
{
    BackupVerification v;
    v.backupId = json.value(QStringLiteral("backup")).toString();
    v.at = QDateTime::fromString(json.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
    if (v.backupId.isEmpty() || !v.at.isValid())
        return std::nullopt;
    v.restoreTested = json.value(QStringLiteral("restore_tested")).toBool();
    v.scratchDatabase = json.value(QStringLiteral("scratch_database")).toString();
    v.durationMs = qint64(json.value(QStringLiteral("duration_ms")).toDouble());
    const auto strings = [](const QJsonValue &value) {
        QStringList list;
        for (const QJsonValue item : value.toArray())
            list.append(item.toString());
        return list;
    };
    for (const QJsonValue value : json.value(QStringLiteral("archives")).toArray()) {
        const QJsonObject o = value.toObject();
        // Before archives could hold several schemas, each named its one schema.
        QStringList schemas = strings(o.value(QStringLiteral("schemas")));
        if (o.contains(QStringLiteral("schema")))
            schemas.append(o.value(QStringLiteral("schema")).toString());
        v.archives.append({ o.value(QStringLiteral("file")).toString(), schemas,
                            o.value(QStringLiteral("checksum_ok")).toBool(),
                            o.value(QStringLiteral("readable")).toBool(),
                            o.value(QStringLiteral("restored")).toBool(),
                            strings(o.value(QStringLiteral("problems"))) });
    }
    v.problems = strings(json.value(QStringLiteral("problems")));
    return v;
}

} // namespace fuelsync
