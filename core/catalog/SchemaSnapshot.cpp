#include "SchemaSnapshot.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlArray.h"

#include <QJsonObject>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>

namespace fuelsync {

namespace {

// One round trip for any number of schemas; every object becomes (schema, kind, name within the
// schema, definition).
// Every object of the schemas in ns, as o(schema, kind, name, definition).
// The catalog read as objects of one schema each: (schema, kind, name, definition). Deparsed
// (definitions as pg_dump would write them), for reading and showing; or raw, for digests:
// keys, indexes and triggers as the numbers the catalog stores, which costs the server a
// fraction of deparsing them (over 1,000 tenants, about half of the digest's time).
//
// Two raw definitions that are equal are deparsed equally. A column is named by its number, and
// every column's line holds its number; a table is named, in its schema or another; an
// operator class, collation or access method is named by an OID below 12000, which PostgreSQL
// assigned when it was built, the same object on every server of a major version (the
// reference is built on the server's). Every field the deparsed text prints is in the raw
// one (an index's storage options, a trigger's transition tables, ...), or the object is
// deparsed: an index or trigger that holds an expression, an index with options on an operator
// class or an OID of 12000 or more (given by initdb or a user, so another cluster may give it
// to something else), a key that is not a foreign, primary or unique key, a foreign key to a
// table in another schema (whose columns no line of this schema names), a key whose index has
// a tablespace of its own are deparsed instead, as are all expressions (the stored node trees are
// long, and say where in the statement each part was written). Equal deparsed definitions may still
// have unequal raw ones (a column added again by hand gets another number): a digest that differs
// only means the schema is read in full.
enum class Definitions { Deparsed, Raw };

QString objectsSql(Definitions definitions, int serverVersion = 150000)
{
    // Catalog columns that PostgreSQL 15 added (NULL before: nothing can set them there).
    const bool columnsSince15 = serverVersion >= 150000;
    const bool raw = definitions == Definitions::Raw;
    QStringList parts {
        QStringLiteral(
            R"SQL(SELECT ns.nspname, CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned-table' WHEN 'v' THEN 'view'
                   WHEN 'm' THEN 'materialized-view' WHEN 'f' THEN 'foreign-table'
                   ELSE 'sequence' END,
       c.relname::text,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END
  FROM pg_class c JOIN ns ON c.relnamespace = ns.oid
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
)SQL"),
        // A raw column line says its number too: keys and indexes name columns by it.
        QStringLiteral(R"SQL(SELECT ns.nspname, 'column', c.relname || '.' || a.attname,
       %1 format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attcollation NOT IN (0, 100) THEN ' COLLATE ' || a.attcollation::regcollation::text
               ELSE '' END
       || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
       || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON c.relnamespace = ns.oid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
)SQL")
            .arg(raw ? QStringLiteral("a.attnum || ' ' ||") : QString()),
        raw ? QStringLiteral(
                  R"SQL(SELECT ns.nspname, 'constraint', coalesce(cl.relname || '.', '') || con.conname,
       -- a foreign key to a table in another schema names its columns by number there: deparsed;
       -- a key whose index is in a tablespace of its own says so: deparsed
       CASE WHEN (con.contype = 'f' AND fn.nspname = ns.nspname)
              OR (con.contype IN ('p', 'u') AND ci.reltablespace = 0)
            THEN array_to_string(ARRAY[con.contype::text, con.condeferrable::text, con.condeferred::text,
                           con.convalidated::text, con.connoinherit::text, con.conkey::text, con.confkey::text,
                           con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
                           %1, fc.relname], chr(3), '')
            ELSE pg_get_constraintdef(con.oid) END
  FROM pg_constraint con JOIN ns ON con.connamespace = ns.oid
  LEFT JOIN pg_class cl ON cl.oid = con.conrelid
  LEFT JOIN pg_class ci ON ci.oid = con.conindid
  LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
)SQL")
                  .arg(columnsSince15 ? QStringLiteral("con.confdelsetcols::text")
                                      : QStringLiteral("NULL"))
            : QStringLiteral(
                R"SQL(SELECT ns.nspname, 'constraint', coalesce(cl.relname || '.', '') || con.conname,
       pg_get_constraintdef(con.oid)
  FROM pg_constraint con JOIN ns ON con.connamespace = ns.oid
  LEFT JOIN pg_class cl ON cl.oid = con.conrelid
)SQL"),
        raw ? QStringLiteral(R"SQL(SELECT ns.nspname, 'index', tc.relname || '.' || ic.relname,
       CASE WHEN i.indexprs IS NOT NULL OR i.indpred IS NOT NULL
              OR concat_ws(' ', ic.relam, i.indclass, i.indcollation)
                 ~ '(^| )(1[2-9][0-9]{3}|[2-9][0-9]{4}|[0-9]{6,})( |$)'
              -- options of an operator class (siglen of gist) are kept on the columns of the index
              OR EXISTS (SELECT 1 FROM pg_attribute ia
                          WHERE ia.attrelid = i.indexrelid AND ia.attoptions IS NOT NULL)
            THEN pg_get_indexdef(i.indexrelid)
            ELSE array_to_string(ARRAY[i.indisunique::text, %1, i.indnkeyatts::text,
                           i.indkey::text, i.indclass::text, i.indcollation::text, i.indoption::text,
                           ic.relam::text, ic.reloptions::text], chr(3), '') END
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN ns ON ic.relnamespace = ns.oid
  JOIN pg_class tc ON tc.oid = i.indrelid
)SQL")
                  .arg(columnsSince15 ? QStringLiteral("i.indnullsnotdistinct::text")
                                      : QStringLiteral("NULL"))
            : QStringLiteral(
                R"SQL(SELECT ns.nspname, 'index', tc.relname || '.' || ic.relname, pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN ns ON ic.relnamespace = ns.oid
  JOIN pg_class tc ON tc.oid = i.indrelid
)SQL"),
        QStringLiteral(
            R"SQL(SELECT ns.nspname, 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       md5(coalesce(p.prosrc, '') || p.prorettype::regtype::text || p.prokind::text
           || coalesce(array_to_string(p.proconfig, ','), ''))
  FROM pg_proc p JOIN ns ON p.pronamespace = ns.oid
)SQL"),
        raw ? QStringLiteral(R"SQL(SELECT ns.nspname, 'trigger', tc.relname || '.' || t.tgname,
       CASE WHEN t.tgqual IS NOT NULL OR t.tgconstraint <> 0
            THEN pg_get_triggerdef(t.oid)
            ELSE array_to_string(ARRAY[t.tgtype::text,
                           CASE WHEN pn.nspname = ns.nspname THEN '' ELSE pn.nspname || '.' END || p.proname,
                           t.tgargs::text, t.tgattr::text, t.tgdeferrable::text, t.tginitdeferred::text,
                           t.tgenabled::text, t.tgoldtable::text, t.tgnewtable::text], chr(3), '') END
  FROM pg_trigger t JOIN pg_class tc ON tc.oid = t.tgrelid JOIN ns ON tc.relnamespace = ns.oid
  JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
 WHERE NOT t.tgisinternal
)SQL")
            : QStringLiteral(
                R"SQL(SELECT ns.nspname, 'trigger', tc.relname || '.' || t.tgname, pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN pg_class tc ON tc.oid = t.tgrelid JOIN ns ON tc.relnamespace = ns.oid
 WHERE NOT t.tgisinternal
)SQL"),
        QStringLiteral(R"SQL(SELECT ns.nspname, 'type', t.typname::text,
       CASE t.typtype WHEN 'e' THEN 'enum (' || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
                                                   FROM pg_enum e WHERE e.enumtypid = t.oid) || ')'
                      WHEN 'd' THEN 'domain ' || format_type(t.typbasetype, t.typtypmod)
                      ELSE 'composite' END
  -- pg_type read once (OFFSET 0 keeps it apart): joined per schema, the planner walks the
  -- (name, schema) index once a schema.
  FROM (SELECT oid, typname, typtype, typnamespace, typbasetype, typtypmod FROM pg_type
         WHERE typtype IN ('e', 'd')
            OR (typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class k WHERE k.oid = typrelid AND k.relkind = 'c'))
        OFFSET 0) t
  JOIN ns ON t.typnamespace = ns.oid
)SQL"),
        QStringLiteral(
            R"SQL(SELECT ns.nspname, 'comment', coalesce(t.relname || '.', '') || c.relname || coalesce('.' || a.attname, ''),
       d.description
  FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
  JOIN ns ON c.relnamespace = ns.oid
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
  LEFT JOIN pg_index i ON i.indexrelid = c.oid
  LEFT JOIN pg_class t ON t.oid = i.indrelid
)SQL"),
        QStringLiteral(
            R"SQL(SELECT ns.nspname, 'comment', coalesce(cl.relname || '.', '') || con.conname, d.description
  FROM pg_description d JOIN pg_constraint con ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid
  JOIN ns ON con.connamespace = ns.oid LEFT JOIN pg_class cl ON cl.oid = con.conrelid
)SQL"),
    };
    return QStringLiteral(R"SQL(
WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = ANY(?::name[]))
SELECT o.schema::text, o.kind, o.name, o.definition, quote_ident(o.schema) FROM (
)SQL") + parts.join(QStringLiteral("UNION ALL\n"))
        + QStringLiteral(R"SQL() AS o(schema, kind, name, definition)
)SQL");
}

