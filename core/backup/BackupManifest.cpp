#include "BackupManifest.h"

#include "DurableFiles.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace fuelsync {

namespace {

QString invalid(const char *text)
{
    return QCoreApplication::translate("BackupManifest", text);
}

// A file name inside the backup's folder: no path, not hidden.
bool isPlainFileName(const QString &file)
{
    return !file.isEmpty() && !file.contains(u'/') && !file.startsWith(u'.');
}

QList<BackupManifest::Table> tablesOf(const QJsonObject &rows)
{
    QList<BackupManifest::Table> tables;
    for (auto it = rows.begin(); it != rows.end(); ++it)
        tables.append({ it.key(), qint64(it.value().toDouble()) });
    return tables;
}

} // namespace

QByteArray BackupManifest::sealOf(const QByteArray &manifestBytes)
{
    return QCryptographicHash::hash(manifestBytes, QCryptographicHash::Sha256).toHex() + "  "
        + fileName + '\n';
}

bool BackupManifest::writeTo(const QString &folder) const
{
    // The seal last, so a manifest is never sealed before it is whole.
    const QByteArray bytes = QJsonDocument(toJson()).toJson();
    return DurableFiles::writePrivateFile(QDir(folder).filePath(QLatin1String(fileName)), bytes)
        && DurableFiles::writePrivateFile(QDir(folder).filePath(QLatin1String(sealFileName)),
                                          sealOf(bytes));
}

qint64 BackupManifest::Schema::rows() const
{
    qint64 sum = 0;
    for (const Table &table : tables)
        sum += table.rows;
    return sum;
}

QString BackupManifest::placeOf(const QString &target)
{
    const qsizetype at = target.indexOf(u'@');
    return at < 0 ? target : target.mid(at + 1);
}

QString BackupManifest::databaseKey() const
{
    return systemIdentifier.isEmpty() ? placeOf(target) : systemIdentifier + u'/' + database;
}

