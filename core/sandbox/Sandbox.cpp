#include "Sandbox.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"
#include "environment/EnvironmentResolver.h"
#include "migrate/MigrationRunner.h"
#include "migrate/MigrationStatus.h"
#include "migrationfiles/MigrationSet.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QUrl>

#include <unistd.h>

namespace fuelsync {

QString Sandbox::defaultDirectory()
{
    const QString configured = qEnvironmentVariable("FUELSYNC_SANDBOX_DIR");
    if (!configured.isEmpty())
        return QDir(configured).absolutePath();
    if (geteuid() == 0)
        return QStringLiteral("/var/lib/fuelsync-admin/sandbox");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/fuelsync-admin/sandbox");
}

Sandbox::Sandbox(QString directory)
    : m_directory(std::move(directory))
    , m_cluster(m_directory)
{ }

bool Sandbox::exists() const
{
    return m_cluster.isInitialized();
}

bool Sandbox::isRunning() const
{
    return m_cluster.isInitialized() && m_cluster.isRunning();
}

ConnectionSettings Sandbox::connectionSettings() const
{
    return m_cluster.connectionSettings(QString::fromLatin1(databaseName));
}

QString Sandbox::uri() const
{
    // Concatenated, not QString::arg(): the percent-encoded path holds "%2F".
    return QStringLiteral("postgresql:///") + QString::fromLatin1(databaseName)
        + QStringLiteral("?host=")
        + QString::fromLatin1(QUrl::toPercentEncoding(m_cluster.socketDir()))
        + QStringLiteral("&port=") + QString::number(m_cluster.port()) + QStringLiteral("&user=")
        + QString::fromLatin1(superuser);
}

bool Sandbox::isPrepared() const
{
    return QFile::exists(QDir(m_directory).filePath(QStringLiteral("sandbox-prepared")));
}

void Sandbox::markPrepared() const
{
    QFile marker(QDir(m_directory).filePath(QStringLiteral("sandbox-prepared")));
    if (marker.open(QIODevice::WriteOnly))
        marker.write("seeded\n");
}

Sandbox::StartReport Sandbox::start(const MigrationSet &set, const QString &runner,
                                    JobControl &control, StartMode mode)
{
    StartReport report;
    auto say = [&control](const QString &text) {
        control.setStep(text);
    };
    QString error;
    if (!m_cluster.isInitialized()) {
        say(QCoreApplication::translate("Sandbox", "Creating the sandbox cluster in %1")
                .arg(m_directory));
        if (!QDir().mkpath(m_directory)) {
            report.error =
                QCoreApplication::translate("Sandbox", "cannot create %1").arg(m_directory);
            return report;
        }
        LocalClusterOptions options;
        options.superuser = QString::fromLatin1(superuser);
        options.name = QStringLiteral("fuelsync-sandbox");
        options.settings = { QStringLiteral("max_connections=100"),
                             QStringLiteral("max_locks_per_transaction=256") };
        if (!m_cluster.initialize(options, &error)) {
            report.error = error;
            return report;
        }
        report.created = true;
    }
    if (!m_cluster.isRunning()) {
        say(QCoreApplication::translate("Sandbox", "Starting the sandbox server"));
        if (!m_cluster.start(&error)) {
            report.error = error;
            return report;
        }
    }
    if (!set.isValid()) {
        report.error =
            QCoreApplication::translate(
                "Sandbox",
                "the migration files in %1 have problems; run 'fuelsync-db migrate status' "
                "to see them")
                .arg(set.directory());
        return report;
    }
    try {
        {
            auto admin =
                DbConnection::open(m_cluster.connectionSettings(QStringLiteral("postgres")),
                                   QStringLiteral("sandbox"));
            const bool hasDatabase =
                admin
                    ->scalar(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_database WHERE "
                                            "datname = ?)"),
                             { QString::fromLatin1(databaseName) })
                    .toBool();
            if (!hasDatabase) {
                say(QCoreApplication::translate("Sandbox", "Creating the database %1")
                        .arg(QString::fromLatin1(databaseName)));
                admin->exec(QStringLiteral("CREATE DATABASE %1")
                                .arg(SqlIdentifier::quote(QString::fromLatin1(databaseName))));
            }
        }
        {
            auto connection = DbConnection::open(connectionSettings(), QStringLiteral("sandbox"));
            if (!EnvironmentResolver::declared(*connection))
                EnvironmentResolver::declare(*connection, DeploymentEnvironment::Development);
        }
    } catch (const std::exception &e) {
        report.error = QString::fromUtf8(e.what());
        return report;
    }

    if (mode == StartMode::OpenOnly && isPrepared()) {
        try {
            auto connection = DbConnection::open(connectionSettings(), QStringLiteral("sandbox"));
            const MigrationStatus status =
                MigrationStatus::read(*connection, set, {}, DeploymentEnvironment::Development);
            for (const MigrationStatus::Version &version : status.versions) {
                if (version.isPending())
                    report.pending.append(version.version);
            }
        } catch (const std::exception &e) {
            report.error = QString::fromUtf8(e.what());
            return report;
        }
        report.ok = true;
        return report;
    }

    say(QCoreApplication::translate("Sandbox", "Migrating to the latest version"));
    MigrationRunOptions migrate;
    migrate.runner = runner;
    migrate.jobs = 2;
    MigrationRunner migrator(connectionSettings(), set, migrate);
    report.migration = migrator.run(control);
    if (report.migration->exitCode() != 0) {
        report.error = QCoreApplication::translate("Sandbox", "migrating the sandbox failed");
        return report;
    }
    if (!isPrepared()) {
        say(QCoreApplication::translate(
            "Sandbox",
            "Seeding demo data (comprehensive set; this takes a moment the first time)"));
        SeedRunner::Options seed;
        seed.set = QStringLiteral("comprehensive");
        seed.runner = runner;
        seed.jobs = 2;
        report.seed = SeedRunner::run(connectionSettings(), set, seed, control);
        if (report.seed->exitCode != 0) {
            report.error = QCoreApplication::translate("Sandbox", "seeding the sandbox failed");
            return report;
        }
        markPrepared();
    }
    report.ok = true;
    return report;
}

bool Sandbox::stop(QString *error)
{
    if (!m_cluster.isInitialized())
        return true;
    return m_cluster.stop(error);
}

bool Sandbox::destroy(QString *error)
{
    return m_cluster.destroy(error);
}

} // namespace fuelsync
