#include "TableStructureHtml.h"

#include <QLocale>
#include <QUrlQuery>

namespace fuelsync {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString section(const QString &title)
{
    return QStringLiteral("<h3>%1</h3>").arg(esc(title));
}

} // namespace

QUrl TableStructureHtml::linkTo(const QString &schema, const QString &table)
{
    QUrl url;
    url.setScheme(QStringLiteral("fuelsync-table"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("schema"), schema);
    query.addQueryItem(QStringLiteral("table"), table);
    url.setQuery(query);
    return url;
}

bool TableStructureHtml::parseLink(const QUrl &url, QString *schema, QString *table)
{
    if (url.scheme() != QLatin1StringView("fuelsync-table"))
        return false;
    const QUrlQuery query(url);
    *schema = query.queryItemValue(QStringLiteral("schema"), QUrl::FullyDecoded);
    *table = query.queryItemValue(QStringLiteral("table"), QUrl::FullyDecoded);
    return !schema->isEmpty() && !table->isEmpty();
}

QString TableStructureHtml::formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return tr("—");
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString TableStructureHtml::formatEstimate(double rows)
{
    if (rows < 0)
        return tr("unknown (never analyzed)");
    const QLocale locale;
    if (rows < 10'000)
        return tr("≈ %1").arg(locale.toString(qint64(rows)));
    if (rows < 1e6)
        return tr("≈ %1 thousand").arg(locale.toString(rows / 1e3, 'f', 0));
    if (rows < 1e9)
        return tr("≈ %1 million").arg(locale.toString(rows / 1e6, 'f', 1));
    return tr("≈ %1 billion").arg(locale.toString(rows / 1e9, 'f', 1));
}

QString TableStructureHtml::render(const TableDefinition &t)
{
    QString html;
    html += QStringLiteral("<style>"
                           "table.grid { border-collapse: collapse; margin-bottom: 6px; }"
                           "table.grid th { text-align: left; background: #e8eaed;"
                           "  padding: 3px 8px; }"
                           "table.grid td { padding: 3px 8px; vertical-align: top;"
                           "  border-bottom: 1px solid #d0d3d8; }"
                           "code { font-family: monospace; }"
                           ".muted { color: #6b7078; }"
                           "h2 { margin-bottom: 2px; } h3 { margin-top: 14px; margin-bottom: 4px; }"
                           "</style>");
    html += QStringLiteral("<h2>%1.<b>%2</b></h2>").arg(esc(t.schema), esc(t.table));
    if (!t.comment.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(esc(t.comment));
    html +=
        QStringLiteral("<p>%1</p>")
            .arg(tr("Estimated rows: <b>%1</b> &nbsp;·&nbsp; Size on disk (with indexes): "
                    "<b>%2</b>")
                     .arg(esc(formatEstimate(t.estimatedRows)), esc(formatBytes(t.totalBytes))));

    // Columns
    html += section(tr("Columns"));
    html += QStringLiteral("<table class='grid'><tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th>"
                           "<th>%5</th></tr>")
                .arg(tr("Name"), tr("Type"), tr("Null"), tr("Default"), tr("Comment"));
    for (const TableColumn &c : t.columns) {
        const bool key = t.primaryKey.contains(c.name);
        html += QStringLiteral("<tr><td>%1%2</td><td><code>%3</code></td><td>%4</td>"
                               "<td><code>%5</code></td><td>%6</td></tr>")
                    .arg(key ? QStringLiteral("<b>PK</b> ") : QString(), esc(c.name), esc(c.type),
                         c.notNull ? tr("not null") : tr("nullable"), esc(c.defaultExpression),
                         esc(c.comment));
    }
    html += QStringLiteral("</table>");

    // Keys and indexes
    html += section(tr("Primary key"));
    if (t.primaryKey.isEmpty())
        html += QStringLiteral("<p>%1</p>")
                    .arg(tr("None: the grid pages through this table by physical row address "
                            "(ctid)."));
    else
        html += QStringLiteral("<p><code>(%1)</code></p>")
                    .arg(esc(t.primaryKey.join(QStringLiteral(", "))));

    html += section(tr("Indexes"));
    if (t.indexes.isEmpty()) {
        html += QStringLiteral("<p>%1</p>").arg(tr("None."));
    } else {
        html += QStringLiteral("<table class='grid'><tr><th>%1</th><th>%2</th></tr>")
                    .arg(tr("Name"), tr("Definition"));
        for (const TableIndex &i : t.indexes) {
            html += QStringLiteral("<tr><td>%1</td><td><code>%2</code></td></tr>")
                        .arg(esc(i.name), esc(i.definition));
        }
        html += QStringLiteral("</table>");
    }

    auto foreignKeys = [&html](const QList<TableForeignKey> &keys, bool outgoing) {
        if (keys.isEmpty()) {
            html += QStringLiteral("<p>%1</p>").arg(tr("None."));
            return;
        }
        html += QStringLiteral("<table class='grid'><tr><th>%1</th><th>%2</th><th>%3</th></tr>")
                    .arg(outgoing ? tr("Columns → table") : tr("Table (columns) →"),
                         tr("Constraint"), tr("Why"));
        for (const TableForeignKey &k : keys) {
            const QString schema = outgoing ? k.referencedSchema : k.schema;
            const QString table = outgoing ? k.referencedTable : k.table;
            const QString link = QStringLiteral("<a href='%1'>%2.%3</a>")
                                     .arg(esc(linkTo(schema, table).toString(QUrl::FullyEncoded)),
                                          esc(schema), esc(table));
            const QString what = outgoing
                ? QStringLiteral("(%1) → %2 (%3)")
                      .arg(esc(k.columns.join(QStringLiteral(", "))), link,
                           esc(k.referencedColumns.join(QStringLiteral(", "))))
                : QStringLiteral("%1 (%2) → (%3)")
                      .arg(link, esc(k.columns.join(QStringLiteral(", "))),
                           esc(k.referencedColumns.join(QStringLiteral(", "))));
            html += QStringLiteral("<tr><td>%1</td><td><code>%2</code><br/><span "
                                   "class='muted'>%3</span></td><td>%4</td></tr>")
                        .arg(what, esc(k.name), esc(k.definition), esc(k.comment));
        }
        html += QStringLiteral("</table>");
    };
    html += section(tr("References (foreign keys of this table)"));
    foreignKeys(t.references, true);
    html += section(tr("Referenced by"));
    foreignKeys(t.referencedBy, false);

    html += section(tr("Business rules"));
    if (t.rules.isEmpty()) {
        html += QStringLiteral("<p>%1</p>").arg(tr("No CHECK constraints."));
    } else {
        html += QStringLiteral("<table class='grid'><tr><th>%1</th><th>%2</th><th>%3</th></tr>")
                    .arg(tr("Rule"), tr("Check"), tr("Why (COMMENT ON CONSTRAINT)"));
        for (const TableRule &r : t.rules) {
            html += QStringLiteral("<tr><td>%1</td><td><code>%2</code></td><td>%3</td></tr>")
                        .arg(esc(r.name), esc(r.definition), esc(r.comment));
        }
        html += QStringLiteral("</table>");
    }
    return html;
}

} // namespace fuelsync
