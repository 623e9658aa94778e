#pragma once

#include <QList>
#include <QPair>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

namespace fuelsync {

// Where each box and each line of a relationship diagram goes.
struct DiagramLayout
{
    QList<QRectF> nodes; // per node, in the order given
    // Per edge: an orthogonal polyline from the referenced (parent) box to the referencing
    // (child) box; its first point is on the parent's border, its last on the child's.
    QList<QList<QPointF>> edges;
    QList<int> layerOf; // per node; tables with no key either way are in a row of their own,
                        // numbered layerCount, under the others
    int layerCount = 0;
    int crossings = 0; // between the lines of adjacent layers, in the final order
    QRectF bounds;
};

// A layered (Sugiyama-style) layout a person can read without moving boxes: referenced tables
// above the tables that reference them, the order within each layer chosen to keep crossings
// few, and lines that run vertically through slots kept free in each layer and horizontally in
// the empty bands between layers, so no line passes through a box.
class SchemaDiagramLayout
{
public:
    struct Options
    {
        double nodeGap = 40; // between boxes of a layer
        double slotWidth = 10; // a line's slot through a layer it crosses
        double layerGap = 56; // between layers, before the lines' tracks
        double trackGap = 8; // between two horizontal tracks in a band
        double margin = 20;
        int sweeps = 24; // ordering passes
    };

    // sizes: each node's box; edges: (child, parent) pairs, indexes into sizes.
    static DiagramLayout compute(const QList<QSizeF> &sizes, const QList<QPair<int, int>> &edges);
    static DiagramLayout compute(const QList<QSizeF> &sizes, const QList<QPair<int, int>> &edges,
                                 const Options &options);
};

} // namespace fuelsync
