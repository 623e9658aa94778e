#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

struct TableColumn
{
    QString name;
    QString type; // as format_type() writes it: "numeric(12,2)", "timestamp with time zone"
    bool notNull = false;
    QString defaultExpression; // empty when none
    QString comment;
};

struct TableIndex
{
    QString name;
    QString definition; // pg_get_indexdef
    bool primary = false;
    bool unique = false;
    // Key columns in index order; empty for partial and expression indexes.
    QStringList columns;
};

// A foreign key, seen from either end.
struct TableForeignKey
{
    QString name;
    QString schema; // the referencing table's
    QString table;
    QStringList columns;
    QString referencedSchema;
    QString referencedTable;
    QStringList referencedColumns;
    QString definition; // pg_get_constraintdef: "FOREIGN KEY (...) REFERENCES ... DEFERRABLE"
    QString comment;
};

// A CHECK constraint: a business rule, with the reason its comment gives.
struct TableRule
{
    QString name;
    QString definition;
    QString comment;
};

// What the catalog says about one table: enough to show its page, and to read its rows a page
// at a time (primaryKey, or the physical row address when it has none).
struct TableDefinition
{
    QString schema;
    QString table;
    char kind = 'r'; // pg_class.relkind: r table, p partitioned table, v view, m materialized view
    QString comment;
    QList<TableColumn> columns;
    QStringList primaryKey; // column names in key order; empty when there is none
    QList<TableIndex> indexes;
    QList<TableForeignKey> references; // foreign keys of this table
    QList<TableForeignKey> referencedBy; // foreign keys of other tables pointing here
    QList<TableRule> rules;
    double estimatedRows = -1; // planner's estimate; -1 when the table was never analyzed
    qint64 totalBytes = 0; // table, indexes and TOAST

    int columnIndex(const QString &name) const;
    const TableColumn *column(const QString &name) const;
    QString qualifiedName() const; // "schema.table", for display
};

} // namespace fuelsync
