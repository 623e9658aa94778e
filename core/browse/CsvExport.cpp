#include "CsvExport.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ReadSnapshot.h"

#include <QDir>
#include <QSaveFile>

namespace fuelsync {

QByteArray CsvExport::field(const QString &text, bool isNull)
{
    if (isNull)
        return {};
    QByteArray utf8 = text.toUtf8();
    const bool quote = utf8.isEmpty() || utf8.contains(',') || utf8.contains('"')
        || utf8.contains('\n') || utf8.contains('\r');
    if (!quote)
        return utf8;
    QByteArray quoted = utf8;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

CsvExport::Result CsvExport::write(DbConnection &connection, const TableDefinition &table,
                                   const BrowseOrder &order, const QString &path,
                                   JobControl &control, int pageSize)
{
    // Whole values: no cell limit worth the name.
    const KeysetPager pager(table, order, pageSize, 1'000'000'000);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        throw RequestError(
            tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    auto put = [&file, &path](const QByteArray &bytes) {
        if (file.write(bytes) != bytes.size()) {
            throw RequestError(
                tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        }
    };

    QByteArray header;
    for (qsizetype c = 0; c < table.columns.size(); ++c) {
        if (c > 0)
            header += ',';
        header += field(table.columns.at(c).name, false);
    }
    put(header + "\r\n");

    Result result;
    const ReadSnapshot snapshot(connection); // every page of one snapshot
    control.setStep(tr("Exporting %1.%2").arg(table.schema, table.table));
    RowPage page;
    try {
        const auto cancels = connection.cancelWith(control);
        page = pager.first(connection);
    } catch (const DbError &) {
        if (!control.isCancelled())
            throw;
        result.cancelled = true;
        file.cancelWriting();
        return result;
    }
    while (true) {
        QByteArray chunk;
        for (const PageRow &row : std::as_const(page.rows)) {
            for (qsizetype c = 0; c < row.cells.size(); ++c) {
                if (c > 0)
                    chunk += ',';
                chunk += field(row.cells.at(c), row.isNull(int(c)));
            }
            chunk += "\r\n";
        }
        put(chunk);
        result.rows += page.rows.size();
        control.setProgress(result.rows, 0);
        if (control.isCancelled()) {
            result.cancelled = true;
            file.cancelWriting();
            return result;
        }
        if (!page.hasAfter || page.isEmpty())
            break;
        try {
            const auto cancels = connection.cancelWith(control);
            page = pager.after(connection, page.lastCursor());
        } catch (const DbError &) {
            if (!control.isCancelled())
                throw;
            result.cancelled = true;
            file.cancelWriting();
            return result;
        }
    }
    if (!file.commit()) {
        throw RequestError(
            tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    return result;
}

} // namespace fuelsync
