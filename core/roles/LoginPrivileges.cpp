#include "LoginPrivileges.h"

#include "db/DbConnection.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace fuelsync {

namespace {

// Every table, view and schema of the database the login may write, and the database itself.
const char *writesSql = R"SQL(
WITH r AS (SELECT ?::text AS login)
SELECT concat_ws(', ',
         CASE WHEN has_any_column_privilege(r.login, c.oid, 'INSERT') THEN 'INSERT' END,
         CASE WHEN has_any_column_privilege(r.login, c.oid, 'UPDATE') THEN 'UPDATE' END,
         CASE WHEN has_table_privilege(r.login, c.oid, 'DELETE') THEN 'DELETE' END,
         CASE WHEN has_table_privilege(r.login, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END),
       format('%s.%s', n.nspname, c.relname), 1 AS kind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, r
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND (has_any_column_privilege(r.login, c.oid, 'INSERT, UPDATE')
       OR has_table_privilege(r.login, c.oid, 'DELETE, TRUNCATE'))
UNION ALL
SELECT 'CREATE', format('schema %s', n.nspname), 2
FROM pg_namespace n, r
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND has_schema_privilege(r.login, n.oid, 'CREATE')
UNION ALL
SELECT 'CREATE', format('database %s', current_database()), 3
FROM r WHERE has_database_privilege(r.login, current_database(), 'CREATE')
ORDER BY 3, 2
)SQL";

} // namespace

QString LoginPrivileges::Write::text() const
{
    return object.isEmpty() ? privileges : QStringLiteral("%1 on %2").arg(privileges, object);
}

std::optional<FuelsyncRole> LoginPrivileges::role() const
{
    if (isMemberOf(QString::fromLatin1(FuelsyncRoles::maintainers)))
        return FuelsyncRole::Maintainer;
    if (isMemberOf(QString::fromLatin1(FuelsyncRoles::releaseManagers)))
        return FuelsyncRole::ReleaseManager;
    if (isMemberOf(QString::fromLatin1(FuelsyncRoles::support)))
        return FuelsyncRole::Support;
    return std::nullopt;
}

bool LoginPrivileges::isReader() const
{
    const auto held = role();
    return held && *held != FuelsyncRole::Maintainer && !superuser
        && !isMemberOf(QString::fromLatin1(FuelsyncRoles::owner));
}

QStringList LoginPrivileges::problems() const
{
    QStringList found;
    const auto held = role();
    if (!held)
        return found;
    const bool writer =
        superuser || !writes.isEmpty() || isMemberOf(QString::fromLatin1(FuelsyncRoles::owner));
    if (*held != FuelsyncRole::Maintainer && writer) {
        QStringList what;
        for (qsizetype i = 0; i < writes.size() && i < 3; ++i)
            what.append(writes.at(i).text());
        const int count = int(writes.size());
        if (count > 3)
            what.append(
                QCoreApplication::translate("LoginPrivileges", "%n more", nullptr, count - 3));
        const QString role = FuelsyncRoles::displayName(*held);
        found.append(QCoreApplication::translate("LoginPrivileges",
                                                 "%1 is a %2 login but can write (%n "
                                                 "privilege(s): %3)",
                                                 nullptr, count)
                         .arg(login, role, what.join(QStringLiteral("; "))));
    }
    if (*held == FuelsyncRole::Support && !readOnlyByDefault)
        found.append(QCoreApplication::translate(
                         "LoginPrivileges",
                         "%1 is a support login whose sessions are not read-only by default "
                         "(fuelsync-db roles grant %1 --as=support sets it)")
                         .arg(login));
    return found;
}

LoginPrivileges::Access LoginPrivileges::access(bool readOnlyProfile,
                                                const QString &profileName) const
{
    Access a;
    const auto held = role();
    if (readOnlyProfile)
        a.reason = profileName.isEmpty()
            ? QCoreApplication::translate("LoginPrivileges", "The profile is read-only.")
            : QCoreApplication::translate("LoginPrivileges", "The profile %1 is read-only.")
                  .arg(profileName);
    if (isReader() && writes.isEmpty()) {
        const QString group = FuelsyncRoles::groupRole(*held);
        a.mayApprove = *held == FuelsyncRole::ReleaseManager && !readOnlyProfile;
        a.text = a.mayApprove
            ? QCoreApplication::translate("LoginPrivileges",
                                          "READ-ONLY · enforced by the server (%1) · may approve")
                  .arg(group)
            : QCoreApplication::translate("LoginPrivileges",
                                          "READ-ONLY · enforced by the server (%1)")
                  .arg(group);
        a.reason = QCoreApplication::translate("LoginPrivileges",
                                               "%1 is a %2 login: the server refuses its writes "
                                               "(%3).")
                       .arg(login, FuelsyncRoles::displayName(*held), group);
    } else if (readOnlyProfile || isReader()) {
        a.text = superuser
            ? QCoreApplication::translate("LoginPrivileges",
                                          "READ-ONLY · this session only: the login is a "
                                          "superuser")
            : writes.isEmpty()
            ? QCoreApplication::translate("LoginPrivileges",
                                          "READ-ONLY · this session, and the login writes nothing "
                                          "here either")
            : QCoreApplication::translate("LoginPrivileges",
                                          "READ-ONLY · this session only: the login can write "
                                          "(%n privilege(s); see fuelsync-db roles list)",
                                          nullptr, int(writes.size()));
        a.warning = true;
        if (a.reason.isEmpty())
            a.reason = QCoreApplication::translate("LoginPrivileges", "%1 is a %2 login.")
                           .arg(login, FuelsyncRoles::displayName(*held));
    }
    return a;
}

