#pragma once

#include <QGraphicsItem>

#include <functional>

namespace fuelsync {

class StationGraphScene;

// One card of the station graph: a stripe in the node's colour, its title and lines, a red
// outline and count when something does not add up, an arrow when it has children. A click on
// the arrow expands or collapses it, elsewhere selects it.
class StationNodeItem : public QGraphicsItem
{
public:
    StationNodeItem(StationGraphScene *scene, int index);

    int index() const { return m_index; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    // Where the expand arrow is, in scene coordinates (empty without children).
    QRectF toggleRect() const;

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;

private:
    // Runs the action on the scene once this event is over, with the node's index then.
    void later(const std::function<void(StationGraphScene *, int)> &action) const;

    StationGraphScene *m_scene;
    int m_index;
};

} // namespace fuelsync
