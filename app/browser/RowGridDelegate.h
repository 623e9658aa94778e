#pragma once

#include <QStyledItemDelegate>

namespace fuelsync {

class RowGridModel;

// The data grid's cells as they are drawn. A cell whose row the model does not hold asks the
// model for it as it is drawn (the first one drawn wins while a page is on its way), so the pages
// read are the ones on screen. Reading the model's data fetches nothing: a size hint over rows
// off screen, accessibility or QAbstractItemModelTester reading row 0 never moves the model's
// window away from what the view shows.
class RowGridDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    // The model must outlive the delegate's painting (both belong to the table page).
    explicit RowGridDelegate(RowGridModel *model, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    RowGridModel *m_model;
};

} // namespace fuelsync
