#include "ConnectionProfileStore.h"

#include "common/AdminSettings.h"

#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
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

// The system-wide profile file: FUELSYNC_ADMIN_SYSTEM_PROFILES, else (unless the settings are
// redirected, as tests do) fuelsync-admin/profiles.ini in the XDG config dirs after the user's
// own.
std::unique_ptr<QSettings> openSystemProfiles(bool redirected)
{
    QString file = qEnvironmentVariable("FUELSYNC_ADMIN_SYSTEM_PROFILES");
    if (file.isEmpty() && !redirected) {
        const QStringList dirs =
            QStandardPaths::standardLocations(QStandardPaths::GenericConfigLocation);
        for (qsizetype i = 1; i < dirs.size() && file.isEmpty(); ++i) {
            const QString candidate = dirs.at(i) + QStringLiteral("/fuelsync-admin/profiles.ini");
            if (QFileInfo::exists(candidate))
                file = candidate;
        }
    }
    if (file.isEmpty() || !QFileInfo::exists(file))
        return nullptr;
    return std::make_unique<QSettings>(file, QSettings::IniFormat);
}

std::optional<ConnectionProfile> readProfile(QSettings &settings, const QString &name, bool locked)
{
    settings.beginGroup(group + u'/' + keyOf(name));
    std::optional<ConnectionProfile> result;
    if (settings.contains(QStringLiteral("name"))) {
        ConnectionProfile p;
        p.name = settings.value(QStringLiteral("name")).toString();
        p.uri = settings.value(QStringLiteral("uri")).toString();
        p.host = settings.value(QStringLiteral("host")).toString();
        p.port = settings.value(QStringLiteral("port")).toString();
        p.database = settings.value(QStringLiteral("database")).toString();
        p.user = settings.value(QStringLiteral("user")).toString();
        p.sslMode = settings.value(QStringLiteral("sslmode")).toString();
        p.sslRootCert = settings.value(QStringLiteral("sslrootcert")).toString();
        p.environment =
            DeploymentEnvironments::parse(settings.value(QStringLiteral("environment")).toString())
                .value_or(DeploymentEnvironment::Production);
        p.readOnly = settings.value(QStringLiteral("readOnly"), true).toBool();
        p.rememberPassword = !locked && settings.value(QStringLiteral("rememberPassword")).toBool();
        p.locked = locked;
        result = p;
    }
    settings.endGroup();
    return result;
}

QStringList namesIn(QSettings &settings)
{
    settings.beginGroup(group);
    const QStringList keys = settings.childGroups();
    settings.endGroup();
    QStringList names;
    for (const QString &key : keys)
        names.append(QUrl::fromPercentEncoding(key.toLatin1()));
    return names;
}

} // namespace

ConnectionProfileStore::ConnectionProfileStore()
    : m_settings(AdminSettings::open())
    , m_system(openSystemProfiles(!qEnvironmentVariableIsEmpty("FUELSYNC_ADMIN_SETTINGS")))
{ }

ConnectionProfileStore::ConnectionProfileStore(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
    , m_system(openSystemProfiles(true))
{ }

QString ConnectionProfileStore::systemLocation() const
{
    return m_system ? m_system->fileName() : QString();
}

ConnectionProfileStore::~ConnectionProfileStore() = default;

QString ConnectionProfileStore::location() const
{
    return m_settings->fileName();
}

QList<ConnectionProfile> ConnectionProfileStore::profiles() const
{
    QList<ConnectionProfile> result;
    QStringList names = namesIn(*m_settings);
    if (m_system)
        names += namesIn(*m_system);
    names.removeDuplicates();
    for (const QString &name : std::as_const(names)) {
        if (auto profile = find(name))
            result.append(*profile);
    }
    std::sort(result.begin(), result.end(), [](const auto &a, const auto &b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    return result;
}

std::optional<ConnectionProfile> ConnectionProfileStore::find(const QString &name) const
{
    if (m_system) {
        if (auto locked = readProfile(*m_system, name, true))
            return locked;
    }
    return readProfile(*m_settings, name, false);
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
    for (const QString &name : { profile.name, previousName }) {
        if (const auto existing = find(name); !name.isEmpty() && existing && existing->locked) {
            if (error)
                *error = tr("the profile %1 is provisioned for this workstation (%2) and locked: "
                            "it cannot be changed here")
                             .arg(name, systemLocation());
            return false;
        }
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

bool ConnectionProfileStore::remove(const QString &name, QString *error)
{
    if (const auto existing = find(name); existing && existing->locked) {
        if (error)
            *error = tr("the profile %1 is provisioned for this workstation (%2) and locked: it "
                        "cannot be removed here")
                         .arg(name, systemLocation());
        return false;
    }
    m_settings->remove(group + u'/' + keyOf(name));
    m_settings->sync();
    return true;
}

} // namespace fuelsync
