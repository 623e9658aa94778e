#include "TenantSearch.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace fuelsync {
namespace {

// Each kind: its table, the columns searched (those present are used), and how its label,
// detail and station are made from columns (each optional part used only when present).
struct KindSpec
{
    SearchHit::Kind kind;
    const char *table;
    QList<const char *> searched;
    const char *label;
    const char *detail;
    const char *station;
};

const QList<KindSpec> &specs()
{
    static const QList<KindSpec> list {
        { SearchHit::Kind::Station, "stations", { "name", "city" }, "name", "city", "id" },
        { SearchHit::Kind::Pump,
          "pumps",
          { "label", "serial_number" },
          "label",
          "serial_number",
          "station_id" },
        { SearchHit::Kind::Nozzle,
          "nozzles",
          { "nozzle_number", "fuel_type" },
          "nozzle_number",
          "fuel_type",
          "station_id" },
        { SearchHit::Kind::Customer,
          "creditors",
          { "name", "phone", "vehicle_number", "vehicle" },
          "name",
          "phone",
          "station_id" },
        { SearchHit::Kind::User, "users", { "name", "email" }, "name", "email", nullptr },
    };
    return list;
}

} // namespace

QString SearchHit::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Tenant:
        return QCoreApplication::translate("TenantSearch", "Tenants");
    case Kind::Station:
        return QCoreApplication::translate("TenantSearch", "Stations");
    case Kind::Pump:
        return QCoreApplication::translate("TenantSearch", "Pumps");
    case Kind::Nozzle:
        return QCoreApplication::translate("TenantSearch", "Nozzles");
    case Kind::Customer:
        return QCoreApplication::translate("TenantSearch", "Credit customers");
    case Kind::User:
        return QCoreApplication::translate("TenantSearch", "Users");
    }
    return {};
}

TenantSearch::Plan TenantSearch::plan(DbConnection &connection)
{
    Plan plan;
    const bool registry =
        connection.scalar(QStringLiteral("SELECT to_regclass('public.tenants') IS NOT NULL"))
            .toBool();
    if (!registry)
        return plan;
    QStringList tables;
    QStringList columns;
    for (const KindSpec &spec : specs()) {
        tables.append(QString::fromLatin1(spec.table));
        for (const char *c : { spec.label, spec.detail, spec.station })
            if (c)
                columns.append(QString::fromLatin1(c));
        for (const char *c : spec.searched)
            columns.append(QString::fromLatin1(c));
    }
    columns.append(QStringLiteral("id"));
    columns.removeDuplicates();
    // Which registered tenants have which of the tables and columns, readable by this login.
    QSqlQuery query = connection.exec(
        QStringLiteral(
            "SELECT t.schema_name::text, coalesce(to_jsonb(t)->>'name', ''), c.relname::text, "
            "  a.attname::text "
            "FROM public.tenants t "
            "JOIN pg_namespace n ON n.nspname = t.schema_name "
            "LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v') "
            "  AND c.relname = ANY (string_to_array(?::text, ',')) "
            "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
            "  AND NOT a.attisdropped AND a.attname = ANY (string_to_array(?::text, ',')) "
            "  AND has_column_privilege(c.oid, a.attnum, 'SELECT') "
            "ORDER BY 1, 3, 4"),
        { tables.join(u','), columns.join(u',') });
    QHash<QString, QHash<QString, QStringList>> present; // schema -> table -> columns
    QStringList order;
    while (query.next()) {
        const QString schema = query.value(0).toString();
        if (!present.contains(schema)) {
            order.append(schema);
            plan.tenants.append({ schema, query.value(1).toString() });
        }
        auto &byTable = present[schema];
        if (!query.isNull(2) && !query.isNull(3))
            byTable[query.value(2).toString()].append(query.value(3).toString());
    }
    plan.schemas = int(order.size());
    QHash<QString, QString> names;
    for (const auto &[schema, name] : std::as_const(plan.tenants))
        names.insert(schema, name);
    for (const QString &schema : std::as_const(order)) {
        const auto &byTable = present.value(schema);
        for (const KindSpec &spec : specs()) {
            const QStringList have = byTable.value(QString::fromLatin1(spec.table));
            if (!have.contains(u"id") || !have.contains(QString::fromLatin1(spec.label)))
                continue;
            Source source;
            source.kind = spec.kind;
            source.schema = schema;
            source.tenantName = names.value(schema);
            source.table = QString::fromLatin1(spec.table);
            for (const char *c : spec.searched) {
                if (have.contains(QString::fromLatin1(c)))
                    source.searched.append(SqlIdentifier::quote(QString::fromLatin1(c))
                                           + QStringLiteral("::text"));
            }
            // "nozzle 3" finds nozzle 3, as the label reads.
            if (spec.kind == SearchHit::Kind::Nozzle && have.contains(u"nozzle_number"))
                source.searched.append(QStringLiteral("'nozzle ' || \"nozzle_number\"::text"));
            const auto column = [&](const char *name) {
                return name && have.contains(QString::fromLatin1(name))
                    ? SqlIdentifier::quote(QString::fromLatin1(name)) + QStringLiteral("::text")
                    : QStringLiteral("NULL::text");
            };
            source.labelSql = column(spec.label);
            source.detailSql = column(spec.detail);
            source.stationSql = column(spec.station);
            // A pump, nozzle or customer is told by its station's name.
            const QStringList stationColumns = byTable.value(QStringLiteral("stations"));
            source.stationNameSql = spec.kind != SearchHit::Kind::Station
                    && source.stationSql != u"NULL::text" && stationColumns.contains(u"id")
                    && stationColumns.contains(u"name")
                ? QStringLiteral("(SELECT s.name::text FROM %1 s WHERE s.id = %2)")
                      .arg(SqlIdentifier::qualified(schema, QStringLiteral("stations")),
                           SqlIdentifier::quote(QString::fromLatin1(spec.station)))
                : QStringLiteral("NULL::text");
            plan.sources.append(source);
        }
    }
    return plan;
}

