#include "StationGraphScene.h"

#include "StationNodeItem.h"

#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QHash>
#include <QLocale>
#include <QPainterPath>
#include <QPen>

namespace fuelsync {

namespace {

constexpr double ColumnGap = 36;
constexpr double RowGap = 10;
constexpr double Margin = 24;
// Expanded at first when the station has at most this many nozzles; otherwise only the pumps
// with a problem are.
constexpr int NozzlesShownAtFirst = 48;
constexpr int ChildrenShownAtFirst = 12;

QColor fuelColour(const QString &fuel)
{
    if (fuel == u"petrol")
        return QColor(0x2e, 0x8b, 0x57);
    if (fuel == u"diesel")
        return QColor(0xc2, 0x7c, 0x0e);
    if (fuel == u"premium")
        return QColor(0x7b, 0x4f, 0xb8);
    return QColor(0x6b, 0x70, 0x78);
}

QString when(const QLocale &locale, const QDateTime &at)
{
    return locale.toString(at.toLocalTime(), QStringLiteral("dd MMM HH:mm"));
}

} // namespace

StationGraphScene::StationGraphScene(QObject *parent)
    : QGraphicsScene(parent)
{
    m_bold = m_font;
    m_bold.setBold(true);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfb));
}

int StationGraphScene::add(Node node, int parent)
{
    node.parent = parent;
    m_nodes.append(node);
    const int index = int(m_nodes.size()) - 1;
    if (parent >= 0)
        m_nodes[parent].children.append(index);
    return index;
}

