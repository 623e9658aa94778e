#include "TableDefinition.h"

namespace fuelsync {

int TableDefinition::columnIndex(const QString &name) const
{
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == name)
            return int(i);
    }
    return -1;
}

const TableColumn *TableDefinition::column(const QString &name) const
{
    const int index = columnIndex(name);
    return index < 0 ? nullptr : &columns.at(index);
}

QString TableDefinition::qualifiedName() const
{
    return schema + u'.' + table;
}

} // namespace fuelsync
