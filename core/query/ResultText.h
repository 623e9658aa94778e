#pragma once

#include "db/StatementResult.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace fuelsync {

// A result's rows written out: CSV (PostgreSQL's NULL rules: NULL is an empty field, an empty
// string is ""), JSON (numbers, booleans and json values as themselves, NULL as null), SQL INSERT
// statements, and the aligned table the command line prints.
namespace ResultText {

enum class TypeClass { Number, Boolean, Json, Text };
TypeClass classOf(quint32 typeOid);

QByteArray csvHeader(const QList<ResultColumn> &columns);
QByteArray csvLine(const ResultRow &row);

QJsonValue jsonValue(const QString &text, bool isNull, quint32 typeOid);
// One row as a JSON object, by column name, in one line.
QByteArray jsonObject(const QList<ResultColumn> &columns, const ResultRow &row);

// "INSERT INTO <table> (a, b) VALUES (1, 'x');" with each value a literal of its type's text
// (numbers and booleans bare, the rest quoted with '' doubled); `table` is quoted by the caller.
QString sqlInsert(const QString &quotedTable, const QList<ResultColumn> &columns,
                  const ResultRow &row);

// The rows as an aligned table with a header and a rule, as psql prints them; NULL is empty,
// cells are cut at `width` characters, lines are separated by "\n".
QString aligned(const QList<ResultColumn> &columns, const QList<ResultRow> &rows, int width = 60);

} // namespace ResultText
} // namespace fuelsync
