#include "SchemaDiagramLayout.h"

#include <QHash>

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>

namespace fuelsync {

namespace {

// A box, or a slot that one line takes through a layer it crosses.
struct VirtualNode
{
    int real = -1; // index of the real node; -1 for a slot
    int layer = 0;
    double width = 0;
    double height = 0;
    double center = 0; // x
    QList<int> up; // segments to the layer above
    QList<int> down; // segments to the layer below
};

// One piece of a line between two adjacent layers (or along the band under one layer, for a
// line between two boxes of the same layer).
struct Segment
{
    int upper = -1; // virtual node in layer L
    int lower = -1; // virtual node in layer L + 1 (or in L too, for a flat segment)
    int edge = -1;
    bool flat = false;
    double upperX = 0; // port on the upper node's bottom
    double lowerX = 0; // port on the lower node's top (bottom, for a flat segment)
    int track = 0;
};

class Layouter
{
public:
    Layouter(const QList<QSizeF> &sizes, const QList<QPair<int, int>> &edges,
             const SchemaDiagramLayout::Options &options)
        : m_sizes(sizes)
        , m_edges(edges)
        , m_options(options)
    { }

    DiagramLayout run()
    {
        assignLayers();
        buildVirtualGraph();
        orderLayers();
        placeHorizontally();
        assignPortsAndTracks();
        placeVertically();
        return route();
    }

private:
    // ---- 1. layers: a referenced table above every table that references it ----

    void assignLayers()
    {
        const int n = int(m_sizes.size());
        m_layer.fill(0, n);
        m_reversed.fill(false, m_edges.size());
        // Cycles (a table referencing itself through others) are broken by a depth-first search:
        // an edge back to a node on the current path does not count for the layers.
        QList<QList<int>> childrenEdges(n);
        for (int e = 0; e < m_edges.size(); ++e) {
            const auto [child, parent] = m_edges.at(e);
            if (child != parent)
                childrenEdges[parent].append(e);
        }
        QList<int> state(n, 0); // 0 new, 1 on the path, 2 done
        std::function<void(int)> visit = [&](int v) {
            state[v] = 1;
            for (int e : std::as_const(childrenEdges[v])) {
                const int child = m_edges.at(e).first;
                if (state[child] == 1)
                    m_reversed[e] = true;
                else if (state[child] == 0)
                    visit(child);
            }
            state[v] = 2;
        };
        for (int v = 0; v < n; ++v) {
            if (state[v] == 0)
                visit(v);
        }
        // Longest path from the top, in topological order of the kept edges.
        QList<int> indegree(n, 0);
        for (int e = 0; e < m_edges.size(); ++e) {
            const auto [child, parent] = m_edges.at(e);
            if (child != parent && !m_reversed[e])
                ++indegree[child];
        }
        QList<int> ready;
        for (int v = 0; v < n; ++v) {
            if (indegree[v] == 0)
                ready.append(v);
        }
        for (qsizetype i = 0; i < ready.size(); ++i) {
            const int v = ready.at(i);
            for (int e : std::as_const(childrenEdges[v])) {
                if (m_reversed[e])
                    continue;
                const int child = m_edges.at(e).first;
                m_layer[child] = std::max(m_layer[child], m_layer[v] + 1);
                if (--indegree[child] == 0)
                    ready.append(child);
            }
        }
        // A table that only others reference sits right above the highest of them, not at the
        // top, so its lines stay short.
        for (int pass = 0; pass < 2; ++pass) {
            for (int v = n - 1; v >= 0; --v) {
                int lowest = std::numeric_limits<int>::max();
                bool hasParent = false;
                for (int e = 0; e < m_edges.size(); ++e) {
                    const auto [child, parent] = m_edges.at(e);
                    if (child == parent || m_reversed[e])
                        continue;
                    if (parent == v)
                        lowest = std::min(lowest, m_layer[child]);
                    if (child == v)
                        hasParent = true;
                }
                if (!hasParent && lowest != std::numeric_limits<int>::max())
                    m_layer[v] = std::max(m_layer[v], lowest - 1);
            }
        }
        // Tables with no key either way are set apart, in a row under the others.
        m_isolated.fill(true, n);
        for (const auto &[child, parent] : m_edges) {
            m_isolated[child] = false;
            m_isolated[parent] = false;
        }
        m_layerCount = 0;
        for (int v = 0; v < n; ++v) {
            if (!m_isolated[v])
                m_layerCount = std::max(m_layerCount, m_layer[v] + 1);
        }
    }

