#include "ApprovalStore.h"

#include "ApprovalPolicy.h"
#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "lint/MigrationLinter.h"
#include "migrationfiles/MigrationSet.h"
#include "migrationfiles/SchemaMigrationsTable.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>

#include <algorithm>

namespace fuelsync {

namespace {

bool sameVersion(const QString &recorded, const MigrationVersion &version)
{
    const auto parsed = MigrationVersion::parse(recorded);
    return parsed && *parsed == version;
}

MigrationApproval approvalFrom(const QSqlQuery &q)
{
    MigrationApproval a;
    a.id = q.value(0).toLongLong();
    a.version = q.value(1).toString();
    a.checksum = q.value(2).toString();
    a.approvedBy = q.value(3).toString();
    a.approvedAt = q.value(4).toDateTime();
    a.environment = q.value(5).toString();
    a.comment = q.value(6).toString();
    a.approvedAs = q.value(7).toString();
    return a;
}

const char *columns = "id, version, checksum, approved_by, approved_at, environment, comment";

// Stamps an approval with the login, the time and what the login is; refuses everyone but the
// release managers (and superusers, whom the server counts members of every role), and any
// change or deletion.
const char *stampFunctionSql = R"SQL(
CREATE OR REPLACE FUNCTION public.migration_approvals_stamp() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT pg_has_role(session_user, 'fuelsync_release_managers', 'MEMBER') THEN
      RAISE EXCEPTION '% is not a member of fuelsync_release_managers', session_user
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.approved_by := session_user;
    NEW.approved_at := now();
    NEW.approved_as := CASE WHEN EXISTS (
        WITH RECURSIVE m AS (
          SELECT oid FROM pg_roles WHERE rolname = session_user
          UNION SELECT a.roleid FROM pg_auth_members a JOIN m ON a.member = m.oid)
        SELECT FROM m JOIN pg_roles r ON r.oid = m.oid
        WHERE r.rolname = 'fuelsync_release_managers')
      THEN 'release manager' ELSE 'superuser, not a release manager' END;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'migration approvals are a history: rows are never changed or deleted'
    USING ERRCODE = 'insufficient_privilege';
END $fn$;
)SQL";

// approved_as, for a table made before it was kept: only its owner may add it (roles setup, as
// a superuser, does); until then approvals are read without it.
bool hasApprovedAs(DbConnection &connection)
{
    return connection
        .scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = "
                               "'public.migration_approvals'::regclass "
                               "AND attname = 'approved_as' AND NOT attisdropped)"))
        .toBool();
}

} // namespace

bool ApprovalStore::exists(DbConnection &connection)
{
    return connection
        .scalar(QStringLiteral("SELECT to_regclass('public.migration_approvals') IS NOT NULL"))
        .toBool();
}

