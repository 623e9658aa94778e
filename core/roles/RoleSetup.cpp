#include "RoleSetup.h"

#include "LoginPrivileges.h"
#include "SchemaGrants.h"
#include "approve/ApprovalPolicy.h"
#include "approve/ApprovalStore.h"
#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlArray.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlQuery>
#include <QThread>

namespace fuelsync {

namespace {

struct GroupRole
{
    const char *name;
    const char *comment;
};

const GroupRole groupRoles[] = {
    { FuelsyncRoles::owner,
      "FuelSync: owns the schemas and their objects. No login; maintainers act with its rights." },
    { FuelsyncRoles::support,
      "FuelSync support staff: reads tenant data and public tables, secrets excepted; writes "
      "nothing." },
    { FuelsyncRoles::releaseManagers,
      "Release managers: read as support does, and may approve migrations for production "
      "(INSERT on public.migration_approvals)." },
    { FuelsyncRoles::maintainers,
      "FuelSync maintainers: run migrations, backups, restores, seeds, tenant creation and env "
      "set, with the rights of fuelsync_owner." },
};

// The guard that keeps the audit and the approvals from being dropped, with their triggers and
// functions, by anyone who owns public (the database's owner: fuelsync_owner, so maintainers).
const char *keepRecordsSql = R"SQL(
CREATE SCHEMA IF NOT EXISTS fuelsync_guard;
REVOKE ALL ON SCHEMA fuelsync_guard FROM PUBLIC;
COMMENT ON SCHEMA fuelsync_guard IS 'FuelSync Admin: what keeps the audit and the approvals; a superuser''s.';
CREATE OR REPLACE FUNCTION fuelsync_guard.keep_records() RETURNS event_trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  kept text;
BEGIN
  SELECT object_identity INTO kept FROM pg_event_trigger_dropped_objects()
  -- By their own oids (filled in by roles setup), whatever schema they are in by then: renaming
  -- public first (its owner may) must not let them go; a copy (a restore) is not them.
  WHERE objid = ANY ('{%1}'::oid[])
  LIMIT 1;
  IF kept IS NOT NULL THEN
    RAISE EXCEPTION 'the audit and the approvals are kept: % may not drop %', session_user, kept
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END $fn$;
COMMENT ON FUNCTION fuelsync_guard.keep_records() IS 'Refuses to drop the audit, the approvals, the approval policy, or what keeps them append-only.';
)SQL";

const char *keepRecordsTriggerSql = R"SQL(
CREATE EVENT TRIGGER fuelsync_keep_records ON sql_drop
  EXECUTE FUNCTION fuelsync_guard.keep_records();
COMMENT ON EVENT TRIGGER fuelsync_keep_records IS 'Keeps public.fuelsync_audit, public.migration_approvals and public.fuelsync_approval_policy: only a superuser drops them (after disabling this).';
)SQL";

// public and every registered tenant.
QStringList fuelsyncSchemas(DbConnection &connection)
{
    QStringList schemas { QStringLiteral("public") };
    if (!connection.relationExists(QStringLiteral("public"), QStringLiteral("tenants")))
        return schemas;
    QSqlQuery q = connection.exec(
        QStringLiteral("SELECT t.schema_name::text FROM public.tenants t "
                       "JOIN pg_namespace n ON n.nspname = t.schema_name::text ORDER BY 1"));
    while (q.next())
        schemas.append(q.value(0).toString());
    return schemas;
}

RequestError refusedBy(DbConnection &connection, const DbError &error, const QString &what)
{
    return RequestError(
        RoleSetup::tr("%1 may not %2 (%3): a superuser, or a login with CREATEROLE that "
                      "owns the database, runs it. Nothing was changed.")
            .arg(connection.currentUser(), what, error.message()));
}

void recordRefusal(DbConnection &connection, const QJsonObject &what, const QString &why, qint64 ms)
{
    if (connection.inTransaction())
        connection.rollback();
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::roles);
    entry.outcome = AuditEntry::Outcome::Refused;
    entry.what = what;
    entry.error = why;
    entry.durationMs = ms;
    AuditLog::recordAlone(connection, entry);
}

