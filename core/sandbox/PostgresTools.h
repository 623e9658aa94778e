#pragma once

#include <QString>

#include <optional>

namespace fuelsync {

// The programs of one PostgreSQL installation (one major version): the server side (initdb,
// pg_ctl, postgres) that a LocalCluster needs, and the client tools next to them (pg_dump,
// pg_restore, psql), which may be missing when only the server package is installed.
class PostgresTools
{
public:
    // Finds an installation: first a directory on PATH holding both initdb and pg_ctl, else the
    // newest /usr/lib/postgresql/<major>/bin (Debian and Ubuntu keep the server programs there,
    // off PATH). Returns nothing, with a message that says what to install, when none is found.
    static std::optional<PostgresTools> locate(QString *error);

    // The installation in one given directory (a setting, or a directory remembered earlier).
    static std::optional<PostgresTools> fromDirectory(const QString &binDir, QString *error);

    const QString &binDir() const { return m_binDir; }
    // 15 for PostgreSQL 15.4.
    int majorVersion() const { return m_majorVersion; }
    // "pg_ctl (PostgreSQL) 15.4 (Debian 15.4-1)", or empty when only the directory told the
    // version.
    const QString &versionText() const { return m_versionText; }

    // The path the program would have in this installation; it need not exist (see has()).
    QString program(const QString &name) const;
    bool has(const QString &name) const;

    QString initdb() const { return program(QStringLiteral("initdb")); }
    QString pgCtl() const { return program(QStringLiteral("pg_ctl")); }
    QString postgres() const { return program(QStringLiteral("postgres")); }
    QString pgDump() const { return program(QStringLiteral("pg_dump")); }
    QString pgRestore() const { return program(QStringLiteral("pg_restore")); }
    QString psql() const { return program(QStringLiteral("psql")); }

    bool operator==(const PostgresTools &other) const = default;

private:
    PostgresTools() = default;

    QString m_binDir;
    int m_majorVersion = 0;
    QString m_versionText;
};

} // namespace fuelsync
