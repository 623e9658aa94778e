#include "BackupCommand.h"
#include "CliContext.h"
#include "CommandLine.h"
#include "MigrateCommand.h"
#include "OtherCommands.h"
#include "fuelsync_version.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace fuelsync::cli;

namespace {

QString usage()
{
    return QCoreApplication::translate(
        "fuelsync-db",
        "Usage: fuelsync-db [--db URI-or-conninfo | --sandbox | --profile NAME] [--migrations "
        "DIR]\n"
        "                   [--env ENV]\n"
        "                   [--lock-timeout DURATION] [--quiet] [--verbose] COMMAND\n"
        "\n"
        "Manages FuelSync Hub's multi-tenant PostgreSQL database: the public schema and one "
        "schema\n"
        "per tenant (listed in public.tenants). --profile uses a profile saved in the desktop\n"
        "app. Without any of them, libpq's defaults apply (PGHOST,\n"
        "PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSERVICE, ~/.pgpass).\n"
        "\n"
        "Migrations:\n"
        "  migrate up [--version=V] [--tenant=SCHEMA]... [--jobs=N] [--dry-run] [--json]\n"
        "      Apply public-scope migrations to public, then tenant-scope ones to every tenant\n"
        "      (or those named), up to V. Each migration runs in its own transaction per schema.\n"
        "  migrate down [--version=V] [--tenant=SCHEMA]... [--jobs=N] [--dry-run] [--json] "
        "[--yes]\n"
        "      Roll back the newest applied migration, or every one newer than V, by running the\n"
        "      rollback SQL recorded when it was applied.\n"
        "  migrate plan [--down] [--version=V] [--tenant=SCHEMA]... [--json]\n"
        "      What up (or down) would run, in which order and schemas, with its lint\n"
        "      findings, approvals and, for down, the recorded rollback SQL and the data it\n"
        "      destroys. Changes nothing; exit 1 when the run would be refused.\n"
        "  migrate status [--json] [--tenant=SCHEMA]...\n"
        "  migrate create --name=NAME [--scope=public|tenant]\n"
        "  migrate lint [--version=V] [--json]\n"
        "      Check the migration files against the rules that protect a live database\n"
        "      (locks, data loss, deferrable keys, ...); exit 1 on an unacknowledged error.\n"
        "  migrate approve --version=V [--comment=TEXT]\n"
        "      Approve migration V as its file is now, for this database (members of the\n"
        "      fuelsync_release_managers role). Production runs need it; a changed file does not.\n"
        "\n"
        "Tenants and data:\n"
        "  tenant create SCHEMA [--name=TEXT] [--version=V | --no-migrate] [--yes]\n"
        "      Register the tenant, create its schema and migrate it to the version the other\n"
        "      tenants are at (the lowest, when they disagree), or to V.\n"
        "  tenant list [--json]\n"
        "  seed --set=basic|comprehensive|production [--param NAME=VALUE]... [--jobs=N]\n"
        "  env [show] | env set development|staging|production [--yes]\n"
        "      Leaving production is confirmed by typing the database name (--yes in a script).\n"
        "\n"
        "Backups:\n"
        "  backup run [--tenant=SCHEMA]... [--jobs=N] [--schemas-per-archive=N] [--dest=DIR]\n"
        "             [--pg-bin=DIR] [--json]\n"
        "      pg_dump archives of public and every tenant (or those named; public is named as\n"
        "      --tenant=public), all from one snapshot, with a manifest of versions, sizes,\n"
        "      SHA-256 and row counts. Each schema has an archive of its own, except that more\n"
        "      than 4 x N tenants are packed into 4 x N archives balanced by size (or at most\n"
        "      --schemas-per-archive in each; 1 gives every schema its own); any tenant still\n"
        "      restores alone. Kept in DIR, by default the connection's folder under\n"
        "      ~/.local/share/fuelsync-admin/backups.\n"
        "  backup list [--dest=DIR] [--json]\n"
        "  backup verify [ID] [--restore-test] [--dest=DIR] [--json]\n"
        "      Check the newest backup (or ID): each archive's SHA-256 and table of contents;\n"
        "      with --restore-test, restore it into a scratch database on the server, compare\n"
        "      its rows with the manifest, and drop it. Exit 1 when it fails.\n"
        "  backup prune [--keep-last=N] [--keep-daily=DAYS] [--keep-weekly=WEEKS]\n"
        "               [--keep-monthly=MONTHS] [--dry-run] [--dest=DIR] [--json]\n"
        "      Remove the backups the policy does not keep: the last N, and the newest of each\n"
        "      day, week and month for that long. The newest verified backup always stays.\n"
        "  backup restore ID --tenant=SCHEMA [--as=NEWSCHEMA] [--public] [--yes] [--migrate]\n"
        "      Bring one tenant back, into its own schema (replacing it, once you confirm by\n"
        "      typing its name) or side by side under a new name; no other schema is touched.\n"
        "      public needs --public; in place, it is refused while a tenant registered since\n"
        "      the backup would lose its registration. A tenant older than the migration\n"
        "      files is brought up to date afterwards with --migrate, or when you say so at\n"
        "      the terminal.\n"
        "  backup schedule add NAME --profile=P [--at=HH:MM] [--days=mon,...] [--tenant=S]...\n"
        "               [--verify=none|check|restore-test] [--keep-...=N] [--no-systemd]\n"
        "      A backup that runs by itself: a systemd user timer running 'backup scheduled\n"
        "      NAME' (its crontab line is printed when systemd cannot be used).\n"
        "  backup schedule list | remove NAME\n"
        "\n"
        "Sandbox (a local database for trying things safely):\n"
        "  sandbox start | stop | status | destroy [--yes]\n"
        "\n"
        "Options:\n"
        "  --env ENV             the environment you expect; refused if the database declares\n"
        "                        another (see 'env')\n"
        "  --lock-timeout D      how long a statement may wait for a lock: 5s (default), 500ms\n"
        "  --jobs N, -j N        schemas migrated at once (default: up to 4)\n"
        "\n"
        "Exit status: 0 done or nothing to do; 1 a migration failed or was refused; 2 bad usage;\n"
        "3 cannot connect; 4 another run holds the lock; 130 cancelled.\n");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fuelsync-admin"));
    QCoreApplication::setOrganizationName(QStringLiteral("FuelSync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FUELSYNC_VERSION));

    // The user's language if there is a translation, else English, whose file gives the plural
    // forms of "%n schemas" messages.
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("fuelsync"), QStringLiteral("_"),
                        QStringLiteral(":/i18n"))
        || translator.load(QStringLiteral(":/i18n/fuelsync_en.qm")))
        QCoreApplication::installTranslator(&translator);

    CommandLine commandLine;
    QString error;
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    CliContext context(commandLine);
    // Every argument is used exactly as given: one that does not come back the same from its
    // decoding (bytes that are not text, a byte-order mark the decoder drops) is refused rather
    // than quietly altered, say into another schema name.
    for (int i = 1; i < argc; ++i) {
        const QByteArray raw(argv[i]);
        if (raw.startsWith("\xEF\xBB\xBF") || QString::fromLocal8Bit(raw).toLocal8Bit() != raw)
            return context.fail(QCoreApplication::translate(
                                    "fuelsync-db",
                                    "argument %1 is not plain text in the terminal's encoding "
                                    "(a byte-order mark, or bytes that are not characters), so "
                                    "it would not be used as given: type it again")
                                    .arg(i),
                                2);
    }
    if (!commandLine.parse(arguments, &error))
        return context.fail(error, 2);

    const QString command = commandLine.word(0);
    if (command.isEmpty() && commandLine.has(QStringLiteral("version"))) {
        context.out() << "fuelsync-db " << FUELSYNC_VERSION << Qt::endl;
        return 0;
    }
    if (command.isEmpty() || command == u"help" || commandLine.has(QStringLiteral("help"))) {
        context.out() << usage();
        return command.isEmpty() && !commandLine.has(QStringLiteral("help")) ? 2 : 0;
    }
    if (command == u"migrate")
        return runMigrateCommand(context);
    if (command == u"tenant")
        return runTenantCommand(context);
    if (command == u"seed")
        return runSeedCommand(context);
    if (command == u"sandbox")
        return runSandboxCommand(context);
    if (command == u"env")
        return runEnvCommand(context);
    if (command == u"backup")
        return runBackupCommand(context);
    return context.fail(
        QCoreApplication::translate("fuelsync-db", "unknown command '%1' (see 'fuelsync-db help')")
            .arg(command),
        2);
}
