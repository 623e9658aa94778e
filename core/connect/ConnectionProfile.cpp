#include "ConnectionProfile.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace fuelsync {

QStringList ConnectionProfile::sslModes()
{
    return {
        QStringLiteral("disable"), QStringLiteral("allow"),     QStringLiteral("prefer"),
        QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full")
    };
}

QString ConnectionProfile::problem() const
{
    if (name.trimmed().isEmpty())
        return tr("the profile needs a name");
    if (name.contains(u'/') || name.contains(u'\\'))
        return tr("a profile name cannot contain '/' or '\\'");
    ConnectionSettings parsed;
    if (!uri.trimmed().isEmpty()) {
        QString error;
        if (!ConnectionSettings::parse(uri.trimmed(), &parsed, &error))
            return tr("the connection URI is not valid: %1").arg(error);
        if (parsed.hasPassword())
            return tr("the connection URI contains a password; remove it: profiles never store "
                      "passwords (use ~/.pgpass, or let the app ask and keep it in the "
                      "keychain)");
    } else if (host.trimmed().isEmpty() && database.trimmed().isEmpty()) {
        return tr("give a connection URI, or at least a host or a database");
    }
    if (!port.trimmed().isEmpty()) {
        bool ok = false;
        const int number = port.trimmed().toInt(&ok);
        if (!ok || number < 1 || number > 65535)
            return tr("the port must be a number from 1 to 65535");
    }
    const QString mode = sslMode.isEmpty() ? parsed.value(QStringLiteral("sslmode")) : sslMode;
    if (!mode.isEmpty() && !sslModes().contains(mode))
        return tr("unknown sslmode '%1'").arg(mode);
    const QString rootCert =
        sslRootCert.isEmpty() ? parsed.value(QStringLiteral("sslrootcert")) : sslRootCert;
    if (mode == QLatin1StringView("verify-ca") || mode == QLatin1StringView("verify-full")) {
        if (rootCert.isEmpty())
            return tr("sslmode %1 checks the server's certificate against a root certificate: "
                      "choose the root certificate file")
                .arg(mode);
    }
    if (!rootCert.isEmpty() && rootCert != QLatin1StringView("system")
        && !QFileInfo(rootCert).isFile())
        return tr("the root certificate %1 does not exist").arg(rootCert);
    return {};
}

bool ConnectionProfile::toSettings(ConnectionSettings *settings, QString *error) const
{
    const QString wrong = problem();
    if (!wrong.isEmpty()) {
        if (error)
            *error = wrong;
        return false;
    }
    ConnectionSettings result;
    if (!uri.trimmed().isEmpty() && !ConnectionSettings::parse(uri.trimmed(), &result, error))
        return false;
    auto override = [&result](const char *keyword, const QString &value) {
        if (!value.trimmed().isEmpty())
            result.set(QLatin1StringView(keyword), value.trimmed());
    };
    override("host", host);
    override("port", port);
    override("dbname", database);
    override("user", user);
    override("sslmode", sslMode);
    override("sslrootcert", sslRootCert);
    *settings = result;
    return true;
}

} // namespace fuelsync
