#pragma once

#include <QString>

namespace fuelsync::RunnerIdentity {

// "fuelsync-db 0.1.0 (alice@ws1)": who ran something, recorded next to the database role.
QString describe(const QString &tool);
QString osUser();

} // namespace fuelsync::RunnerIdentity
