#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

// One schema's tables and the foreign keys between them, as the catalog says: what the
// relationship diagram draws.
struct SchemaGraph
{
    struct Column
    {
        QString name;
        QString type; // format_type(): "numeric(12,2)"
        bool notNull = false;
        bool primaryKey = false;
        bool foreignKey = false; // part of a foreign key of this table
    };

    struct Table
    {
        QString schema;
        QString name;
        QString comment;
        bool external = false; // in another schema, drawn because a key points there
        QList<Column> columns;
    };

    // How many rows one end of a relationship can have for one row of the other.
    enum class End { One, ZeroOrOne, Many };

    struct Relationship
    {
        QString name; // the constraint
        int child = -1; // index into tables: the referencing table
        int parent = -1; // the referenced table
        QStringList childColumns;
        QStringList parentColumns;
        End parentEnd = End::One; // ZeroOrOne when a key column may be NULL
        End childEnd = End::Many; // ZeroOrOne when the key columns are unique in the child
        bool deferrable = false;
    };

    QString schema;
    QList<Table> tables; // the schema's own first, by name; then external ones
    QList<Relationship> relationships;

    int indexOf(const QString &schema, const QString &table) const;
    static QString endLabel(End end); // "1", "0..1", "*"
};

} // namespace fuelsync
