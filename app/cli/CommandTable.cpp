#include "CommandTable.h"

#include "Commands.h"
#include "db/ExitStatus.h"

#include <QCoreApplication>
#include <QSet>

namespace fuelsync::cli {

namespace {

constexpr int lineWidth = 100;
constexpr int helpColumn = 28;

// `text` broken into lines of at most lineWidth, each after `indent` spaces.
QString wrapped(const QString &text, int indent, int firstIndent = -1)
{
    QString result;
    QString line(firstIndent < 0 ? indent : firstIndent, u' ');
    qsizetype lineStart = 0;
    bool empty = true;
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!empty && line.size() - lineStart + 1 + word.size() > lineWidth) {
            result += line + u'\n';
            line = QString(indent, u' ');
            lineStart = 0;
            empty = true;
        }
        if (!empty)
            line += u' ';
        line += word;
        empty = false;
    }
    return result + line + u'\n';
}

// "  --tenant=SCHEMA          only this tenant ..." for a command's help.
QString optionLine(const CliOption &option)
{
    QString name = QStringLiteral("  --") + option.name;
    if (option.value == CommandLine::Value::Required)
        name += u'=' + option.valueName;
    else if (option.value == CommandLine::Value::OptionalVersion)
        name += u'=' + option.valueName;
    QString help = option.help;
    if (option.repeatable)
        help += QCoreApplication::translate("CommandTable", " (may be given more than once)");
    if (name.size() >= helpColumn - 1)
        return name + u'\n' + wrapped(help, helpColumn);
    return name.leftJustified(helpColumn, u' ') + wrapped(help, helpColumn).mid(helpColumn);
}

} // namespace

QString CliOption::synopsis() const
{
    QString text = QStringLiteral("--") + name;
    if (value != CommandLine::Value::None)
        text += u'=' + valueName;
    if (!required)
        text = u'[' + text + u']';
    return text + (repeatable ? QStringLiteral("...") : QString());
}

QString CliCommand::synopsis() const
{
    QStringList parts { name() };
    if (!arguments.isEmpty())
        parts.append(arguments);
    for (const CliOption &o : options)
        parts.append(o.synopsis());
    return parts.join(u' ');
}

const CliOption *CliCommand::option(const QString &optionName) const
{
    for (const CliOption &o : options) {
        if (o.name == optionName)
            return &o;
    }
    return nullptr;
}

const CommandTable &CommandTable::instance()
{
    static const CommandTable table;
    return table;
}

