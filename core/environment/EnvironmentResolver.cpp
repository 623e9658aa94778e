#include "EnvironmentResolver.h"

#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>

namespace fuelsync {

namespace {

// What ALTER DATABASE ... SET declared, read from the catalog: not current_setting(), which a
// connection can override (options=-c ..., PGOPTIONS) and so talk its way out of production.
QString declaredText(DbConnection &connection)
{
    return connection
        .scalar(QStringLiteral("SELECT substr(c, length(?) + 2) FROM pg_db_role_setting s, "
                               "unnest(s.setconfig) c WHERE s.setrole = 0 AND s.setdatabase = "
                               "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                               "AND starts_with(c, ? || '=')"),
                { QString::fromLatin1(EnvironmentResolver::settingName),
                  QString::fromLatin1(EnvironmentResolver::settingName) })
        .toString()
        .trimmed();
}

EnvironmentResolver::Resolved combine(std::optional<DeploymentEnvironment> declared,
                                      std::optional<DeploymentEnvironment> profile)
{
    EnvironmentResolver::Resolved resolved;
    if (declared) {
        resolved.declaredInDatabase = true;
        resolved.environment = *declared;
        if (profile && *profile != *declared) {
            // The enumeration runs from the least strict to the strictest.
            resolved.environment = std::max(*declared, *profile);
            resolved.disagreement =
                EnvironmentResolver::Resolved::Disagreement { *declared, *profile };
        }
    } else if (profile) {
        resolved.environment = *profile;
    } else {
        resolved.assumed = true;
    }
    return resolved;
}

} // namespace

QString EnvironmentResolver::Resolved::describe() const
{
    const QString name = DeploymentEnvironments::name(environment);
    if (disagreement)
        return QCoreApplication::translate("EnvironmentResolver",
                                           "%1 (the database declares %2, the profile says %3: "
                                           "the stricter is taken)")
            .arg(name, DeploymentEnvironments::name(disagreement->declared),
                 DeploymentEnvironments::name(disagreement->profile));
    if (declaredInDatabase)
        return QCoreApplication::translate("EnvironmentResolver", "%1 (declared by the database)")
            .arg(name);
    if (assumed)
        return QCoreApplication::translate("EnvironmentResolver",
                                           "%1 (assumed: the database declares none; declare it "
                                           "with 'fuelsync-db env set')")
            .arg(name);
    return QCoreApplication::translate("EnvironmentResolver", "%1 (from the command line)")
        .arg(name);
}

std::optional<DeploymentEnvironment> EnvironmentResolver::declared(DbConnection &connection)
{
    const QString text = declaredText(connection);
    if (text.isEmpty())
        return std::nullopt;
    const auto environment = DeploymentEnvironments::parse(text);
    if (!environment) {
        throw RequestError(QCoreApplication::translate(
                               "EnvironmentResolver",
                               "the database declares %1 = '%2', which is not an environment "
                               "(development, staging, production)")
                               .arg(QString::fromLatin1(settingName), text));
    }
    return environment;
}

EnvironmentResolver::Resolved
EnvironmentResolver::resolve(DbConnection &connection,
                             std::optional<DeploymentEnvironment> requested)
{
    Resolved resolved;
    const auto declaredEnvironment = declared(connection);
    if (declaredEnvironment) {
        if (requested && *requested != *declaredEnvironment) {
            throw RequestError(
                QCoreApplication::translate(
                    "EnvironmentResolver",
                    "this database declares itself %1, but %2 was asked for: nothing was done. "
                    "Check you are connected to the database you meant")
                    .arg(DeploymentEnvironments::name(*declaredEnvironment),
                         DeploymentEnvironments::name(*requested)));
        }
        resolved.environment = *declaredEnvironment;
        resolved.declaredInDatabase = true;
    } else if (requested) {
        resolved.environment = *requested;
    } else {
        resolved.assumed = true;
    }
    return resolved;
}

EnvironmentResolver::Resolved
EnvironmentResolver::forProfile(DbConnection &connection,
                                std::optional<DeploymentEnvironment> profile)
{
    return combine(declared(connection), profile);
}

ChangeConfirmation
EnvironmentResolver::declareConfirmation(std::optional<DeploymentEnvironment> current,
                                         DeploymentEnvironment next, const QString &database)
{
    if (current != DeploymentEnvironment::Production || next == DeploymentEnvironment::Production)
        return ChangeConfirmation::none();
    return ChangeConfirmation::typeName(
        QCoreApplication::translate("EnvironmentResolver", "Declaring a production database %1")
            .arg(DeploymentEnvironments::name(next)),
        database);
}

void EnvironmentResolver::declare(DbConnection &connection, DeploymentEnvironment environment)
{
    QElapsedTimer timer;
    timer.start();
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::envSet);
    const auto before = declared(connection);
    entry.what = { { QStringLiteral("database"), connection.databaseName() },
                   { QStringLiteral("from"),
                     before ? DeploymentEnvironments::name(*before) : QStringLiteral("none") },
                   { QStringLiteral("to"), DeploymentEnvironments::name(environment) } };
    Transaction transaction(connection);
    try {
        // ALTER DATABASE takes no parameters; the value is one of three fixed names, never user
        // text. Only the database's owner (fuelsync_owner, so the maintainers, once roles setup
        // ran) or a superuser may: the server decides.
        connection.exec(QStringLiteral("ALTER DATABASE %1 SET %2 = '%3'")
                            .arg(SqlIdentifier::quote(connection.databaseName()),
                                 QString::fromLatin1(settingName),
                                 DeploymentEnvironments::name(environment)));
        entry.durationMs = timer.elapsed();
        AuditLog::record(connection, entry);
        transaction.commit();
    } catch (const DbError &error) {
        transaction.rollback();
        entry.outcome = error.sqlState() == u"42501" || error.sqlState() == u"25006"
            ? AuditEntry::Outcome::Refused
            : AuditEntry::Outcome::Failed;
        entry.error = error.message();
        entry.durationMs = timer.elapsed();
        AuditLog::recordAlone(connection, entry);
        if (entry.outcome == AuditEntry::Outcome::Refused) {
            throw RequestError(
                QCoreApplication::translate(
                    "EnvironmentResolver",
                    "%1 may not change the environment of %2 (%3): only the database's owner "
                    "may, which 'fuelsync-db roles setup' makes the maintainers. Nothing was "
                    "changed.")
                    .arg(connection.currentUser(), connection.databaseName(), error.message()));
        }
        throw;
    }
}

} // namespace fuelsync