void recordDone(DbConnection &connection, QJsonObject what, const RoleSetup::Report &report,
                qint64 ms)
{
    what.insert(QStringLiteral("changes"), QJsonArray::fromStringList(report.done));
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::roles);
    entry.what = what;
    entry.durationMs = ms;
    AuditLog::record(connection, entry);
}

} // namespace

RoleSetup::Report RoleSetup::setup(DbConnection &connection)
{
    // Roles, memberships and parameter privileges belong to the whole cluster: a setup of
    // another database at the same moment can collide with this one on them ("tuple
    // concurrently updated", a duplicate key). Each attempt is all or nothing, so it is tried
    // again.
    for (int attempt = 1;; ++attempt) {
        try {
            return setupOnce(connection);
        } catch (const DbError &error) {
            const bool collided = error.sqlState() == u"23505" || error.sqlState() == u"40001"
                || error.sqlState() == u"40P01"
                || (error.sqlState() == u"XX000" && error.message().contains(u"concurrently"));
            if (!collided || attempt == 5)
                throw;
            if (connection.inTransaction())
                connection.rollback();
            QThread::msleep(50UL * attempt);
        }
    }
}

RoleSetup::Report RoleSetup::setupOnce(DbConnection &connection)
{
    QElapsedTimer timer;
    timer.start();
    Report report;
    const QJsonObject what { { QStringLiteral("action"), QStringLiteral("setup") } };
    const LoginPrivileges me = LoginPrivileges::read(connection);
    if (!me.superuser && !me.createRole) {
        const QString why = tr("%1 may not create roles: a superuser, or a login with CREATEROLE "
                               "that owns the database, runs 'roles setup'. Nothing was changed.")
                                .arg(me.login);
        recordRefusal(connection, what, why, timer.elapsed());
        throw RequestError(why);
    }

    // The roles, each on its own: roles belong to the whole cluster, so another database's setup
    // may create one at the same moment (CREATE ROLE has no IF NOT EXISTS).
    for (const GroupRole &role : groupRoles) {
        const QString name = QString::fromLatin1(role.name);
        if (connection.scalar(QStringLiteral("SELECT to_regrole(?) IS NOT NULL"), { name })
                .toBool())
            continue;
        try {
            connection.exec(QStringLiteral("CREATE ROLE %1 NOLOGIN").arg(name));
            // The comments are fixed text without quotes.
            connection.exec(QStringLiteral("COMMENT ON ROLE %1 IS '%2'")
                                .arg(name, QString::fromUtf8(role.comment)));
            report.done.append(tr("created the role %1").arg(name));
        } catch (const DbError &error) {
            if (error.sqlState() == u"42501") {
                recordRefusal(connection, what, error.message(), timer.elapsed());
                throw refusedBy(connection, error, tr("create roles"));
            }
            if (error.sqlState() != u"42710" && error.sqlState() != u"23505")
                throw;
        }
    }
    const auto member = [&connection](const QString &role, const QString &of) {
        return connection
            .scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_auth_members "
                                   "WHERE roleid = to_regrole(?) AND member = to_regrole(?))"),
                    { of, role })
            .toBool();
    };
    const auto grantMembership = [&](const QString &of, const QString &role) {
        if (member(role, of))
            return;
        connection.exec(QStringLiteral("GRANT %1 TO %2")
                            .arg(SqlIdentifier::quote(of), SqlIdentifier::quote(role)));
        report.done.append(tr("made %1 a member of %2").arg(role, of));
    };
    grantMembership(QString::fromLatin1(FuelsyncRoles::owner),
                    QString::fromLatin1(FuelsyncRoles::maintainers));
    grantMembership(QString::fromLatin1(FuelsyncRoles::support),
                    QString::fromLatin1(FuelsyncRoles::releaseManagers));

    // The tables FuelSync Admin keeps for itself.
    ApprovalStore::ensure(connection);
    if (!ApprovalStore::upgrade(connection))
        report.warnings.append(tr("public.migration_approvals was made by an older version and "
                                  "only its owner can add what an approval now records (who "
                                  "approved as what): run setup as a superuser"));
    AuditLog::ensure(connection);

    Transaction transaction(connection);
    const QStringList schemas = fuelsyncSchemas(connection);
    // Whoever owns FuelSync's objects now keeps its rights as a member of the owner role.
    {
        QStringList owners;
        QSqlQuery q = connection.exec(
            QStringLiteral(
                "SELECT DISTINCT r.rolname::text FROM pg_roles r WHERE NOT r.rolsuper "
                // A reader that made something (PUBLIC's CREATE on public before PostgreSQL
                // 15) is not made an owner: its objects move, it gets no rights.
                "AND NOT pg_has_role(r.oid, 'fuelsync_support', 'MEMBER') "
                "AND r.rolname NOT LIKE 'pg\\_%' AND r.rolname <> 'fuelsync_owner' AND r.oid IN ("
                " SELECT nspowner FROM pg_namespace WHERE nspname = ANY (?::text[])"
                " UNION SELECT relowner FROM pg_class WHERE relnamespace IN "
                "  (SELECT oid FROM pg_namespace WHERE nspname = ANY (?::text[]))"
                "  AND relname NOT IN ('fuelsync_audit', 'migration_approvals')"
                " UNION SELECT datdba FROM pg_database WHERE datname = current_database()) "
                "ORDER BY 1"),
            { SqlArray::textLiteral(schemas), SqlArray::textLiteral(schemas) });
        while (q.next())
            owners.append(q.value(0).toString());
        for (const QString &owner : owners) {
            if (!member(owner, QString::fromLatin1(FuelsyncRoles::owner))) {
                connection.exec(
                    QStringLiteral("GRANT fuelsync_owner TO %1").arg(SqlIdentifier::quote(owner)));
                report.done.append(tr("made %1 a member of fuelsync_owner (it owned FuelSync "
                                      "objects, and keeps its rights)")
                                       .arg(owner));
            }
        }
    }
    // So this session may give objects away (a superuser needs no membership).
    if (!me.superuser)
        grantMembership(QString::fromLatin1(FuelsyncRoles::owner), me.login);

    // The database: maintainers create tenant schemas and declare the environment (which only
    // the database's owner may), so it becomes fuelsync_owner's.
    const QString database = SqlIdentifier::quote(connection.databaseName());
    const bool ownsDatabase =
        connection
            .scalar(QStringLiteral("SELECT datdba = 'fuelsync_owner'::regrole FROM pg_database "
                                   "WHERE datname = current_database()"))
            .toBool();
    if (!ownsDatabase) {
        connection.exec(QStringLiteral("SAVEPOINT database_owner"));
        try {
            connection.exec(
                QStringLiteral("ALTER DATABASE %1 OWNER TO fuelsync_owner").arg(database));
            connection.exec(QStringLiteral("RELEASE SAVEPOINT database_owner"));
            report.done.append(
                tr("gave the database %1 to fuelsync_owner").arg(connection.databaseName()));
        } catch (const DbError &error) {
            connection.exec(QStringLiteral("ROLLBACK TO SAVEPOINT database_owner"));
            connection.exec(
                QStringLiteral("GRANT CREATE, TEMPORARY ON DATABASE %1 TO fuelsync_owner")
                    .arg(database));
            report.warnings.append(
                tr("the database stays its owner's (%1), so only that owner declares its "
                   "environment; fuelsync_owner may create schemas in it")
                    .arg(error.message()));
        }
    }

    // Before PostgreSQL 15 every login may create in public: not a reader.
    if (connection
            .scalar(QStringLiteral("SELECT has_schema_privilege('public', 'public', 'CREATE')"))
            .toBool()) {
        connection.exec(QStringLiteral("REVOKE CREATE ON SCHEMA public FROM PUBLIC"));
        report.done.append(tr("took CREATE on the schema public away from PUBLIC"));
    }

    // What fuelsync_owner creates later is readable by support at once; their presence
    // also marks this database as set up (SchemaGrants::isSetUp).
    connection.exec(
        QStringLiteral("ALTER DEFAULT PRIVILEGES FOR ROLE fuelsync_owner GRANT USAGE ON SCHEMAS TO "
                       "fuelsync_support"));
    connection.exec(
        QStringLiteral("ALTER DEFAULT PRIVILEGES FOR ROLE fuelsync_owner GRANT SELECT ON TABLES TO "
                       "fuelsync_support"));

    const SchemaGrants::Result grants = SchemaGrants::apply(connection, schemas);
    if (grants.ownersChanged > 0)
        report.done.append(
            tr("gave %n object(s) in %1 schema(s) to fuelsync_owner", nullptr, grants.ownersChanged)
                .arg(schemas.size()));
    if (grants.grantsMade > 0)
        report.done.append(
            tr("made %n grant(s) so fuelsync_support reads every tenant table and public's "
               "tables, secrets excepted",
               nullptr, grants.grantsMade));
    if (!grants.notGiven.isEmpty())
        report.warnings.append(tr("%n object(s) stay with their owner, whom this login cannot "
                                  "act as: %1",
                                  nullptr, int(grants.notGiven.size()))
                                   .arg(grants.notGiven.mid(0, 5).join(QStringLiteral(", "))));

    ApprovalPolicy::ensure(connection);
    connection.exec(QStringLiteral(
        "GRANT INSERT, UPDATE ON public.fuelsync_approval_policy TO fuelsync_maintainers"));

    // Declaring the environment sets a parameter of FuelSync's own (a placeholder), which
    // PostgreSQL 15 lets a database owner set only with the SET privilege on it.
    if (connection.serverVersionNumber() >= 150000) {
        const bool canSet =
            connection
                .scalar(QStringLiteral("SELECT has_parameter_privilege('fuelsync_owner', "
                                       "'fuelsync.environment', 'SET')"))
                .toBool();
        if (!canSet && me.superuser) {
            connection.exec(
                QStringLiteral("GRANT SET ON PARAMETER fuelsync.environment TO fuelsync_owner"));
            report.done.append(tr("fuelsync_owner may declare the environment "
                                  "(fuelsync.environment)"));
        } else if (!canSet) {
            report.warnings.append(tr("only a superuser can let fuelsync_owner set "
                                      "fuelsync.environment (GRANT SET ON PARAMETER): until one "
                                      "runs setup, only superusers declare the environment"));
        }
    }

    // The kept tables stay out of the maintainers' reach: a superuser running setup takes them.
    if (me.superuser) {
        QSqlQuery q = connection.exec(QStringLiteral(
            "SELECT format('ALTER TABLE %s OWNER TO %I', c.oid::regclass, current_user) "
            "FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE c.oid IN (to_regclass('public.fuelsync_audit'), "
            "                to_regclass('public.migration_approvals'), "
            "                to_regclass('public.fuelsync_approval_policy')) AND NOT r.rolsuper "
            "UNION ALL "
            "SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, current_user) "
            "FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner "
            "WHERE p.pronamespace = 'public'::regnamespace AND NOT r.rolsuper "
            "AND p.proname IN ('fuelsync_audit_guard', 'fuelsync_audit_record', "
            "                  'migration_approvals_stamp')"));
        QStringList statements;
        while (q.next())
            statements.append(q.value(0).toString());
        for (const QString &statement : statements)
            connection.exec(statement);
        if (!statements.isEmpty())
            report.done.append(tr("gave the audit and the approvals to %1, out of the "
                                  "maintainers' reach")
                                   .arg(me.login));
        // public belongs to the database's owner, and a schema's owner may drop what is in it:
        // an event trigger (only a superuser makes one, or drops it) keeps the audit and the
        // approvals, from a schema of its own that the maintainers cannot touch.
        const QString kept =
            connection
                .scalar(QStringLiteral(
                    "SELECT string_agg(oid::text, ',') FROM ("
                    " SELECT c.oid FROM pg_class c WHERE c.oid IN ("
                    "  to_regclass('public.fuelsync_audit'), "
                    "  to_regclass('public.migration_approvals'), "
                    "  to_regclass('public.fuelsync_approval_policy'))"
                    " UNION ALL SELECT p.oid FROM pg_proc p "
                    "  WHERE p.pronamespace = 'public'::regnamespace AND p.proname IN ("
                    "  'fuelsync_audit_guard', 'fuelsync_audit_record', "
                    "  'migration_approvals_stamp')"
                    " UNION ALL SELECT t.oid FROM pg_trigger t WHERE NOT t.tgisinternal "
                    "  AND t.tgrelid IN (to_regclass('public.fuelsync_audit'), "
                    "  to_regclass('public.migration_approvals'))) k"))
                .toString();
        // Numbers from the catalog only.
        connection.exec(QString::fromUtf8(keepRecordsSql).arg(kept));
        if (!connection
                 .scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_event_trigger "
                                        "WHERE evtname = 'fuelsync_keep_records')"))
                 .toBool()) {
            connection.exec(QString::fromUtf8(keepRecordsTriggerSql));
            report.done.append(tr("the audit and the approvals cannot be dropped but by a "
                                  "superuser (event trigger fuelsync_keep_records)"));
        }
    } else {
        report.warnings.append(tr("the audit and the approvals belong to whoever made them; run "
                                  "setup once as a superuser to put them out of the maintainers' "
                                  "reach"));
    }
    recordDone(connection, what, report, timer.elapsed());
    transaction.commit();
    return report;
}