CommandTable::CommandTable()
{
    using Value = CommandLine::Value;
    const auto flag = [](const QString &name, const QString &help) {
        return CliOption { name, Value::None, QString(), help };
    };
    const auto valued = [](const QString &name, const QString &valueName, const QString &help,
                           bool repeatable = false) {
        return CliOption { name, Value::Required, valueName, help, repeatable };
    };
    const auto version = [](const QString &help) {
        return CliOption { QStringLiteral("version"), Value::OptionalVersion, QStringLiteral("V"),
                           help };
    };
    const auto required = [](CliOption option) {
        option.required = true;
        return option;
    };
    const CliOption json = flag(QStringLiteral("json"), tr("print the result as JSON on stdout"));
    const auto tenants = [&](const QString &help) {
        return valued(QStringLiteral("tenant"), QStringLiteral("SCHEMA"), help, true);
    };
    const CliOption jobs =
        valued(QStringLiteral("jobs"), QStringLiteral("N"),
               tr("schemas at once (default: the machine's cores, up to 4); also -j N"));
    const CliOption dest =
        valued(QStringLiteral("dest"), QStringLiteral("DIR"),
               tr("the folder of backups (default: the database's own folder under "
                  "~/.local/share/fuelsync-admin/backups)"));
    const CliOption pgBin = valued(QStringLiteral("pg-bin"), QStringLiteral("DIR"),
                                   tr("where pg_dump and pg_restore are (default: found on PATH "
                                      "or in the PostgreSQL installation)"));
    const CliOption dryRun = flag(QStringLiteral("dry-run"),
                                  tr("run each step in a transaction that is rolled back, and say "
                                     "what it would change; nothing is changed"));
    const QList<CliOption> retention {
        valued(QStringLiteral("keep-last"), QStringLiteral("N"), tr("keep the newest N backups")),
        valued(QStringLiteral("keep-daily"), QStringLiteral("DAYS"),
               tr("keep the newest backup of each of the last DAYS days")),
        valued(QStringLiteral("keep-weekly"), QStringLiteral("WEEKS"),
               tr("keep the newest backup of each of the last WEEKS weeks")),
        valued(QStringLiteral("keep-monthly"), QStringLiteral("MONTHS"),
               tr("keep the newest backup of each of the last MONTHS months")),
    };

    m_global = {
        valued(QStringLiteral("db"), QStringLiteral("URI"),
               tr("the database: a postgresql:// URI or a libpq connection string")),
        flag(QStringLiteral("sandbox"), tr("the built-in sandbox database (see 'sandbox start')")),
        valued(QStringLiteral("profile"), QStringLiteral("NAME"),
               tr("a connection profile saved in the desktop app (a read-only one opens "
                  "read-only sessions)")),
        valued(QStringLiteral("migrations"), QStringLiteral("DIR"),
               tr("the migration files (default: FUELSYNC_MIGRATIONS_DIR, ./migrations, the "
                  "installed copy)")),
        valued(QStringLiteral("env"), QStringLiteral("ENV"),
               tr("the environment you expect (development, staging or production); refused if "
                  "the database declares another (see 'env')")),
        valued(QStringLiteral("lock-timeout"), QStringLiteral("DURATION"),
               tr("how long a statement may wait for a lock: 5s (default), 500ms, 2min")),
        flag(QStringLiteral("quiet"), tr("no progress on stderr; also -q")),
        flag(QStringLiteral("verbose"), tr("each schema or item as it finishes")),
        flag(QStringLiteral("help"), tr("this help; after a command, the command's; also -h")),
    };

    const QString migrations = tr("Migrations");
    const QString tenantsAndData = tr("Tenants and data");
    const QString backups = tr("Backups");
    const QString sandbox = tr("Sandbox (a local database for trying things safely)");
    const QString access = tr("Roles and audit");
    const QString reading = tr("Reading data");
    const QStringList migrate { QStringLiteral("migrate") };
    const QStringList backup { QStringLiteral("backup") };

    m_commands = {
        { migrate + QStringList { QStringLiteral("up") },
          {},
          0,
          migrations,
          tr("Apply public-scope migrations to public, then tenant-scope ones to every tenant (or "
             "those named), up to V. Each migration runs in its own transaction per schema; on "
             "production it needs approvals and the database's name typed (or --yes)."),
          { version(tr("apply up to and including V (default: the newest)")),
            tenants(tr("only this tenant")), jobs, dryRun, json,
            flag(QStringLiteral("yes"), tr("confirm a production run from a script")),
            flag(QStringLiteral("validate"),
                 tr("validate the schemas the run touches before it (refusing one that drifted "
                    "from its reference) and after it")),
            flag(QStringLiteral("allow-drift"),
                 tr("with --validate: migrate a schema that drifted, saying so")) },
          true,
          false,
          &MigrateCommands::up },
        { migrate + QStringList { QStringLiteral("down") },
          {},
          0,
          migrations,
          tr("Roll back the newest applied migration, or every one newer than V, by running the "
             "rollback SQL recorded when it was applied. What it destroys is said first; it is "
             "confirmed at the terminal (or --yes)."),
          { version(tr("keep V and older; roll back what is newer")),
            tenants(tr("only this tenant (public stays as it is)")), jobs, dryRun, json,
            flag(QStringLiteral("yes"), tr("confirm the rollback from a script")) },
          true,
          false,
          &MigrateCommands::down },
        { migrate + QStringList { QStringLiteral("plan") },
          {},
          0,
          migrations,
          tr("What up (or down) would run, in which order and schemas, with its lint findings, "
             "approvals and, for down, the recorded rollback SQL and the data it destroys. "
             "Changes nothing; exit 1 when the run would be refused."),
          { flag(QStringLiteral("down"), tr("plan a rollback instead")),
            version(tr("up to (or, with --down, keeping) V")), tenants(tr("only this tenant")),
            json },
          true,
          false,
          &MigrateCommands::plan },
        { migrate + QStringList { QStringLiteral("status") },
          {},
          0,
          migrations,
          tr("Each schema's version and what is pending; exit 1 when 'migrate up' would refuse."),
          { json, tenants(tr("only this tenant")) },
          true,
          false,
          &MigrateCommands::status },
        { migrate + QStringList { QStringLiteral("create") },
          {},
          0,
          migrations,
          tr("Write the next migration's files (the schema change and its rollback), numbered "
             "after the newest."),
          { required(valued(QStringLiteral("name"), QStringLiteral("NAME"),
                            tr("what it does, as a file name: add_opening_date"))),
            valued(QStringLiteral("scope"), QStringLiteral("public|tenant"),
                   tr("where it runs (default: tenant)")) },
          false,
          false,
          &MigrateCommands::create },
        { migrate + QStringList { QStringLiteral("lint") },
          {},
          0,
          migrations,
          tr("Check the migration files against the rules that protect a live database (locks, "
             "data loss, deferrable keys, ...); exit 1 on an unacknowledged error."),
          { json, version(tr("only migration V")) },
          false,
          false,
          &MigrateCommands::lint },
        { migrate + QStringList { QStringLiteral("approve") },
          {},
          0,
          migrations,
          tr("Approve migration V as its file is now, for this database (members of the "
             "fuelsync_release_managers role). Production runs need it; a changed file does not "
             "keep it. With --policy, set how many distinct release managers production needs "
             "(maintainers only)."),
          { version(tr("the migration to approve")),
            valued(QStringLiteral("comment"), QStringLiteral("TEXT"), tr("why, for the record")),
            valued(QStringLiteral("policy"), QStringLiteral("required:N"),
                   tr("production needs N distinct approvers of each file (1 to 10; default 1)")),
            json },
          true,
          false,
          &MigrateCommands::approve },

        { { QStringLiteral("tenant"), QStringLiteral("create") },
          QStringLiteral("SCHEMA"),
          1,
          tenantsAndData,
          tr("Register the tenant, create its schema and migrate it to the version the other "
             "tenants are at (the lowest, when they disagree), or to V. If migrating fails, it "
             "is removed again."),
          { valued(QStringLiteral("name"), QStringLiteral("TEXT"), tr("the tenant's name")),
            version(tr("migrate it to V")),
            flag(QStringLiteral("no-migrate"), tr("create it without migrating it")),
            flag(QStringLiteral("yes"), tr("confirm it on production from a script")) },
          true,
          false,
          &TenantCommands::create },
        { { QStringLiteral("tenant"), QStringLiteral("list") },
          {},
          0,
          tenantsAndData,
          tr("The registered tenants, their version and how many migrations each has pending."),
          { json },
          true,
          false,
          &TenantCommands::list },
        { { QStringLiteral("seed") },
          {},
          0,
          tenantsAndData,
          tr("Load a seed set into public and every tenant (basic, comprehensive or production "
             "data); each tenant in a transaction of its own."),
          { required(valued(QStringLiteral("set"), QStringLiteral("NAME"),
                            tr("basic, comprehensive or production"))),
            valued(QStringLiteral("param"), QStringLiteral("NAME=VALUE"),
                   tr("a parameter of the seed set: days=30"), true),
            jobs, json },
          true,
          false,
          &SeedCommands::seed },
        { { QStringLiteral("validate") },
          {},
          0,
          tenantsAndData,
          tr("Check public and every tenant (or those named) against what the migration files "
             "say they should be: versions (behind, edited, unexplained, unregistered), drift "
             "(each schema against the reference its version builds, never against another "
             "tenant), relationships (deferrable, validated), indexes (invalid, missing for a "
             "foreign key, duplicated, redundant, unused), orphans (rows whose parent is "
             "missing), health (sequences, transaction-ID age, bloat, sessions, cache, "
             "connections, slow statements) and comments. Reads only. Exit 1 when a finding is "
             "an error or a schema could not be checked."),
          { tenants(tr("only this tenant")),
            valued(QStringLiteral("check"), QStringLiteral("NAME"),
                   tr("only this check: versions, drift, relationships, indexes, orphans, "
                      "health or comments"),
                   true),
            valued(QStringLiteral("fix-script"), QStringLiteral("FILE"),
                   tr("write the SQL that would mend the findings to FILE (never run)")),
            valued(QStringLiteral("max-seconds"), QStringLiteral("N"),
                   tr("stop after N seconds; what was not reached is reported as not checked")),
            jobs, json },
          true,
          false,
          &ValidateCommands::validate },
        { { QStringLiteral("validate"), QStringLiteral("history") },
          {},
          0,
          tenantsAndData,
          tr("What each validation of this database came to, newest first: when, who, which "
             "checks, the errors, warnings and schemas not checked, and the tenants that "
             "drifted. Kept on this computer by database, as backups are."),
          { valued(QStringLiteral("limit"), QStringLiteral("N"), tr("show the newest N runs (20)")),
            json },
          true,
          false,
          &ValidateCommands::history },
        { { QStringLiteral("env"), QStringLiteral("show") },
          {},
          0,
          tenantsAndData,
          tr("The environment the database declares ('env' alone says the same)."),
          {},
          true,
          true,
          &EnvCommands::show },
        { { QStringLiteral("env"), QStringLiteral("set") },
          QStringLiteral("development|staging|production"),
          1,
          tenantsAndData,
          tr("Declare the database's environment, for every tool and session that connects "
             "later. Leaving production is confirmed by typing the database's name."),
          { flag(QStringLiteral("yes"), tr("confirm leaving production from a script")) },
          true,
          false,
          &EnvCommands::set },

        { backup + QStringList { QStringLiteral("run") },
          {},
          0,
          backups,
          tr("pg_dump archives of public and every tenant (or those named), all from one "
             "snapshot, with a manifest of versions, sizes, SHA-256 and row counts. Each schema "
             "has an archive of its own, except that more than 4 x N tenants are packed into "
             "4 x N archives balanced by size; any tenant still restores alone."),
          { tenants(tr("only this schema (public is named as --tenant=public)")),
            valued(QStringLiteral("jobs"), QStringLiteral("N"),
                   tr("pg_dumps at once (default: 2); also -j N")),
            valued(QStringLiteral("schemas-per-archive"), QStringLiteral("N"),
                   tr("at most N tenants in one archive (1 gives each its own)")),
            dest, pgBin, json },
          true,
          false,
          &BackupCommands::run },
        { backup + QStringList { QStringLiteral("list") },
          {},
          0,
          backups,
          tr("The backups, their size and last verification, and the failed runs since the "
             "last good one."),
          { dest, json },
          true,
          false,
          &BackupCommands::list },
        { backup + QStringList { QStringLiteral("verify") },
          QStringLiteral("[ID]"),
          1,
          backups,
          tr("Check the newest backup (or ID): each archive's SHA-256 and table of contents; "
             "with --restore-test, restore it into a scratch database, compare its rows with "
             "the manifest, and drop it. Exit 1 when it fails."),
          { flag(QStringLiteral("restore-test"), tr("also restore it and count its rows")), dest,
            pgBin, json },
          true,
          false,
          &BackupCommands::verify },
        { backup + QStringList { QStringLiteral("prune") },
          {},
          0,
          backups,
          tr("Remove the backups the policy does not keep: the last N, and the newest of each "
             "day, week and month for that long. The newest verified backup always stays."),
          retention
              + QList<CliOption> { flag(QStringLiteral("dry-run"),
                                        tr("say what would go; remove nothing")),
                                   dest, json },
          true,
          false,
          &BackupCommands::prune },
        { backup + QStringList { QStringLiteral("restore") },
          QStringLiteral("ID"),
          1,
          backups,
          tr("Bring one tenant back, into its own schema (replacing it, once you confirm by "
             "typing its name) or side by side under a new name; no other schema is touched. A "
             "tenant older than the migration files is brought up to date afterwards with "
             "--migrate, or when you say so at the terminal."),
          { required(valued(QStringLiteral("tenant"), QStringLiteral("SCHEMA"),
                            tr("the schema to restore"))),
            valued(QStringLiteral("as"), QStringLiteral("NEWSCHEMA"),
                   tr("restore it side by side under this name")),
            flag(QStringLiteral("public"),
                 tr("allow restoring public (refused in place while a tenant registered since "
                    "would lose its registration)")),
            flag(QStringLiteral("yes"), tr("confirm replacing the schema from a script")),
            flag(QStringLiteral("migrate"), tr("then migrate it up to the migration files")), dest,
            pgBin },
          true,
          false,
          &BackupCommands::restore },
        { backup + QStringList { QStringLiteral("schedule"), QStringLiteral("add") },
          QStringLiteral("NAME"), 1, backups,
          tr("A backup that runs by itself, for the --profile given: a systemd user timer "
             "running 'backup scheduled NAME' (its crontab line is printed when systemd cannot "
             "be used)."),
          QList<CliOption> { valued(QStringLiteral("at"), QStringLiteral("HH:MM"),
                                    tr("the time of day (default: 02:30)")),
                             valued(QStringLiteral("days"), QStringLiteral("mon,...,sun"),
                                    tr("the days (default: every day)")),
                             tenants(tr("only this schema")),
                             valued(QStringLiteral("jobs"), QStringLiteral("N"),
                                    tr("pg_dumps at once (default: 2)")),
                             valued(QStringLiteral("verify"),
                                    QStringLiteral("none|check|restore-test"),
                                    tr("what to check after each backup (default: check)")),
                             flag(QStringLiteral("validate"),
                                  tr("then validate the database (every check; kept in "
                                     "validate history, an error makes the run fail)")),
                             dest }
              + retention
              + QList<CliOption> { flag(QStringLiteral("no-systemd"),
                                        tr("only save it; print the crontab line")) },
          true, false, &BackupCommands::scheduleAdd },
        { backup + QStringList { QStringLiteral("schedule"), QStringLiteral("list") },
          {},
          0,
          backups,
          tr("The schedules, when each runs next and how its last run went."),
          {},
          false,
          false,
          &BackupCommands::scheduleList },
        { backup + QStringList { QStringLiteral("schedule"), QStringLiteral("remove") },
          QStringLiteral("NAME"),
          1,
          backups,
          tr("Remove a schedule and its timer."),
          { flag(QStringLiteral("no-systemd"), tr("leave systemd alone")) },
          false,
          false,
          &BackupCommands::scheduleRemove },
        { backup + QStringList { QStringLiteral("scheduled") },
          QStringLiteral("NAME"),
          1,
          backups,
          tr("What a schedule's timer runs: the backup, its verification and pruning, with the "
             "outcome kept for 'backup schedule list'."),
          {},
          true,
          false,
          &BackupCommands::scheduled },

        { { QStringLiteral("roles"), QStringLiteral("setup") },
          {},
          0,
          access,
          tr("Create the roles fuelsync_support, fuelsync_release_managers, fuelsync_maintainers "
             "and fuelsync_owner, give FuelSync's schemas to fuelsync_owner (their former owners "
             "become its members), grant support its reading (secrets excepted) and make the "
             "audit. Idempotent; needs CREATEROLE or a superuser."),
          {},
          true,
          false,
          &RoleCommands::setup },
        { { QStringLiteral("roles"), QStringLiteral("grant") },
          QStringLiteral("LOGIN"),
          1,
          access,
          tr("Make an existing login a support login (read-only sessions), a release manager "
             "(may approve) or a maintainer (acts as fuelsync_owner)."),
          { required(valued(QStringLiteral("as"), QStringLiteral("ROLE"),
                            tr("support, release-manager or maintainer"))) },
          true,
          false,
          &RoleCommands::grant },
        { { QStringLiteral("roles"), QStringLiteral("revoke") },
          QStringLiteral("LOGIN"),
          1,
          access,
          tr("Take a FuelSync role away from a login."),
          { required(valued(QStringLiteral("as"), QStringLiteral("ROLE"),
                            tr("support, release-manager or maintainer"))) },
          true,
          false,
          &RoleCommands::revoke },
        { { QStringLiteral("roles"), QStringLiteral("list") },
          {},
          0,
          access,
          tr("Who is what, and what each login can really do here (the server's effective "
             "privileges); exit 1 when a support login or a release manager can write."),
          { json },
          true,
          true,
          &RoleCommands::list },
        { { QStringLiteral("audit") },
          {},
          0,
          access,
          tr("What was done to this database and how it ended, newest first: applies, "
             "rollbacks, dry runs, approvals, env set, tenants, seeds, backups, restores, "
             "prunes, roles; refusals and failures included."),
          { valued(QStringLiteral("since"), QStringLiteral("DATE"),
                   tr("only from DATE (2026-12-01, or an ISO date and time)")),
            valued(QStringLiteral("kind"), QStringLiteral("KIND"),
                   tr("only this kind: 'migrate up', 'env set', ...")),
            valued(QStringLiteral("limit"), QStringLiteral("N"), tr("the newest N (100)")), json },
          true,
          false,
          &AuditCommands::audit },

        { { QStringLiteral("query") },
          QStringLiteral("SQL"),
          1,
          reading,
          tr("Run SQL read-only and print the rows: each statement sent alone in a READ ONLY "
             "transaction that is rolled back, so the server refuses anything that writes, "
             "whatever the login may do. Without SQL (or with -), the statements are read from "
             "stdin. With --all-tenants or --tenant, one statement runs once per tenant schema "
             "(the tenant first on the search_path) and the rows come with a leading tenant "
             "column; a tenant that cannot answer is listed and the others go on (exit 1)."),
          { flag(QStringLiteral("all-tenants"), tr("ask every tenant schema")),
            tenants(tr("ask this tenant")), jobs,
            valued(QStringLiteral("format"), QStringLiteral("F"),
                   tr("table (default), csv or json")) },
          true,
          false,
          &QueryCommands::query },
        { { QStringLiteral("search") },
          QStringLiteral("TEXT"),
          1,
          reading,
          tr("Find TEXT anywhere in a tenant's name or schema and, in every tenant, in stations "
             "(name, city), pumps (label, serial), nozzles (number, fuel), credit customers "
             "(name, phone, vehicle) and users (name, email); case does not matter. Read-only."),
          { json },
          true,
          false,
          &QueryCommands::search },

        { { QStringLiteral("sandbox"), QStringLiteral("start") },
          {},
          0,
          sandbox,
          tr("Start the sandbox: created, migrated and seeded the first time, brought up to date "
             "after."),
          {},
          false,
          false,
          &SandboxCommands::start },
        { { QStringLiteral("sandbox"), QStringLiteral("stop") },
          {},
          0,
          sandbox,
          tr("Stop the sandbox's server."),
          {},
          false,
          false,
          &SandboxCommands::stop },
        { { QStringLiteral("sandbox"), QStringLiteral("status") },
          {},
          0,
          sandbox,
          tr("Whether the sandbox runs, where, and its size; exit 1 when it does not run."),
          {},
          false,
          false,
          &SandboxCommands::status },
        { { QStringLiteral("sandbox"), QStringLiteral("destroy") },
          {},
          0,
          sandbox,
          tr("Delete the sandbox and all its data."),
          { flag(QStringLiteral("yes"), tr("confirm it from a script")) },
          false,
          false,
          &SandboxCommands::destroy },
    };

    // What writes, and who may. Reading commands (plans, status, lists, validate, backup verify
    // without the restore test) are left as they are.
    const QHash<QString, FuelsyncRole> writers {
        { QStringLiteral("migrate up"), FuelsyncRole::Maintainer },
        { QStringLiteral("migrate down"), FuelsyncRole::Maintainer },
        { QStringLiteral("migrate approve"), FuelsyncRole::ReleaseManager },
        { QStringLiteral("tenant create"), FuelsyncRole::Maintainer },
        { QStringLiteral("seed"), FuelsyncRole::Maintainer },
        { QStringLiteral("env set"), FuelsyncRole::Maintainer },
        { QStringLiteral("backup run"), FuelsyncRole::Maintainer },
        { QStringLiteral("backup restore"), FuelsyncRole::Maintainer },
        { QStringLiteral("backup prune"), FuelsyncRole::Maintainer },
        { QStringLiteral("backup verify"), FuelsyncRole::Maintainer },
        { QStringLiteral("backup schedule add"), FuelsyncRole::Maintainer },
        { QStringLiteral("backup schedule remove"), FuelsyncRole::Maintainer },
        { QStringLiteral("backup scheduled"), FuelsyncRole::Maintainer },
        { QStringLiteral("roles setup"), FuelsyncRole::Maintainer },
        { QStringLiteral("roles grant"), FuelsyncRole::Maintainer },
        { QStringLiteral("roles revoke"), FuelsyncRole::Maintainer },
    };
    for (CliCommand &command : m_commands) {
        const auto found = writers.constFind(command.name());
        if (found != writers.constEnd())
            command.writesAs = *found;
        if (command.name() == u"backup verify")
            command.writesWith = QStringLiteral("restore-test");
    }
}