void ApprovalStore::ensure(DbConnection &connection)
{
    if (exists(connection))
        return;
    // Every approval is also a row of the audit: whoever makes the one makes the other.
    AuditLog::ensure(connection);
    const auto refused = [&connection](const DbError &error) {
        return RequestError(
            QCoreApplication::translate(
                "ApprovalStore",
                "public.migration_approvals does not exist yet, and %1 may not create it (%2). "
                "The database's owner (with CREATEROLE) creates it by approving once: "
                "fuelsync-db migrate approve --version=V")
                .arg(connection.currentUser(), error.message()));
    };
    // The role first, on its own: roles belong to the whole cluster, so another database's
    // first approval may create it at the same moment (CREATE ROLE has no IF NOT EXISTS).
    try {
        connection.exec(QStringLiteral(
            "DO $$ BEGIN "
            "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fuelsync_release_managers') THEN "
            "CREATE ROLE fuelsync_release_managers NOLOGIN; "
            "COMMENT ON ROLE fuelsync_release_managers IS 'Release managers: members may approve "
            "migrations for production (INSERT on public.migration_approvals).'; "
            "END IF; END $$"));
    } catch (const DbError &error) {
        if (error.sqlState() == u"42501")
            throw refused(error);
        if (error.sqlState() != u"42710" && error.sqlState() != u"23505")
            throw; // 42710 / 23505: created by someone else just now
    }
    Transaction transaction(connection);
    try {
        connection.exec(
            QStringLiteral("CREATE TABLE public.migration_approvals ("
                           " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                           " version varchar(50) NOT NULL,"
                           " checksum char(64) NOT NULL,"
                           " approved_by text NOT NULL DEFAULT session_user,"
                           " approved_at timestamptz NOT NULL DEFAULT now(),"
                           " environment text NOT NULL,"
                           " comment text,"
                           " approved_as text,"
                           " CONSTRAINT migration_approvals_checksum_check CHECK (checksum ~ "
                           "'^[0-9a-f]{64}$'),"
                           " CONSTRAINT migration_approvals_environment_check"
                           "  CHECK (environment IN ('development', 'staging', 'production')));"
                           "CREATE INDEX migration_approvals_version_idx"
                           " ON public.migration_approvals (version, checksum);")
            + QString::fromUtf8(stampFunctionSql)
            + QStringLiteral(
                "CREATE TRIGGER migration_approvals_stamp"
                " BEFORE INSERT OR UPDATE OR DELETE ON public.migration_approvals"
                " FOR EACH ROW EXECUTE FUNCTION public.migration_approvals_stamp();"
                "REVOKE ALL ON public.migration_approvals FROM PUBLIC;"
                "GRANT SELECT ON public.migration_approvals TO PUBLIC;"
                "GRANT INSERT ON public.migration_approvals TO fuelsync_release_managers;"
                "COMMENT ON TABLE public.migration_approvals IS 'Approvals of migration files for "
                "this database, kept by fuelsync-db: a production run refuses a pending migration "
                "that has no approval for its current checksum. A history: never changed or "
                "deleted.';"
                "COMMENT ON COLUMN public.migration_approvals.id IS 'Order of the approvals.';"
                "COMMENT ON COLUMN public.migration_approvals.version IS 'The migration''s "
                "version.';"
                "COMMENT ON COLUMN public.migration_approvals.checksum IS 'SHA-256 of the "
                "migration "
                "file that was approved; a file changed since is not approved.';"
                "COMMENT ON COLUMN public.migration_approvals.approved_by IS 'The login role that "
                "approved (session_user, set by the server).';"
                "COMMENT ON COLUMN public.migration_approvals.approved_at IS 'When it was approved "
                "(set by the server).';"
                "COMMENT ON COLUMN public.migration_approvals.environment IS 'The environment the "
                "database declared when it was approved.';"
                "COMMENT ON COLUMN public.migration_approvals.comment IS 'What the approver said.';"
                "COMMENT ON COLUMN public.migration_approvals.approved_as IS 'What the approver "
                "was (set by the server): release manager, or a superuser who is not one.';"
                "COMMENT ON FUNCTION public.migration_approvals_stamp() IS 'Stamps an approval "
                "with "
                "the login role and the time, and refuses to change or delete one.';"
                "COMMENT ON TRIGGER migration_approvals_stamp ON public.migration_approvals IS "
                "'Approver and time come from the server; rows are never changed or deleted.';"));
    } catch (const DbError &error) {
        if (error.sqlState() == u"42501")
            throw refused(error);
        transaction.rollback();
        if (error.sqlState() == u"42P07" && exists(connection))
            return; // created by another session just now
        throw;
    }
    transaction.commit();
}

