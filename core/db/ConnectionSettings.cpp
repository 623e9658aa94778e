#include "ConnectionSettings.h"

#include "LibPq.h"

#include <QCoreApplication>

namespace fuelsync {

namespace {
// Fields that QSqlDatabase carries itself; everything else goes through the connect options.
bool isDriverField(const QString &keyword, const QString &value)
{
    if (keyword == u"port") {
        // QSqlDatabase takes one numeric port; a libpq port list goes through the options.
        bool numeric = false;
        value.toInt(&numeric);
        return numeric;
    }
    return keyword == u"host" || keyword == u"dbname" || keyword == u"user"
        || keyword == u"password";
}
} // namespace

bool ConnectionSettings::parse(const QString &uriOrConninfo, ConnectionSettings *out,
                               QString *error)
{
    const QString trimmed = uriOrConninfo.trimmed();
    ConnectionSettings settings;
    if (!trimmed.isEmpty()) {
        QString parseError;
        const auto parsed = LibPq::parseConninfo(trimmed, &parseError);
        if (!parsed) {
            if (error) {
                *error = QCoreApplication::translate("ConnectionSettings",
                                                     "cannot read the connection string: %1")
                             .arg(parseError);
            }
            return false;
        }
        for (const LibPq::ConninfoValue &v : *parsed)
            settings.m_values.insert(v.keyword, v.value);
    }
    *out = settings;
    return true;
}

void ConnectionSettings::set(const QString &keyword, const QString &value)
{
    m_values.insert(keyword, value);
}

ConnectionSettings ConnectionSettings::withDatabase(const QString &database) const
{
    ConnectionSettings copy = *this;
    copy.set(QStringLiteral("dbname"), database);
    return copy;
}

ConnectionSettings ConnectionSettings::withPassword(const QString &password) const
{
    ConnectionSettings copy = *this;
    copy.set(QStringLiteral("password"), password);
    return copy;
}

ConnectionSettings ConnectionSettings::withApplicationName(const QString &name) const
{
    ConnectionSettings copy = *this;
    if (!copy.m_values.contains(QStringLiteral("application_name")))
        copy.set(QStringLiteral("application_name"), name);
    return copy;
}

QString ConnectionSettings::displayName() const
{
    const QString user = this->user().isEmpty() ? qEnvironmentVariable("PGUSER") : this->user();
    QString host = this->host().isEmpty() ? qEnvironmentVariable("PGHOST") : this->host();
    if (host.isEmpty())
        host = QStringLiteral("local socket");
    const QString port = this->port().isEmpty() ? qEnvironmentVariable("PGPORT") : this->port();
    QString database = this->database();
    if (database.isEmpty())
        database = qEnvironmentVariable("PGDATABASE");
    QString result;
    if (!user.isEmpty())
        result += user + u'@';
    result += host;
    if (!port.isEmpty())
        result += u':' + port;
    if (!database.isEmpty())
        result += u'/' + database;
    const QString service = value(QStringLiteral("service"));
    if (!service.isEmpty())
        result += QStringLiteral(" (service %1)").arg(service);
    return result;
}

QString ConnectionSettings::quoteConninfoValue(const QString &value)
{
    QString escaped = value;
    escaped.replace(u'\\', QStringLiteral("\\\\"));
    escaped.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + escaped + u'\'';
}

QString ConnectionSettings::conninfoWithoutPassword() const
{
    QStringList parts;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        if (it.key() == u"password" || it.key() == u"sslpassword") // secrets: never shown
            continue;
        parts.append(it.key() + u'=' + quoteConninfoValue(it.value()));
    }
    return parts.join(u' ');
}

bool ConnectionSettings::driverOptions(QString *options, QString *error) const
{
    QStringList parts;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        if (isDriverField(it.key(), it.value()))
            continue;
        if (it.value().contains(u';')) {
            if (error) {
                *error = QCoreApplication::translate(
                             "ConnectionSettings",
                             "the connection option %1 contains ';', which Qt's PostgreSQL driver "
                             "cannot pass on; put it in a service file (PGSERVICE) instead")
                             .arg(it.key());
            }
            return false;
        }
        parts.append(it.key() + u'=' + quoteConninfoValue(it.value()));
    }
    *options = parts.join(u';');
    return true;
}

} // namespace fuelsync