    // ---- 2. the virtual graph: boxes, and a slot per line per layer it crosses ----

    void buildVirtualGraph()
    {
        for (int v = 0; v < m_sizes.size(); ++v) {
            VirtualNode node;
            node.real = v;
            node.layer = m_layer[v];
            node.width = m_sizes.at(v).width();
            node.height = m_sizes.at(v).height();
            m_nodes.append(node);
        }
        m_edgeSegments.resize(m_edges.size());
        for (int e = 0; e < m_edges.size(); ++e) {
            const auto [child, parent] = m_edges.at(e);
            if (child == parent)
                continue; // drawn as a loop beside its box
            int upper = parent;
            int lower = child;
            if (m_layer[upper] > m_layer[lower])
                std::swap(upper, lower);
            if (m_layer[upper] == m_layer[lower]) {
                addSegment(upper, lower, e, true);
                continue;
            }
            int previous = upper;
            for (int layer = m_layer[upper] + 1; layer < m_layer[lower]; ++layer) {
                VirtualNode slot;
                slot.layer = layer;
                slot.width = m_options.slotWidth;
                m_nodes.append(slot);
                const int id = int(m_nodes.size()) - 1;
                addSegment(previous, id, e, false);
                previous = id;
            }
            addSegment(previous, lower, e, false);
        }
    }

    void addSegment(int upper, int lower, int edge, bool flat)
    {
        Segment s;
        s.upper = upper;
        s.lower = lower;
        s.edge = edge;
        s.flat = flat;
        m_segments.append(s);
        const int id = int(m_segments.size()) - 1;
        m_edgeSegments[edge].append(id);
        if (!flat) {
            m_nodes[upper].down.append(id);
            m_nodes[lower].up.append(id);
        }
    }

    // ---- 3. order within each layer: barycenter sweeps, keeping the fewest crossings ----

    void orderLayers()
    {
        m_order.resize(m_layerCount);
        for (int id = 0; id < m_nodes.size(); ++id) {
            if (!isApart(id))
                m_order[m_nodes.at(id).layer].append(id);
        }
        updatePositions();
        QList<QList<int>> best = m_order;
        int bestCrossings = totalCrossings();
        for (int sweep = 0; sweep < m_options.sweeps && bestCrossings > 0; ++sweep) {
            const bool down = sweep % 2 == 0;
            if (down) {
                for (int layer = 1; layer < m_layerCount; ++layer)
                    sortByBarycenter(layer, true);
            } else {
                for (int layer = m_layerCount - 2; layer >= 0; --layer)
                    sortByBarycenter(layer, false);
            }
            const int crossings = totalCrossings();
            if (crossings < bestCrossings) {
                bestCrossings = crossings;
                best = m_order;
            }
        }
        m_order = best;
        updatePositions();
        m_crossings = bestCrossings;
    }

    void updatePositions()
    {
        m_position.fill(0, m_nodes.size());
        for (const QList<int> &layer : std::as_const(m_order)) {
            for (int i = 0; i < layer.size(); ++i)
                m_position[layer.at(i)] = i;
        }
    }

    void sortByBarycenter(int layer, bool fromAbove)
    {
        QList<int> &nodes = m_order[layer];
        QHash<int, double> key;
        for (int id : std::as_const(nodes)) {
            const QList<int> &segments = fromAbove ? m_nodes.at(id).up : m_nodes.at(id).down;
            if (segments.isEmpty()) {
                key.insert(id, m_position.at(id));
                continue;
            }
            double sum = 0;
            for (int s : segments) {
                const Segment &segment = m_segments.at(s);
                sum += m_position.at(fromAbove ? segment.upper : segment.lower);
            }
            key.insert(id, sum / double(segments.size()));
        }
        std::stable_sort(nodes.begin(), nodes.end(),
                         [&key](int a, int b) { return key.value(a) < key.value(b); });
        for (int i = 0; i < nodes.size(); ++i)
            m_position[nodes.at(i)] = i;
    }

    int totalCrossings() const
    {
        QList<QList<int>> byLayer(m_layerCount);
        for (int s = 0; s < m_segments.size(); ++s) {
            if (!m_segments.at(s).flat)
                byLayer[m_nodes.at(m_segments.at(s).upper).layer].append(s);
        }
        int crossings = 0;
        for (const QList<int> &segments : std::as_const(byLayer)) {
            for (int i = 0; i < segments.size(); ++i) {
                const Segment &a = m_segments.at(segments.at(i));
                for (int j = i + 1; j < segments.size(); ++j) {
                    const Segment &b = m_segments.at(segments.at(j));
                    const int du = m_position.at(a.upper) - m_position.at(b.upper);
                    const int dl = m_position.at(a.lower) - m_position.at(b.lower);
                    if ((du < 0 && dl > 0) || (du > 0 && dl < 0))
                        ++crossings;
                }
            }
        }
        return crossings;
    }

