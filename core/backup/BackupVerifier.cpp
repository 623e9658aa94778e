#include "BackupVerifier.h"

#include "BackupSchemaSelection.h"
#include "BackupStore.h"
#include "DurableFiles.h"
#include "PgDumpTool.h"
#include "TableRowCounts.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/ScratchDatabase.h"
#include "db/SqlIdentifier.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

namespace fuelsync {

std::optional<BackupVerification> BackupVerifier::lastVerification(const QString &folder)
{
    QFile file(QDir(folder).filePath(QLatin1String(BackupVerification::fileName)));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument json = QJsonDocument::fromJson(file.readAll());
    return json.isObject() ? BackupVerification::fromJson(json.object()) : std::nullopt;
}

BackupVerification BackupVerifier::verify(const QString &folder, const ConnectionSettings &settings,
                                          const Options &options, JobControl &control)
{
    QElapsedTimer timer;
    timer.start();
    const QDir dir(folder);
    const auto entry = BackupStore(dir.absoluteFilePath(QStringLiteral(".."))).find(dir.dirName());
    if (!entry)
        throw RequestError(tr("%1 is not a backup").arg(folder));
    if (!entry->manifest)
        throw RequestError(tr("%1 is not a usable backup: %2").arg(folder, entry->problem));
    const BackupManifest &manifest = *entry->manifest;
    const PgDumpTool tool =
        PgDumpTool::locate(PgDumpTool::majorOf(manifest.serverVersion), options.pgBin);
    const QProcessEnvironment environment =
        PgDumpTool::environmentFor(settings, QStringLiteral("fuelsync-db backup verify"));
    const auto step = [&control](const QString &text) {
        control.setStep(text);
    };

    BackupVerification result;
    result.backupId = manifest.id;
    result.at = QDateTime::currentDateTimeUtc();
    for (const BackupManifest::Archive &a : manifest.archives) {
        step(tr("checking %1").arg(a.file));
        BackupVerification::Archive archive;
        archive.file = a.file;
        archive.schemas = a.schemas;
        const QString path = dir.filePath(a.file);
        qint64 bytes = 0;
        const QString sum = DurableFiles::sha256(path, &bytes);
        archive.checksumOk = sum == a.sha256 && bytes == a.bytes;
        if (sum.isEmpty())
            archive.problems.append(tr("%1 is missing or cannot be read").arg(a.file));
        else if (!archive.checksumOk)
            archive.problems.append(tr("%1 changed since the backup: its SHA-256 or size is not "
                                       "the manifest's")
                                        .arg(a.file));
        const PgDumpTool::Run list = PgDumpTool::run(
            tool.pgRestore, { QStringLiteral("--list"), path }, environment, &control);
        if (list.cancelled)
            throw JobCancelled(tr("the verification was cancelled"));
        // pg_dump writes TABLE DATA for every table, empty or not.
        bool anyTables = false;
        for (const QString &schema : a.schemas)
            anyTables = anyTables || !manifest.schema(schema)->tables.isEmpty();
        archive.readable = list.ok && list.output.contains("TABLE DATA");
        if (!list.ok)
            archive.problems.append(tr("pg_restore cannot read %1: %2").arg(a.file, list.error));
        else if (!archive.readable && anyTables)
            archive.problems.append(tr("%1 holds no table data").arg(a.file));
        else
            archive.readable = true;
        // Each schema the manifest says it holds is in it (public is in every database already,
        // so pg_dump need not define it).
        for (const QString &schema : a.schemas) {
            bool holds = false;
            if (list.ok && schema != u"public")
                BackupSchemaSelection::select(list.output, QByteArray(), schema, &holds);
            if (list.ok && schema != u"public" && !holds) {
                archive.readable = false;
                archive.problems.append(
                    tr("%1 does not hold the schema %2, which the manifest says it does")
                        .arg(a.file, schema));
            }
        }
        result.archives.append(archive);
    }

    if (options.restoreTest) {
        result.restoreTested = true;
        const ScratchDatabase scratch(settings, QStringLiteral("fuelsync_verify_"));
        result.scratchDatabase = scratch.name();
        step(tr("restoring into %1").arg(scratch.name()));
        const ConnectionSettings &target = scratch.settings();
        auto restored = DbConnection::open(target, QStringLiteral("backup verify"));
        // public's archive creates public as it was.
        if (manifest.schema(QStringLiteral("public")))
            restored->exec(QStringLiteral("DROP SCHEMA public"));
        for (qsizetype i = 0; i < manifest.archives.size(); ++i) {
            const BackupManifest::Archive &a = manifest.archives.at(i);
            BackupVerification::Archive &archive = result.archives[i];
            if (!archive.checksumOk || !archive.readable)
                continue;
            step(tr("restoring %1").arg(a.file));
            const PgDumpTool::Run run =
                PgDumpTool::run(tool.pgRestore,
                                { QStringLiteral("--exit-on-error"), QStringLiteral("--no-owner"),
                                  QStringLiteral("--no-password"),
                                  QStringLiteral("--dbname=") + target.conninfoWithoutPassword(),
                                  dir.filePath(a.file) },
                                environment, &control);
            if (run.cancelled)
                throw JobCancelled(tr("the verification was cancelled"));
            if (!run.ok) {
                archive.problems.append(tr("it does not restore: %1").arg(run.error));
                continue;
            }
            QStringList differ;
            for (const QString &schema : a.schemas) {
                const QStringList found =
                    TableRowCounts::differences(*restored, schema, manifest.schema(schema)->tables);
                for (const QString &d : found)
                    differ.append(a.schemas.size() == 1 ? d : schema + u'.' + d);
            }
            archive.restored = differ.isEmpty();
            if (!differ.isEmpty())
                archive.problems.append(
                    tr("restored rows differ: %1").arg(differ.join(QStringLiteral("; "))));
        }
        restored.reset();
    }
    result.durationMs = timer.elapsed();

    if (!DurableFiles::writePrivateFile(dir.filePath(QLatin1String(BackupVerification::fileName)),
                                        QJsonDocument(result.toJson()).toJson()))
        result.problems.append(tr("the result could not be kept in %1").arg(folder));
    return result;
}

} // namespace fuelsync
