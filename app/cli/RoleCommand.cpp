#include "CliContext.h"
#include "Commands.h"
#include "db/DbConnection.h"
#include "db/ExitStatus.h"
#include "roles/LoginPrivileges.h"
#include "roles/RoleSetup.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fuelsync::cli {

namespace {

void printReport(CliContext &context, const RoleSetup::Report &report)
{
    for (const QString &line : report.done)
        context.out() << "  " << line << Qt::endl;
    for (const QString &line : report.warnings)
        context.err() << QCoreApplication::translate("fuelsync-db", "warning: ") << line
                      << Qt::endl;
}

// roles grant / revoke: LOGIN --as=ROLE.
int change(CliContext &context, bool grant)
{
    const QString login = context.args().word(2);
    if (login.isEmpty())
        return context.fail(QCoreApplication::translate(
                                "fuelsync-db",
                                "name the login: roles grant LOGIN --as=support|release-manager|"
                                "maintainer"),
                            ExitStatus::Usage);
    const auto role = FuelsyncRoles::parse(context.args().value(QStringLiteral("as")));
    if (!role)
        return context.fail(QCoreApplication::translate(
                                "fuelsync-db", "--as takes support, release-manager or maintainer"),
                            ExitStatus::Usage);
    return context.withSession(
        grant ? QStringLiteral("roles grant") : QStringLiteral("roles revoke"), ExitStatus::Failed,
        [&](DbConnection &session, const ConnectionSettings &) {
            const RoleSetup::Report report = grant ? RoleSetup::grant(session, login, *role)
                                                   : RoleSetup::revoke(session, login, *role);
            context.out() << (grant
                                  ? QCoreApplication::translate("fuelsync-db", "%1 is a %2 login:")
                                  : QCoreApplication::translate("fuelsync-db",
                                                                "%1 is no longer a %2 login:"))
                                 .arg(login, FuelsyncRoles::displayName(*role))
                          << Qt::endl;
            printReport(context, report);
            return ExitStatus::Done;
        });
}

QJsonObject toJson(const LoginPrivileges &login)
{
    QJsonArray writes;
    for (const LoginPrivileges::Write &write : login.writes)
        writes.append(write.text());
    const auto role = login.role();
    return { { QStringLiteral("login"), login.login },
             { QStringLiteral("role"),
               role ? FuelsyncRoles::optionName(*role) : QStringLiteral("none") },
             { QStringLiteral("memberOf"), QJsonArray::fromStringList(login.memberOf) },
             { QStringLiteral("superuser"), login.superuser },
             { QStringLiteral("createdb"), login.createDb },
             { QStringLiteral("createrole"), login.createRole },
             { QStringLiteral("readOnlyByDefault"), login.readOnlyByDefault },
             { QStringLiteral("statementTimeout"), login.statementTimeout },
             { QStringLiteral("writes"), writes },
             { QStringLiteral("problems"), QJsonArray::fromStringList(login.problems()) } };
}

} // namespace

namespace RoleCommands {

int setup(CliContext &context)
{
    return context.withSession(
        QStringLiteral("roles setup"), ExitStatus::Failed,
        [&](DbConnection &session, const ConnectionSettings &) {
            const RoleSetup::Report report = RoleSetup::setup(session);
            context.out() << (report.done.isEmpty() ? QCoreApplication::translate(
                                  "fuelsync-db",
                                  "The roles were already set up in %1; nothing changed.")
                                                    : QCoreApplication::translate(
                                                        "fuelsync-db", "Set up the roles in %1:"))
                                 .arg(session.databaseName())
                          << Qt::endl;
            printReport(context, report);
            return ExitStatus::Done;
        });
}

int grant(CliContext &context)
{
    return change(context, true);
}

int revoke(CliContext &context)
{
    return change(context, false);
}

int list(CliContext &context)
{
    return context.withSession(
        QStringLiteral("roles list"), ExitStatus::Failed,
        [&](DbConnection &session, const ConnectionSettings &) {
            QList<LoginPrivileges> logins;
            for (const QString &name : LoginPrivileges::fuelsyncLogins(session))
                logins.append(LoginPrivileges::read(session, name));
            int problems = 0;
            for (const LoginPrivileges &login : std::as_const(logins))
                problems += int(login.problems().size());
            if (context.args().has(QStringLiteral("json"))) {
                QJsonArray array;
                for (const LoginPrivileges &login : std::as_const(logins))
                    array.append(toJson(login));
                context.out() << QJsonDocument(
                                     QJsonObject {
                                         { QStringLiteral("database"), session.databaseName() },
                                         { QStringLiteral("logins"), array },
                                         { QStringLiteral("problems"), problems } })
                                     .toJson(QJsonDocument::Indented);
                return problems > 0 ? ExitStatus::Failed : ExitStatus::Done;
            }
            if (logins.isEmpty()) {
                context.out()
                    << QCoreApplication::translate(
                           "fuelsync-db",
                           "No login holds a FuelSync role in %1 (set them up with 'roles "
                           "setup' and 'roles grant').")
                           .arg(session.databaseName())
                    << Qt::endl;
                return ExitStatus::Done;
            }
            for (const LoginPrivileges &login : std::as_const(logins)) {
                const auto role = login.role();
                QString what = role ? FuelsyncRoles::displayName(*role)
                                    : QCoreApplication::translate("fuelsync-db", "owner");
                if (login.superuser)
                    what += QCoreApplication::translate("fuelsync-db", ", superuser");
                context.out() << login.login << "  " << what << Qt::endl;
                QStringList facts;
                facts.append(
                    login.readOnlyByDefault
                        ? QCoreApplication::translate("fuelsync-db", "sessions start read-only")
                        : QCoreApplication::translate("fuelsync-db", "sessions start read-write"));
                if (!login.statementTimeout.isEmpty())
                    facts.append(QCoreApplication::translate("fuelsync-db", "statement timeout %1")
                                     .arg(login.statementTimeout));
                facts.append(login.writes.isEmpty()
                                 ? QCoreApplication::translate("fuelsync-db", "can write nothing")
                                 : QCoreApplication::translate("fuelsync-db",
                                                               "can write: %n privilege(s)",
                                                               nullptr, int(login.writes.size())));
                context.out() << "    " << facts.join(QStringLiteral("; ")) << Qt::endl;
                for (const QString &problem : login.problems())
                    context.out() << "    " << QCoreApplication::translate("fuelsync-db", "ERROR: ")
                                  << problem << Qt::endl;
            }
            context.out() << QCoreApplication::translate("fuelsync-db", "%n login(s)", nullptr,
                                                         int(logins.size()));
            if (problems > 0)
                context.out() << QCoreApplication::translate("fuelsync-db", ", %n error(s)",
                                                             nullptr, problems);
            context.out() << '.' << Qt::endl;
            return problems > 0 ? ExitStatus::Failed : ExitStatus::Done;
        });
}

} // namespace RoleCommands

} // namespace fuelsync::cli
