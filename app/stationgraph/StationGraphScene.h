#pragma once

#include "station/StationGraph.h"

#include <QFont>
#include <QGraphicsScene>
#include <QList>
#include <QStringList>

namespace fuelsync {

// A station's live graph drawn left to right: the station, its pumps, their nozzles; its credit
// customers, its stock per fuel and its alerts. A node with children expands and collapses (its
// arrow, or a double-click); a click selects it. What does not add up is outlined in red, and a
// collapsed node counts the problems it hides.
class StationGraphScene : public QGraphicsScene
{
    Q_OBJECT

public:
    struct Node
    {
        enum class Kind { Station, Pump, Nozzle, Credit, Creditor, Stock, Fuel, Alerts, Alert };
        Kind kind = Kind::Station;
        QString id; // the row's id; a fuel's type for Fuel
        QString title;
        QStringList lines;
        QString toolTip;
        QColor accent; // the card's stripe
        bool muted = false; // inactive, resolved
        QStringList problems; // its own, for a person
        int parent = -1;
        QList<int> children;
        bool expanded = false;
        QRectF rect; // laid out; empty when hidden
    };

    explicit StationGraphScene(QObject *parent = nullptr);

    void setGraph(const StationGraph &graph);
    const StationGraph &graph() const { return m_graph; }
    const QList<Node> &nodes() const { return m_nodes; }
    int find(Node::Kind kind, const QString &id) const; // -1 when there is none
    bool isShown(int index) const; // every ancestor expanded
    int shownCount() const;
    int edgeCount() const { return m_edges; } // lines drawn, one per shown node but the root
    // Problems of the node and, when it is collapsed, of what it hides.
    int problemCount(int index) const;

    void setExpanded(int index, bool expanded);
    void toggle(int index);
    void expandAll();
    void collapseAll();
    // Selects the node (expanding its ancestors) and emits nodeSelected.
    void select(int index);
    int selected() const { return m_selected; }

    static constexpr double CardWidth = 195;

signals:
    void nodeSelected(int index);

private:
    int add(Node node, int parent);
    void layout();
    double place(int index, int depth, double top);
    void draw();

    StationGraph m_graph;
    QList<Node> m_nodes;
    int m_selected = -1;
    int m_edges = 0;
    QFont m_font;
    QFont m_bold;
};

} // namespace fuelsync
