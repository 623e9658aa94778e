#pragma once

#include "db/StatementResult.h"

#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace fuelsync {

// Writes a result's rows to a file: CSV (RFC 4180, PostgreSQL's NULL rules), JSON (an array of
// objects) or SQL (one INSERT per row). The rows are read a page at a time from `read` (a
// cursor's pages, or rows in memory), so any size of result fits; the file appears only when
// every row is written (a failure or a cancel leaves whatever was at the path untouched).
namespace ResultExport {

enum class Format { Csv, Json, Sql };
std::optional<Format> formatNamed(const QString &name); // "csv", "json", "sql"

using PageReader = std::function<QList<ResultRow>(qint64 first, int count)>;

struct Written
{
    qint64 rows = 0;
    bool cancelled = false;
};

// `table` names the table of the INSERT statements (quoted here). Throws RequestError when the
// file cannot be written; what `read` throws goes through.
Written write(const QString &path, Format format, const QList<ResultColumn> &columns,
              const PageReader &read, const QString &table = QStringLiteral("query_result"),
              const std::atomic<bool> *cancelled = nullptr, int pageSize = 5'000);

} // namespace ResultExport
} // namespace fuelsync
