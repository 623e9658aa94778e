#include "ResultText.h"

#include "browse/CsvExport.h"
#include "db/SqlIdentifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace fuelsync::ResultText {

TypeClass classOf(quint32 typeOid)
{
    switch (typeOid) {
    case 20: // int8
    case 21: // int2
    case 23: // int4
    case 26: // oid
    case 700: // float4
    case 701: // float8
    case 1700: // numeric
        return TypeClass::Number;
    case 16: // bool
        return TypeClass::Boolean;
    case 114: // json
    case 3802: // jsonb
        return TypeClass::Json;
    default:
        return TypeClass::Text;
    }
}

QByteArray csvHeader(const QList<ResultColumn> &columns)
{
    QByteArray line;
    for (qsizetype c = 0; c < columns.size(); ++c) {
        if (c > 0)
            line += ',';
        line += CsvExport::field(columns.at(c).name, false);
    }
    return line + "\r\n";
}

QByteArray csvLine(const ResultRow &row)
{
    QByteArray line;
    for (qsizetype c = 0; c < row.cells.size(); ++c) {
        if (c > 0)
            line += ',';
        line += CsvExport::field(row.cells.at(c), row.nulls.testBit(c));
    }
    return line + "\r\n";
}

QJsonValue jsonValue(const QString &text, bool isNull, quint32 typeOid)
{
    if (isNull)
        return QJsonValue::Null;
    switch (classOf(typeOid)) {
    case TypeClass::Number: {
        // Exact decimals beyond a double's digits, NaN and Infinity stay text.
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (ok && qIsFinite(value) && text.size() <= 15)
            return value;
        return text;
    }
    case TypeClass::Boolean:
        return text == u"t";
    case TypeClass::Json: {
        const QJsonDocument document =
            QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"));
        if (document.isArray() && document.array().size() == 1)
            return document.array().first();
        return text;
    }
    case TypeClass::Text:
        break;
    }
    return text;
}

QByteArray jsonObject(const QList<ResultColumn> &columns, const ResultRow &row)
{
    QJsonObject object;
    for (qsizetype c = 0; c < columns.size() && c < row.cells.size(); ++c) {
        object.insert(columns.at(c).name,
                      jsonValue(row.cells.at(c), row.nulls.testBit(c), columns.at(c).typeOid));
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString sqlInsert(const QString &quotedTable, const QList<ResultColumn> &columns,
                  const ResultRow &row)
{
    QStringList names;
    QStringList values;
    for (qsizetype c = 0; c < columns.size() && c < row.cells.size(); ++c) {
        names.append(SqlIdentifier::quote(columns.at(c).name));
        if (row.nulls.testBit(c)) {
            values.append(QStringLiteral("NULL"));
            continue;
        }
        const QString &text = row.cells.at(c);
        const TypeClass type = classOf(columns.at(c).typeOid);
        bool plainNumber = false;
        if (type == TypeClass::Number) {
            text.toDouble(&plainNumber);
            plainNumber = plainNumber && !text.contains(u'N') && !text.contains(u'n');
        }
        if (plainNumber)
            values.append(text);
        else if (type == TypeClass::Boolean)
            values.append(text == u"t" ? QStringLiteral("true") : QStringLiteral("false"));
        else
            values.append(u'\'' + QString(text).replace(u'\'', QStringLiteral("''")) + u'\'');
    }
    return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3);")
        .arg(quotedTable, names.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")));
}

QString aligned(const QList<ResultColumn> &columns, const QList<ResultRow> &rows, int width)
{
    const auto shown = [width](QString text) {
        text.replace(u'\n', u' ');
        if (text.size() > width)
            text = text.left(width - 1) + QChar(0x2026);
        return text;
    };
    QList<int> widths;
    for (const ResultColumn &column : columns)
        widths.append(int(shown(column.name).size()));
    for (const ResultRow &row : rows) {
        for (qsizetype c = 0; c < widths.size() && c < row.cells.size(); ++c)
            widths[c] = std::max(widths.at(c), int(shown(row.cells.at(c)).size()));
    }
    QStringList lines;
    QStringList header;
    QStringList rule;
    for (qsizetype c = 0; c < columns.size(); ++c) {
        header.append(shown(columns.at(c).name).leftJustified(widths.at(c)));
        rule.append(QString(widths.at(c), u'-'));
    }
    lines.append(header.join(QStringLiteral(" | ")).trimmed());
    lines.append(rule.join(QStringLiteral("-+-")));
    for (const ResultRow &row : rows) {
        QStringList cells;
        for (qsizetype c = 0; c < columns.size(); ++c) {
            const QString text = row.nulls.testBit(c) ? QString() : shown(row.cells.value(c));
            cells.append(classOf(columns.at(c).typeOid) == TypeClass::Number
                             ? text.rightJustified(widths.at(c))
                             : text.leftJustified(widths.at(c)));
        }
        lines.append(cells.join(QStringLiteral(" | ")).trimmed());
    }
    return lines.join(u'\n');
}

} // namespace fuelsync::ResultText
