#include "TenantRestore.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "migrate/MigrationPlan.h"
#include "migrate/MigrationStateReader.h"

namespace fuelsync {

TenantRestore::TenantRestore(ConnectionSettings settings, QString backupFolder,
                             BackupRestorer::Options options, MigrationSet files)
    : m_settings(std::move(settings))
    , m_folder(std::move(backupFolder))
    , m_options(std::move(options))
    , m_files(std::move(files))
{ }

const BackupRestorer::Plan &TenantRestore::plan()
{
    if (!m_plan) {
        auto connection = DbConnection::open(m_settings, QStringLiteral("backup restore plan"));
        m_plan = BackupRestorer::plan(*connection, m_folder, m_options);
    }
    return *m_plan;
}

std::optional<MigrationVersion> TenantRestore::migrationsAhead() const
{
    return m_plan ? BackupRestorer::migrationsAhead(*m_plan, m_files) : std::nullopt;
}

QString TenantRestore::aheadText() const
{
    const auto ahead = migrationsAhead();
    if (!ahead)
        return {};
    return tr("The backup is at version %1; the migration files reach %2.")
        .arg(m_plan->backupVersion.isEmpty() ? tr("none") : m_plan->backupVersion, ahead->text());
}

ChangeConfirmation TenantRestore::confirmation() const
{
    if (!m_plan || !m_plan->replaces)
        return ChangeConfirmation::none();
    return ChangeConfirmation::typeName(tr("Replacing the schema %1").arg(m_plan->target),
                                        m_plan->target);
}

void TenantRestore::checkMigrationFiles() const
{
    auto connection = DbConnection::open(m_settings, QStringLiteral("backup restore plan"));
    const QList<MigrationProblem> refusals =
        MigrationPlan::filesAgainstApplied(m_files, MigrationStateReader::read(*connection, {}));
    if (!refusals.isEmpty())
        throw RequestError(tr("the migration that is to follow the restore would be refused, so "
                              "nothing was restored:\n%1")
                               .arg(MigrationProblem::lines(refusals)));
}

BackupRestorer::Result TenantRestore::restore(JobControl &control)
{
    const BackupRestorer::Plan confirmed = plan();
    BackupRestorer::Result result =
        BackupRestorer::restore(m_settings, m_folder, m_options, confirmed, control);
    m_restored = true;
    return result;
}

std::optional<MigrationVersion> TenantRestore::migrationOffer() const
{
    if (!m_restored || m_plan->schema == u"public")
        return std::nullopt;
    return migrationsAhead();
}

MigrationRunOptions TenantRestore::migrationOptions(const QString &runner) const
{
    MigrationRunOptions options;
    options.direction = MigrationPlan::Direction::Up;
    if (m_plan)
        options.tenants = QStringList { m_plan->target };
    options.runner = runner;
    return options;
}

MigrationRunReport TenantRestore::migrate(const QString &runner, JobControl &control) const
{
    MigrationRunner migrations(m_settings, m_files, migrationOptions(runner));
    return migrations.run(control);
}

} // namespace fuelsync
