#include "DeploymentEnvironment.h"

#include <QCoreApplication>
#include <QStringList>

namespace fuelsync::DeploymentEnvironments {

std::optional<DeploymentEnvironment> parse(const QString &name)
{
    const QString lower = name.trimmed().toLower();
    if (lower == u"development" || lower == u"dev")
        return DeploymentEnvironment::Development;
    if (lower == u"staging")
        return DeploymentEnvironment::Staging;
    if (lower == u"production" || lower == u"prod")
        return DeploymentEnvironment::Production;
    return std::nullopt;
}

QString name(DeploymentEnvironment environment)
{
    switch (environment) {
    case DeploymentEnvironment::Development:
        return QStringLiteral("development");
    case DeploymentEnvironment::Staging:
        return QStringLiteral("staging");
    case DeploymentEnvironment::Production:
        return QStringLiteral("production");
    }
    return {};
}

QList<DeploymentEnvironment> all()
{
    return { DeploymentEnvironment::Development, DeploymentEnvironment::Staging,
             DeploymentEnvironment::Production };
}

std::optional<QList<DeploymentEnvironment>> parseList(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.compare(u"all", Qt::CaseInsensitive) == 0)
        return QList<DeploymentEnvironment> {};
    QList<DeploymentEnvironment> result;
    for (const QString &part : trimmed.split(u',')) {
        const auto environment = parse(part);
        if (!environment) {
            if (error) {
                *error = QCoreApplication::translate(
                             "DeploymentEnvironment",
                             "'%1' is not an environment (use all, or a comma list of "
                             "development, staging, production)")
                             .arg(part.trimmed());
            }
            return std::nullopt;
        }
        if (!result.contains(*environment))
            result.append(*environment);
    }
    return result;
}

QString listName(const QList<DeploymentEnvironment> &environments)
{
    if (environments.isEmpty())
        return QStringLiteral("all");
    QStringList names;
    for (DeploymentEnvironment e : environments)
        names.append(name(e));
    return names.join(QStringLiteral(", "));
}

} // namespace fuelsync::DeploymentEnvironments
