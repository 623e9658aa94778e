#include "StationNodeItem.h"

#include "StationGraphScene.h"

#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPointer>

namespace fuelsync {

namespace {

const QColor ProblemColour(0xc6, 0x28, 0x28);

} // namespace

StationNodeItem::StationNodeItem(StationGraphScene *scene, int index)
    : m_scene(scene)
    , m_index(index)
{
    const StationGraphScene::Node &node = scene->nodes().at(index);
    QString tip = node.title;
    if (!node.toolTip.isEmpty())
        tip += u'\n' + node.toolTip;
    for (const QString &problem : node.problems)
        tip += QStringLiteral("\n⚠ ") + problem;
    setToolTip(tip);
    setCursor(Qt::PointingHandCursor);
    setAcceptedMouseButtons(Qt::LeftButton);
}

QRectF StationNodeItem::boundingRect() const
{
    return m_scene->nodes().at(m_index).rect.adjusted(-3, -3, 12, 3);
}

QRectF StationNodeItem::toggleRect() const
{
    const StationGraphScene::Node &node = m_scene->nodes().at(m_index);
    if (node.children.isEmpty())
        return QRectF();
    return QRectF(node.rect.right() - 9, node.rect.center().y() - 9, 18, 18);
}

void StationNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const StationGraphScene::Node &node = m_scene->nodes().at(m_index);
    const QRectF r = node.rect;
    const int problems = m_scene->problemCount(m_index);
    const bool selected = m_scene->selected() == m_index;
    painter->setRenderHint(QPainter::Antialiasing);

    // The card.
    QPen border(problems > 0 ? ProblemColour : QColor(0xb0, 0xb5, 0xbd), problems > 0 ? 2.0 : 1.0);
    if (selected)
        border = QPen(QColor(0x1a, 0x73, 0xe8), 2.5);
    painter->setPen(border);
    painter->setBrush(problems > 0 && node.problems.size() > 0 ? QColor(0xfd, 0xf0, 0xf0)
                                                               : QColor(Qt::white));
    painter->drawRoundedRect(r, 5, 5);
    // The stripe.
    painter->setPen(Qt::NoPen);
    painter->setBrush(node.muted ? QColor(0xc4, 0xc8, 0xcd) : node.accent);
    painter->drawRoundedRect(QRectF(r.left() + 1, r.top() + 1, 6, r.height() - 2), 3, 3);

    // The text.
    const QFont plain = painter->font();
    QFont bold = plain;
    bold.setBold(true);
    const QFontMetricsF boldMetrics(bold);
    const QFontMetricsF plainMetrics(plain);
    const double left = r.left() + 14;
    const double textWidth = r.width() - 14 - (node.children.isEmpty() ? 8 : 16);
    double y = r.top() + 8 + boldMetrics.ascent();
    painter->setFont(bold);
    double titleLeft = left;
    if (problems > 0) {
        const QString count = QStringLiteral("⚠ %1  ").arg(problems);
        painter->setPen(ProblemColour);
        painter->drawText(QPointF(left, y), count);
        titleLeft += boldMetrics.horizontalAdvance(count);
    }
    painter->setPen(node.muted ? QColor(0x80, 0x86, 0x8e) : QColor(0x1f, 0x23, 0x28));
    painter->drawText(
        QPointF(titleLeft, y),
        boldMetrics.elidedText(node.title, Qt::ElideRight, textWidth - (titleLeft - left)));
    painter->setFont(plain);
    painter->setPen(node.muted ? QColor(0x90, 0x96, 0x9e) : QColor(0x4a, 0x50, 0x58));
    y += boldMetrics.descent() + 2;
    for (const QString &line : node.lines) {
        y += plainMetrics.ascent();
        painter->drawText(QPointF(left, y),
                          plainMetrics.elidedText(line, Qt::ElideRight, textWidth));
        y += plainMetrics.descent() + 2;
    }

    // The arrow that expands or collapses it.
    const QRectF toggle = toggleRect();
    if (!toggle.isEmpty()) {
        painter->setPen(QPen(QColor(0x8a, 0x90, 0x98), 1));
        painter->setBrush(Qt::white);
        painter->drawEllipse(toggle);
        painter->setPen(QPen(QColor(0x3a, 0x40, 0x48), 1.6));
        const QPointF c = toggle.center();
        if (node.expanded) {
            painter->drawLine(QPointF(c.x() - 4, c.y()), QPointF(c.x() + 4, c.y()));
        } else {
            painter->drawLine(QPointF(c.x() - 4, c.y()), QPointF(c.x() + 4, c.y()));
            painter->drawLine(QPointF(c.x(), c.y() - 4), QPointF(c.x(), c.y() + 4));
        }
    }
}

void StationNodeItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    event->accept();
}

void StationNodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    // The scene rebuilds its items when it lays out again: that waits until this event is over,
    // and finds the node again by what it is (a reload may have come in between).
    const bool onToggle = toggleRect().contains(event->scenePos());
    later([onToggle](StationGraphScene *scene, int index) {
        if (onToggle)
            scene->toggle(index);
        else
            scene->select(index);
    });
}

void StationNodeItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    event->accept();
    later([](StationGraphScene *scene, int index) { scene->toggle(index); });
}

void StationNodeItem::later(const std::function<void(StationGraphScene *, int)> &action) const
{
    const StationGraphScene::Node &node = m_scene->nodes().at(m_index);
    QPointer<StationGraphScene> scene = m_scene;
    const auto kind = node.kind;
    const QString id = node.id;
    QMetaObject::invokeMethod(
        m_scene,
        [scene, kind, id, action] {
            if (!scene)
                return;
            const int index = scene->find(kind, id);
            if (index >= 0)
                action(scene, index);
        },
        Qt::QueuedConnection);
}

} // namespace fuelsync
