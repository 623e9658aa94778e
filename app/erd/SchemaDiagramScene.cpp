#include "SchemaDiagramScene.h"

#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPainterPath>
#include <QPen>

namespace fuelsync {

namespace {

constexpr double Padding = 8;
constexpr double RowGap = 3;
const QColor HeaderColour(0x1d, 0x4e, 0x89);
const QColor ExternalHeaderColour(0x6b, 0x70, 0x78);
const QColor LineColour(0x55, 0x5b, 0x63);

} // namespace

SchemaDiagramScene::SchemaDiagramScene(QObject *parent)
    : QGraphicsScene(parent)
{
    m_bold = m_font;
    m_bold.setBold(true);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfb));
}

QSizeF SchemaDiagramScene::boxSize(const SchemaGraph::Table &table) const
{
    const QFontMetricsF plain(m_font);
    const QFontMetricsF bold(m_bold);
    const QString title = table.external ? table.schema + u'.' + table.name : table.name;
    double width = bold.horizontalAdvance(title) + 2 * Padding;
    for (const SchemaGraph::Column &column : table.columns) {
        const double row = plain.horizontalAdvance(QStringLiteral("PK FK  "))
            + plain.horizontalAdvance(column.name) + 3 * Padding
            + plain.horizontalAdvance(column.type);
        width = std::max(width, row);
    }
    const double height =
        bold.height() + 2 * Padding + table.columns.size() * (plain.height() + RowGap) + Padding;
    return QSizeF(std::ceil(std::min(width, 420.0)), std::ceil(height));
}

void SchemaDiagramScene::setGraph(const SchemaGraph &graph)
{
    clear();
    m_graph = graph;
    QList<QSizeF> sizes;
    for (const SchemaGraph::Table &table : graph.tables)
        sizes.append(boxSize(table));
    QList<QPair<int, int>> edges;
    for (const SchemaGraph::Relationship &r : graph.relationships)
        edges.append({ r.child, r.parent });
    m_layout = SchemaDiagramLayout::compute(sizes, edges);
    for (int i = 0; i < graph.relationships.size(); ++i)
        addRelationship(i, m_layout.edges.at(i));
    for (int i = 0; i < graph.tables.size(); ++i)
        addTable(i, m_layout.nodes.at(i));
    setSceneRect(m_layout.bounds);
}

void SchemaDiagramScene::addTable(int index, const QRectF &box)
{
    const SchemaGraph::Table &table = m_graph.tables.at(index);
    const QFontMetricsF plain(m_font);
    const QFontMetricsF bold(m_bold);
    auto *frame = addRect(box, QPen(QColor(0xb0, 0xb5, 0xbd)), QBrush(Qt::white));
    frame->setData(0, index);
    const QString qualified = table.schema + u'.' + table.name;
    frame->setToolTip(table.comment.isEmpty() ? qualified : qualified + u'\n' + table.comment);
    frame->setZValue(1);
    const double headerHeight = bold.height() + 2 * Padding - 4;
    auto *header = addRect(QRectF(box.topLeft(), QSizeF(box.width(), headerHeight)), Qt::NoPen,
                           QBrush(table.external ? ExternalHeaderColour : HeaderColour));
    header->setZValue(2);
    header->setData(0, index);
    auto *title =
        addSimpleText(table.external ? table.schema + u'.' + table.name : table.name, m_bold);
    title->setBrush(Qt::white);
    title->setPos(box.left() + Padding, box.top() + Padding - 2);
    title->setZValue(3);
    double y = box.top() + headerHeight + Padding / 2;
    const double markWidth = plain.horizontalAdvance(QStringLiteral("PK FK  "));
    for (const SchemaGraph::Column &column : table.columns) {
        QStringList marks;
        if (column.primaryKey)
            marks.append(QStringLiteral("PK"));
        if (column.foreignKey)
            marks.append(QStringLiteral("FK"));
        if (!marks.isEmpty()) {
            auto *mark = addSimpleText(marks.join(u' '), m_font);
            mark->setBrush(column.primaryKey ? QColor(0xa3, 0x4a, 0x00) : QColor(0x1d, 0x4e, 0x89));
            mark->setPos(box.left() + Padding, y);
            mark->setZValue(3);
        }
        QFont nameFont = column.primaryKey ? m_bold : m_font;
        auto *name = addSimpleText(column.name, nameFont);
        name->setPos(box.left() + Padding + markWidth, y);
        name->setZValue(3);
        const QString type = plain.elidedText(
            column.type + (column.notNull ? QString() : QStringLiteral("?")), Qt::ElideRight,
            std::max(20.0,
                     box.width() - markWidth - plain.horizontalAdvance(column.name) - 3 * Padding));
        auto *typeItem = addSimpleText(type, m_font);
        typeItem->setBrush(QColor(0x80, 0x86, 0x8f));
        typeItem->setPos(box.right() - Padding - plain.horizontalAdvance(type), y);
        typeItem->setZValue(3);
        y += plain.height() + RowGap;
    }
}

void SchemaDiagramScene::addRelationship(int index, const QList<QPointF> &path)
{
    if (path.size() < 2)
        return;
    const SchemaGraph::Relationship &r = m_graph.relationships.at(index);
    QPainterPath line(path.first());
    for (int i = 1; i < path.size(); ++i)
        line.lineTo(path.at(i));
    QPen pen(LineColour, 1.2);
    if (!r.deferrable)
        pen.setStyle(Qt::DashLine); // a key that breaks FuelSync's rule stands out
    auto *item = addPath(line, pen);
    item->setZValue(0);
    item->setToolTip(
        QStringLiteral("%1: %2 (%3) → %4 (%5)")
            .arg(r.name, m_graph.tables.at(r.child).name, r.childColumns.join(QStringLiteral(", ")),
                 m_graph.tables.at(r.parent).name, r.parentColumns.join(QStringLiteral(", "))));
    // The cardinality beside each end, outside the box.
    const QFontMetricsF metrics(m_font);
    auto label = [&](const QPointF &end, const QPointF &next, const QString &text) {
        auto *t = addSimpleText(text, m_font);
        t->setBrush(LineColour);
        t->setZValue(4);
        const bool vertical = qFuzzyCompare(end.x(), next.x());
        const double dy = next.y() >= end.y() ? 2 : -metrics.height() - 2;
        if (vertical)
            t->setPos(end.x() + 3, end.y() + dy);
        else
            t->setPos(end.x() + (next.x() >= end.x() ? 3 : -metrics.horizontalAdvance(text) - 3),
                      end.y() - metrics.height());
    };
    label(path.first(), path.at(1), SchemaGraph::endLabel(r.parentEnd));
    label(path.last(), path.at(path.size() - 2), SchemaGraph::endLabel(r.childEnd));
}

QRectF SchemaDiagramScene::tableRect(const QString &table) const
{
    for (int i = 0; i < m_graph.tables.size(); ++i) {
        if (m_graph.tables.at(i).name == table)
            return m_layout.nodes.at(i);
    }
    return {};
}

int SchemaDiagramScene::tableAt(const QPointF &point) const
{
    for (int i = 0; i < m_layout.nodes.size(); ++i) {
        if (m_layout.nodes.at(i).contains(point))
            return i;
    }
    return -1;
}

} // namespace fuelsync
