#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// Where a database sits in the release pipeline. Decides which migrations and seeds may run.
enum class DeploymentEnvironment { Development, Staging, Production };

namespace DeploymentEnvironments {
std::optional<DeploymentEnvironment> parse(const QString &name);
QString name(DeploymentEnvironment environment);
QList<DeploymentEnvironment> all();
// "all" or a comma list of environment names, as in migration and seed headers. An empty list
// means all environments.
std::optional<QList<DeploymentEnvironment>> parseList(const QString &text, QString *error);
QString listName(const QList<DeploymentEnvironment> &environments);
} // namespace DeploymentEnvironments

} // namespace fuelsync