void StationGraphScene::setGraph(const StationGraph &graph)
{
    m_graph = graph;
    m_nodes.clear();
    m_selected = -1;
    const QLocale locale;
    QHash<QString, QStringList> problems;
    for (const StationGraph::Problem &p : graph.problems)
        problems[p.subjectId].append(p.text);
    const QString day = locale.toString(graph.day, QStringLiteral("d MMM"));

    Node station;
    station.kind = Node::Kind::Station;
    station.id = graph.stationId;
    station.title = graph.name;
    double volume = 0;
    double amount = 0;
    int sales = 0;
    for (const StationGraph::Pump &pump : graph.pumps) {
        for (const StationGraph::Nozzle &n : pump.nozzles) {
            volume += n.volume;
            amount += n.amount;
            sales += n.sales;
        }
    }
    station.lines = {
        tr("%1 · %n pump(s)", nullptr, int(graph.pumps.size()))
            .arg(graph.city.isEmpty() ? graph.status : graph.city),
        tr("%1: %Ln sale(s)", nullptr, sales).arg(day),
        tr("%1 L · ₹%2").arg(locale.toString(volume, 'f', 1), locale.toString(amount, 'f', 2)),
    };
    station.accent = QColor(0x1d, 0x4e, 0x89);
    station.muted = graph.status != u"active";
    station.toolTip = graph.schema + u'\n' + graph.stationId;
    station.expanded = true;
    const int root = add(station, -1);

    const int nozzles = graph.nozzleCount();
    for (const StationGraph::Pump &pump : graph.pumps) {
        Node p;
        p.kind = Node::Kind::Pump;
        p.id = pump.id;
        p.title = tr("Pump %1").arg(pump.label);
        double pumpVolume = 0;
        double pumpAmount = 0;
        for (const StationGraph::Nozzle &n : pump.nozzles) {
            pumpVolume += n.volume;
            pumpAmount += n.amount;
        }
        p.lines = {
            tr("%n nozzle(s)", nullptr, int(pump.nozzles.size()))
                + (pump.status == u"active" ? QString() : QStringLiteral(" · ") + pump.status),
            tr("%1 L · ₹%2")
                .arg(locale.toString(pumpVolume, 'f', 1), locale.toString(pumpAmount, 'f', 0))
        };
        p.accent = QColor(0x55, 0x5b, 0x63);
        p.muted = pump.status != u"active";
        p.toolTip = pump.id;
        const int pumpIndex = add(p, root);
        bool pumpHasProblem = false;
        for (const StationGraph::Nozzle &n : pump.nozzles) {
            Node z;
            z.kind = Node::Kind::Nozzle;
            z.id = n.id;
            z.title = tr("Nozzle %1 · %2").arg(n.number).arg(n.fuelType);
            z.lines.append(n.latest ? tr("%1 L · %2")
                                          .arg(locale.toString(n.latest->value, 'f', 1),
                                               when(locale, n.latest->at))
                                    : tr("Never read"));
            z.lines.append(
                tr("%n sale(s)", nullptr, n.sales)
                + tr(" · %1 L · ₹%2")
                      .arg(locale.toString(n.volume, 'f', 1), locale.toString(n.amount, 'f', 0)));
            if (n.status != u"active")
                z.lines.append(n.status);
            z.accent = fuelColour(n.fuelType);
            z.muted = n.status != u"active";
            z.problems = problems.value(n.id);
            z.toolTip = n.id;
            pumpHasProblem = pumpHasProblem || !z.problems.isEmpty();
            add(z, pumpIndex);
        }
        m_nodes[pumpIndex].expanded = nozzles <= NozzlesShownAtFirst || pumpHasProblem;
    }

    if (graph.hasCredit) {
        Node group;
        group.kind = Node::Kind::Credit;
        group.title = tr("Credit customers");
        double owed = 0;
        for (const StationGraph::Creditor &c : graph.creditors)
            owed += c.outstanding;
        group.lines = { tr("%n customer(s)", nullptr, int(graph.creditors.size())),
                        tr("Owed ₹%1").arg(locale.toString(owed, 'f', 2)) };
        group.accent = QColor(0x0e, 0x7c, 0x86);
        group.expanded = graph.creditors.size() <= ChildrenShownAtFirst;
        const int groupIndex = add(group, root);
        for (const StationGraph::Creditor &c : graph.creditors) {
            Node n;
            n.kind = Node::Kind::Creditor;
            n.id = c.id;
            n.title = c.name;
            n.lines = { tr("Owes ₹%1 of ₹%2")
                            .arg(locale.toString(c.outstanding, 'f', 2),
                                 locale.toString(c.creditLimit, 'f', 2)),
                        c.lastPaymentAt.isValid()
                            ? tr("Last paid %1").arg(when(locale, c.lastPaymentAt))
                            : tr("Never paid") };
            if (!c.active)
                n.lines.append(tr("inactive"));
            n.accent = group.accent;
            n.muted = !c.active;
            n.problems = problems.value(c.id);
            n.toolTip = c.id;
            add(n, groupIndex);
        }
    }

    if (graph.hasInventory) {
        Node group;
        group.kind = Node::Kind::Stock;
        group.title = tr("Stock");
        group.lines = { tr("%n fuel(s)", nullptr, int(graph.inventory.size())) };
        group.accent = QColor(0x8a, 0x5a, 0x2b);
        group.expanded = true;
        const int groupIndex = add(group, root);
        for (const StationGraph::Stock &s : graph.inventory) {
            Node n;
            n.kind = Node::Kind::Fuel;
            n.id = s.fuelType;
            n.title = tr("%1 stock").arg(s.fuelType);
            n.lines = { tr("%1 L of %2 L (%3%)")
                            .arg(locale.toString(s.current, 'f', 0),
                                 locale.toString(s.capacity, 'f', 0),
                                 locale.toString(s.capacity > 0 ? 100 * s.current / s.capacity : 0,
                                                 'f', 0)),
                        tr("Reorder below %1 L · %2")
                            .arg(locale.toString(s.minimum, 'f', 0), when(locale, s.measuredAt)) };
            n.accent = fuelColour(s.fuelType);
            n.problems = problems.value(s.fuelType);
            add(n, groupIndex);
        }
    }

    if (graph.hasAlerts) {
        Node group;
        group.kind = Node::Kind::Alerts;
        group.title = tr("Alerts");
        int shownOpen = 0;
        for (const StationGraph::Alert &a : graph.alerts)
            shownOpen += a.resolvedAt.isValid() ? 0 : 1;
        group.lines = { tr("%n open", nullptr, graph.openAlerts) };
        if (shownOpen < graph.openAlerts)
            group.lines.append(tr("the newest %1 shown").arg(shownOpen));
        group.accent = QColor(0xb4, 0x3c, 0x3c);
        int shown = 0;
        for (const StationGraph::Alert &a : graph.alerts)
            shown += a.resolvedAt.isValid() ? 0 : 1;
        group.expanded = shown <= ChildrenShownAtFirst / 2;
        const int groupIndex = add(group, root);
        for (const StationGraph::Alert &a : graph.alerts) {
            if (a.resolvedAt.isValid())
                continue; // the drill-down lists the resolved ones
            Node n;
            n.kind = Node::Kind::Alert;
            n.id = a.id;
            n.title = tr("%1 · %2").arg(a.severity, a.type);
            const QFontMetricsF metrics(m_font);
            n.lines = { metrics.elidedText(a.message, Qt::ElideRight, CardWidth - 24),
                        tr("Since %1").arg(when(locale, a.createdAt)) };
            n.toolTip = a.message;
            n.accent = a.severity == u"critical" ? QColor(0xb4, 0x3c, 0x3c)
                : a.severity == u"warning"       ? QColor(0xd0, 0x8c, 0x1c)
                                                 : QColor(0x6b, 0x70, 0x78);
            add(n, groupIndex);
        }
    }
    layout();
}