const QString &objectsSql()
{
    static const QString sql = objectsSql(Definitions::Deparsed);
    return sql;
}

QSqlQuery readObjects(DbConnection &connection, const QStringList &schemas)
{
    static const QString sql = objectsSql() + QStringLiteral("ORDER BY o.schema");
    return connection.exec(sql, { SqlArray::textLiteral(schemas) });
}

} // namespace

QHash<QString, QString> SchemaSnapshot::fingerprintEach(DbConnection &connection,
                                                        const QStringList &schemas)
{
    // The same objects and names as captureEach(), with raw definitions (objectsSql), the
    // schema's own name taken out of them as captureEach() does, digested where they are: the
    // SHA-256 of "kind name" U+0001 definition, one an object, joined by U+0002 in the byte
    // order of the keys.
    const auto digestSql = [](int serverVersion) {
        return objectsSql(Definitions::Raw, serverVersion)
            .replace(
                QStringLiteral(
                    "SELECT o.schema::text, o.kind, o.name, o.definition, quote_ident(o.schema) "
                    "FROM ("),
                QStringLiteral(
                    "SELECT o.schema::text, encode(sha256(convert_to(string_agg("
                    "  o.kind || ' ' || o.name || chr(1) "
                    "  || replace(coalesce(o.definition, ''), quote_ident(o.schema) || '.', ''), "
                    "  chr(2) ORDER BY o.kind || ' ' || o.name COLLATE \"C\"), 'UTF8')), 'hex') "
                    "FROM ("));
    };
    static const QString digested = digestSql(150000);
    static const QString digestedBefore15 = digestSql(140000);
    // The digest sorts every object of the schemas it reads (some 150 bytes each: about 70 MB
    // for 500 tenants), which in the default 4 MB of work_mem goes to disk; and its estimated
    // cost passes the JIT's thresholds, whose compiling (two seconds) buys nothing on a catalog
    // query. While it reads, the session gets 64 MB (never less than it had) and no JIT, and
    // its own settings back afterwards.
    const QStringList previous =
        connection
            .scalar(QStringLiteral(
                "SELECT concat_ws(chr(1), current_setting('work_mem'), current_setting('jit'), "
                "set_config('work_mem', CASE WHEN pg_size_bytes(current_setting('work_mem')) "
                "< 64 * 1024 * 1024 THEN '64MB' ELSE current_setting('work_mem') END, false), "
                "set_config('jit', 'off', false))"))
            .toString()
            .split(u'\x01');
    const auto restore = [&connection, &previous] {
        if (previous.size() >= 2)
            connection.exec(QStringLiteral("SELECT set_config('work_mem', ?, false), "
                                           "set_config('jit', ?, false)"),
                            { previous.at(0), previous.at(1) });
    };
    QHash<QString, QString> digests;
    try {
        QSqlQuery query = connection.exec(
            (connection.serverVersionNumber() >= 150000 ? digested : digestedBefore15)
                + QStringLiteral("GROUP BY o.schema"),
            { SqlArray::textLiteral(schemas) });
        while (query.next())
            digests.insert(query.value(0).toString(), query.value(1).toString());
    } catch (const DbError &) {
        try {
            restore();
        } catch (const DbError &) {
            // The session is gone or its transaction failed: the first error is the one to tell.
        }
        throw;
    }
    restore();
    return digests;
}

