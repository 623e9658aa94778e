#include "CliContext.h"

#include "Terminal.h"
#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "common/RunnerIdentity.h"
#include "connect/ConnectionProfileStore.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ExitStatus.h"
#include "db/SessionOptions.h"
#include "migrationfiles/MigrationsLocation.h"
#include "roles/LoginPrivileges.h"
#include "sandbox/Sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace fuelsync::cli {

CliContext::CliContext(const CommandLine &commandLine, const CliConsole &console)
    : m_args(commandLine)
    , m_console(console)
{ }

int CliContext::fail(const QString &message, int exitCode)
{
    err() << "fuelsync-db: " << message << Qt::endl;
    m_lastError = message;
    explainReadOnly(message);
    return exitCode;
}

int CliContext::fail(const std::exception &error, bool cancelled)
{
    QString message = QString::fromUtf8(error.what());
    if (const auto *request = dynamic_cast<const RequestError *>(&error))
        message = request->message();
    else if (const auto *db = dynamic_cast<const DbError *>(&error))
        message = db->text();
    return fail(message, ExitStatus::of(error, cancelled));
}

void CliContext::explainReadOnly(const QString &text)
{
    if (m_readOnlyProfile.isEmpty() || !text.contains(u"read-only"))
        return;
    err() << QCoreApplication::translate("fuelsync-db",
                                         "(the profile %1 is read-only: the server refuses every "
                                         "write of its sessions)")
                 .arg(m_readOnlyProfile)
          << Qt::endl;
}

bool CliContext::ask(const QString &question, const QString &expected)
{
    return interactive() && Terminal::confirm(question, expected);
}

bool CliContext::confirm(const ChangeConfirmation &asked, const QString &about)
{
    if (!asked.needed() || m_args.has(QStringLiteral("yes")))
        return true;
    if (!interactive()) {
        err() << QCoreApplication::translate("fuelsync-db",
                                             "%1 must be confirmed, and there is no terminal to "
                                             "ask at: pass --yes to run it from a script.")
                     .arg(asked.what)
              << Qt::endl;
        return false;
    }
    if (!about.isEmpty())
        err() << Qt::endl << about << Qt::endl;
    return ask(asked.typesName()
                   ? QCoreApplication::translate("fuelsync-db", "%1: type %2 to go on:")
                         .arg(asked.what, asked.answer)
                   : QCoreApplication::translate("fuelsync-db", "%1: type 'yes' to go on:")
                         .arg(asked.what),
               asked.answer);
}

bool CliContext::connection(ConnectionSettings *settings, int *exitCode)
{
    if (int(m_args.has(QStringLiteral("sandbox"))) + int(m_args.has(QStringLiteral("db")))
            + int(m_args.has(QStringLiteral("profile")))
        > 1) {
        *exitCode = fail(QCoreApplication::translate("fuelsync-db",
                                                     "give one of --db, --sandbox and "
                                                     "--profile"),
                         2);
        return false;
    }
    if (m_args.has(QStringLiteral("profile"))) {
        // A profile saved in the desktop app; its password comes from libpq's own means
        // (.pgpass, the service file), or a prompt at a terminal.
        const ConnectionProfileStore store;
        const auto profile = store.find(m_args.value(QStringLiteral("profile")));
        QString error;
        if (!profile) {
            *exitCode = fail(QCoreApplication::translate("fuelsync-db",
                                                         "there is no profile named %1 "
                                                         "(profiles are in %2)")
                                 .arg(m_args.value(QStringLiteral("profile")), store.location()),
                             2);
            return false;
        }
        if (!profile->toSettings(settings, &error)) {
            *exitCode = fail(error, 2);
            return false;
        }
        if (profile->readOnly) {
            // Not a promise of the client: the server refuses every write of these sessions.
            SessionOptions readOnly;
            readOnly.readOnly = true;
            *settings = readOnly.applyTo(*settings);
            m_readOnlyProfile = profile->name;
        }
    }
    if (m_args.has(QStringLiteral("sandbox"))) {
        Sandbox sandbox;
        if (!sandbox.isRunning()) {
            *exitCode = fail(QCoreApplication::translate(
                                 "fuelsync-db",
                                 "the sandbox is not running: start it with 'fuelsync-db sandbox "
                                 "start'"),
                             3);
            return false;
        }
        *settings = sandbox.connectionSettings();
    } else if (m_args.has(QStringLiteral("db"))) {
        QString error;
        if (!ConnectionSettings::parse(m_args.value(QStringLiteral("db")), settings, &error)) {
            *exitCode = fail(error, 2);
            return false;
        }
    }
    // Connect once up front: a clear message and exit status 3 when the server cannot be reached,
    // and the one place to ask for a password.
    for (int attempt = 0; attempt < 3; ++attempt) {
        try {
            const auto probe = DbConnection::open(*settings, QStringLiteral("probe"));
            return m_writingCommand.isEmpty() || admitsWriter(*probe, exitCode);
        } catch (const DbError &error) {
            if (error.passwordRequired() && interactive()) {
                const QString password = Terminal::readHidden(
                    QCoreApplication::translate("fuelsync-db", "Password for %1: ")
                        .arg(settings->displayName()));
                *settings = settings->withPassword(password);
                continue;
            }
            *exitCode = fail(error.text(), 3);
            return false;
        }
    }
    *exitCode = fail(
        QCoreApplication::translate("fuelsync-db", "giving up after three password attempts"), 3);
    return false;
}

void CliContext::setWritingCommand(const QString &name, FuelsyncRole role)
{
    m_writingCommand = name;
    m_writingRole = role;
}

