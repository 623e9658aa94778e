#include "AuditLog.h"

#include "common/JobControl.h"
#include "common/RequestError.h"
#include "common/RunnerIdentity.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlArray.h"
#include "fuelsync_version.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSysInfo>

namespace fuelsync {

namespace {

const char *createSql = R"SQL(
CREATE TABLE public.fuelsync_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind text NOT NULL,
  outcome text NOT NULL,
  database_role text NOT NULL DEFAULT session_user,
  os_user text,
  host text,
  program text,
  what jsonb NOT NULL DEFAULT '{}',
  error text,
  duration_ms bigint,
  CONSTRAINT fuelsync_audit_kind_check CHECK (kind ~ '^[a-z][a-z ]{0,40}$'),
  CONSTRAINT fuelsync_audit_outcome_check
    CHECK (outcome IN ('done', 'failed', 'cancelled', 'refused')),
  CONSTRAINT fuelsync_audit_duration_check CHECK (duration_ms IS NULL OR duration_ms >= 0));
CREATE INDEX fuelsync_audit_at_idx ON public.fuelsync_audit (at);
CREATE FUNCTION public.fuelsync_audit_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.database_role := session_user;
    NEW.at := clock_timestamp();
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'public.fuelsync_audit is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $fn$;
CREATE TRIGGER fuelsync_audit_guard BEFORE INSERT OR UPDATE OR DELETE
  ON public.fuelsync_audit FOR EACH ROW EXECUTE FUNCTION public.fuelsync_audit_guard();
CREATE TRIGGER fuelsync_audit_no_truncate BEFORE TRUNCATE
  ON public.fuelsync_audit FOR EACH STATEMENT EXECUTE FUNCTION public.fuelsync_audit_guard();
CREATE FUNCTION public.fuelsync_audit_record(p_kind text, p_outcome text, p_what jsonb,
    p_error text, p_duration_ms bigint, p_os_user text, p_host text, p_program text)
  RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
  INSERT INTO public.fuelsync_audit (kind, outcome, what, error, duration_ms, os_user, host,
                                     program)
  VALUES (p_kind, p_outcome, coalesce(p_what, '{}'), p_error, p_duration_ms, p_os_user, p_host,
          p_program)
  RETURNING id
$fn$;
REVOKE ALL ON public.fuelsync_audit FROM PUBLIC;
GRANT SELECT ON public.fuelsync_audit TO PUBLIC;
REVOKE ALL ON FUNCTION public.fuelsync_audit_record(text, text, jsonb, text, bigint, text, text,
                                                    text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.fuelsync_audit_record(text, text, jsonb, text, bigint, text,
                                                       text, text) TO PUBLIC;
REVOKE ALL ON FUNCTION public.fuelsync_audit_guard() FROM PUBLIC;
COMMENT ON TABLE public.fuelsync_audit IS 'What FuelSync Admin did to this database: one row per action (apply, rollback, dry run, approval, env set, tenant create, seed, backup, restore, prune, roles) with its outcome. Append-only: written through fuelsync_audit_record(), never changed or deleted.';
COMMENT ON COLUMN public.fuelsync_audit.id IS 'Order of the rows.';
COMMENT ON COLUMN public.fuelsync_audit.at IS 'When the row was recorded (server time).';
COMMENT ON COLUMN public.fuelsync_audit.kind IS 'The action: migrate up, migrate down, dry run, approve, env set, tenant create, seed, backup run, restore, prune, roles.';
COMMENT ON COLUMN public.fuelsync_audit.outcome IS 'done, failed, cancelled or refused.';
COMMENT ON COLUMN public.fuelsync_audit.database_role IS 'The login (session_user), set by the server.';
COMMENT ON COLUMN public.fuelsync_audit.os_user IS 'The operating-system user the client ran as, as the client said.';
COMMENT ON COLUMN public.fuelsync_audit.host IS 'The machine the client ran on, as the client said.';
COMMENT ON COLUMN public.fuelsync_audit.program IS 'The client and its version.';
COMMENT ON COLUMN public.fuelsync_audit.what IS 'What the action was about: versions, schemas, archive, environment.';
COMMENT ON COLUMN public.fuelsync_audit.error IS 'The error, or why it was refused.';
COMMENT ON COLUMN public.fuelsync_audit.duration_ms IS 'How long it took.';
COMMENT ON CONSTRAINT fuelsync_audit_kind_check ON public.fuelsync_audit IS 'A kind is a few lower-case words.';
COMMENT ON CONSTRAINT fuelsync_audit_outcome_check ON public.fuelsync_audit IS 'An action ends done, failed, cancelled or refused.';
COMMENT ON CONSTRAINT fuelsync_audit_duration_check ON public.fuelsync_audit IS 'A duration is never negative.';
COMMENT ON FUNCTION public.fuelsync_audit_record(text, text, jsonb, text, bigint, text, text, text) IS 'Appends one row to fuelsync_audit; the only way to write one.';
COMMENT ON FUNCTION public.fuelsync_audit_guard() IS 'Stamps the login and the time of a new audit row; refuses UPDATE, DELETE and TRUNCATE.';
)SQL";

AuditEntry entryFrom(const QSqlQuery &q)
{
    AuditEntry e;
    e.id = q.value(0).toLongLong();
    e.at = q.value(1).toDateTime();
    e.kind = q.value(2).toString();
    e.outcome = AuditEntry::outcomeFrom(q.value(3).toString());
    e.databaseRole = q.value(4).toString();
    e.osUser = q.value(5).toString();
    e.host = q.value(6).toString();
    e.program = q.value(7).toString();
    e.what = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
    e.error = q.value(9).toString();
    e.durationMs = q.value(10).isNull() ? -1 : q.value(10).toLongLong();
    return e;
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

} // namespace

QString AuditLog::program()
{
    const QString name = QCoreApplication::applicationName().isEmpty()
        ? QStringLiteral("fuelsync")
        : QCoreApplication::applicationName();
    return QStringLiteral("%1 %2").arg(name, QStringLiteral(FUELSYNC_VERSION));
}

bool AuditLog::exists(DbConnection &connection)
{
    return connection
        .scalar(QStringLiteral("SELECT to_regclass('public.fuelsync_audit') IS NOT NULL"))
        .toBool();
}

void AuditLog::ensure(DbConnection &connection)
{
    if (exists(connection))
        return;
    const bool own = !connection.inTransaction();
    if (own)
        connection.beginReadWrite();
    try {
        // Two first runs at once: the second waits here, then finds the table.
        connection.exec(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext('fuelsync_audit'))"));
        if (!exists(connection))
            connection.exec(QString::fromUtf8(createSql));
        if (own)
            connection.commit();
    } catch (const DbError &error) {
        if (own)
            connection.rollback();
        if (error.sqlState() == u"42501" || error.sqlState() == u"25006") {
            throw RequestError(
                QCoreApplication::translate(
                    "AuditLog",
                    "public.fuelsync_audit does not exist yet, and %1 may not create it (%2): "
                    "the database's owner runs 'fuelsync-db roles setup' once")
                    .arg(connection.currentUser(), error.message()));
        }
        throw;
    }
}

qint64 AuditLog::record(DbConnection &connection, const AuditEntry &entry)
{
    ensure(connection);
    return connection
        .scalar(QStringLiteral("SELECT public.fuelsync_audit_record(?::text, ?::text, "
                               "?::jsonb, ?::text, ?::bigint, ?::text, ?::text, ?::text)"),
                { entry.kind, AuditEntry::outcomeName(entry.outcome),
                  QString::fromUtf8(QJsonDocument(entry.what).toJson(QJsonDocument::Compact)),
                  textOrNull(entry.error),
                  entry.durationMs < 0 ? QVariant(QMetaType(QMetaType::LongLong))
                                       : QVariant(entry.durationMs),
                  textOrNull(entry.osUser.isEmpty() ? RunnerIdentity::osUser() : entry.osUser),
                  textOrNull(entry.host.isEmpty() ? QSysInfo::machineHostName() : entry.host),
                  textOrNull(entry.program.isEmpty() ? program() : entry.program) })
        .toLongLong();
}

QString AuditLog::recordAlone(DbConnection &connection, const AuditEntry &entry)
{
    if (connection.inTransaction())
        return QCoreApplication::translate("AuditLog", "the session is inside a transaction");
    try {
        if (!exists(connection)) {
            // A refusal changed nothing, and leaves nothing behind where nothing was ever
            // recorded (a database FuelSync Admin has not written to yet); a failure or a
            // cancel tried something, and makes the audit to say so.
            if (entry.outcome == AuditEntry::Outcome::Refused)
                return QCoreApplication::translate(
                    "AuditLog",
                    "public.fuelsync_audit does not exist yet ('fuelsync-db roles setup' makes "
                    "it)");
            ensure(connection);
        }
        connection.beginReadWrite();
        record(connection, entry);
        connection.commit();
        return {};
    } catch (const RequestError &error) {
        if (connection.inTransaction())
            connection.rollback();
        return error.message();
    } catch (const DbError &error) {
        try {
            if (connection.inTransaction())
                connection.rollback();
        } catch (const DbError &) {
            // the session is gone; the message below says what failed first
        }
        return error.text();
    }
}

QString AuditLog::recordAlone(const ConnectionSettings &settings, const AuditEntry &entry)
{
    try {
        const auto connection = DbConnection::open(settings, QStringLiteral("audit"));
        return recordAlone(*connection, entry);
    } catch (const DbError &error) {
        return error.text();
    }
}

AuditEntry::Outcome AuditLog::outcomeOf(const std::exception &error, bool cancelled)
{
    if (cancelled || dynamic_cast<const JobCancelled *>(&error))
        return AuditEntry::Outcome::Cancelled;
    if (dynamic_cast<const RequestError *>(&error))
        return AuditEntry::Outcome::Refused;
    if (const auto *db = dynamic_cast<const DbError *>(&error)) {
        if (db->sqlState() == u"42501" || db->sqlState() == u"25006")
            return AuditEntry::Outcome::Refused;
    }
    return AuditEntry::Outcome::Failed;
}

QList<AuditEntry> AuditLog::read(DbConnection &connection, const Filter &filter)
{
    QList<AuditEntry> entries;
    if (!exists(connection))
        return entries;
    QSqlQuery q = connection.exec(
        QStringLiteral("SELECT id, at, kind, outcome, database_role, os_user, host, program, "
                       "what::text, error, duration_ms FROM public.fuelsync_audit "
                       "WHERE (?::timestamptz IS NULL OR at >= ?::timestamptz) "
                       "AND (?::text IS NULL OR kind = ?::text) "
                       "AND (?::text[] IS NULL OR kind = ANY (?::text[])) "
                       "ORDER BY id DESC LIMIT ?::bigint"),
        { filter.since.isValid() ? QVariant(filter.since)
                                 : QVariant(QMetaType(QMetaType::QDateTime)),
          filter.since.isValid() ? QVariant(filter.since)
                                 : QVariant(QMetaType(QMetaType::QDateTime)),
          textOrNull(filter.kind), textOrNull(filter.kind),
          filter.kinds.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                 : QVariant(SqlArray::textLiteral(filter.kinds)),
          filter.kinds.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                 : QVariant(SqlArray::textLiteral(filter.kinds)),
          filter.limit > 0 ? QVariant(qint64(filter.limit))
                           : QVariant(QMetaType(QMetaType::LongLong)) });
    while (q.next())
        entries.append(entryFrom(q));
    return entries;
}

} // namespace fuelsync
