#pragma once

#include <QStringList>

namespace fuelsync::SqlArray {

// A PostgreSQL array literal ({"a","b"}) for binding a list as one text[] parameter
// (`= ANY(?::text[])`), every element quoted and escaped.
QString textLiteral(const QStringList &values);
QString intLiteral(const QList<int> &values);

} // namespace fuelsync::SqlArray
