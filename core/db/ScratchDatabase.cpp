#include "ScratchDatabase.h"

#include "DbConnection.h"
#include "SqlIdentifier.h"

#include <QCoreApplication>
#include <QRandomGenerator>

namespace fuelsync {

ScratchDatabase::ScratchDatabase(const ConnectionSettings &settings, const QString &prefix)
    : m_admin(DbConnection::open(settings, QStringLiteral("scratch database")))
    , m_name(prefix
             + QStringLiteral("%1_%2")
                   .arg(QCoreApplication::applicationPid())
                   .arg(QRandomGenerator::global()->bounded(1'000'000)))
    , m_settings(settings.withDatabase(m_name))
{
    m_admin->exec(
        QStringLiteral("CREATE DATABASE %1 TEMPLATE template0").arg(SqlIdentifier::quote(m_name)));
}

ScratchDatabase::~ScratchDatabase()
{
    try {
        m_admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                          .arg(SqlIdentifier::quote(m_name)));
    } catch (const std::exception &) {
        // The server went away; the name says what it was for.
    }
}

} // namespace fuelsync
