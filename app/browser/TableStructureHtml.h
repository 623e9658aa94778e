#pragma once

#include "browse/TableDefinition.h"

#include <QCoreApplication>
#include <QString>
#include <QUrl>

namespace fuelsync {

// The "Structure" page of a table as HTML for a QTextBrowser: columns (type, null, default,
// comment), primary key, indexes, foreign keys both ways (links that open the other table), the
// business rules its CHECK constraints and comments state, and the planner's size figures.
class TableStructureHtml
{
    Q_DECLARE_TR_FUNCTIONS(TableStructureHtml)

public:
    static QString render(const TableDefinition &table);

    // Links to other tables: fuelsync-table:?schema=...&table=...
    static QUrl linkTo(const QString &schema, const QString &table);
    static bool parseLink(const QUrl &url, QString *schema, QString *table);

    static QString formatBytes(qint64 bytes);
    static QString formatEstimate(double rows); // "≈ 1.2 million", "never analyzed"
};

} // namespace fuelsync