bool ApprovalStore::upgrade(DbConnection &connection)
{
    if (!exists(connection))
        return true;
    if (hasApprovedAs(connection)) {
        // A stamp made before its search_path was fixed is replaced (by its owner).
        const bool pinned =
            connection
                .scalar(QStringLiteral("SELECT coalesce(array_to_string(proconfig, ',') LIKE "
                                       "'%search_path%', false) FROM pg_proc WHERE oid = "
                                       "'public.migration_approvals_stamp()'::regprocedure"))
                .toBool();
        if (pinned)
            return true;
        try {
            connection.exec(QString::fromUtf8(stampFunctionSql));
            return true;
        } catch (const DbError &error) {
            if (error.sqlState() == u"42501")
                return false;
            throw;
        }
    }
    Transaction transaction(connection);
    try {
        connection.exec(
            QStringLiteral(
                "ALTER TABLE public.migration_approvals ADD COLUMN approved_as text;"
                "COMMENT ON COLUMN public.migration_approvals.approved_as IS 'What the approver "
                "was (set by the server): release manager, or a superuser who is not one.';")
            + QString::fromUtf8(stampFunctionSql));
        transaction.commit();
        return true;
    } catch (const DbError &error) {
        transaction.rollback();
        if (error.sqlState() == u"42501")
            return false;
        throw;
    }
}

QList<MigrationApproval> ApprovalStore::readAll(DbConnection &connection)
{
    QList<MigrationApproval> approvals;
    if (!exists(connection))
        return approvals;
    // Only the table ensure() made counts: with its stamping trigger, owned by the owner of
    // public or of the database (or a superuser), not one anybody could have created first.
    const QVariant trusted = connection.scalar(QStringLiteral(
        "SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = c.oid "
        "  AND tgname = 'migration_approvals_stamp' AND tgenabled <> 'D') "
        "AND (c.relowner = n.nspowner "
        "  OR c.relowner = (SELECT datdba FROM pg_database WHERE datname = current_database()) "
        "  OR (SELECT rolsuper FROM pg_roles WHERE oid = c.relowner)) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = 'public.migration_approvals'::regclass"));
    if (!trusted.toBool()) {
        throw RequestError(QCoreApplication::translate(
            "ApprovalStore",
            "public.migration_approvals is not the table fuelsync-db keeps (its owner or its "
            "stamping trigger is not right), so no approval in it is trusted: have the "
            "database's owner look at it"));
    }
    QSqlQuery q =
        connection.exec(QStringLiteral("SELECT %1, %2 FROM public.migration_approvals ORDER BY id")
                            .arg(QLatin1StringView(columns),
                                 hasApprovedAs(connection) ? QStringLiteral("approved_as")
                                                           : QStringLiteral("NULL::text")));
    while (q.next())
        approvals.append(approvalFrom(q));
    return approvals;
}

