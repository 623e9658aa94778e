#include "TestDatabase.h"

#include "db/DbError.h"
#include "db/SqlIdentifier.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"
#include "seeds/SeedRunner.h"

#include <QCoreApplication>
#include <QUrl>
#include <QtDebug>

#include <atomic>
#include <deque>

namespace fuelsync::test {

namespace {

constexpr qsizetype maxLabelLength = 30;
const QString maintenanceDatabase = QStringLiteral("postgres");

QString databaseName(const QString &label)
{
    static std::atomic<int> counter { 0 };
    QString cleaned;
    for (QChar c : label.toLower()) {
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        cleaned.append(plain ? c : u'_');
    }
    cleaned = cleaned.left(maxLabelLength);
    if (cleaned.isEmpty())
        cleaned = QStringLiteral("test");
    return QStringLiteral("t_%1_%2_%3")
        .arg(cleaned)
        .arg(QCoreApplication::applicationPid())
        .arg(++counter);
}

QString percent(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

} // namespace

TestDatabase::TestDatabase(const QString &label)
    : m_name(databaseName(label))
{
    m_cluster = TestCluster::shared(&m_error);
    if (!m_cluster)
        return;
    try {
        auto admin = DbConnection::open(m_cluster->settings(maintenanceDatabase),
                                        QStringLiteral("testdatabase"));
        admin->exec(QStringLiteral("SET client_min_messages = warning"));
        const QString quoted = SqlIdentifier::quote(m_name);
        // The name carries our process id: one left behind by a crashed earlier process with the
        // same id is stale.
        admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoted));
        admin->exec(
            QStringLiteral("CREATE DATABASE %1 TEMPLATE template0 ENCODING 'UTF8'").arg(quoted));
        m_created = true;
    } catch (const DbError &e) {
        m_error = QStringLiteral("cannot create the test database %1: %2").arg(m_name, e.text());
    }
}

TestDatabase::~TestDatabase()
{
    QString error;
    if (!drop(&error))
        qWarning().noquote() << error;
}

bool TestDatabase::drop(QString *error)
{
    if (!m_created)
        return true;
    try {
        auto admin = DbConnection::open(m_cluster->settings(maintenanceDatabase),
                                        QStringLiteral("testdatabase"));
        admin->exec(QStringLiteral("SET client_min_messages = warning"));
        admin->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                        .arg(SqlIdentifier::quote(m_name)));
        m_created = false;
        return true;
    } catch (const DbError &e) {
        if (error)
            *error = QStringLiteral("cannot drop the test database %1: %2").arg(m_name, e.text());
        return false;
    }
}

bool TestDatabase::exists(const QString &name, QString *error)
{
    const TestCluster *cluster = TestCluster::shared(error);
    if (!cluster)
        return false;
    try {
        auto admin = DbConnection::open(cluster->settings(maintenanceDatabase),
                                        QStringLiteral("testdatabase"));
        return admin
                   ->scalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = ?"),
                            { name })
                   .toInt()
            > 0;
    } catch (const DbError &e) {
        if (error)
            *error = e.text();
        return false;
    }
}

ConnectionSettings TestDatabase::settings() const
{
    return m_cluster ? m_cluster->settings(m_name) : ConnectionSettings();
}

QString TestDatabase::conninfo() const
{
    return settings().conninfoWithoutPassword();
}

QString TestDatabase::uri() const
{
    if (!m_cluster)
        return {};
    // Concatenated, not arg(): the encoded values contain "%2F", which arg() would take for
    // a placeholder.
    return QStringLiteral("postgresql:///") + percent(m_name) + QStringLiteral("?host=")
        + percent(m_cluster->socketDir()) + QStringLiteral("&port=")
        + QString::number(m_cluster->port()) + QStringLiteral("&user=")
        + percent(m_cluster->superuser());
}

ConnectionSettings TestDatabase::tcpSettings(const QString &user, const QString &password) const
{
    return m_cluster ? m_cluster->tcpSettings(m_name, user, password) : ConnectionSettings();
}

JobControl &unwatched()
{
    thread_local std::deque<JobControl> controls;
    return controls.emplace_back();
}

std::unique_ptr<DbConnection> TestDatabase::connect(const QString &purpose) const
{
    if (!m_cluster)
        throw DbError(DbError::Kind::Connect, m_error);
    return DbConnection::open(settings(), purpose);
}

bool TestDatabase::migrateAndSeed(const QString &seedSet, const QString &runner)
{
    const MigrationSet set = MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
    MigrationRunOptions options;
    options.runner = runner;
    const MigrationRunReport migrated = MigrationRunner(settings(), set, options).run(unwatched());
    if (migrated.exitCode() != 0) {
        m_error =
            QStringLiteral("migrating %1 failed (exit %2)").arg(m_name).arg(migrated.exitCode());
        return false;
    }
    SeedRunner::Options seed;
    seed.set = seedSet;
    seed.runner = runner;
    const SeedRunner::Report report = SeedRunner::run(settings(), set, seed, unwatched());
    if (report.exitCode != 0) {
        m_error = report.error;
        return false;
    }
    return true;
}

int TestDatabase::migrateTenant(const QString &tenant, bool up, const QString &target,
                                const QString &runner) const
{
    const MigrationSet set = MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
    MigrationRunOptions options;
    options.direction = up ? MigrationPlan::Direction::Up : MigrationPlan::Direction::Down;
    if (!target.isEmpty())
        options.target = MigrationVersion::parse(target);
    options.tenants = QStringList { tenant };
    options.runner = runner;
    return MigrationRunner(settings(), set, options).run(unwatched()).exitCode();
}

QStringList TestDatabase::tenantMigrationVersions()
{
    QStringList versions;
    const MigrationSet set = MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
    for (const MigrationFile &file : set.migrations()) {
        if (file.scope == MigrationScope::Tenant)
            versions.append(file.version.text());
    }
    return versions;
}

} // namespace fuelsync::test
