#include "RowGridDelegate.h"

#include "RowGridModel.h"

namespace fuelsync {

RowGridDelegate::RowGridDelegate(RowGridModel *model, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_model(model)
{ }

void RowGridDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    m_model->ensureLoaded(index.row()); // nothing when the row is loaded
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace fuelsync