bool CliCommand::writes(const CommandLine &line) const
{
    return writesAs && (writesWith.isEmpty() || line.has(writesWith));
}

bool CommandTable::isConnectionOption(const QString &name) const
{
    return name == u"db" || name == u"sandbox" || name == u"profile";
}

QHash<QString, CommandLine::Value> CommandTable::knownOptions() const
{
    QHash<QString, CommandLine::Value> known;
    for (const CliOption &o : m_global)
        known.insert(o.name, o.value);
    for (const CliCommand &c : m_commands) {
        for (const CliOption &o : c.options)
            known.insert(o.name, o.value);
    }
    return known;
}

const CliCommand *CommandTable::find(const QStringList &words) const
{
    const CliCommand *best = nullptr;
    qsizetype bestLength = 0;
    for (const CliCommand &c : m_commands) {
        const qsizetype length = c.words.size();
        const bool named = words.size() >= length && words.mid(0, length) == c.words;
        // `env` alone is `env show`: the words but the last, and nothing after them.
        const bool byDefault =
            c.isDefault && words.size() == length - 1 && words == c.words.mid(0, length - 1);
        if ((named || byDefault) && length > bestLength) {
            best = &c;
            bestLength = length;
        }
    }
    return best;
}

QList<const CliCommand *> CommandTable::commandsUnder(const QStringList &prefix) const
{
    QList<const CliCommand *> under;
    for (const CliCommand &c : m_commands) {
        if (c.words.size() > prefix.size() && c.words.mid(0, prefix.size()) == prefix)
            under.append(&c);
    }
    return under;
}

