#include "SystemdUserTimer.h"

#include "common/AdminSettings.h"

#include <QDir>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

namespace fuelsync {

namespace {

// Runs systemctl --user; empty when it succeeded, else what went wrong.
QString systemctl(const QStringList &arguments)
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("systemctl"));
    if (program.isEmpty())
        return QCoreApplication::translate("SystemdUserTimer", "systemctl is not installed");
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, QStringList { QStringLiteral("--user") } + arguments);
    if (!process.waitForFinished(30'000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        const QString why = QString::fromUtf8(process.readAllStandardError()).trimmed();
        return why.isEmpty() ? process.errorString() : why;
    }
    return QString();
}

bool writeFile(const QString &path, const QString &text)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.commit();
}

} // namespace

QString SystemdUserTimer::unitDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/systemd/user");
}

SystemdUserTimer::Result SystemdUserTimer::install(const BackupSchedule &schedule,
                                                   const QString &fuelsyncDb, bool enable)
{
    Result result;
    result.unitDirectory = unitDirectory();
    const QDir dir(result.unitDirectory);
    if (!QDir().mkpath(dir.absolutePath())
        || !writeFile(dir.filePath(schedule.unitName() + QStringLiteral(".service")),
                      schedule.serviceUnit(fuelsyncDb, AdminSettings::overrideFile()))
        || !writeFile(dir.filePath(schedule.unitName() + QStringLiteral(".timer")),
                      schedule.timerUnit())) {
        result.message = tr("the unit files could not be written in %1").arg(dir.absolutePath());
        return result;
    }
    if (!enable)
        return result;
    result.message = systemctl({ QStringLiteral("daemon-reload") });
    if (result.message.isEmpty())
        result.message = systemctl({ QStringLiteral("enable"), QStringLiteral("--now"),
                                     schedule.unitName() + QStringLiteral(".timer") });
    result.enabled = result.message.isEmpty();
    return result;
}

SystemdUserTimer::Result SystemdUserTimer::uninstall(const BackupSchedule &schedule, bool disable)
{
    Result result;
    result.unitDirectory = unitDirectory();
    if (disable)
        result.message = systemctl({ QStringLiteral("disable"), QStringLiteral("--now"),
                                     schedule.unitName() + QStringLiteral(".timer") });
    const QDir dir(result.unitDirectory);
    QFile::remove(dir.filePath(schedule.unitName() + QStringLiteral(".service")));
    QFile::remove(dir.filePath(schedule.unitName() + QStringLiteral(".timer")));
    if (disable)
        systemctl({ QStringLiteral("daemon-reload") });
    return result;
}

} // namespace fuelsync
