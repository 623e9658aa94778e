#pragma once

#include <QSettings>

#include <memory>

namespace fuelsync::AdminSettings {

// The user's settings of FuelSync Admin (organisation FuelSync, application FuelSync Admin), or
// the .ini file FUELSYNC_ADMIN_SETTINGS names (tests, portable use): profiles, schedules.
std::unique_ptr<QSettings> open();
// That .ini file, or empty for the user's settings.
QString overrideFile();

} // namespace fuelsync::AdminSettings