QStringList CommandTable::acceptedOptions(const CliCommand &command) const
{
    QStringList names;
    for (const CliOption &o : command.options)
        names.append(o.name);
    for (const CliOption &o : m_global) {
        if (command.connects || !isConnectionOption(o.name))
            names.append(o.name);
    }
    return names;
}

QString CommandTable::refusal(const CliCommand &command, const CommandLine &line) const
{
    const QStringList accepted = acceptedOptions(command);
    for (const QString &given : line.given()) {
        if (accepted.contains(given))
            continue;
        if (isConnectionOption(given) && !command.connects)
            return QCoreApplication::translate("CommandTable",
                                               "'%1' manages the built-in sandbox or local files; "
                                               "it takes no --%2")
                .arg(command.name(), given);
        return QCoreApplication::translate("CommandTable",
                                           "'%1' does not take --%2 (see 'fuelsync-db %1 --help')")
            .arg(command.name(), given);
    }
    const qsizetype extra = line.words().size() - command.words.size() - command.maxArguments;
    if (extra > 0)
        return QCoreApplication::translate("CommandTable", "'%1' does not take '%2'%3")
            .arg(command.name(), line.words().at(line.words().size() - extra),
                 command.arguments.isEmpty()
                     ? QString()
                     : QCoreApplication::translate("CommandTable", " (it takes %1)")
                           .arg(command.arguments));
    return {};
}