int CliContext::refuseOnReadOnlyProfile()
{
    if (m_writingCommand.isEmpty() || !m_args.has(QStringLiteral("profile")))
        return 0;
    const ConnectionProfileStore store;
    const auto profile = store.find(m_args.value(QStringLiteral("profile")));
    if (!profile || !profile->readOnly)
        return 0;
    return fail(QCoreApplication::translate("fuelsync-db",
                                            "the profile %1 is read-only%2: '%3' writes, so it "
                                            "was not run (nothing was sent to the server). A "
                                            "maintainer's profile runs it.")
                    .arg(profile->name,
                         profile->locked
                             ? QCoreApplication::translate("fuelsync-db",
                                                           " (locked by the workstation's "
                                                           "administrator)")
                             : QString(),
                         m_writingCommand),
                ExitStatus::Failed);
}

bool CliContext::admitsWriter(DbConnection &connection, int *exitCode)
{
    LoginPrivileges login;
    try {
        login = LoginPrivileges::read(connection, QString(), false);
    } catch (const DbError &error) {
        *exitCode = fail(error.text(), ExitStatus::of(error));
        return false;
    }
    const auto held = login.role();
    if (!login.isReader() || (held && *held == m_writingRole))
        return true;
    const QString message =
        QCoreApplication::translate("fuelsync-db",
                                    "%1 is a %2 login (%3): '%4' writes, which only %5 may; "
                                    "nothing was run")
            .arg(login.login, FuelsyncRoles::displayName(*held), FuelsyncRoles::groupRole(*held),
                 m_writingCommand, FuelsyncRoles::groupRole(m_writingRole));
    AuditEntry entry;
    entry.kind = m_writingCommand == u"migrate approve" ? QString::fromLatin1(AuditEntry::approve)
        : m_writingCommand == u"migrate approve --policy"
        ? QString::fromLatin1(AuditEntry::approvalPolicy)
        : m_writingCommand;
    entry.outcome = AuditEntry::Outcome::Refused;
    entry.error = message;
    entry.what = { { QStringLiteral("command"), m_writingCommand } };
    const QString notRecorded = AuditLog::recordAlone(connection, entry);
    *exitCode = fail(
        notRecorded.isEmpty()
            ? message
            : QCoreApplication::translate("fuelsync-db", "%1 (the refusal is not in the audit: %2)")
                  .arg(message, notRecorded),
        ExitStatus::Failed);
    return false;
}

int CliContext::withSession(
    const QString &command, int requestExit,
    const std::function<int(DbConnection &, const ConnectionSettings &)> &work)
{
    ConnectionSettings settings;
    int exitCode = 0;
    if (!connection(&settings, &exitCode))
        return exitCode;
    try {
        auto session =
            DbConnection::open(settings.withApplicationName(runner() + u' ' + command), command);
        return work(*session, settings);
    } catch (const RequestError &e) {
        return fail(e.message(), requestExit);
    } catch (const DbError &e) {
        return fail(e);
    }
}

QString CliContext::migrationsDirectory() const
{
    return MigrationsLocation::resolve(m_args.has(QStringLiteral("migrations"))
                                           ? m_args.value(QStringLiteral("migrations"))
                                           : QString());
}

bool CliContext::environment(std::optional<DeploymentEnvironment> *environment)
{
    if (!m_args.has(QStringLiteral("env")))
        return true;
    const auto parsed = DeploymentEnvironments::parse(m_args.value(QStringLiteral("env")));
    if (!parsed) {
        fail(QCoreApplication::translate("fuelsync-db",
                                         "--env must be development, staging or production"),
             2);
        return false;
    }
    *environment = parsed;
    return true;
}

std::optional<int> CliContext::parseDurationMs(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|sec|min|m)?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double number = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    double ms = number * 1000.0; // plain numbers are seconds
    if (unit == u"ms")
        ms = number;
    else if (unit == u"min" || unit == u"m")
        ms = number * 60000.0;
    if (ms > 24.0 * 3600 * 1000)
        return std::nullopt;
    return int(ms);
}

bool CliContext::lockTimeoutMs(int *milliseconds)
{
    if (!m_args.has(QStringLiteral("lock-timeout")))
        return true;
    const auto parsed = parseDurationMs(m_args.value(QStringLiteral("lock-timeout")));
    if (!parsed) {
        fail(QCoreApplication::translate(
                 "fuelsync-db",
                 "--lock-timeout takes a duration such as 5s, 500ms or 2min (0 waits for ever)"),
             2);
        return false;
    }
    *milliseconds = *parsed;
    return true;
}

bool CliContext::jobs(int *jobs)
{
    if (!m_args.has(QStringLiteral("jobs")))
        return true;
    bool ok = false;
    const int value = m_args.value(QStringLiteral("jobs")).toInt(&ok);
    if (!ok || value < 1 || value > 64) {
        fail(QCoreApplication::translate("fuelsync-db", "--jobs takes a number from 1 to 64"), 2);
        return false;
    }
    *jobs = value;
    return true;
}

QString CliContext::runner() const
{
    return RunnerIdentity::describe(QStringLiteral("fuelsync-db"));
}

QString CliContext::connectionName(const ConnectionSettings &settings) const
{
    if (m_args.has(QStringLiteral("profile")))
        return m_args.value(QStringLiteral("profile"));
    if (m_args.has(QStringLiteral("sandbox")))
        return QStringLiteral("sandbox");
    return settings.displayName();
}

} // namespace fuelsync::cli
