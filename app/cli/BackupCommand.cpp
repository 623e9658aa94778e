#include "CliContext.h"
#include "CliJob.h"
#include "Commands.h"
#include "backup/BackupLocation.h"
#include "backup/BackupPruner.h"
#include "backup/BackupRestorer.h"
#include "backup/BackupRunLog.h"
#include "backup/BackupRunner.h"
#include "backup/BackupScheduleStore.h"
#include "backup/BackupStore.h"
#include "backup/BackupVerifier.h"
#include "backup/DurableFiles.h"
#include "backup/ScheduledBackup.h"
#include "backup/SystemdUserTimer.h"
#include "backup/TenantRestore.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ExitStatus.h"
#include "migrate/LockedSession.h"
#include "migrationfiles/MigrationSet.h"
#include "migrationfiles/MigrationVersion.h"
#include "validate/SchemaValidator.h"
#include "validate/ValidationHistory.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace fuelsync::cli {

namespace {

// --dest, else the database's own folder, found by the server's identity (backups kept by an
// earlier version in the connection's old folder are moved in, and that is said). False, with
// the exit status, when the server cannot be asked.
bool backupFolder(CliContext &context, const ConnectionSettings &settings, QString *folder,
                  int *exitCode, QString *label = nullptr)
{
    *folder = context.args().value(QStringLiteral("dest"));
    if (!folder->isEmpty())
        return true;
    try {
        auto connection = DbConnection::open(settings, QStringLiteral("backup-folder"));
        const BackupLocation::Resolved resolved =
            BackupLocation::resolve(*connection, context.connectionName(settings));
        *folder = resolved.folder;
        if (label)
            *label =
                QCoreApplication::translate("fuelsync-db", "%1 on the server %2 (reached as %3)")
                    .arg(resolved.identity.database, resolved.identity.systemIdentifier,
                         context.connectionName(settings));
        if (!resolved.adoptedFrom.isEmpty())
            context.err() << QCoreApplication::translate(
                                 "fuelsync-db",
                                 "Moved %n backup(s) and the run records of %1 from %2 into %3: "
                                 "backups are kept by database now, whichever profile or URI "
                                 "reaches it.",
                                 nullptr, int(resolved.adopted.size()))
                                 .arg(resolved.identity.database, resolved.adoptedFrom,
                                      resolved.folder)
                          << Qt::endl;
        if (!resolved.oldFolder.isEmpty())
            context.err() << QCoreApplication::translate(
                                 "fuelsync-db",
                                 "Left in %1, as not of this database or not a usable backup: "
                                 "%2 (name that folder with --dest to see them).")
                                 .arg(resolved.oldFolder,
                                      resolved.leftBehind.join(QStringLiteral(", ")))
                          << Qt::endl;
        if (resolved.identity.systemIdentifier.isEmpty())
            context.err() << QCoreApplication::translate(
                                 "fuelsync-db",
                                 "This login may not read the server's identity "
                                 "(pg_control_system()): its backups are filed by where it "
                                 "reached the database, %1.")
                                 .arg(resolved.identity.place)
                          << Qt::endl;
        return true;
    } catch (const DbError &e) {
        *exitCode = context.fail(e.text(), e.kind() == DbError::Kind::Connect ? 3 : 1);
        return false;
    }
}

// Records a run that failed before it reached the server (a wrong password, no server), where
// the connection's backups are, so `backup list` and the window show it.
void recordUnreachable(CliContext &context, const ConnectionSettings &settings,
                       const QString &folder)
{
    BackupRunLog::Entry entry;
    entry.startedAt = QDateTime::currentDateTimeUtc();
    entry.finishedAt = entry.startedAt;
    entry.error = context.lastError();
    entry.target = context.connectionName(settings);
    entry.runner = context.runner();
    BackupRunLog(folder).record(entry);
}

QString size(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

namespace BackupCommands {

int run(CliContext &context)
{
    BackupRunner::Options options;
    if (context.args().has(QStringLiteral("schemas-per-archive"))) {
        bool ok = false;
        options.schemasPerArchive =
            context.args().value(QStringLiteral("schemas-per-archive")).toInt(&ok);
        if (!ok || options.schemasPerArchive < 1)
            return context.fail(QCoreApplication::translate("fuelsync-db",
                                                            "--schemas-per-archive takes a "
                                                            "number from 1 up"),
                                2);
    }
    options.schemas = context.args().values(QStringLiteral("tenant"));
    options.pgBin = context.args().value(QStringLiteral("pg-bin"));
    options.runner = context.runner();
    if (!context.jobs(&options.jobs))
        return 2;
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode)) {
        // A login refused the command (a support login) is in the database's audit; only a
        // server that could not be reached goes into the folder's run log.
        if (exitCode != ExitStatus::Unreachable)
            return exitCode;
        const QString dest = context.args().value(QStringLiteral("dest"));
        recordUnreachable(
            context, settings,
            dest.isEmpty() ? BackupLocation::lastKnown(context.connectionName(settings)) : dest);
        return exitCode;
    }
    if (!backupFolder(context, settings, &options.destination, &exitCode)) {
        recordUnreachable(context, settings,
                          BackupLocation::lastKnown(context.connectionName(settings)));
        return exitCode;
    }
    const bool json = context.args().has(QStringLiteral("json"));
    CliJob job(context, CliJob::Details::Always, json);
    try {
        const BackupManifest manifest = BackupRunner::run(settings, options, job.control());
        job.finish();
        if (json) {
            context.out() << QJsonDocument(manifest.toJson()).toJson(QJsonDocument::Indented);
            return 0;
        }
        qint64 rows = 0;
        for (const BackupManifest::Schema &s : std::as_const(manifest.schemas))
            rows += s.rows();
        context.out() << QCoreApplication::translate("fuelsync-db",
                                                     "Backup %1: %n schema(s), %2, %3 rows, in "
                                                     "%4 s, in %5",
                                                     nullptr, int(manifest.schemas.size()))
                             .arg(manifest.id, size(manifest.bytes()), QLocale().toString(rows))
                             .arg(double(manifest.durationMs) / 1000, 0, 'f', 1)
                             .arg(
                                 QDir::toNativeSeparators(options.destination + u'/' + manifest.id))
                      << Qt::endl;
        return 0;
    } catch (const RequestError &e) {
        return context.fail(e, job.isCancelled());
    } catch (const DbError &e) {
        return context.fail(e, job.isCancelled());
    }
}

int list(CliContext &context)
{
    QString folder = context.args().value(QStringLiteral("dest"));
    QString label;
    if (folder.isEmpty()) {
        ConnectionSettings settings;
        int exitCode = 0;
        if (!context.connection(&settings, &exitCode))
            return exitCode;
        if (!backupFolder(context, settings, &folder, &exitCode, &label))
            return exitCode;
    }
    const BackupStore store(folder);
    const QList<BackupStore::Entry> entries = store.list();
    // Backups hold every tenant's data and the platform's password hashes.
    QStringList readable;
    if (DurableFiles::othersCanRead(store.folder()))
        readable.append(store.folder());
    for (const BackupStore::Entry &e : entries) {
        if (DurableFiles::othersCanRead(e.folder))
            readable.append(e.folder);
    }
    if (!readable.isEmpty())
        context.err() << QCoreApplication::translate(
                             "fuelsync-db",
                             "Warning: other users can read %1, though backups hold every "
                             "tenant's data and the platform's password hashes: chmod 700 it.")
                             .arg(readable.join(QStringLiteral(", ")))
                      << Qt::endl;
    if (context.args().has(QStringLiteral("json"))) {
        QJsonArray list;
        for (const BackupStore::Entry &e : entries) {
            QJsonObject o { { QStringLiteral("id"), e.id },
                            { QStringLiteral("folder"), e.folder } };
            if (e.manifest)
                o.insert(QStringLiteral("manifest"), e.manifest->toJson());
            else
                o.insert(QStringLiteral("problem"), e.problem);
            o.insert(QStringLiteral("sealed"), e.sealed);
            if (const auto verified = BackupVerifier::lastVerification(e.folder))
                o.insert(QStringLiteral("verification"), verified->toJson());
            list.append(o);
        }
        QJsonArray partials;
        for (const QString &p : store.partials())
            partials.append(p);
        QJsonArray runs;
        for (const BackupRunLog::Entry &run : BackupRunLog(store.folder()).recent(20))
            runs.append(run.toJson());
        context.out() << QJsonDocument(QJsonObject { { QStringLiteral("folder"), store.folder() },
                                                     { QStringLiteral("backups"), list },
                                                     { QStringLiteral("unfinished"), partials },
                                                     { QStringLiteral("runs"), runs } })
                             .toJson(QJsonDocument::Indented);
        return 0;
    }
    context.out() << (label.isEmpty()
                          ? QCoreApplication::translate("fuelsync-db", "Backups in %1:")
                                .arg(QDir::toNativeSeparators(store.folder()))
                          : QCoreApplication::translate("fuelsync-db", "Backups of %1, in %2:")
                                .arg(label, QDir::toNativeSeparators(store.folder())))
                  << Qt::endl;
    for (const BackupStore::Entry &e : entries) {
        if (!e.manifest) {
            context.out()
                << "  " << e.id << "  "
                << QCoreApplication::translate("fuelsync-db", "not usable: %1").arg(e.problem)
                << Qt::endl;
            continue;
        }
        const BackupManifest &m = *e.manifest;
        context.out() << "  " << e.id << "  "
                      << QCoreApplication::translate("fuelsync-db", "%n schema(s)", nullptr,
                                                     int(m.schemas.size()))
                      << ", " << size(m.bytes()) << ", "
                      << QStringLiteral("%1 s").arg(double(m.durationMs) / 1000, 0, 'f', 1) << ", "
                      << m.database << ", ";
        const auto verified = BackupVerifier::lastVerification(e.folder);
        if (!verified)
            context.out() << QCoreApplication::translate("fuelsync-db", "not verified");
        else
            context.out()
                << (verified->ok()
                        ? (verified->restoreTested
                               ? QCoreApplication::translate("fuelsync-db", "restore-tested %1")
                               : QCoreApplication::translate("fuelsync-db", "verified %1"))
                        : QCoreApplication::translate("fuelsync-db", "FAILED verification %1"))
                       .arg(
                           verified->at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        if (!e.sealed)
            context.out() << QCoreApplication::translate(
                "fuelsync-db", ", manifest not sealed (taken by an earlier version)");
        context.out() << Qt::endl;
    }
    if (entries.isEmpty())
        context.out() << "  " << QCoreApplication::translate("fuelsync-db", "none") << Qt::endl;
    // The latest run, and the failures since the last good one.
    const QList<BackupRunLog::Entry> runs = BackupRunLog(store.folder()).recent(20);
    for (const BackupRunLog::Entry &run : runs) {
        if (run.ok)
            break;
        context.out() << QCoreApplication::translate("fuelsync-db", "Run at %1 FAILED: %2")
                             .arg(run.startedAt.toLocalTime().toString(
                                      QStringLiteral("yyyy-MM-dd HH:mm")),
                                  run.error)
                      << Qt::endl;
    }
    const QStringList partials = store.partials();
    if (!partials.isEmpty())
        context.out() << QCoreApplication::translate("fuelsync-db",
                                                     "%n run(s) that did not finish left a "
                                                     "hidden folder (not a backup): %1",
                                                     nullptr, int(partials.size()))
                             .arg(partials.join(QStringLiteral(", ")))
                      << Qt::endl;
    return 0;
}

int verify(CliContext &context)
{
    const bool restoreTest = context.args().has(QStringLiteral("restore-test"));
    ConnectionSettings settings;
    QString folder = context.args().value(QStringLiteral("dest"));
    if (folder.isEmpty() || restoreTest) {
        int exitCode = 0;
        if (!context.connection(&settings, &exitCode)
            || !backupFolder(context, settings, &folder, &exitCode))
            return exitCode;
    }
    const BackupStore store(folder);
    QString id = context.args().word(2);
    if (id.isEmpty()) {
        const QList<BackupStore::Entry> entries = store.list();
        if (entries.isEmpty())
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "there is no backup in %1")
                    .arg(store.folder()),
                1);
        // The newest backup that can be checked at all.
        for (const BackupStore::Entry &e : entries) {
            if (e.manifest) {
                id = e.id;
                break;
            }
        }
        if (id.isEmpty())
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "there is no usable backup in %1")
                    .arg(store.folder()),
                1);
    }
    const auto entry = store.find(id);
    if (!entry)
        return context.fail(
            QCoreApplication::translate("fuelsync-db", "there is no backup %1 in %2")
                .arg(id, store.folder()),
            1);
    BackupVerifier::Options options;
    options.restoreTest = restoreTest;
    options.pgBin = context.args().value(QStringLiteral("pg-bin"));
    const bool json = context.args().has(QStringLiteral("json"));
    CliJob job(context, CliJob::Details::Always, json);
    try {
        const BackupVerification result =
            BackupVerifier::verify(entry->folder, settings, options, job.control());
        job.finish();
        if (json) {
            context.out() << QJsonDocument(result.toJson()).toJson(QJsonDocument::Indented);
        } else if (result.ok()) {
            context.out() << (result.restoreTested
                                  ? QCoreApplication::translate(
                                      "fuelsync-db",
                                      "Backup %1 is good: every archive has its checksum, "
                                      "reads, and restores with the manifest's rows.")
                                  : QCoreApplication::translate(
                                      "fuelsync-db",
                                      "Backup %1 is good: every archive has its checksum and "
                                      "reads (--restore-test also restores it)."))
                                 .arg(id)
                          << Qt::endl;
        } else {
            context.out() << QCoreApplication::translate("fuelsync-db",
                                                         "Backup %1 FAILED verification:")
                                 .arg(id)
                          << Qt::endl;
            for (const QString &problem : result.allProblems())
                context.out() << "  " << problem << Qt::endl;
        }
        return result.ok() ? 0 : 1;
    } catch (const RequestError &e) {
        return context.fail(e, job.isCancelled());
    } catch (const DbError &e) {
        return context.fail(e, job.isCancelled());
    }
}

