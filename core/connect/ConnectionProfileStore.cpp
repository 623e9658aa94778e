#include "ConnectionProfileStore.h"

#include "common/AdminSettings.h"

#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace fuelsync {

namespace {

const QString group = QStringLiteral("profiles");

// QSettings treats '/' in keys as a group separator; profile names cannot contain it, and the
// rest is percent-encoded so any other character survives.
QString keyOf(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}

} // namespace

ConnectionProfileStore::ConnectionProfileStore()
    : m_settings(AdminSettings::open())
{ }

ConnectionProfileStore::ConnectionProfileStore(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{ }

ConnectionProfileStore::~ConnectionProfileStore() = default;

QString ConnectionProfileStore::location() const
{
    return m_settings->fileName();
}

QList<ConnectionProfile> ConnectionProfileStore::profiles() const
{
    QList<ConnectionProfile> result;
    m_settings->beginGroup(group);
    const QStringList keys = m_settings->childGroups();
    m_settings->endGroup();
    for (const QString &key : keys) {
        if (auto profile = find(QUrl::fromPercentEncoding(key.toLatin1())))
            result.append(*profile);
    }
    std::sort(result.begin(), result.end(), [](const auto &a, const auto &b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    return result;
}

std::optional<ConnectionProfile> ConnectionProfileStore::find(const QString &name) const
{
    m_settings->beginGroup(group + u'/' + keyOf(name));
    std::optional<ConnectionProfile> result;
    if (m_settings->contains(QStringLiteral("name"))) {
        ConnectionProfile p;
        p.name = m_settings->value(QStringLiteral("name")).toString();
        p.uri = m_settings->value(QStringLiteral("uri")).toString();
        p.host = m_settings->value(QStringLiteral("host")).toString();
        p.port = m_settings->value(QStringLiteral("port")).toString();
        p.database = m_settings->value(QStringLiteral("database")).toString();
        p.user = m_settings->value(QStringLiteral("user")).toString();
        p.sslMode = m_settings->value(QStringLiteral("sslmode")).toString();
        p.sslRootCert = m_settings->value(QStringLiteral("sslrootcert")).toString();
        p.environment = DeploymentEnvironments::parse(
                            m_settings->value(QStringLiteral("environment")).toString())
                            .value_or(DeploymentEnvironment::Production);
        p.readOnly = m_settings->value(QStringLiteral("readOnly"), true).toBool();
        p.rememberPassword = m_settings->value(QStringLiteral("rememberPassword")).toBool();
        result = p;
    }
    m_settings->endGroup();
    return result;
}

bool ConnectionProfileStore::save(const ConnectionProfile &profile, const QString &previousName,
                                  QString *error)
{
    const QString problem = profile.problem();
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    if (profile.name != previousName && find(profile.name)) {
        if (error)
            *error = tr("there is already a profile named %1").arg(profile.name);
        return false;
    }
    if (!previousName.isEmpty() && previousName != profile.name)
        remove(previousName);
    m_settings->beginGroup(group + u'/' + keyOf(profile.name));
    m_settings->remove(QString());
    m_settings->setValue(QStringLiteral("name"), profile.name);
    m_settings->setValue(QStringLiteral("uri"), profile.uri.trimmed());
    m_settings->setValue(QStringLiteral("host"), profile.host.trimmed());
    m_settings->setValue(QStringLiteral("port"), profile.port.trimmed());
    m_settings->setValue(QStringLiteral("database"), profile.database.trimmed());
    m_settings->setValue(QStringLiteral("user"), profile.user.trimmed());
    m_settings->setValue(QStringLiteral("sslmode"), profile.sslMode);
    m_settings->setValue(QStringLiteral("sslrootcert"), profile.sslRootCert);
    m_settings->setValue(QStringLiteral("environment"),
                         DeploymentEnvironments::name(profile.environment));
    m_settings->setValue(QStringLiteral("readOnly"), profile.readOnly);
    m_settings->setValue(QStringLiteral("rememberPassword"), profile.rememberPassword);
    m_settings->endGroup();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError) {
        if (error)
            *error = tr("cannot write the settings file %1").arg(m_settings->fileName());
        return false;
    }
    return true;
}

void ConnectionProfileStore::remove(const QString &name)
{
    m_settings->remove(group + u'/' + keyOf(name));
    m_settings->sync();
}

} // namespace fuelsync
