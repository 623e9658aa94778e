#include "FuelsyncRole.h"

#include <QCoreApplication>

namespace fuelsync::FuelsyncRoles {

QString optionName(FuelsyncRole role)
{
    switch (role) {
    case FuelsyncRole::Support:
        return QStringLiteral("support");
    case FuelsyncRole::ReleaseManager:
        return QStringLiteral("release-manager");
    case FuelsyncRole::Maintainer:
        return QStringLiteral("maintainer");
    }
    return {};
}

std::optional<FuelsyncRole> parse(const QString &text)
{
    for (FuelsyncRole role :
         { FuelsyncRole::Support, FuelsyncRole::ReleaseManager, FuelsyncRole::Maintainer }) {
        if (text == optionName(role))
            return role;
    }
    return std::nullopt;
}

QString groupRole(FuelsyncRole role)
{
    switch (role) {
    case FuelsyncRole::Support:
        return QString::fromLatin1(support);
    case FuelsyncRole::ReleaseManager:
        return QString::fromLatin1(releaseManagers);
    case FuelsyncRole::Maintainer:
        return QString::fromLatin1(maintainers);
    }
    return {};
}

QString displayName(FuelsyncRole role)
{
    switch (role) {
    case FuelsyncRole::Support:
        return QCoreApplication::translate("FuelsyncRoles", "support");
    case FuelsyncRole::ReleaseManager:
        return QCoreApplication::translate("FuelsyncRoles", "release manager");
    case FuelsyncRole::Maintainer:
        return QCoreApplication::translate("FuelsyncRoles", "maintainer");
    }
    return {};
}

QStringList optionNames()
{
    return { optionName(FuelsyncRole::Support), optionName(FuelsyncRole::ReleaseManager),
             optionName(FuelsyncRole::Maintainer) };
}

} // namespace fuelsync::FuelsyncRoles
