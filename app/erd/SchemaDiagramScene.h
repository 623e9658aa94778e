#pragma once

#include "diagram/SchemaDiagramLayout.h"
#include "diagram/SchemaGraph.h"

#include <QGraphicsScene>

namespace fuelsync {

// A schema's tables as boxes (name, then each column with its type; PK and FK marked) and its
// foreign keys as lines with the cardinality at each end, placed by SchemaDiagramLayout.
class SchemaDiagramScene : public QGraphicsScene
{
    Q_OBJECT

public:
    explicit SchemaDiagramScene(QObject *parent = nullptr);

    void setGraph(const SchemaGraph &graph);
    const SchemaGraph &graph() const { return m_graph; }
    const DiagramLayout &layout() const { return m_layout; }
    // The box of a table, in scene coordinates (empty when there is no such table).
    QRectF tableRect(const QString &table) const;
    // The table under a scene point, as its index in graph().tables, or -1.
    int tableAt(const QPointF &point) const;

private:
    QSizeF boxSize(const SchemaGraph::Table &table) const;
    void addTable(int index, const QRectF &box);
    void addRelationship(int index, const QList<QPointF> &path);

    SchemaGraph m_graph;
    DiagramLayout m_layout;
    QFont m_font;
    QFont m_bold;
};

} // namespace fuelsync