namespace {

// --keep-last, --keep-daily, --keep-weekly, --keep-monthly; false after saying what is wrong.
bool retentionPolicy(CliContext &context, BackupRetention::Policy *policy)
{
    const QList<std::pair<const char *, int *>> counts {
        { "keep-last", &policy->keepLast },
        { "keep-daily", &policy->dailyDays },
        { "keep-weekly", &policy->weeklyWeeks },
        { "keep-monthly", &policy->monthlyMonths },
    };
    for (const auto &[name, target] : counts) {
        const QString option = QLatin1String(name);
        if (!context.args().has(option))
            continue;
        bool ok = false;
        *target = context.args().value(option).toInt(&ok);
        if (!ok || *target < 0 || *target > 100000) {
            context.fail(QCoreApplication::translate("fuelsync-db",
                                                     "--%1 takes a number of backups, days, "
                                                     "weeks or months")
                             .arg(option),
                         2);
            return false;
        }
    }
    return true;
}

} // namespace

int scheduleList(CliContext &context)
{
    BackupScheduleStore store;
    const QList<BackupSchedule> schedules = store.schedules();
    for (const BackupSchedule &s : schedules) {
        context.out() << s.name << "  "
                      << QCoreApplication::translate("fuelsync-db",
                                                     "profile %1, %2, verify %3%4, next %5")
                             .arg(s.profile, s.onCalendar(), BackupSchedule::verifyName(s.verify),
                                  s.validate ? QCoreApplication::translate("fuelsync-db",
                                                                           ", then validate")
                                             : QString(),
                                  s.nextRunAfter(QDateTime::currentDateTime())
                                      .toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                      << Qt::endl;
        if (s.lastRunAt.isValid())
            context.out() << "    "
                          << QCoreApplication::translate("fuelsync-db", "last run %1: %2 %3")
                                 .arg(s.lastRunAt.toLocalTime().toString(
                                          QStringLiteral("yyyy-MM-dd HH:mm")),
                                      s.lastRunOk ? QStringLiteral("ok") : QStringLiteral("FAILED"),
                                      s.lastRunResult)
                          << Qt::endl;
    }
    if (schedules.isEmpty())
        context.out() << QCoreApplication::translate("fuelsync-db", "No schedules.") << Qt::endl;
    return 0;
}

int scheduleRemove(CliContext &context)
{
    BackupScheduleStore store;
    const QString name = context.args().word(3);
    const auto schedule = store.find(name);
    if (!schedule)
        return context.fail(
            QCoreApplication::translate("fuelsync-db", "there is no schedule %1").arg(name), 1);
    SystemdUserTimer::uninstall(*schedule, !context.args().has(QStringLiteral("no-systemd")));
    store.remove(name);
    context.out() << QCoreApplication::translate("fuelsync-db", "Removed schedule %1.").arg(name)
                  << Qt::endl;
    return 0;
}

int scheduleAdd(CliContext &context)
{
    BackupScheduleStore store;
    BackupSchedule s;
    s.name = context.args().word(3);
    QString error;
    s.profile = context.args().value(QStringLiteral("profile"));
    s.schemas = context.args().values(QStringLiteral("tenant"));
    s.folder = context.args().value(QStringLiteral("dest"));
    if (context.args().has(QStringLiteral("at")))
        s.at =
            QTime::fromString(context.args().value(QStringLiteral("at")), QStringLiteral("HH:mm"));
    const auto weekdays =
        BackupSchedule::weekdaysFromText(context.args().value(QStringLiteral("days")));
    if (!weekdays)
        return context.fail(
            QCoreApplication::translate("fuelsync-db", "--days takes mon,tue,...,sun"), 2);
    s.weekdays = *weekdays;
    if (context.args().has(QStringLiteral("jobs")) && !context.jobs(&s.jobs))
        return 2;
    if (context.args().has(QStringLiteral("verify"))) {
        const auto verify =
            BackupSchedule::verifyFromName(context.args().value(QStringLiteral("verify")));
        if (!verify)
            return context.fail(QCoreApplication::translate("fuelsync-db",
                                                            "--verify takes none, check or "
                                                            "restore-test"),
                                2);
        s.verify = *verify;
    }
    s.validate = context.args().has(QStringLiteral("validate"));
    if (!retentionPolicy(context, &s.retention))
        return 2;
    if (!store.save(s, &error))
        return context.fail(error, 2);
    const QString program = context.program();
    const SystemdUserTimer::Result installed =
        SystemdUserTimer::install(s, program, !context.args().has(QStringLiteral("no-systemd")));
    context.out() << QCoreApplication::translate("fuelsync-db",
                                                 "Schedule %1: %2 (next %3), unit files in %4.")
                         .arg(s.name, s.onCalendar(),
                              s.nextRunAfter(QDateTime::currentDateTime())
                                  .toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                              installed.unitDirectory)
                  << Qt::endl;
    if (!installed.enabled)
        context.out() << QCoreApplication::translate("fuelsync-db",
                                                     "The timer is not enabled%1. Without systemd, "
                                                     "this crontab line does the same:\n  %2")
                             .arg(installed.message.isEmpty()
                                      ? QString()
                                      : QStringLiteral(" (%1)").arg(installed.message),
                                  s.cronLine(program))
                      << Qt::endl;
    return 0;
}

// What a schedule's timer runs: backup, verification and pruning, with the outcome kept.
int scheduled(CliContext &context)
{
    BackupScheduleStore store;
    const QString name = context.args().word(2);
    const auto schedule = store.find(name);
    if (!schedule)
        return context.fail(
            QCoreApplication::translate("fuelsync-db", "there is no schedule %1").arg(name), 2);
    ConnectionSettings settings;
    int exitCode = 0;
    if (!context.connection(&settings, &exitCode)) {
        if (exitCode != ExitStatus::Unreachable) {
            // Refused (the schedule's login may not back up): said as it is.
            store.recordRun(name, QDateTime::currentDateTimeUtc(), false, context.lastError());
            return exitCode;
        }
        const QString why = QCoreApplication::translate("fuelsync-db", "could not connect: %1")
                                .arg(context.lastError());
        store.recordRun(name, QDateTime::currentDateTimeUtc(), false, why);
        recordUnreachable(context, settings,
                          schedule->folder.isEmpty()
                              ? BackupLocation::lastKnown(context.connectionName(settings))
                              : schedule->folder);
        return exitCode;
    }
    QString folder = schedule->folder;
    if (folder.isEmpty() && !backupFolder(context, settings, &folder, &exitCode)) {
        store.recordRun(name, QDateTime::currentDateTimeUtc(), false, context.lastError());
        return exitCode;
    }
    ScheduledBackup::Outcome outcome;
    {
        CliJob job(context, CliJob::Details::Always);
        outcome =
            ScheduledBackup::run(*schedule, settings, folder, context.runner(), job.control());
    }
    if (schedule->validate) {
        // The daily "validate data integrity": every check, on record in validate history.
        SchemaValidator::Options options;
        options.historyRoot = ValidationHistory::root();
        options.runner = context.runner();
        options.tenants = schedule->schemas;
        options.tenants.removeAll(QStringLiteral("public"));
        QString validation;
        bool clean = false;
        try {
            CliJob job(context, CliJob::Details::Always);
            const SchemaValidator::Report report =
                SchemaValidator::run(settings, MigrationSet::load(context.migrationsDirectory()),
                                     options, job.control());
            const int errors = report.count(ValidationFinding::Severity::Error);
            const int warnings = report.count(ValidationFinding::Severity::Warning);
            const int notChecked = int(report.notChecked.size());
            clean = report.exitCode() == 0;
            validation = QCoreApplication::translate("fuelsync-db",
                                                     "validated: %1 error(s), %2 warning(s), %3 "
                                                     "not checked (validate history)")
                             .arg(errors)
                             .arg(warnings)
                             .arg(notChecked);
        } catch (const RequestError &e) {
            validation = QCoreApplication::translate("fuelsync-db", "validation failed: %1")
                             .arg(e.message());
        } catch (const DbError &e) {
            validation =
                QCoreApplication::translate("fuelsync-db", "validation failed: %1").arg(e.text());
        }
        outcome.summary += QStringLiteral("; ") + validation;
        outcome.ok = outcome.ok && clean;
    }
    store.recordRun(name, QDateTime::currentDateTimeUtc(), outcome.ok, outcome.summary);
    (outcome.ok ? context.out() : context.err()) << outcome.summary << Qt::endl;
    return outcome.ok ? 0 : 1;
}

int prune(CliContext &context)
{
    BackupRetention::Policy policy;
    if (!retentionPolicy(context, &policy))
        return 2;
    QString folder = context.args().value(QStringLiteral("dest"));
    // The database whose audit records the prune: the one connected to, when no --dest says
    // where the backups are instead.
    std::optional<ConnectionSettings> database;
    if (folder.isEmpty()) {
        ConnectionSettings settings;
        int exitCode = 0;
        if (!context.connection(&settings, &exitCode)
            || !backupFolder(context, settings, &folder, &exitCode))
            return exitCode;
        database = settings;
    }
    const bool dryRun = context.args().has(QStringLiteral("dry-run"));
    try {
        BackupPruner::Result result;
        {
            CliJob job(context, CliJob::Details::Always,
                       context.args().has(QStringLiteral("json")));
            result = BackupPruner::prune(folder, policy, dryRun, job.control());
        }
        if (database && !dryRun) {
            const QString notRecorded = BackupPruner::recordInAudit(*database, folder, result);
            if (!notRecorded.isEmpty())
                context.err() << QCoreApplication::translate("fuelsync-db",
                                                             "warning: not recorded in the "
                                                             "audit: %1")
                                     .arg(notRecorded)
                              << Qt::endl;
        }
        if (context.args().has(QStringLiteral("json"))) {
            QJsonArray decisions;
            for (const BackupRetention::Decision &d : result.decisions)
                decisions.append(QJsonObject {
                    { QStringLiteral("id"), d.id },
                    { QStringLiteral("keep"), d.keep },
                    { QStringLiteral("reasons"), QJsonArray::fromStringList(d.reasons) } });
            context.out() << QJsonDocument(
                                 QJsonObject { { QStringLiteral("dry_run"), dryRun },
                                               { QStringLiteral("backups"), decisions },
                                               { QStringLiteral("removed"),
                                                 QJsonArray::fromStringList(result.removed) },
                                               { QStringLiteral("leftovers_removed"),
                                                 QJsonArray::fromStringList(result.leftovers) } })
                                 .toJson(QJsonDocument::Indented);
            return 0;
        }
        for (const BackupRetention::Decision &d : result.decisions)
            context.out()
                << "  " << d.id << "  "
                << (d.keep ? QCoreApplication::translate("fuelsync-db", "keep (%1)")
                                 .arg(d.reasons.join(QStringLiteral(", ")))
                           : (dryRun ? QCoreApplication::translate("fuelsync-db", "would remove")
                                     : QCoreApplication::translate("fuelsync-db", "removed")))
                << Qt::endl;
        for (const QString &leftover : result.leftovers)
            context.out() << "  " << leftover << "  "
                          << (dryRun ? QCoreApplication::translate("fuelsync-db",
                                                                   "would remove (a run that died)")
                                     : QCoreApplication::translate("fuelsync-db",
                                                                   "removed (a run that died)"))
                          << Qt::endl;
        context.out() << (dryRun
                              ? QCoreApplication::translate("fuelsync-db",
                                                            "%n backup(s) would be removed "
                                                            "(dry run: nothing was).",
                                                            nullptr, int(result.removed.size()))
                              : QCoreApplication::translate("fuelsync-db", "%n backup(s) removed.",
                                                            nullptr, int(result.removed.size())))
                      << Qt::endl;
        return 0;
    } catch (const RequestError &e) {
        return context.fail(e);
    }
}

int restore(CliContext &context)
{
    const QString id = context.args().word(2);
    const QStringList tenants = context.args().values(QStringLiteral("tenant"));
    if (id.isEmpty() || tenants.size() != 1)
        return context.fail(QCoreApplication::translate("fuelsync-db",
                                                        "backup restore needs the backup and one "
                                                        "schema: backup restore ID "
                                                        "--tenant=SCHEMA [--as=NEWSCHEMA]"),
                            2);
    ConnectionSettings settings;
    int exitCode = 0;
    QString folder;
    if (!context.connection(&settings, &exitCode)
        || !backupFolder(context, settings, &folder, &exitCode))
        return exitCode;
    const BackupStore store(folder);
    const auto entry = store.find(id);
    if (!entry)
        return context.fail(
            QCoreApplication::translate("fuelsync-db", "there is no backup %1 in %2")
                .arg(id, store.folder()),
            1);
    BackupRestorer::Options options;
    options.schema = tenants.first();
    options.as = context.args().value(QStringLiteral("as"));
    options.allowPublic = context.args().has(QStringLiteral("public"));
    options.pgBin = context.args().value(QStringLiteral("pg-bin"));
    // Core's sequence, the one the window runs: plan, confirm, restore, offer to migrate.
    TenantRestore restore(settings, entry->folder, options,
                          MigrationSet::load(context.migrationsDirectory()));
    CliJob job(context, CliJob::Details::Always);
    try {
        const BackupRestorer::Plan &plan = restore.plan();
        // public's migrations run with every tenant's: --migrate brings a tenant up only.
        if (context.args().has(QStringLiteral("migrate")) && plan.schema != u"public"
            && restore.migrationsAhead())
            restore.checkMigrationFiles();
        context.out() << plan.describe() << Qt::endl;
        // Migration files newer than the backup: say what brings it up to date afterwards.
        if (restore.migrationsAhead())
            context.out() << restore.aheadText() << u' '
                          << QCoreApplication::translate("fuelsync-db",
                                                         "Afterwards, this brings it up to date: "
                                                         "%1")
                                 // public's migrations run first in any migrate up.
                                 .arg(plan.schema == u"public"
                                          ? QStringLiteral("fuelsync-db migrate up")
                                          : QStringLiteral("fuelsync-db migrate up --tenant=")
                                              + plan.target)
                          << Qt::endl;
        if (!context.confirm(restore.confirmation()))
            return context.fail(
                QCoreApplication::translate("fuelsync-db", "not confirmed; nothing was restored"),
                context.interactive() ? ExitStatus::Failed : ExitStatus::Usage);
        const BackupRestorer::Result result = restore.restore(job.control());
        job.finish();
        context.out() << QCoreApplication::translate("fuelsync-db",
                                                     "Restored %1 as %2: %3 rows, in %4 s.")
                             .arg(plan.schema, plan.target, QLocale().toString(result.restoredRows))
                             .arg(double(result.durationMs) / 1000, 0, 'f', 1)
                      << Qt::endl;
        const auto offer = restore.migrationOffer();
        if (!offer)
            return ExitStatus::Done;
        // The offer: with --migrate, or asked at a terminal.
        const bool migrate = context.args().has(QStringLiteral("migrate"))
            || (!context.args().has(QStringLiteral("yes"))
                && context.ask(QCoreApplication::translate("fuelsync-db",
                                                           "Bring %1 up to %2 now? Type yes to "
                                                           "migrate it:")
                                   .arg(plan.target, offer->text()),
                               QStringLiteral("yes")));
        if (!migrate)
            return ExitStatus::Done;
        return runMigration(context, restore.migrationOptions(context.runner()));
    } catch (const RequestError &e) {
        return context.fail(e, job.isCancelled());
    } catch (const DbError &e) {
        return context.fail(e, job.isCancelled());
    }
}

} // namespace BackupCommands

} // namespace fuelsync::cli
