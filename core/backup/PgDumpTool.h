#pragma once

#include "common/JobControl.h"
#include "db/ConnectionSettings.h"

#include <QProcessEnvironment>
#include <QString>

#include <functional>

namespace fuelsync {

// The pg_dump and pg_restore a backup uses against a server. pg_dump must be at least the
// server's major version (an older one cannot read the newer catalog); that is checked before
// anything runs.
struct PgDumpTool
{
    QString pgDump;
    QString pgRestore;
    int major = 0;
    QString versionText; // "pg_dump (PostgreSQL) 15.4 (Debian 15.4-1)"

    // In `binDir` when given; else the newest /usr/lib/postgresql/<N>/bin holding pg_dump, else
    // pg_dump on PATH. Throws RequestError when there is none, or when it is older than
    // `serverMajor`, saying what to install.
    static PgDumpTool locate(int serverMajor, const QString &binDir = QString());
    // 15 for "pg_dump (PostgreSQL) 15.4 (Debian 15.4-1)" or "15.4", 0 when it cannot be told.
    static int majorOf(const QString &versionText);
    // The environment pg_dump and pg_restore run in: the password, when the settings hold one,
    // goes by libpq's PGPASSWORD, never on a command line that ps shows.
    static QProcessEnvironment environmentFor(const ConnectionSettings &settings,
                                              const QString &applicationName);
    // Runs the process in a process group of its own, so a Ctrl-C at the terminal reaches
    // fuelsync-db (which cancels in order) and not the tools it is waiting for; the process dies
    // with fuelsync-db however that ends (PR_SET_PDEATHSIG: a killed fuelsync-db leaves no
    // pg_dump writing into its folder), and creates its files private (umask 077).
    static void ownProcessGroup(class QProcess &process);
    // The settings a tool connects with: the server drops a tool's session soon after the tool
    // is gone (client_connection_check_interval, on servers that have it).
    static ConnectionSettings toolSettings(const ConnectionSettings &settings,
                                           int serverVersionNumber);

    struct Run
    {
        bool ok = false;
        bool cancelled = false; // stopped (or ended) as `cancelled` said so: it tells nothing
        QByteArray output;
        QString error; // what the tool said when it failed
    };
    // Runs one of the tools to its end in its own process group, killing it when the job is
    // cancelled (polled).
    static Run run(const QString &program, const QStringList &arguments,
                   const QProcessEnvironment &environment, const JobControl *control = nullptr);
};

} // namespace fuelsync