LoginPrivileges LoginPrivileges::read(DbConnection &connection, const QString &login,
                                      bool withWrites)
{
    LoginPrivileges p;
    p.login = login.isEmpty()
        ? connection.scalar(QStringLiteral("SELECT session_user::text")).toString()
        : login;
    {
        QSqlQuery q = connection.exec(
            QStringLiteral("SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, "
                           "rolbypassrls FROM pg_roles WHERE rolname = ?"),
            { p.login });
        if (!q.next())
            return p;
        p.exists = true;
        p.canLogin = q.value(0).toBool();
        p.superuser = q.value(1).toBool();
        p.createDb = q.value(2).toBool();
        p.createRole = q.value(3).toBool();
        p.bypassRls = q.value(4).toBool();
    }
    {
        // Membership as granted, followed through groups; not pg_has_role, which counts a
        // superuser a member of everything.
        QSqlQuery q = connection.exec(
            QStringLiteral("WITH RECURSIVE m AS ("
                           " SELECT oid AS roleid FROM pg_roles WHERE rolname = ?"
                           " UNION SELECT a.roleid FROM pg_auth_members a"
                           " JOIN m ON a.member = m.roleid) "
                           "SELECT r.rolname::text FROM pg_roles r JOIN m ON m.roleid = r.oid "
                           "WHERE r.rolname <> ? ORDER BY 1"),
            { p.login, p.login });
        while (q.next())
            p.memberOf.append(q.value(0).toString());
    }
    {
        QSqlQuery q = connection.exec(
            QStringLiteral("SELECT unnest(s.setconfig) FROM pg_db_role_setting s "
                           "WHERE s.setrole = (SELECT oid FROM pg_roles WHERE rolname = ?) "
                           "AND s.setdatabase IN (0, (SELECT oid FROM pg_database "
                           "WHERE datname = current_database())) "
                           "ORDER BY s.setdatabase"),
            { p.login });
        while (q.next()) {
            const QString setting = q.value(0).toString();
            const QString name = setting.section(u'=', 0, 0);
            const QString value = setting.section(u'=', 1);
            if (name == u"default_transaction_read_only")
                p.readOnlyByDefault = value == u"on" || value == u"true" || value == u"1";
            else if (name == u"statement_timeout")
                p.statementTimeout = value;
        }
    }
    if (p.superuser)
        p.writes.append({ QStringLiteral("superuser"), QString() });
    if (p.createDb)
        p.writes.append({ QStringLiteral("CREATEDB"), QString() });
    if (p.createRole)
        p.writes.append({ QStringLiteral("CREATEROLE"), QString() });
    if (!p.superuser && withWrites) {
        const bool approves = p.isMemberOf(QString::fromLatin1(FuelsyncRoles::releaseManagers));
        QSqlQuery q = connection.exec(QString::fromUtf8(writesSql), { p.login });
        while (q.next()) {
            const Write write { q.value(0).toString(), q.value(1).toString() };
            // Recording an approval is what a release manager is for.
            if (approves && write.object == u"public.migration_approvals"
                && write.privileges == u"INSERT")
                continue;
            p.writes.append(write);
        }
    }
    return p;
}

QStringList LoginPrivileges::fuelsyncLogins(DbConnection &connection)
{
    QStringList logins;
    QSqlQuery q = connection.exec(QStringLiteral(
        "WITH RECURSIVE m AS ("
        " SELECT oid AS roleid FROM pg_roles WHERE rolname IN ('fuelsync_support', "
        "  'fuelsync_release_managers', 'fuelsync_maintainers', 'fuelsync_owner')"
        " UNION SELECT a.member FROM pg_auth_members a JOIN m ON a.roleid = m.roleid) "
        "SELECT r.rolname::text FROM pg_roles r JOIN m ON m.roleid = r.oid "
        "WHERE r.rolcanlogin ORDER BY 1"));
    while (q.next())
        logins.append(q.value(0).toString());
    return logins;
}

} // namespace fuelsync
