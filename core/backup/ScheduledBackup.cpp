#include "ScheduledBackup.h"

#include "BackupPruner.h"
#include "BackupRunner.h"
#include "BackupVerifier.h"
#include "common/RequestError.h"

#include <QDir>

namespace fuelsync {

ScheduledBackup::Outcome ScheduledBackup::run(const BackupSchedule &schedule,
                                              const ConnectionSettings &settings,
                                              const QString &folder, const QString &runner,
                                              JobControl &control)
{
    Outcome outcome;
    try {
        BackupRunner::Options options;
        options.schemas = schedule.schemas;
        options.jobs = schedule.jobs;
        options.destination = folder;
        options.runner = runner;
        const BackupManifest manifest = BackupRunner::run(settings, options, control);
        outcome.backupId = manifest.id;
        QStringList parts { tr("backup %1 taken").arg(manifest.id) };
        if (schedule.verify != BackupSchedule::Verify::None) {
            BackupVerifier::Options verify;
            verify.restoreTest = schedule.verify == BackupSchedule::Verify::RestoreTest;
            const BackupVerification checked = BackupVerifier::verify(
                QDir(folder).filePath(manifest.id), settings, verify, control);
            if (!checked.ok()) {
                outcome.summary =
                    tr("backup %1 FAILED verification: %2")
                        .arg(manifest.id, checked.allProblems().join(QStringLiteral("; ")));
                return outcome;
            }
            parts.append(verify.restoreTest ? tr("restore-tested") : tr("verified"));
        }
        if (!schedule.retention.keepsNothing()) {
            const BackupPruner::Result pruned =
                BackupPruner::prune(folder, schedule.retention, false, control);
            BackupPruner::recordInAudit(settings, folder, pruned);
            parts.append(tr("%n old backup(s) pruned", nullptr, int(pruned.removed.size())));
        }
        outcome.ok = true;
        outcome.summary = parts.join(QStringLiteral(", "));
    } catch (const RequestError &e) {
        outcome.summary = e.message();
    } catch (const std::exception &e) {
        outcome.summary = QString::fromUtf8(e.what());
    }
    return outcome;
}

} // namespace fuelsync
