#include "AdminSettings.h"

namespace fuelsync::AdminSettings {

QString overrideFile()
{
    return qEnvironmentVariable("FUELSYNC_ADMIN_SETTINGS");
}

std::unique_ptr<QSettings> open()
{
    const QString file = overrideFile();
    if (!file.isEmpty())
        return std::make_unique<QSettings>(file, QSettings::IniFormat);
    return std::make_unique<QSettings>(QStringLiteral("FuelSync"),
                                       QStringLiteral("FuelSync Admin"));
}

} // namespace fuelsync::AdminSettings