QMap<QString, QString> SchemaSnapshot::objectsOf(const QString &kind) const
{
    QMap<QString, QString> objects;
    const QString prefix = kind + u' ';
    for (auto it = m_objects.lowerBound(prefix);
         it != m_objects.cend() && it.key().startsWith(prefix); ++it)
        objects.insert(it.key().mid(prefix.size()), it.value());
    return objects;
}

bool SchemaSnapshot::belongsTo(const QString &name, const QStringList &tables)
{
    for (const QString &table : tables) {
        if (name == table || name.startsWith(table + u'.') || name.startsWith(table + u'_'))
            return true;
    }
    return false;
}

SchemaSnapshot SchemaSnapshot::capture(DbConnection &connection, const QStringList &schemas)
{
    SchemaSnapshot snapshot;
    QSqlQuery query = readObjects(connection, schemas);
    while (query.next()) {
        snapshot.m_objects.insert(query.value(1).toString() + u' ' + query.value(0).toString()
                                      + u'.' + query.value(2).toString(),
                                  query.value(3).toString());
    }
    return snapshot;
}

QHash<QString, SchemaSnapshot> SchemaSnapshot::captureEach(DbConnection &connection,
                                                           const QStringList &schemas)
{
    QHash<QString, SchemaSnapshot> snapshots;
    QString schema;
    QString prefix; // how the catalog writes a name of this schema: "demo_001." or "\"Odd\"."
    SchemaSnapshot *current = nullptr;
    QSqlQuery query = readObjects(connection, schemas);
    while (query.next()) {
        if (!current || query.value(0).toString() != schema) {
            schema = query.value(0).toString();
            prefix = query.value(4).toString() + u'.';
            current = &snapshots[schema];
        }
        QString definition = query.value(3).toString();
        definition.replace(prefix, QString());
        current->m_objects.insert(query.value(1).toString() + u' ' + query.value(2).toString(),
                                  definition);
    }
    return snapshots;
}

