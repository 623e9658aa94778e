#include "BackupVerifier.h"

#include "BackupStore.h"
#include "DurableFiles.h"
#include "PgDumpTool.h"
#include "TableRowCounts.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/SqlIdentifier.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSaveFile>

namespace fuelsync {

namespace {

struct ToolRun
{
    bool ok = false;
    QByteArray output;
    QString error;
};

ToolRun runTool(const QString &program, const QStringList &arguments,
                const QProcessEnvironment &environment, const std::function<bool()> &cancelled)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    PgDumpTool::ownProcessGroup(process);
    process.start(program, arguments);
    ToolRun run;
    while (!process.waitForFinished(100)) {
        if (process.state() == QProcess::NotRunning)
            break;
        if (cancelled && cancelled()) {
            process.kill();
            process.waitForFinished(5000);
            throw RequestError(
                QCoreApplication::translate("BackupVerifier", "the verification was cancelled"));
        }
    }
    // A tool that ended as the cancel came tells nothing about the backup.
    if (cancelled && cancelled())
        throw RequestError(
            QCoreApplication::translate("BackupVerifier", "the verification was cancelled"));
    run.output = process.readAllStandardOutput();
    run.ok = process.error() != QProcess::FailedToStart
        && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (!run.ok) {
        run.error = QString::fromUtf8(process.readAllStandardError()).trimmed();
        if (run.error.isEmpty())
            run.error = process.errorString();
    }
    return run;
}

// A database of the verification's own, dropped when it goes away.
class ScratchDatabase
{
public:
    ScratchDatabase(const ConnectionSettings &settings, const QString &name)
        : m_admin(DbConnection::open(settings, QStringLiteral("backup verify")))
        , m_name(name)
    {
        m_admin->exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0")
                          .arg(SqlIdentifier::quote(name)));
    }
    ~ScratchDatabase()
    {
        try {
            m_admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                              .arg(SqlIdentifier::quote(m_name)));
        } catch (const std::exception &) {
            // The server went away; the name says what it was for.
        }
    }
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;

private:
    std::unique_ptr<DbConnection> m_admin;
    QString m_name;
};

} // namespace

std::optional<BackupVerification> BackupVerifier::lastVerification(const QString &folder)
{
    QFile file(QDir(folder).filePath(QLatin1String(BackupVerification::fileName)));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument json = QJsonDocument::fromJson(file.readAll());
    return json.isObject() ? BackupVerification::fromJson(json.object()) : std::nullopt;
}

BackupVerification BackupVerifier::verify(const QString &folder, const ConnectionSettings &settings,
                                          const Options &options)
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
    const auto step = [&options](const QString &text) {
        if (options.progress)
            options.progress(text);
    };

    BackupVerification result;
    result.backupId = manifest.id;
    result.at = QDateTime::currentDateTimeUtc();
    for (const BackupManifest::Schema &s : manifest.schemas) {
        step(tr("checking %1").arg(s.file));
        BackupVerification::Archive archive;
        archive.schema = s.name;
        const QString path = dir.filePath(s.file);
        qint64 bytes = 0;
        const QString sum = DurableFiles::sha256(path, &bytes);
        archive.checksumOk = sum == s.sha256 && bytes == s.bytes;
        if (sum.isEmpty())
            archive.problems.append(tr("%1 is missing or cannot be read").arg(s.file));
        else if (!archive.checksumOk)
            archive.problems.append(tr("%1 changed since the backup: its SHA-256 or size is not "
                                       "the manifest's")
                                        .arg(s.file));
        const ToolRun list = runTool(tool.pgRestore, { QStringLiteral("--list"), path },
                                     environment, options.cancelled);
        archive.readable = list.ok && list.output.contains("TABLE DATA");
        if (!list.ok)
            archive.problems.append(tr("pg_restore cannot read %1: %2").arg(s.file, list.error));
        else if (!archive.readable && !s.tables.isEmpty())
            archive.problems.append(tr("%1 holds no table data").arg(s.file));
        else
            archive.readable = true;
        result.archives.append(archive);
    }

    if (options.restoreTest) {
        result.restoreTested = true;
        result.scratchDatabase = QStringLiteral("fuelsync_verify_%1_%2")
                                     .arg(QCoreApplication::applicationPid())
                                     .arg(QRandomGenerator::global()->bounded(1'000'000));
        step(tr("restoring into %1").arg(result.scratchDatabase));
        const ScratchDatabase scratch(settings, result.scratchDatabase);
        const ConnectionSettings target = settings.withDatabase(result.scratchDatabase);
        auto restored = DbConnection::open(target, QStringLiteral("backup verify"));
        // public's archive creates public as it was.
        if (manifest.schema(QStringLiteral("public")))
            restored->exec(QStringLiteral("DROP SCHEMA public"));
        for (qsizetype i = 0; i < manifest.schemas.size(); ++i) {
            const BackupManifest::Schema &s = manifest.schemas.at(i);
            BackupVerification::Archive &archive = result.archives[i];
            if (!archive.checksumOk || !archive.readable)
                continue;
            step(tr("restoring %1").arg(s.name));
            const ToolRun run =
                runTool(tool.pgRestore,
                        { QStringLiteral("--exit-on-error"), QStringLiteral("--no-owner"),
                          QStringLiteral("--no-password"),
                          QStringLiteral("--dbname=") + target.conninfoWithoutPassword(),
                          dir.filePath(s.file) },
                        environment, options.cancelled);
            if (!run.ok) {
                archive.problems.append(tr("it does not restore: %1").arg(run.error));
                continue;
            }
            const QList<BackupManifest::Table> counts = TableRowCounts::read(*restored, s.name);
            QStringList differ;
            for (const BackupManifest::Table &t : s.tables) {
                const auto found =
                    std::find_if(counts.cbegin(), counts.cend(),
                                 [&t](const BackupManifest::Table &c) { return c.name == t.name; });
                if (found == counts.cend())
                    differ.append(tr("%1 is missing").arg(t.name));
                else if (found->rows != t.rows)
                    differ.append(tr("%1 has %2 rows, the manifest %3")
                                      .arg(t.name)
                                      .arg(found->rows)
                                      .arg(t.rows));
            }
            archive.restored = differ.isEmpty();
            if (!differ.isEmpty())
                archive.problems.append(
                    tr("restored rows differ: %1").arg(differ.join(QStringLiteral("; "))));
        }
        restored.reset();
    }
    result.durationMs = timer.elapsed();

    QSaveFile file(dir.filePath(QLatin1String(BackupVerification::fileName)));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(result.toJson()).toJson()) < 0
        || !file.commit())
        result.problems.append(tr("the result could not be kept in %1").arg(folder));
    return result;
}

} // namespace fuelsync
