#pragma once

#include "KeysetPager.h"
#include "common/JobControl.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

namespace fuelsync {

class DbConnection;

// Writes the rows of a table, in a browse order and under its filters, to a CSV file (RFC 4180:
// comma separated, CRLF line ends, a header row of column names, UTF-8). A NULL is an empty field
// and an empty string is "", so the two stay apart. The rows are read a page at a time in one
// REPEATABLE READ READ ONLY transaction, so the file is one consistent snapshot whatever runs
// meanwhile, and memory stays bounded whatever the size of the table.
//
// The file appears only when every row is written: a failure or a cancel leaves whatever was at
// the path before untouched.
class CsvExport
{
    Q_DECLARE_TR_FUNCTIONS(CsvExport)

public:
    struct Result
    {
        qint64 rows = 0;
        bool cancelled = false;
    };

    // Progress: the rows written so far, after each page. Cancelling it stops the running read
    // on the server and leaves the file as it was (Result::cancelled). Throws DbError when the
    // server fails, RequestError when the file cannot be written.
    static Result write(DbConnection &connection, const TableDefinition &table,
                        const BrowseOrder &order, const QString &path, JobControl &control,
                        int pageSize = 5'000);

    // One field as CSV writes it.
    static QByteArray field(const QString &text, bool isNull);
};

} // namespace fuelsync
