#pragma once

#include <QHash>
#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <atomic>
#include <vector>

namespace fuelsync {

class DbConnection;

// What a person can find by typing a few letters: tenants by name or schema, and inside every
// tenant stations (name, city), pumps (label, serial), nozzles (number, fuel), credit customers
// (name, phone, vehicle where the schema has one) and users (name, email).
struct SearchHit
{
    enum class Kind { Tenant, Station, Pump, Nozzle, Customer, User };
    Kind kind = Kind::Tenant;
    QString schema; // the tenant's schema
    QString tenantName;
    QString table; // the row's table in the schema; empty for a tenant
    QString key; // the row's id as text; empty for a tenant
    QString stationId; // the station the row belongs to (a station's own id), when it has one
    QString stationName; // for a pump, nozzle or customer: its station's name
    QString label; // "Andheri East Fuel Station 1"
    QString detail; // "Mumbai"

    static QString kindName(Kind kind); // "Stations", for a group's heading
};

// Searches every tenant at once: the catalog is read once (plan()) for which tenant schemas have
// which of the searched tables and columns the session may read; each search is then one query
// per chunk of schemas (a UNION ALL of small scans, the text bound once as a parameter and
// matched case-insensitively anywhere in the value: no pattern characters to escape).
class TenantSearch
{
public:
    struct Source
    {
        SearchHit::Kind kind;
        QString schema;
        QString tenantName;
        QString table;
        QStringList searched; // SQL over the table's columns (quoted) the text is looked for in
        QString labelSql; // SQL over the table's columns (quoted), giving the label
        QString detailSql; // and the detail
        QString stationSql; // and the station's id, or NULL
        QString stationNameSql; // and the station's name, or NULL
    };

    struct Plan
    {
        QList<Source> sources; // grouped by schema
        QList<std::pair<QString, QString>> tenants; // schema, name
        int schemas = 0;
    };

    static Plan plan(DbConnection &connection);

    // At most `perKind` hits of each kind, tenants first, then by kind, label and schema.
    // `cancelled` is polled between chunks; the running query is cancelled through the session
    // by whoever set it.
    static QList<SearchHit> search(DbConnection &connection, const Plan &plan, const QString &text,
                                   int perKind = 50, int chunk = 250,
                                   const std::atomic<bool> *cancelled = nullptr);

private:
    friend class TenantSearcher;
    static QList<SearchHit> tenantHits(const Plan &plan, const QString &needle);
    // One query per chunk of schemas, the lower-cased text its one parameter.
    static QStringList chunkQueries(const Plan &plan, int perKind, int chunk);
    static void collect(QSqlQuery &rows, const Plan &plan, int perKind, QHash<int, int> &found,
                        QList<SearchHit> &hits);
    static void sort(QList<SearchHit> &hits);
};

// The same search kept on one session, for a box that searches as one types: each chunk's query
// is prepared once and planned once (a generic plan: planning a thousand tenants' scans costs
// several times what running them does), so a search only executes them. Lives on the thread of
// its session, which it sets to use generic plans.
class TenantSearcher
{
public:
    TenantSearcher(DbConnection &connection, TenantSearch::Plan plan, int perKind = 20,
                   int chunk = 250);
    ~TenantSearcher();
    TenantSearcher(const TenantSearcher &) = delete;
    TenantSearcher &operator=(const TenantSearcher &) = delete;

    // Prepares and plans every chunk (a search that finds nothing), so the first search a
    // person types costs what later ones do.
    void warmUp(const std::atomic<bool> *cancelled = nullptr);
    QList<SearchHit> search(const QString &text, const std::atomic<bool> *cancelled = nullptr);
    const TenantSearch::Plan &plan() const { return m_plan; }

private:
    DbConnection &m_connection;
    TenantSearch::Plan m_plan;
    int m_perKind;
    struct Chunk
    {
        QString sql;
        QSqlQuery query;
        bool prepared = false;
    };
    std::vector<Chunk> m_chunks;
};

} // namespace fuelsync
