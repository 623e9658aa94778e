#pragma once

#include "RowPage.h"
#include "TableDefinition.h"

#include <QHash>
#include <QList>
#include <QString>

namespace fuelsync {

class DbConnection;

// Keys you can read: for each single-column foreign key of a table, a label from the row it
// points at (the station's name, the pump's label, the nozzle's number and fuel, the customer's
// name), read for a whole page of rows in one query, never one per row.
class ForeignKeyLabels
{
public:
    struct Key
    {
        int column = -1; // the key's column in the table
        QString columnName;
        QString parentSchema;
        QString parentTable;
        QString parentColumn;
        QString parentType; // the parent column's type, as format_type() writes it
        QString labelColumn; // the parent's column the label comes from
        QString detailColumn; // a second one for a number ("3" and "petrol"), or empty
        QStringList parentColumns; // the parent's columns, to choose another label from
    };

    // Labels by key column, then by the key's text.
    using Labels = QHash<int, QHash<QString, QString>>;

    // The labelled keys of the table: a parent column chosen as the first of name, label,
    // title, email, number (or a column ending in _number, with fuel_type or type beside it),
    // unless `chosen` names one (by the key's column name). Keys whose parent has none of these
    // or that the session may not read are left out. One catalog query.
    static QList<Key> choose(DbConnection &connection, const TableDefinition &table,
                             const QHash<QString, QString> &chosen = {});

    // The labels of the keys on these rows: one query for all keys. Empty when there are no
    // keys or no values.
    static Labels read(DbConnection &connection, const QList<Key> &keys,
                       const QList<PageRow> &rows);
};

} // namespace fuelsync
