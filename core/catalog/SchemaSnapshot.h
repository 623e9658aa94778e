#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace fuelsync {

class DbConnection;

// The definition of everything in one or more schemas (tables, views, sequences, columns,
// constraints, indexes, functions, triggers, types, comments), read from the catalog. Two
// snapshots compare to a readable list of changes; the dry run uses it to say what a migration
// would change, and tests use it to show that a refused or failed run changed nothing.
class SchemaSnapshot
{
public:
    static SchemaSnapshot capture(DbConnection &connection, const QStringList &schemas);
    // One snapshot per schema, read in one round trip, with names and definitions that do not
    // say which schema they are in ("index stations.stations_pkey", "REFERENCES stations(id)"),
    // so that a tenant compares with a reference built under another schema's name. Schemas
    // that do not exist are left out.
    static QHash<QString, SchemaSnapshot> captureEach(DbConnection &connection,
                                                      const QStringList &schemas);

    // A digest of each schema's objects, computed on the server (one short row a schema instead
    // of every object), from the raw catalog where that says the same as the deparsed text (see
    // objectsSql in the .cpp): schemas with equal digests have no difference, so a schema whose
    // digest is its reference's, computed the same way, need not be read object by object. Equal
    // schemas may have unequal digests (a constraint added again by hand): those are read in
    // full, which finds what differs or that nothing does. Every object counts (a caller that
    // ignores some reads a schema in full when they differ).
    static QHash<QString, QString> fingerprintEach(DbConnection &connection,
                                                   const QStringList &schemas);
    // Whether `name` (an object's name within its schema) belongs to one of `tables`.
    static bool belongsTo(const QString &name, const QStringList &tables);

    // One object that differs from what a reference has.
    struct Difference
    {
        enum class Change { Missing, Extra, Different };
        Change change = Change::Missing;
        QString kind; // table, column, constraint, index, function, trigger, type, comment, ...
        QString name; // within its schema: "stations", "sales.amount", "pumps.pumps_station_fk"
        QString expected; // the reference's definition (empty when extra)
        QString actual; // this snapshot's definition (empty when missing)
    };
    // What this snapshot has that `reference` does not, lacks, or defines otherwise, in the
    // order of the reference's keys, then the extra ones.
    QList<Difference> differencesFrom(const SchemaSnapshot &reference) const;

    // For a cache on disk: the objects as "kind name" -> definition.
    QJsonObject toJson() const;
    static SchemaSnapshot fromJson(const QJsonObject &json);

    // "+ table stations", "- column sales.profit", "~ column sales.amount: numeric(12,2) →
    // numeric(14,2)". Objects whose name contains one of `ignore` are left out.
    QStringList changesTo(const SchemaSnapshot &after, const QStringList &ignore = {}) const;

    bool operator==(const SchemaSnapshot &other) const { return m_objects == other.m_objects; }
    bool isEmpty() const { return m_objects.isEmpty(); }
    // Its objects of one kind, name -> definition ("constraint": "sales.sales_volume_check" ->
    // "CHECK ((volume > 0))").
    QMap<QString, QString> objectsOf(const QString &kind) const;
    // Whether it holds an object of `kind` named `name` ("column", "sales.amount").
    bool contains(const QString &kind, const QString &name) const
    {
        return m_objects.contains(kind + u' ' + name);
    }

private:
    QMap<QString, QString> m_objects; // "kind name" -> definition
};

} // namespace fuelsync
