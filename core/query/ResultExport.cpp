#include "ResultExport.h"

#include "ResultText.h"
#include "common/RequestError.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QSaveFile>

namespace fuelsync::ResultExport {

std::optional<Format> formatNamed(const QString &name)
{
    if (name == u"csv")
        return Format::Csv;
    if (name == u"json")
        return Format::Json;
    if (name == u"sql")
        return Format::Sql;
    return std::nullopt;
}

Written write(const QString &path, Format format, const QList<ResultColumn> &columns,
              const PageReader &read, const QString &table, const std::atomic<bool> *cancelled,
              int pageSize)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        throw RequestError(QCoreApplication::translate("ResultExport", "cannot write %1: %2")
                               .arg(path, file.errorString()));
    }
    const QString quotedTable = SqlIdentifier::quote(table);
    Written written;
    if (format == Format::Csv)
        file.write(ResultText::csvHeader(columns));
    else if (format == Format::Json)
        file.write("[");
    for (;;) {
        if (cancelled && cancelled->load()) {
            written.cancelled = true;
            file.cancelWriting();
            return written;
        }
        const QList<ResultRow> rows = read(written.rows, pageSize);
        for (const ResultRow &row : rows) {
            switch (format) {
            case Format::Csv:
                file.write(ResultText::csvLine(row));
                break;
            case Format::Json:
                file.write(written.rows == 0 ? "\n" : ",\n");
                file.write(ResultText::jsonObject(columns, row));
                break;
            case Format::Sql:
                file.write(ResultText::sqlInsert(quotedTable, columns, row).toUtf8() + '\n');
                break;
            }
            ++written.rows;
        }
        if (rows.size() < pageSize)
            break;
    }
    if (format == Format::Json)
        file.write("\n]\n");
    if (!file.commit()) {
        throw RequestError(QCoreApplication::translate("ResultExport", "cannot write %1: %2")
                               .arg(path, file.errorString()));
    }
    return written;
}

} // namespace fuelsync::ResultExport
