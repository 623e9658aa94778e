#include "SchemaFilterProxy.h"

#include "SchemaBrowser.h"

namespace fuelsync {

void SchemaFilterProxy::setNeedle(const QString &text)
{
    const QString needle = text.trimmed();
    if (needle == m_needle)
        return;
    m_needle = needle;
    invalidateFilter();
}

bool SchemaFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_needle.isEmpty() || sourceParent.isValid())
        return true;
    const QModelIndex name = sourceModel()->index(sourceRow, SchemaBrowser::NameColumn);
    const QModelIndex schema = sourceModel()->index(sourceRow, SchemaBrowser::SchemaColumn);
    return name.data().toString().contains(m_needle, Qt::CaseInsensitive)
        || schema.data().toString().contains(m_needle, Qt::CaseInsensitive);
}

} // namespace fuelsync