QList<SchemaSnapshot::Difference>
SchemaSnapshot::differencesFrom(const SchemaSnapshot &reference) const
{
    QList<Difference> differences;
    auto split = [](const QString &key, Difference &d) {
        d.kind = key.section(u' ', 0, 0);
        d.name = key.section(u' ', 1);
    };
    for (auto it = reference.m_objects.cbegin(); it != reference.m_objects.cend(); ++it) {
        const auto live = m_objects.constFind(it.key());
        Difference d;
        split(it.key(), d);
        d.expected = it.value();
        if (live == m_objects.cend()) {
            d.change = Difference::Change::Missing;
        } else if (live.value() != it.value()) {
            d.change = Difference::Change::Different;
            d.actual = live.value();
        } else {
            continue;
        }
        differences.append(d);
    }
    for (auto it = m_objects.cbegin(); it != m_objects.cend(); ++it) {
        if (reference.m_objects.contains(it.key()))
            continue;
        Difference d;
        split(it.key(), d);
        d.change = Difference::Change::Extra;
        d.actual = it.value();
        differences.append(d);
    }
    return differences;
}

QJsonObject SchemaSnapshot::toJson() const
{
    QJsonObject objects;
    for (auto it = m_objects.cbegin(); it != m_objects.cend(); ++it)
        objects.insert(it.key(), it.value());
    return objects;
}

SchemaSnapshot SchemaSnapshot::fromJson(const QJsonObject &json)
{
    SchemaSnapshot snapshot;
    for (auto it = json.constBegin(); it != json.constEnd(); ++it)
        snapshot.m_objects.insert(it.key(), it.value().toString());
    return snapshot;
}