qint64 BackupManifest::bytes() const
{
    qint64 sum = 0;
    for (const Archive &a : archives)
        sum += a.bytes;
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

const BackupManifest::Archive *BackupManifest::archiveOf(const QString &schemaName) const
{
    const Schema *s = schema(schemaName);
    if (!s)
        return nullptr;
    for (const Archive &a : archives) {
        if (a.file == s->archive)
            return &a;
    }
    return nullptr;
}

QJsonObject BackupManifest::toJson() const
{
    QJsonArray archiveList;
    for (const Archive &a : archives)
        archiveList.append(
            QJsonObject { { QStringLiteral("file"), a.file },
                          { QStringLiteral("bytes"), double(a.bytes) },
                          { QStringLiteral("sha256"), a.sha256 },
                          { QStringLiteral("dump_ms"), double(a.dumpMs) },
                          { QStringLiteral("schemas"), QJsonArray::fromStringList(a.schemas) } });
    QJsonArray schemaList;
    for (const Schema &s : schemas) {
        QJsonObject tableCounts;
        for (const Table &t : s.tables)
            tableCounts.insert(t.name, double(t.rows));
        schemaList.append(QJsonObject { { QStringLiteral("name"), s.name },
                                        { QStringLiteral("version"), s.version },
                                        { QStringLiteral("archive"), s.archive },
                                        { QStringLiteral("rows"), tableCounts } });
    }
    return QJsonObject {
        { QStringLiteral("format"), format },
        { QStringLiteral("id"), id },
        { QStringLiteral("database"), database },
        { QStringLiteral("system_identifier"), systemIdentifier },
        { QStringLiteral("scope"), allSchemas ? QStringLiteral("all") : QStringLiteral("named") },
        { QStringLiteral("registry"), QJsonArray::fromStringList(registry) },
        { QStringLiteral("target"), target },
        { QStringLiteral("server_version"), serverVersion },
        { QStringLiteral("pg_dump_version"), pgDumpVersion },
        { QStringLiteral("snapshot_at"), snapshotAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("started_at"), startedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("finished_at"), finishedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("duration_ms"), double(durationMs) },
        { QStringLiteral("jobs"), jobs },
        { QStringLiteral("archives"), archiveList },
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
    m.systemIdentifier = json.value(QStringLiteral("system_identifier")).toString();
    if (m.format >= 3) {
        const QString scope = json.value(QStringLiteral("scope")).toString();
        if (scope != u"all" && scope != u"named") {
            *error = invalid(QT_TRANSLATE_NOOP("BackupManifest",
                                               "the manifest does not say what it holds (scope)"));
            return std::nullopt;
        }
        m.allSchemas = scope == u"all";
        for (const QJsonValue name : json.value(QStringLiteral("registry")).toArray())
            m.registry.append(name.toString());
    }
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
    const auto archiveFrom = [](const QJsonObject &o) {
        Archive a;
        a.file = o.value(QStringLiteral("file")).toString();
        a.bytes = qint64(o.value(QStringLiteral("bytes")).toDouble());
        a.sha256 = o.value(QStringLiteral("sha256")).toString();
        a.dumpMs = qint64(o.value(QStringLiteral("dump_ms")).toDouble());
        return a;
    };
    for (const QJsonValue value : json.value(QStringLiteral("schemas")).toArray()) {
        const QJsonObject o = value.toObject();
        Schema s;
        s.name = o.value(QStringLiteral("name")).toString();
        s.version = o.value(QStringLiteral("version")).toString();
        s.tables = tablesOf(o.value(QStringLiteral("rows")).toObject());
        if (m.format == 1) {
            // Each schema had an archive of its own, named in its entry.
            Archive a = archiveFrom(o);
            a.schemas = QStringList { s.name };
            s.archive = a.file;
            m.archives.append(a);
        } else {
            s.archive = o.value(QStringLiteral("archive")).toString();
        }
        m.schemas.append(s);
    }
    if (m.format >= 2) {
        for (const QJsonValue value : json.value(QStringLiteral("archives")).toArray()) {
            const QJsonObject o = value.toObject();
            Archive a = archiveFrom(o);
            for (const QJsonValue name : o.value(QStringLiteral("schemas")).toArray())
                a.schemas.append(name.toString());
            m.archives.append(a);
        }
    }
    if (m.id.isEmpty() || m.schemas.isEmpty() || !m.snapshotAt.isValid()) {
        *error = invalid(
            QT_TRANSLATE_NOOP("BackupManifest", "the manifest has no id, no schemas or no time"));
        return std::nullopt;
    }
    // Every archive a safe file with its SHA-256, holding schemas that are listed; every schema
    // in exactly the archive its entry names.
    QSet<QString> files;
    QSet<QString> held;
    for (const Archive &a : std::as_const(m.archives)) {
        if (!isPlainFileName(a.file) || a.sha256.size() != 64 || a.schemas.isEmpty()
            || files.contains(a.file)) {
            *error = invalid(QT_TRANSLATE_NOOP(
                "BackupManifest",
                "the manifest lists an archive without a file name of its own, its "
                "SHA-256 or its schemas"));
            return std::nullopt;
        }
        files.insert(a.file);
        for (const QString &name : a.schemas) {
            const Schema *s = m.schema(name);
            if (!s || s->archive != a.file || held.contains(name)) {
                *error = invalid(QT_TRANSLATE_NOOP(
                    "BackupManifest", "the manifest's archives and schemas do not match"));
                return std::nullopt;
            }
            held.insert(name);
        }
    }
    for (const Schema &s : std::as_const(m.schemas)) {
        if (s.name.isEmpty() || !held.contains(s.name)) {
            *error = invalid(QT_TRANSLATE_NOOP(
                "BackupManifest", "the manifest lists a schema without a name or an archive"));
            return std::nullopt;
        }
    }
    if (held.size() != m.schemas.size()) {
        *error = invalid(QT_TRANSLATE_NOOP("BackupManifest", "the manifest lists a schema twice"));
        return std::nullopt;
    }
    // What it was to hold, recorded apart from the archives: public and every registered tenant.
    if (m.format >= 3 && m.allSchemas) {
        QStringList missing;
        for (const QString &name : QStringList { QStringLiteral("public") } + m.registry) {
            if (!held.contains(name))
                missing.append(name);
        }
        if (!missing.isEmpty()) {
            *error = QCoreApplication::translate(
                         "BackupManifest",
                         "the backup was to hold every schema, yet %1 (registered when it was "
                         "taken) is not in it")
                         .arg(missing.join(QStringLiteral(", ")));
            return std::nullopt;
        }
    }
    return m;
}

} // namespace fuelsync