QString CommandTable::usage() const
{
    QString text =
        tr("Usage: fuelsync-db [--db URI | --sandbox | --profile NAME] [OPTIONS] COMMAND "
           "[COMMAND OPTIONS]\n"
           "       fuelsync-db COMMAND --help\n"
           "       fuelsync-db --version\n\n");
    text += wrapped(tr("Manages FuelSync Hub's multi-tenant PostgreSQL database: the public schema "
                       "and one schema per tenant (listed in public.tenants). Without --db, "
                       "--sandbox or --profile, libpq's defaults apply (PGHOST, PGPORT, PGUSER, "
                       "PGDATABASE, PGPASSWORD, PGSERVICE, ~/.pgpass)."),
                    0);
    QString group;
    for (const CliCommand &c : m_commands) {
        if (c.group != group) {
            group = c.group;
            text += u'\n' + group + QStringLiteral(":\n");
        }
        text += wrapped(c.synopsis(), 12, 2);
        text += wrapped(c.summary, 6);
    }
    text += u'\n' + tr("Options for every command:") + u'\n';
    for (const CliOption &o : m_global)
        text += optionLine(o);
    text += u'\n' + exitStatusText();
    return text;
}

QString CommandTable::exitStatusText()
{
    return wrapped(QCoreApplication::translate(
                       "CommandTable",
                       "Exit status: %1 done or nothing to do; %2 a statement failed or the "
                       "request was refused; %3 bad usage; %4 cannot connect; %5 another run "
                       "holds the lock; %6 cancelled.")
                       .arg(ExitStatus::Done)
                       .arg(ExitStatus::Failed)
                       .arg(ExitStatus::Usage)
                       .arg(ExitStatus::Unreachable)
                       .arg(ExitStatus::Busy)
                       .arg(ExitStatus::Cancelled),
                   0);
}