    // ---- 4. x: each box near the boxes it is linked to, never overlapping ----

    double separation(int left, int right) const
    {
        const VirtualNode &a = m_nodes.at(left);
        const VirtualNode &b = m_nodes.at(right);
        const double gap = a.real < 0 || b.real < 0 ? m_options.slotWidth : m_options.nodeGap;
        return a.width / 2 + gap + b.width / 2;
    }

    void placeHorizontally()
    {
        for (const QList<int> &layer : std::as_const(m_order)) {
            double x = 0;
            for (int i = 0; i < layer.size(); ++i) {
                if (i > 0)
                    x += separation(layer.at(i - 1), layer.at(i));
                m_nodes[layer.at(i)].center = x;
            }
        }
        for (int round = 0; round < 12; ++round) {
            const bool down = round % 2 == 0;
            for (int step = 0; step < m_layerCount; ++step) {
                const int layer = down ? step : m_layerCount - 1 - step;
                QList<int> &nodes = m_order[layer];
                QList<double> desired;
                for (int id : std::as_const(nodes)) {
                    const VirtualNode &node = m_nodes.at(id);
                    double sum = 0;
                    int count = 0;
                    for (int s : node.up) {
                        sum += m_nodes.at(m_segments.at(s).upper).center;
                        ++count;
                    }
                    for (int s : node.down) {
                        sum += m_nodes.at(m_segments.at(s).lower).center;
                        ++count;
                    }
                    desired.append(count > 0 ? sum / count : node.center);
                }
                // Closest to the wishes in order: a pass pushing right, then one pushing left
                // (after which every gap holds), and the two averaged where both hold.
                QList<double> right = desired;
                for (int i = 1; i < nodes.size(); ++i)
                    right[i] =
                        std::max(right[i], right[i - 1] + separation(nodes[i - 1], nodes[i]));
                QList<double> left = desired;
                for (int i = int(nodes.size()) - 2; i >= 0; --i)
                    left[i] = std::min(left[i], left[i + 1] - separation(nodes[i], nodes[i + 1]));
                QList<double> placed(nodes.size());
                for (int i = 0; i < nodes.size(); ++i)
                    placed[i] = (left[i] + right[i]) / 2;
                for (int i = int(nodes.size()) - 2; i >= 0; --i)
                    placed[i] =
                        std::min(placed[i], placed[i + 1] - separation(nodes[i], nodes[i + 1]));
                for (int i = 0; i < nodes.size(); ++i)
                    m_nodes[nodes[i]].center = placed[i];
            }
        }
        double minLeft = std::numeric_limits<double>::max();
        for (int id = 0; id < m_nodes.size(); ++id) {
            if (!isApart(id))
                minLeft = std::min(minLeft, m_nodes.at(id).center - m_nodes.at(id).width / 2);
        }
        for (int id = 0; id < m_nodes.size(); ++id) {
            if (!isApart(id))
                m_nodes[id].center += m_options.margin - minLeft;
        }
    }

    // ---- 5. ports on the boxes, and a horizontal track per line in each band ----