int StationGraphScene::find(Node::Kind kind, const QString &id) const
{
    for (int i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes.at(i).kind == kind && m_nodes.at(i).id == id)
            return i;
    }
    return -1;
}

bool StationGraphScene::isShown(int index) const
{
    for (int p = m_nodes.at(index).parent; p >= 0; p = m_nodes.at(p).parent) {
        if (!m_nodes.at(p).expanded)
            return false;
    }
    return true;
}

int StationGraphScene::shownCount() const
{
    int count = 0;
    for (int i = 0; i < m_nodes.size(); ++i)
        count += isShown(i) ? 1 : 0;
    return count;
}

int StationGraphScene::problemCount(int index) const
{
    const Node &node = m_nodes.at(index);
    int count = int(node.problems.size());
    if (!node.expanded) {
        for (int child : node.children)
            count += problemCount(child);
    }
    return count;
}

void StationGraphScene::setExpanded(int index, bool expanded)
{
    if (index < 0 || index >= m_nodes.size() || m_nodes.at(index).children.isEmpty()
        || m_nodes.at(index).expanded == expanded)
        return;
    m_nodes[index].expanded = expanded;
    layout();
}

void StationGraphScene::toggle(int index)
{
    if (index >= 0 && index < m_nodes.size())
        setExpanded(index, !m_nodes.at(index).expanded);
}

void StationGraphScene::expandAll()
{
    for (Node &node : m_nodes)
        node.expanded = !node.children.isEmpty();
    layout();
}

void StationGraphScene::collapseAll()
{
    for (Node &node : m_nodes)
        node.expanded = node.parent < 0; // the station stays open
    layout();
}

void StationGraphScene::select(int index)
{
    if (index < 0 || index >= m_nodes.size())
        return;
    bool opened = false;
    for (int p = m_nodes.at(index).parent; p >= 0; p = m_nodes.at(p).parent) {
        if (!m_nodes.at(p).expanded) {
            m_nodes[p].expanded = true;
            opened = true;
        }
    }
    m_selected = index;
    if (opened)
        layout();
    else
        update();
    emit nodeSelected(index);
}

double StationGraphScene::place(int index, int depth, double top)
{
    Node &node = m_nodes[index];
    const QFontMetricsF plain(m_font);
    const QFontMetricsF bold(m_bold);
    const double height = 16 + bold.height() + node.lines.size() * (plain.height() + 2);
    const double x = Margin + depth * (CardWidth + ColumnGap);
    if (node.expanded && !node.children.isEmpty()) {
        double cursor = top;
        for (int child : std::as_const(node.children))
            cursor = place(child, depth + 1, cursor);
        const QRectF first = m_nodes.at(node.children.first()).rect;
        const QRectF last = m_nodes.at(node.children.last()).rect;
        const double centre = (first.center().y() + last.center().y()) / 2;
        node.rect = QRectF(x, std::max(top, centre - height / 2), CardWidth, height);
        return std::max(cursor, node.rect.bottom() + RowGap);
    }
    for (int child : std::as_const(node.children))
        m_nodes[child].rect = QRectF();
    // Hidden descendants further down keep no rectangle.
    QList<int> stack = node.children;
    while (!stack.isEmpty()) {
        const int i = stack.takeLast();
        m_nodes[i].rect = QRectF();
        stack.append(m_nodes.at(i).children);
    }
    node.rect = QRectF(x, top, CardWidth, height);
    return top + height + RowGap;
}

void StationGraphScene::layout()
{
    if (!m_nodes.isEmpty())
        place(0, 0, Margin);
    draw();
}

void StationGraphScene::draw()
{
    clear();
    m_edges = 0;
    if (m_nodes.isEmpty())
        return;
    QRectF bounds;
    const QPen line(QColor(0x9a, 0xa0, 0xa8), 1.2);
    for (int i = 0; i < m_nodes.size(); ++i) {
        if (!isShown(i))
            continue;
        const Node &node = m_nodes.at(i);
        bounds = bounds.united(node.rect);
        if (node.parent >= 0) {
            const QRectF from = m_nodes.at(node.parent).rect;
            const QPointF a(from.right() + 9, from.center().y());
            const QPointF b(node.rect.left(), node.rect.center().y());
            const double mid = (a.x() + b.x()) / 2;
            QPainterPath path(a);
            path.lineTo(mid, a.y());
            path.lineTo(mid, b.y());
            path.lineTo(b);
            auto *edge = addPath(path, line);
            edge->setZValue(0);
            ++m_edges;
        }
        auto *item = new StationNodeItem(this, i);
        item->setZValue(1);
        addItem(item);
    }
    setSceneRect(bounds.adjusted(-Margin, -Margin, Margin + 14, Margin));
}

} // namespace fuelsync
