#include "SchemaDiagramView.h"

#include "SchemaDiagramScene.h"

#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>

namespace fuelsync {

SchemaDiagramView::SchemaDiagramView(SchemaDiagramScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
}

void SchemaDiagramView::zoomBy(double factor)
{
    const double next = std::clamp(zoom() * factor, 0.1, 4.0);
    scale(next / zoom(), next / zoom());
}

void SchemaDiagramView::fit()
{
    if (!scene() || scene()->sceneRect().isEmpty())
        return;
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    // Small schemas are not blown up past their natural size.
    if (zoom() > 1.0)
        setTransform(QTransform());
}

void SchemaDiagramView::showReadable()
{
    fit();
    // A large schema is shown at a size its text can be read at, from its top-left corner (the
    // top holds the tables everything else refers to): nothing is cut off at the left, and the
    // scroll bars say there is more to the right and below; Fit shows all of it.
    constexpr double readable = 0.8;
    if (zoom() < readable) {
        setTransform(QTransform::fromScale(readable, readable));
        horizontalScrollBar()->setValue(horizontalScrollBar()->minimum());
        verticalScrollBar()->setValue(verticalScrollBar()->minimum());
    }
}

void SchemaDiagramView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void SchemaDiagramView::mousePressEvent(QMouseEvent *event)
{
    m_pressedAt = event->position().toPoint();
    QGraphicsView::mousePressEvent(event);
}

void SchemaDiagramView::mouseReleaseEvent(QMouseEvent *event)
{
    QGraphicsView::mouseReleaseEvent(event);
    // A click, not the end of a drag.
    if (event->button() == Qt::LeftButton
        && (event->position().toPoint() - m_pressedAt).manhattanLength() < 4) {
        const int table = m_scene->tableAt(mapToScene(event->position().toPoint()));
        if (table >= 0)
            emit tableClicked(table);
    }
}

} // namespace fuelsync