MigrationApproval ApprovalStore::approve(DbConnection &connection, const MigrationSet &set,
                                         const QString &version, const QString &environment,
                                         const QString &comment, const QString &expectedChecksum)
{
    const auto parsed = MigrationVersion::parse(version);
    const MigrationFile *file = parsed ? set.find(*parsed) : nullptr;
    if (!file) {
        throw RequestError(
            QCoreApplication::translate("ApprovalStore",
                                        "there is no migration %1 in %2: nothing was approved")
                .arg(version, set.directory()));
    }
    if (!expectedChecksum.isEmpty() && expectedChecksum != file->checksum) {
        throw RequestError(
            QCoreApplication::translate("ApprovalStore",
                                        "%1 changed after you looked at it (checksum %2…, now "
                                        "%3…): read it again before approving; nothing was "
                                        "approved")
                .arg(file->displayPath, expectedChecksum.left(12), file->checksum.left(12)));
    }
    QStringList problems;
    for (const MigrationProblem &problem : set.problems()) {
        if (problem.file == file->displayPath
            || (!file->rollbackDisplayPath.isEmpty() && problem.file == file->rollbackDisplayPath))
            problems.append(problem.text());
    }
    if (!problems.isEmpty()) {
        throw RequestError(QCoreApplication::translate(
                               "ApprovalStore",
                               "migration %1 has problems the runner refuses, so it cannot be "
                               "approved:\n%2")
                               .arg(file->version.text(), problems.join(u'\n')));
    }
    QStringList lintErrors;
    for (const LintFinding &finding : MigrationLinter::lint(set).forVersion(file->version.text())) {
        if (finding.blocks())
            lintErrors.append(QStringLiteral("%1: [%2] %3")
                                  .arg(finding.location(), finding.rule, finding.message));
    }
    if (!lintErrors.isEmpty()) {
        throw RequestError(
            QCoreApplication::translate(
                "ApprovalStore",
                "migration %1 has lint errors that are not acknowledged, so it cannot be approved "
                "(fix them, or acknowledge each with '-- lint-ack: <rule> <why>'):\n%2")
                .arg(file->version.text(), lintErrors.join(u'\n')));
    }

    ensure(connection);
    QElapsedTimer timer;
    timer.start();
    AuditEntry audit;
    audit.kind = QString::fromLatin1(AuditEntry::approve);
    audit.what = { { QStringLiteral("version"), file->version.text() },
                   { QStringLiteral("checksum"), file->checksum },
                   { QStringLiteral("environment"), environment } };
    Transaction transaction(connection);
    const QVariant already = connection.scalar(
        QStringLiteral("SELECT approved_at FROM public.migration_approvals "
                       "WHERE version = ? AND checksum = ? AND approved_by = session_user "
                       "ORDER BY id DESC LIMIT 1"),
        { file->version.text(), file->checksum });
    if (already.isValid() && !already.isNull()) {
        throw RequestError(QCoreApplication::translate(
                               "ApprovalStore",
                               "you (%1) already approved migration %2 as it is now, on %3: "
                               "nothing was added")
                               .arg(connection.currentUser(), file->version.text(),
                                    already.toDateTime().toLocalTime().toString(
                                        QStringLiteral("yyyy-MM-dd HH:mm"))));
    }
    try {
        QSqlQuery q = connection.exec(
            QStringLiteral("INSERT INTO public.migration_approvals "
                           "(version, checksum, environment, comment) VALUES (?, ?, ?, ?) "
                           "RETURNING %1, %2")
                .arg(QLatin1StringView(columns),
                     hasApprovedAs(connection) ? QStringLiteral("approved_as")
                                               : QStringLiteral("NULL::text")),
            { file->version.text(), file->checksum, environment,
              comment.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(comment) });
        q.next();
        MigrationApproval approval = approvalFrom(q);
        audit.what.insert(QStringLiteral("approvedAs"), approval.approvedAs);
        audit.durationMs = timer.elapsed();
        AuditLog::record(connection, audit);
        transaction.commit();
        return approval;
    } catch (const DbError &error) {
        if (error.sqlState() == u"42501" || error.sqlState() == u"25006") {
            transaction.rollback();
            const QString why =
                QCoreApplication::translate(
                    "ApprovalStore",
                    "%1 may not approve migrations: approving is granted to the role %2 (the "
                    "database's owner runs: fuelsync-db roles grant %1 --as=release-manager). "
                    "Nothing was approved.")
                    .arg(connection.currentUser(), QLatin1StringView(releaseManagersRole));
            audit.outcome = AuditEntry::Outcome::Refused;
            audit.error = why + QStringLiteral(" (") + error.message() + u')';
            audit.durationMs = timer.elapsed();
            AuditLog::recordAlone(connection, audit);
            throw RequestError(why);
        }
        throw;
    }
}

bool ApprovalStore::appliedAnywhere(DbConnection &connection, const MigrationFile &file)
{
    // The schemas that keep a schema_migrations table: public, or the registered tenants.
    const bool tenantScope = file.scope == MigrationScope::Tenant;
    if (tenantScope
        && !connection.scalar(QStringLiteral("SELECT to_regclass('public.tenants') IS NOT NULL"))
                .toBool())
        return false;
    QStringList schemas;
    QSqlQuery q = connection.exec(
        QStringLiteral("SELECT n.nspname::text FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.relname = 'schema_migrations' AND c.relkind = 'r' AND %1 "
                       "ORDER BY 1")
            .arg(tenantScope ? QStringLiteral("n.nspname <> 'public' AND n.nspname IN "
                                              "(SELECT schema_name::text FROM public.tenants)")
                             : QStringLiteral("n.nspname = 'public'")));
    while (q.next())
        schemas.append(q.value(0).toString());
    bool found = false;
    SchemaMigrationsTable::queryInChunks(
        connection, schemas, QStringLiteral("SELECT 1 FROM %1 WHERE version = ? AND checksum = ?"),
        [&file](const QString &) {
            return QVariantList { file.version.text(), file.checksum };
        },
        QStringLiteral("SELECT EXISTS (%1)"), {},
        [&found](const QSqlQuery &answer) {
            found = answer.value(0).toBool();
            return !found;
        });
    return found;
}