RoleSetup::Report RoleSetup::grant(DbConnection &connection, const QString &login,
                                   FuelsyncRole role)
{
    QElapsedTimer timer;
    timer.start();
    const QString group = FuelsyncRoles::groupRole(role);
    const QJsonObject what { { QStringLiteral("action"), QStringLiteral("grant") },
                             { QStringLiteral("login"), login },
                             { QStringLiteral("role"), group } };
    const auto refuse = [&](const QString &why) {
        recordRefusal(connection, what, why, timer.elapsed());
        return RequestError(why);
    };
    if (!SchemaGrants::rolesExist(connection)
        || connection.scalar(QStringLiteral("SELECT to_regrole(?) IS NULL"), { group }).toBool())
        throw refuse(tr("the FuelSync roles do not exist yet: run 'fuelsync-db roles setup' "
                        "first. Nothing was changed."));
    const LoginPrivileges target = LoginPrivileges::read(connection, login);
    if (!target.exists || !target.canLogin)
        throw refuse(tr("there is no login named %1 (create it first: CREATE ROLE %1 LOGIN "
                        "PASSWORD …). Nothing was changed.")
                         .arg(login));
    if (role != FuelsyncRole::Support
        && target.isMemberOf(QString::fromLatin1(FuelsyncRoles::support))
        && !target.isMemberOf(QString::fromLatin1(FuelsyncRoles::releaseManagers)))
        throw refuse(tr("%1 is a support login (its sessions start read-only): revoke that "
                        "first (roles revoke %1 --as=support). Nothing was changed.")
                         .arg(login));
    if (role != FuelsyncRole::Maintainer) {
        if (target.superuser)
            throw refuse(tr("%1 is a superuser: the server lets it write everything, so it "
                            "cannot be a %2 login. Nothing was changed.")
                             .arg(login, FuelsyncRoles::displayName(role)));
        if (target.role() == FuelsyncRole::Maintainer
            || target.isMemberOf(QString::fromLatin1(FuelsyncRoles::owner)))
            throw refuse(tr("%1 is a maintainer (it acts as fuelsync_owner): revoke that first "
                            "to make it a %2 login. Nothing was changed.")
                             .arg(login, FuelsyncRoles::displayName(role)));
    }
    Report report;
    Transaction transaction(connection);
    try {
        if (!target.isMemberOf(group)) {
            connection.exec(
                QStringLiteral("GRANT %1 TO %2").arg(group, SqlIdentifier::quote(login)));
            report.done.append(tr("made %1 a member of %2").arg(login, group));
        }
        const QString quoted = SqlIdentifier::quote(login);
        if (role == FuelsyncRole::Support) {
            if (!target.readOnlyByDefault) {
                connection.exec(
                    QStringLiteral("ALTER ROLE %1 SET default_transaction_read_only = on")
                        .arg(quoted));
                report.done.append(tr("%1's sessions start read-only").arg(login));
            }
            if (target.statementTimeout.isEmpty()) {
                connection.exec(QStringLiteral("ALTER ROLE %1 SET statement_timeout = '%2'")
                                    .arg(quoted, QLatin1StringView(supportStatementTimeout)));
                report.done.append(tr("%1's statements stop after %2")
                                       .arg(login, QLatin1StringView(supportStatementTimeout)));
            }
        }
        if (role == FuelsyncRole::Maintainer) {
            // Objects the maintainer creates itself (in psql) are readable by support at once;
            // the app also grants after each migration.
            connection.exec(QStringLiteral("SAVEPOINT defaults"));
            try {
                connection.exec(QStringLiteral("ALTER DEFAULT PRIVILEGES FOR ROLE %1 GRANT USAGE "
                                               "ON SCHEMAS TO fuelsync_support")
                                    .arg(quoted));
                connection.exec(QStringLiteral("ALTER DEFAULT PRIVILEGES FOR ROLE %1 GRANT SELECT "
                                               "ON TABLES TO fuelsync_support")
                                    .arg(quoted));
                connection.exec(QStringLiteral("RELEASE SAVEPOINT defaults"));
                report.done.append(tr("what %1 creates is readable by support").arg(login));
            } catch (const DbError &error) {
                connection.exec(QStringLiteral("ROLLBACK TO SAVEPOINT defaults"));
                report.warnings.append(tr("%1's own default privileges were not set (%2): the "
                                          "app still grants after each migration")
                                           .arg(login, error.message()));
            }
        }
        if (report.done.isEmpty())
            report.done.append(tr("%1 was already a %2 login: nothing changed")
                                   .arg(login, FuelsyncRoles::displayName(role)));
        recordDone(connection, what, report, timer.elapsed());
        transaction.commit();
    } catch (const DbError &error) {
        transaction.rollback();
        if (error.sqlState() == u"42501")
            throw refuse(refusedBy(connection, error, tr("grant roles")).message());
        throw;
    }
    return report;
}

