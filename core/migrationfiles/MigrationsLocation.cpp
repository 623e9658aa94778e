#include "MigrationsLocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace fuelsync {

QString MigrationsLocation::resolve(const QString &requested)
{
    auto hasSchema = [](const QString &dir) {
        return QFileInfo(QDir(dir).filePath(QStringLiteral("schema"))).isDir();
    };
    if (!requested.isEmpty())
        return QDir(requested).absolutePath();
    const QString fromEnvironment = qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR");
    if (!fromEnvironment.isEmpty())
        return QDir(fromEnvironment).absolutePath();
    const QString here = QDir::current().filePath(QStringLiteral("migrations"));
    if (hasSchema(here))
        return QDir(here).absolutePath();
    const QString installed = QCoreApplication::applicationDirPath()
        + QStringLiteral("/../share/fuelsync-admin/migrations");
    if (hasSchema(installed))
        return QDir(installed).absolutePath();
    return QStringLiteral(FUELSYNC_SOURCE_MIGRATIONS);
}

} // namespace fuelsync