QString CommandTable::help(const CliCommand &command) const
{
    QString text =
        QCoreApplication::translate("CommandTable", "Usage: fuelsync-db %1").arg(command.synopsis())
        + u'\n';
    text = wrapped(text.trimmed(), 12, 0) + u'\n' + wrapped(command.summary, 0) + u'\n';
    if (command.options.isEmpty()) {
        text +=
            QCoreApplication::translate("CommandTable", "It takes no options of its own.") + u'\n';
    } else {
        text += QCoreApplication::translate("CommandTable", "Options:") + u'\n';
        for (const CliOption &o : command.options)
            text += optionLine(o);
    }
    text +=
        u'\n' + QCoreApplication::translate("CommandTable", "Options for every command:") + u'\n';
    for (const CliOption &o : m_global) {
        if (command.connects || !isConnectionOption(o.name))
            text += optionLine(o);
    }
    return text + u'\n' + exitStatusText();
}

QString CommandTable::groupHelp(const QStringList &prefix) const
{
    QString text =
        QCoreApplication::translate("CommandTable", "'%1' commands:").arg(prefix.join(u' '))
        + u'\n';
    for (const CliCommand *c : commandsUnder(prefix)) {
        text += wrapped(c->synopsis(), 12, 2);
        text += wrapped(c->summary, 6);
    }
    return text
        + QCoreApplication::translate("CommandTable", "See 'fuelsync-db %1 COMMAND --help'.")
              .arg(prefix.join(u' '))
        + u'\n';
}

} // namespace fuelsync::cli
