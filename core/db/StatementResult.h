#pragma once

#include <QBitArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

// A column of a statement's result: its name and its type's oid (pg_type), as the server
// described them.
struct ResultColumn
{
    QString name;
    quint32 typeOid = 0;
};

// One row of a statement's result as text, the way PostgreSQL writes each value.
struct ResultRow
{
    QStringList cells;
    QBitArray nulls; // bit i: cell i is NULL
    QBitArray truncated; // bit i: cell i was cut at the cell limit
};

// What one statement sent alone (DbConnection::runAlone) gave back: rows with their columns,
// or a command's tag ("UPDATE 3", "SET"), or nothing at all (an empty statement).
struct StatementResult
{
    enum class Kind { Rows, Command, Empty, CopyOut };
    Kind kind = Kind::Empty;
    QList<ResultColumn> columns;
    QList<ResultRow> rows;
    qint64 rowsLeftOut = 0; // rows past the row limit, read and dropped
    QString commandTag; // "SELECT 20", "UPDATE 3", "FETCH 500"

    // The number in the command tag ("UPDATE 3": 3), or -1 when the tag has none.
    qint64 taggedCount() const;
    // The tag's first word ("UPDATE", "CREATE TABLE" gives "CREATE").
    QString tagVerb() const;
};

} // namespace fuelsync
