#include "RunnerIdentity.h"

#include "fuelsync_version.h"

#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace fuelsync::RunnerIdentity {

QString osUser()
{
    if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER", QStringLiteral("unknown"));
}

QString describe(const QString &tool)
{
    return QStringLiteral("%1 %2 (%3@%4)")
        .arg(tool, QStringLiteral(FUELSYNC_VERSION), osUser(), QSysInfo::machineHostName());
}

} // namespace fuelsync::RunnerIdentity