    void assignPortsAndTracks()
    {
        // Ports: a box's lines leave its bottom (enter its top) spread out, in the order of
        // where they go, so they do not cross at the box.
        for (int id = 0; id < m_nodes.size(); ++id) {
            const VirtualNode &node = m_nodes.at(id);
            auto spread = [&](QList<int> segments, bool bottom) {
                std::sort(segments.begin(), segments.end(), [&](int a, int b) {
                    const int otherA = bottom ? m_segments.at(a).lower : m_segments.at(a).upper;
                    const int otherB = bottom ? m_segments.at(b).lower : m_segments.at(b).upper;
                    return m_nodes.at(otherA).center < m_nodes.at(otherB).center;
                });
                for (int k = 0; k < segments.size(); ++k) {
                    const double x = node.real < 0 ? node.center
                                                   : node.center - node.width / 2
                            + node.width * double(k + 1) / double(segments.size() + 1);
                    (bottom ? m_segments[segments[k]].upperX : m_segments[segments[k]].lowerX) = x;
                }
            };
            QList<int> bottom = node.down;
            QList<int> top = node.up;
            for (int s = 0; s < m_segments.size(); ++s) {
                if (!m_segments.at(s).flat)
                    continue;
                if (m_segments.at(s).upper == id)
                    bottom.append(s);
            }
            spread(bottom, true);
            spread(top, false);
            // A flat line's other end leaves the other box's bottom too.
            for (auto &segment : m_segments) {
                if (segment.flat && segment.lower == id)
                    segment.lowerX = node.center + node.width / 4;
            }
        }
        // Tracks: in each band, horizontal runs that overlap get different heights.
        m_tracks.fill(0, std::max(0, m_layerCount));
        QList<QList<int>> byBand(m_layerCount);
        for (int s = 0; s < m_segments.size(); ++s)
            byBand[m_nodes.at(m_segments.at(s).upper).layer].append(s);
        for (int band = 0; band < m_layerCount; ++band) {
            QList<int> &segments = byBand[band];
            std::sort(segments.begin(), segments.end(), [&](int a, int b) {
                return std::min(m_segments.at(a).upperX, m_segments.at(a).lowerX)
                    < std::min(m_segments.at(b).upperX, m_segments.at(b).lowerX);
            });
            QList<double> trackEnds; // rightmost x used on each track
            for (int s : std::as_const(segments)) {
                Segment &segment = m_segments[s];
                const double from = std::min(segment.upperX, segment.lowerX);
                const double to = std::max(segment.upperX, segment.lowerX);
                int track = -1;
                for (int t = 0; t < trackEnds.size(); ++t) {
                    if (trackEnds.at(t) + m_options.trackGap < from) {
                        track = t;
                        break;
                    }
                }
                if (track < 0) {
                    trackEnds.append(to);
                    track = int(trackEnds.size()) - 1;
                } else {
                    trackEnds[track] = to;
                }
                segment.track = track;
            }
            m_tracks[band] = int(trackEnds.size());
        }
    }

    // ---- 6. y: layers one under the other, each band as tall as its tracks need ----

    void placeVertically()
    {
        m_layerTop.fill(0, m_layerCount);
        m_layerHeight.fill(0, m_layerCount);
        for (int id = 0; id < m_nodes.size(); ++id) {
            if (!isApart(id))
                m_layerHeight[m_nodes.at(id).layer] =
                    std::max(m_layerHeight[m_nodes.at(id).layer], m_nodes.at(id).height);
        }
        double y = m_options.margin;
        for (int layer = 0; layer < m_layerCount; ++layer) {
            m_layerTop[layer] = y;
            y += m_layerHeight[layer] + bandHeight(layer);
        }
    }

    double bandHeight(int layer) const
    {
        return m_options.layerGap + std::max(0, m_tracks.value(layer) - 1) * m_options.trackGap;
    }

    double trackY(int layer, int track) const
    {
        const double bandTop = m_layerTop[layer] + m_layerHeight[layer];
        const double used = std::max(0, m_tracks.value(layer) - 1) * m_options.trackGap;
        return bandTop + (bandHeight(layer) - used) / 2 + track * m_options.trackGap;
    }

    // ---- 7. the lines ----

