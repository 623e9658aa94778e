#pragma once

#include <QSortFilterProxyModel>

namespace fuelsync {

// Keeps the schemas whose name or display name contains the filter text (any case), and all the
// tables of a schema it keeps. Matching is a plain substring test on two strings a row, so
// thousands of tenants filter as fast as one types.
class SchemaFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setNeedle(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_needle;
};

} // namespace fuelsync
