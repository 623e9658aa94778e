#include "SchemaGrants.h"

#include "db/DbConnection.h"
#include "db/SqlArray.h"

#include <QSqlQuery>

namespace fuelsync {

namespace {

// The statements that give the schemas' objects to fuelsync_owner. Extension members and
// sequences a column owns (they follow their table) are left out; so is anything the session
// cannot give away, which the second column names instead of a statement.
const char *ownershipSql = R"SQL(
WITH s AS (SELECT n.oid, n.nspname, n.nspowner FROM pg_namespace n
           WHERE n.nspname = ANY (?::text[])),
     owner AS (SELECT 'fuelsync_owner'::regrole::oid AS oid,
                      pg_has_role(current_user, 'fuelsync_owner', 'MEMBER') AS member),
     ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e'),
     objects AS (
  SELECT 1 AS step, format('ALTER SCHEMA %I OWNER TO fuelsync_owner', s.nspname) AS stmt,
         format('schema %s', s.nspname) AS label, s.nspowner AS was
  FROM s WHERE s.nspname <> 'public'
  UNION ALL
  SELECT 2, format('ALTER %s %I.%I OWNER TO fuelsync_owner',
                   CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                  WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE'
                                  ELSE 'TABLE' END, s.nspname, c.relname),
         format('%s.%s', s.nspname, c.relname), c.relowner
  FROM pg_class c JOIN s ON s.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    AND c.oid NOT IN (SELECT objid FROM ext)
    AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d
                                         WHERE d.classid = 'pg_class'::regclass
                                           AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  UNION ALL
  SELECT 3, format('ALTER ROUTINE %s OWNER TO fuelsync_owner', p.oid::regprocedure),
         p.oid::regprocedure::text, p.proowner
  FROM pg_proc p JOIN s ON s.oid = p.pronamespace
  WHERE p.oid NOT IN (SELECT objid FROM ext)
  UNION ALL
  SELECT 4, format('ALTER %s %I.%I OWNER TO fuelsync_owner',
                   CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, s.nspname, t.typname),
         format('type %s.%s', s.nspname, t.typname), t.typowner
  FROM pg_type t JOIN s ON s.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r', 'c')
    AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
    AND t.oid NOT IN (SELECT objid FROM ext))
-- The tables FuelSync Admin keeps for itself stay with whoever made them (roles setup gives them
-- to a superuser): an owner could switch off the triggers that keep them append-only.
SELECT CASE WHEN owner.member AND pg_has_role(current_user, o.was, 'USAGE') THEN o.stmt END,
       o.label
FROM objects o, owner
WHERE o.was <> owner.oid
  AND o.label NOT IN ('public.fuelsync_audit', 'public.migration_approvals',
                      'public.fuelsync_approval_policy')
  AND o.label !~ '^(public\.)?(fuelsync_audit_guard|fuelsync_audit_record|migration_approvals_stamp|fuelsync_approval_policy_guard)\('
ORDER BY o.step, o.label
)SQL";

// The statements that give fuelsync_support its reading, skipping what it already has exactly.
const char *supportSql = R"SQL(
WITH s AS (SELECT n.oid, n.nspname, n.nspowner FROM pg_namespace n
           WHERE n.nspname = ANY (?::text[])),
     cols AS (
  SELECT c.oid, s.nspname, c.relname, c.relowner, a.attnum, a.attname,
         a.attname ~* ? AS secret
  FROM pg_class c JOIN s ON s.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND c.oid NOT IN (SELECT objid FROM pg_depend WHERE deptype = 'e')),
     tables AS (
  SELECT oid, nspname, relname, relowner, bool_or(secret) AS has_secret,
         bool_or(secret AND has_column_privilege('fuelsync_support', oid, attnum, 'SELECT'))
           AS secret_shown,
         bool_or(NOT secret AND NOT has_column_privilege('fuelsync_support', oid, attnum,
                                                         'SELECT')) AS column_hidden,
         string_agg(quote_ident(attname::text), ', ' ORDER BY attnum) FILTER (WHERE NOT secret)
           AS readable
  FROM cols GROUP BY oid, nspname, relname, relowner)
SELECT format('GRANT USAGE ON SCHEMA %I TO fuelsync_support', s.nspname)
FROM s
WHERE NOT has_schema_privilege('fuelsync_support', s.oid, 'USAGE')
  AND pg_has_role(current_user, s.nspowner, 'USAGE')
UNION ALL
SELECT stmt FROM (
  SELECT unnest(CASE
           WHEN NOT has_secret THEN ARRAY[format('GRANT SELECT ON %I.%I TO fuelsync_support',
                                                 nspname, relname)]
           ELSE ARRAY[format('REVOKE SELECT ON %I.%I FROM fuelsync_support', nspname, relname)]
                || CASE WHEN readable IS NULL THEN ARRAY[]::text[]
                        ELSE ARRAY[format('GRANT SELECT (%s) ON %I.%I TO fuelsync_support',
                                          readable, nspname, relname)] END
         END) AS stmt
  FROM tables
  WHERE pg_has_role(current_user, relowner, 'USAGE')
    AND (column_hidden OR secret_shown)) grants
)SQL";

} // namespace

const char *SchemaGrants::secretColumnPattern()
{
    return "(^|_)(password|passwd|secret|token|salt|api_?key|private_?key)(_|$)";
}

bool SchemaGrants::rolesExist(DbConnection &connection)
{
    return connection
        .scalar(QStringLiteral("SELECT to_regrole('fuelsync_owner') IS NOT NULL "
                               "AND to_regrole('fuelsync_support') IS NOT NULL"))
        .toBool();
}

bool SchemaGrants::isSetUp(DbConnection &connection)
{
    return connection
        .scalar(QStringLiteral("SELECT to_regrole('fuelsync_support') IS NOT NULL "
                               "AND EXISTS (SELECT FROM pg_default_acl "
                               "WHERE defaclrole = to_regrole('fuelsync_owner'))"))
        .toBool();
}

SchemaGrants::Result SchemaGrants::apply(DbConnection &connection, const QStringList &schemas)
{
    Result result;
    if (schemas.isEmpty() || !isSetUp(connection))
        return result;
    const QString list = SqlArray::textLiteral(schemas);
    QStringList statements;
    {
        QSqlQuery q = connection.exec(QString::fromUtf8(ownershipSql), { list });
        while (q.next()) {
            if (q.value(0).isNull())
                result.notGiven.append(q.value(1).toString());
            else
                statements.append(q.value(0).toString());
        }
    }
    for (const QString &statement : statements)
        connection.exec(statement);
    result.ownersChanged = int(statements.size());
    statements.clear();
    {
        QSqlQuery q = connection.exec(QString::fromUtf8(supportSql),
                                      { list, QString::fromLatin1(secretColumnPattern()) });
        while (q.next())
            statements.append(q.value(0).toString());
    }
    for (const QString &statement : statements)
        connection.exec(statement);
    result.grantsMade = int(statements.size());
    return result;
}

} // namespace fuelsync
