#pragma once

#include "db/ConnectionSettings.h"
#include "environment/DeploymentEnvironment.h"

#include <QCoreApplication>
#include <QString>

namespace fuelsync {

// A saved way to reach one database: where it is, how to secure the link, which environment it
// is, and whether the app may write to it. Never holds a password: that comes from libpq's own
// means (.pgpass, the service file, PGPASSWORD), the OS keychain, or a prompt at connect time.
struct ConnectionProfile
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionProfile)

public:
    QString name;
    // A libpq URI or keyword/value string. When set, the fields below that are empty are taken
    // from it; the ones that are set override it.
    QString uri;
    QString host;
    QString port;
    QString database;
    QString user;
    QString sslMode; // empty: libpq's default (prefer)
    QString sslRootCert; // root certificate file for verify-ca / verify-full
    DeploymentEnvironment environment = DeploymentEnvironment::Development;
    bool readOnly = false;
    bool rememberPassword = false; // the password is kept in the OS keychain
    // Provisioned by whoever set up the workstation (the system-wide profile file): shown, used,
    // never changed or removed here, read-only unless that file says otherwise.
    bool locked = false;

    // Empty when the profile can be saved and used; otherwise what is wrong, in words the user
    // can act on (no name, a password inside the URI, an unknown sslmode, verify-full without a
    // root certificate that exists, ...).
    QString problem() const;

    // The libpq settings of the profile. Returns false with a message when problem() is not
    // empty or the URI does not parse.
    bool toSettings(ConnectionSettings *settings, QString *error) const;

    static QStringList sslModes(); // in increasing order of protection

    bool operator==(const ConnectionProfile &) const = default;
};

} // namespace fuelsync