QList<SearchHit> TenantSearch::tenantHits(const Plan &plan, const QString &needle)
{
    QList<SearchHit> hits;
    for (const auto &[schema, name] : plan.tenants) {
        if (schema.toLower().contains(needle) || name.toLower().contains(needle)) {
            SearchHit hit;
            hit.kind = SearchHit::Kind::Tenant;
            hit.schema = schema;
            hit.tenantName = name;
            hit.label = name.isEmpty() ? schema : name;
            hit.detail = schema;
            hits.append(hit);
        }
    }
    return hits;
}

QStringList TenantSearch::chunkQueries(const Plan &plan, int perKind, int chunk)
{
    QStringList queries;
    // Chunks of sources, whole schemas at a time so a schema's rows arrive together.
    for (qsizetype start = 0; start < plan.sources.size();) {
        QStringList branches;
        QSet<QString> schemasInChunk;
        qsizetype end = start;
        while (end < plan.sources.size()
               && (schemasInChunk.size() < chunk
                   || schemasInChunk.contains(plan.sources.at(end).schema))) {
            const Source &source = plan.sources.at(end);
            schemasInChunk.insert(source.schema);
            ++end;
            if (source.searched.isEmpty())
                continue;
            QStringList conditions;
            for (const QString &expression : source.searched)
                conditions.append(QStringLiteral("strpos(lower(%1), q.t) > 0").arg(expression));
            // Names are the catalog's, quoted; the text is the one bound parameter.
            branches.append(QStringLiteral("(SELECT %1, %2, id::text, %3, %4, %5, %6 FROM %7, q "
                                           "WHERE %8 LIMIT %9)")
                                .arg(int(source.kind))
                                .arg(int(&source - plan.sources.constData()))
                                .arg(source.labelSql, source.detailSql, source.stationSql,
                                     source.stationNameSql,
                                     SqlIdentifier::qualified(source.schema, source.table),
                                     conditions.join(QStringLiteral(" OR ")))
                                .arg(perKind));
        }
        start = end;
        if (!branches.isEmpty())
            queries.append(QStringLiteral("WITH q AS (SELECT lower(?::text) AS t) ")
                           + branches.join(QStringLiteral(" UNION ALL ")));
    }
    return queries;
}