QStringList SchemaSnapshot::changesTo(const SchemaSnapshot &after, const QStringList &ignore) const
{
    auto ignored = [&ignore](const QString &key) {
        for (const QString &fragment : ignore) {
            if (key.contains(fragment))
                return true;
        }
        return false;
    };
    static const QStringList relationKinds = {
        QStringLiteral("table"),         QStringLiteral("partitioned-table"),
        QStringLiteral("view"),          QStringLiteral("materialized-view"),
        QStringLiteral("foreign-table"), QStringLiteral("sequence")
    };
    auto kindOf = [](const QString &key) {
        return key.section(u' ', 0, 0);
    };
    auto nameOf = [](const QString &key) {
        return key.section(u' ', 1);
    };

    // Objects only on one side. A whole table added or removed is one line with its parts
    // counted; a comment goes with the object it describes.
    auto oneSided = [&](const QMap<QString, QString> &side, const QMap<QString, QString> &other,
                        const QString &sign) {
        QStringList keys;
        QSet<QString> objectNames;
        QStringList wholeRelations;
        for (auto it = side.cbegin(); it != side.cend(); ++it) {
            if (ignored(it.key()) || other.contains(it.key()))
                continue;
            keys.append(it.key());
            if (kindOf(it.key()) != u"comment")
                objectNames.insert(nameOf(it.key()));
            if (relationKinds.contains(kindOf(it.key())))
                wholeRelations.append(nameOf(it.key()));
        }
        QMap<QString, QMap<QString, int>> parts; // relation -> kind -> count
        QStringList lines;
        for (const QString &key : std::as_const(keys)) {
            const QString kind = kindOf(key);
            const QString name = nameOf(key);
            if (relationKinds.contains(kind)) {
                lines.append(sign + u' ' + key);
                continue;
            }
            const auto owner = std::find_if(
                wholeRelations.cbegin(), wholeRelations.cend(), [&name](const QString &relation) {
                    return name == relation || name.startsWith(relation + u'.');
                });
            if (owner != wholeRelations.cend()) {
                ++parts[*owner][kind];
                continue;
            }
            if (kind == u"comment" && objectNames.contains(name))
                continue;
            lines.append(sign + u' ' + key);
        }
        for (QString &line : lines) {
            const QString relation = nameOf(line.mid(2));
            if (!relationKinds.contains(kindOf(line.mid(2))) || !parts.contains(relation))
                continue;
            QStringList counts;
            for (const QString &kind : { QStringLiteral("column"), QStringLiteral("constraint"),
                                         QStringLiteral("index"), QStringLiteral("trigger") }) {
                const int n = parts.value(relation).value(kind);
                if (n == 0)
                    continue;
                const QString plural = kind == u"index" ? QStringLiteral("indexes") : kind + u's';
                counts.append(QStringLiteral("%1 %2").arg(n).arg(n == 1 ? kind : plural));
            }
            if (!counts.isEmpty())
                line += QStringLiteral(" (") + counts.join(QStringLiteral(", ")) + u')';
        }
        return lines;
    };

    QStringList changes = oneSided(m_objects, after.m_objects, QStringLiteral("-"));
    for (auto it = m_objects.cbegin(); it != m_objects.cend(); ++it) {
        if (ignored(it.key()))
            continue;
        const auto other = after.m_objects.constFind(it.key());
        if (other != after.m_objects.cend() && other.value() != it.value()) {
            // Function bodies (compared by hash) and view definitions (whole queries): say only
            // that they changed.
            const bool opaque = it.key().startsWith(u"function ") || it.key().startsWith(u"view ")
                || it.key().startsWith(u"materialized-view ");
            changes.append(QStringLiteral("~ ") + it.key()
                           + (opaque ? QString()
                                     : QStringLiteral(": %1 → %2").arg(it.value(), other.value())));
        }
    }
    changes.append(oneSided(after.m_objects, m_objects, QStringLiteral("+")));
    return changes;
}

} // namespace fuelsync
