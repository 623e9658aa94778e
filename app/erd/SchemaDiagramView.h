#pragma once

#include <QGraphicsView>

namespace fuelsync {

class SchemaDiagramScene;

// The diagram's view: drag to pan, Ctrl+wheel (or the buttons) to zoom, a click on a table
// asks to open it.
class SchemaDiagramView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit SchemaDiagramView(SchemaDiagramScene *scene, QWidget *parent = nullptr);

    void zoomBy(double factor);
    void fit();
    // Fit, or for a schema too large to read that way, a readable zoom from the top.
    void showReadable();
    double zoom() const { return transform().m11(); }

signals:
    void tableClicked(int index);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    SchemaDiagramScene *m_scene;
    QPoint m_pressedAt;
};

} // namespace fuelsync
