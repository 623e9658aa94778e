#include "SchemaGraph.h"

namespace fuelsync {

int SchemaGraph::indexOf(const QString &schemaName, const QString &table) const
{
    for (int i = 0; i < tables.size(); ++i) {
        if (tables.at(i).schema == schemaName && tables.at(i).name == table)
            return i;
    }
    return -1;
}

QString SchemaGraph::endLabel(End end)
{
    switch (end) {
    case End::One:
        return QStringLiteral("1");
    case End::ZeroOrOne:
        return QStringLiteral("0..1");
    case End::Many:
        return QStringLiteral("*");
    }
    return {};
}

} // namespace fuelsync