RoleSetup::Report RoleSetup::revoke(DbConnection &connection, const QString &login,
                                    FuelsyncRole role)
{
    QElapsedTimer timer;
    timer.start();
    const QString group = FuelsyncRoles::groupRole(role);
    const QJsonObject what { { QStringLiteral("action"), QStringLiteral("revoke") },
                             { QStringLiteral("login"), login },
                             { QStringLiteral("role"), group } };
    const auto refuse = [&](const QString &why) {
        recordRefusal(connection, what, why, timer.elapsed());
        return RequestError(why);
    };
    const bool direct =
        connection
            .scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_auth_members "
                                   "WHERE roleid = to_regrole(?) AND member = to_regrole(?))"),
                    { group, login })
            .toBool();
    if (!direct)
        throw refuse(tr("%1 is not a member of %2: nothing was changed").arg(login, group));
    Report report;
    Transaction transaction(connection);
    try {
        const QString quoted = SqlIdentifier::quote(login);
        connection.exec(QStringLiteral("REVOKE %1 FROM %2").arg(group, quoted));
        report.done.append(tr("%1 is no longer a member of %2").arg(login, group));
        // A former owner of FuelSync's objects was made a member of the owner role by setup:
        // a maintainer revoked keeps no way to write through it.
        if (role == FuelsyncRole::Maintainer
            && connection
                   .scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_auth_members WHERE "
                                          "roleid = to_regrole('fuelsync_owner') AND member = "
                                          "to_regrole(?))"),
                           { login })
                   .toBool()) {
            connection.exec(QStringLiteral("REVOKE fuelsync_owner FROM %1").arg(quoted));
            report.done.append(tr("%1 is no longer a member of fuelsync_owner").arg(login));
        }
        if (role == FuelsyncRole::Support) {
            connection.exec(
                QStringLiteral("ALTER ROLE %1 RESET default_transaction_read_only").arg(quoted));
            connection.exec(QStringLiteral("ALTER ROLE %1 RESET statement_timeout").arg(quoted));
            report.done.append(tr("%1's sessions no longer start read-only").arg(login));
        }
        recordDone(connection, what, report, timer.elapsed());
        transaction.commit();
    } catch (const DbError &error) {
        transaction.rollback();
        if (error.sqlState() == u"42501")
            throw refuse(refusedBy(connection, error, tr("revoke roles")).message());
        throw;
    }
    return report;
}

} // namespace fuelsync