    DiagramLayout route()
    {
        DiagramLayout layout;
        layout.layerCount = m_layerCount;
        layout.layerOf = m_layer;
        layout.crossings = m_crossings;
        double right = m_options.margin;
        double bottom = m_options.margin;
        for (int v = 0; v < m_sizes.size(); ++v) {
            const VirtualNode &node = m_nodes.at(v);
            if (isApart(v)) {
                layout.nodes.append(QRectF());
                continue;
            }
            layout.nodes.append(QRectF(node.center - node.width / 2, m_layerTop[node.layer],
                                       node.width, node.height));
            right = std::max(right, layout.nodes.last().right());
            bottom = std::max(bottom, layout.nodes.last().bottom());
        }
        // The row of tables apart, wrapped at the width of the rest (or a sensible width).
        const double wrapAt = std::max(right, 900.0);
        double rowX = m_options.margin;
        double rowY = m_layerCount > 0 ? bottom + m_options.layerGap : m_options.margin;
        double rowHeight = 0;
        for (int v = 0; v < m_sizes.size(); ++v) {
            if (!isApart(v))
                continue;
            const QSizeF size = m_sizes.at(v);
            if (rowX > m_options.margin && rowX + size.width() > wrapAt) {
                rowX = m_options.margin;
                rowY += rowHeight + m_options.nodeGap;
                rowHeight = 0;
            }
            layout.nodes[v] = QRectF(QPointF(rowX, rowY), size);
            layout.layerOf[v] = m_layerCount;
            rowX += size.width() + m_options.nodeGap;
            rowHeight = std::max(rowHeight, size.height());
        }
        for (int e = 0; e < m_edges.size(); ++e) {
            const auto [child, parent] = m_edges.at(e);
            QList<QPointF> path;
            if (child == parent) {
                const QRectF box = layout.nodes.at(child);
                const double x = box.right();
                const double y = box.top() + std::min(24.0, box.height() / 3);
                path = { QPointF(x, y), QPointF(x + 16, y), QPointF(x + 16, y + 16),
                         QPointF(x, y + 16) };
                layout.edges.append(path);
                continue;
            }
            // From the upper end down, segment by segment.
            for (int s : std::as_const(m_edgeSegments[e])) {
                const Segment &segment = m_segments.at(s);
                const VirtualNode &upper = m_nodes.at(segment.upper);
                const VirtualNode &lower = m_nodes.at(segment.lower);
                const int layer = upper.layer;
                const double start = upper.real < 0 ? m_layerTop[layer] + m_layerHeight[layer]
                                                    : m_layerTop[layer] + upper.height;
                const double track = trackY(layer, segment.track);
                path.append(QPointF(segment.upperX, start)); // a box's bottom, or a slot's end
                path.append(QPointF(segment.upperX, track));
                path.append(QPointF(segment.lowerX, track));
                if (segment.flat) {
                    path.append(QPointF(segment.lowerX, m_layerTop[layer] + lower.height));
                } else {
                    path.append(QPointF(segment.lowerX, m_layerTop[lower.layer]));
                    if (lower.real < 0) // through the slot, to the band below
                        path.append(QPointF(segment.lowerX,
                                            m_layerTop[lower.layer] + m_layerHeight[lower.layer]));
                }
            }
            // Points in the same place or on one straight line are dropped.
            QList<QPointF> clean;
            for (const QPointF &p : std::as_const(path)) {
                if (!clean.isEmpty() && clean.last() == p)
                    continue;
                if (clean.size() >= 2) {
                    const QPointF &a = clean.at(clean.size() - 2);
                    const QPointF &b = clean.last();
                    if ((a.x() == b.x() && b.x() == p.x()) || (a.y() == b.y() && b.y() == p.y())) {
                        clean.last() = p;
                        continue;
                    }
                }
                clean.append(p);
            }
            // Parent first: the path was built from the upper box down.
            const int upperReal = m_layer[parent] <= m_layer[child] ? parent : child;
            if (upperReal != parent)
                std::reverse(clean.begin(), clean.end());
            layout.edges.append(clean);
        }
        QRectF bounds;
        for (const QRectF &box : std::as_const(layout.nodes))
            bounds = bounds.united(box);
        for (const QList<QPointF> &path : std::as_const(layout.edges)) {
            for (const QPointF &p : path)
                bounds = bounds.united(QRectF(p, QSizeF(1, 1)));
        }
        layout.bounds = bounds.adjusted(-m_options.margin, -m_options.margin, m_options.margin,
                                        m_options.margin);
        return layout;
    }

    bool isApart(int virtualNode) const
    {
        return virtualNode < m_isolated.size() && m_isolated.at(virtualNode);
    }

    const QList<QSizeF> &m_sizes;
    const QList<QPair<int, int>> &m_edges;
    SchemaDiagramLayout::Options m_options;
    QList<int> m_layer;
    QList<bool> m_reversed;
    QList<bool> m_isolated; // per real node: no key either way
    int m_layerCount = 0;
    QList<VirtualNode> m_nodes;
    QList<Segment> m_segments;
    QList<QList<int>> m_edgeSegments;
    QList<QList<int>> m_order;
    QList<int> m_position;
    int m_crossings = 0;
    QList<int> m_tracks;
    QList<double> m_layerTop;
    QList<double> m_layerHeight;
};

} // namespace

DiagramLayout SchemaDiagramLayout::compute(const QList<QSizeF> &sizes,
                                           const QList<QPair<int, int>> &edges)
{
    return compute(sizes, edges, Options());
}

DiagramLayout SchemaDiagramLayout::compute(const QList<QSizeF> &sizes,
                                           const QList<QPair<int, int>> &edges,
                                           const Options &options)
{
    return Layouter(sizes, edges, options).run();
}

} // namespace fuelsync
