#pragma once

#include <QMap>
#include <QString>

namespace fuelsync {

// Where and how to connect, in libpq's terms. Empty fields fall back to libpq's own defaults
// (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSERVICE, ~/.pgpass), exactly as psql does.
class ConnectionSettings
{
public:
    ConnectionSettings() = default;

    // A libpq URI ("postgresql://user@host:5432/db?sslmode=require") or keyword/value string
    // ("host=... dbname=..."), parsed by libpq itself. Returns false with a message on bad input.
    static bool parse(const QString &uriOrConninfo, ConnectionSettings *out, QString *error);

    QString host() const { return value(QStringLiteral("host")); }
    QString port() const { return value(QStringLiteral("port")); }
    QString database() const { return value(QStringLiteral("dbname")); }
    QString user() const { return value(QStringLiteral("user")); }
    QString password() const { return value(QStringLiteral("password")); }
    bool hasPassword() const { return m_values.contains(QStringLiteral("password")); }

    QString value(const QString &keyword) const { return m_values.value(keyword); }
    void set(const QString &keyword, const QString &value);
    void remove(const QString &keyword) { m_values.remove(keyword); }
    const QMap<QString, QString> &values() const { return m_values; }

    ConnectionSettings withDatabase(const QString &database) const;
    ConnectionSettings withPassword(const QString &password) const;
    ConnectionSettings withApplicationName(const QString &name) const;

    // "user@host:port/db" for messages; never includes the password. Parts libpq will fill from
    // its defaults are shown as libpq would resolve them where that is cheap to know.
    QString displayName() const;

    // A keyword/value string for libpq-based tools (pg_dump); the password and the client key's
    // sslpassword are left out (a command line is seen by ps), so a password reaches them only
    // through libpq's own means (environment or .pgpass).
    QString conninfoWithoutPassword() const;

    // The part of the settings that Qt's QPSQL driver takes as "connect options". Returns false
    // when a value cannot pass through the driver (it turns ';' into spaces).
    bool driverOptions(QString *options, QString *error) const;

    bool operator==(const ConnectionSettings &other) const = default;

    static QString quoteConninfoValue(const QString &value);

private:
    QMap<QString, QString> m_values;
};

} // namespace fuelsync