void TenantSearch::collect(QSqlQuery &rows, const Plan &plan, int perKind, QHash<int, int> &found,
                           QList<SearchHit> &hits)
{
    while (rows.next()) {
        const auto kind = SearchHit::Kind(rows.value(0).toInt());
        if (found.value(int(kind)) >= perKind)
            continue;
        const Source &source = plan.sources.at(rows.value(1).toInt());
        SearchHit hit;
        hit.kind = kind;
        hit.schema = source.schema;
        hit.tenantName = source.tenantName;
        hit.table = source.table;
        hit.key = rows.value(2).toString();
        hit.label = rows.value(3).toString();
        hit.detail = rows.value(4).toString();
        hit.stationId = rows.value(5).toString();
        hit.stationName = rows.value(6).toString();
        if (kind == SearchHit::Kind::Nozzle)
            hit.label = QCoreApplication::translate("TenantSearch", "Nozzle %1").arg(hit.label);
        hits.append(hit);
        found[int(kind)] += 1;
    }
}

void TenantSearch::sort(QList<SearchHit> &hits)
{
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit &a, const SearchHit &b) {
        if (a.kind != b.kind)
            return a.kind < b.kind;
        if (a.label != b.label)
            return a.label.localeAwareCompare(b.label) < 0;
        return a.schema < b.schema;
    });
}

QList<SearchHit> TenantSearch::search(DbConnection &connection, const Plan &plan,
                                      const QString &text, int perKind, int chunk,
                                      const std::atomic<bool> *cancelled)
{
    const QString needle = text.trimmed().toLower();
    if (needle.isEmpty())
        return {};
    QList<SearchHit> hits = tenantHits(plan, needle);
    QHash<int, int> found; // kind -> hits so far
    for (const QString &sql : chunkQueries(plan, perKind, chunk)) {
        if (cancelled && cancelled->load())
            break;
        QSqlQuery rows = connection.exec(sql, { needle });
        collect(rows, plan, perKind, found, hits);
    }
    sort(hits);
    return hits;
}

TenantSearcher::TenantSearcher(DbConnection &connection, TenantSearch::Plan plan, int perKind,
                               int chunk)
    : m_connection(connection)
    , m_plan(std::move(plan))
    , m_perKind(perKind)
{
    // One plan per chunk, made once: a search as one types only executes them.
    m_connection.exec(QStringLiteral("SET plan_cache_mode = force_generic_plan"));
    for (const QString &sql : TenantSearch::chunkQueries(m_plan, perKind, chunk)) {
        Chunk prepared;
        prepared.sql = sql;
        m_chunks.push_back(std::move(prepared));
    }
}

TenantSearcher::~TenantSearcher() = default;

void TenantSearcher::warmUp(const std::atomic<bool> *cancelled)
{
    search(QStringLiteral("\u0001"), cancelled);
}

QList<SearchHit> TenantSearcher::search(const QString &text, const std::atomic<bool> *cancelled)
{
    const QString needle = text.trimmed().toLower();
    if (needle.isEmpty())
        return {};
    QList<SearchHit> hits = TenantSearch::tenantHits(m_plan, needle);
    QHash<int, int> found;
    for (Chunk &chunk : m_chunks) {
        if (cancelled && cancelled->load())
            break;
        if (!chunk.prepared) {
            chunk.query = QSqlQuery(m_connection.database());
            chunk.query.setForwardOnly(true);
            if (!chunk.query.prepare(chunk.sql))
                throw DbError::fromStatement(chunk.query.lastError(), chunk.sql);
            chunk.prepared = true;
        }
        chunk.query.bindValue(0, needle);
        if (!chunk.query.exec())
            throw DbError::fromStatement(chunk.query.lastError(), chunk.sql);
        TenantSearch::collect(chunk.query, m_plan, m_perKind, found, hits);
        chunk.query.finish();
    }
    TenantSearch::sort(hits);
    return hits;
}

} // namespace fuelsync