QList<MigrationProblem> ApprovalStore::refusalsFor(DbConnection &connection,
                                                   const MigrationSet &set,
                                                   const QStringList &versions)
{
    const QList<MigrationApproval> approvals = readAll(connection);
    const int needed = ApprovalPolicy::required(connection);
    QList<MigrationProblem> refusals;
    for (const QString &versionText : versions) {
        const auto version = MigrationVersion::parse(versionText);
        const MigrationFile *file = version ? set.find(*version) : nullptr;
        if (!file)
            continue;
        const QStringList approvers = approversOf(approvals, *file);
        if (approvers.size() >= needed)
            continue;
        // Already run in production as it is now (a new tenant catching up, or a version
        // applied before approvals were kept): it was allowed then, it is the same file now.
        if (appliedAnywhere(connection, *file))
            continue;
        if (!approvers.isEmpty()) {
            refusals.append(
                { file->displayPath, 0,
                  QCoreApplication::translate(
                      "ApprovalStore",
                      "migration %1 has %2 of the %3 approvals production requires (%4): "
                      "another release manager approves it (fuelsync-db migrate approve "
                      "--version=%1)")
                      .arg(file->version.text())
                      .arg(approvers.size())
                      .arg(needed)
                      .arg(approvers.join(QStringLiteral(", "))) });
            continue;
        }
        const MigrationApproval *old = voided(approvals, *file);
        refusals.append(
            { file->displayPath, 0,
              old ? QCoreApplication::translate(
                        "ApprovalStore",
                        "migration %1 changed after %2 approved it on %3 (approved checksum "
                        "%4…, now %5…): the approval is void; a release manager reviews it "
                        "and approves again (fuelsync-db migrate approve --version=%1)")
                        .arg(file->version.text(), old->approvedBy,
                             old->approvedAt.toLocalTime().toString(
                                 QStringLiteral("yyyy-MM-dd HH:mm")),
                             old->checksum.left(12), file->checksum.left(12))
                  : QCoreApplication::translate(
                        "ApprovalStore",
                        "migration %1 is not approved for production: a release manager "
                        "approves it first (fuelsync-db migrate approve --version=%1)")
                        .arg(file->version.text()) });
    }
    return refusals;
}

QStringList ApprovalStore::approversOf(const QList<MigrationApproval> &approvals,
                                       const MigrationFile &file)
{
    QStringList approvers;
    for (const MigrationApproval &approval : approvals) {
        if (sameVersion(approval.version, file.version) && approval.checksum == file.checksum
            && !approvers.contains(approval.approvedBy))
            approvers.append(approval.approvedBy);
    }
    return approvers;
}

const MigrationApproval *ApprovalStore::covering(const QList<MigrationApproval> &approvals,
                                                 const MigrationFile &file)
{
    const auto found = std::find_if(approvals.crbegin(), approvals.crend(),
                                    [&file](const MigrationApproval &approval) {
                                        return sameVersion(approval.version, file.version)
                                            && approval.checksum == file.checksum;
                                    });
    return found == approvals.crend() ? nullptr : &*found;
}

const MigrationApproval *ApprovalStore::voided(const QList<MigrationApproval> &approvals,
                                               const MigrationFile &file)
{
    const auto found = std::find_if(approvals.crbegin(), approvals.crend(),
                                    [&file](const MigrationApproval &approval) {
                                        return sameVersion(approval.version, file.version)
                                            && approval.checksum != file.checksum;
                                    });
    return found == approvals.crend() ? nullptr : &*found;
}

} // namespace fuelsync
