#include "RowFilter.h"

#include <QCoreApplication>

namespace fuelsync {

QString RowFilter::describe() const
{
    const QString quoted = u'\'' + value + u'\'';
    switch (op) {
    case Op::Equals:
        return QStringLiteral("%1 = %2").arg(column, quoted);
    case Op::NotEquals:
        return QStringLiteral("%1 ≠ %2").arg(column, quoted);
    case Op::Contains:
        return QCoreApplication::translate("RowFilter", "%1 contains %2").arg(column, quoted);
    case Op::StartsWith:
        return QCoreApplication::translate("RowFilter", "%1 starts with %2").arg(column, quoted);
    case Op::Less:
        return QStringLiteral("%1 < %2").arg(column, quoted);
    case Op::LessOrEqual:
        return QStringLiteral("%1 ≤ %2").arg(column, quoted);
    case Op::Greater:
        return QStringLiteral("%1 > %2").arg(column, quoted);
    case Op::GreaterOrEqual:
        return QStringLiteral("%1 ≥ %2").arg(column, quoted);
    case Op::IsNull:
        return QCoreApplication::translate("RowFilter", "%1 is empty (NULL)").arg(column);
    case Op::IsNotNull:
        return QCoreApplication::translate("RowFilter", "%1 is not NULL").arg(column);
    case Op::HasNoParent:
        return QCoreApplication::translate("RowFilter", "(%1) refers to no row of %2.%3 (%4)")
            .arg((QStringList { column } + otherKeyColumns).join(QStringLiteral(", ")),
                 parentSchema, parentTable, parentColumns.join(QStringLiteral(", ")));
    }
    return column;
}

} // namespace fuelsync
