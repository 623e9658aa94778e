// The relationship diagram's data and layout: the graph read from the catalog of a real FuelSync
// tenant (tables, key marks, edges with cardinality), and a layout that keeps referenced tables
// above the tables that reference them, never overlaps boxes, and never runs a line through a
// box, on FuelSync's schemas and on generated graphs (chains, cycles, self references, fans,
// random ones).

#include "MigrationDir.h"
#include "TestDatabase.h"
#include "diagram/SchemaDiagramLayout.h"
#include "diagram/SchemaGraphReader.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"
#include "tenants/TenantProvisioner.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace fuelsync;
using namespace fuelsync::test;

namespace {

using EdgeList = QList<QPair<int, int>>;

QList<QSizeF> boxesFor(const SchemaGraph &graph)
{
    QList<QSizeF> sizes;
    for (const SchemaGraph::Table &table : graph.tables)
        sizes.append(QSizeF(160 + 4 * table.name.size(), 24 + 16 * table.columns.size()));
    return sizes;
}

QList<QPair<int, int>> edgesOf(const SchemaGraph &graph)
{
    QList<QPair<int, int>> edges;
    for (const SchemaGraph::Relationship &r : graph.relationships)
        edges.append({ r.child, r.parent });
    return edges;
}

bool onBorder(const QRectF &box, const QPointF &p)
{
    const bool insideX = p.x() >= box.left() - 0.5 && p.x() <= box.right() + 0.5;
    const bool insideY = p.y() >= box.top() - 0.5 && p.y() <= box.bottom() + 0.5;
    const bool onX = qAbs(p.x() - box.left()) < 0.5 || qAbs(p.x() - box.right()) < 0.5;
    const bool onY = qAbs(p.y() - box.top()) < 0.5 || qAbs(p.y() - box.bottom()) < 0.5;
    return (insideX && onY) || (insideY && onX);
}

// Whether the axis-parallel segment a-b passes through the inside of the box (its border does
// not count).
bool crossesInside(const QRectF &box, const QPointF &a, const QPointF &b)
{
    const QRectF inside = box.adjusted(0.5, 0.5, -0.5, -0.5);
    if (qFuzzyCompare(a.x(), b.x())) {
        return a.x() > inside.left() && a.x() < inside.right()
            && std::max(a.y(), b.y()) > inside.top() && std::min(a.y(), b.y()) < inside.bottom();
    }
    return a.y() > inside.top() && a.y() < inside.bottom() && std::max(a.x(), b.x()) > inside.left()
        && std::min(a.x(), b.x()) < inside.right();
}

// Every promise of the layout; empty when all hold, else what broke.
QString checkLayout(const QList<QSizeF> &sizes, const QList<QPair<int, int>> &edges,
                    const DiagramLayout &layout, bool acyclic)
{
    if (layout.nodes.size() != sizes.size() || layout.edges.size() != edges.size())
        return QStringLiteral("wrong counts");
    for (int i = 0; i < sizes.size(); ++i) {
        if (layout.nodes.at(i).size() != sizes.at(i))
            return QStringLiteral("box %1 resized").arg(i);
        for (int j = i + 1; j < sizes.size(); ++j) {
            if (layout.nodes.at(i).intersects(layout.nodes.at(j)))
                return QStringLiteral("boxes %1 and %2 overlap").arg(i).arg(j);
        }
    }
    for (int e = 0; e < edges.size(); ++e) {
        const auto [child, parent] = edges.at(e);
        if (acyclic && child != parent && layout.layerOf.at(parent) >= layout.layerOf.at(child))
            return QStringLiteral("edge %1: the parent %2 is not above the child %3")
                .arg(e)
                .arg(parent)
                .arg(child);
        const QList<QPointF> &path = layout.edges.at(e);
        if (path.size() < 2)
            return QStringLiteral("edge %1 has no line").arg(e);
        if (!onBorder(layout.nodes.at(parent), path.first()))
            return QStringLiteral("edge %1 does not start on its parent").arg(e);
        if (!onBorder(layout.nodes.at(child), path.last()))
            return QStringLiteral("edge %1 does not end on its child").arg(e);
        for (int k = 1; k < path.size(); ++k) {
            const QPointF a = path.at(k - 1);
            const QPointF b = path.at(k);
            if (!qFuzzyCompare(a.x(), b.x()) && !qFuzzyCompare(a.y(), b.y()))
                return QStringLiteral("edge %1 has a slanted piece").arg(e);
            for (int n = 0; n < layout.nodes.size(); ++n) {
                if (crossesInside(layout.nodes.at(n), a, b))
                    return QStringLiteral("edge %1 (%2 -> %3) runs through box %4")
                        .arg(e)
                        .arg(child)
                        .arg(parent)
                        .arg(n);
            }
        }
    }
    return {};
}

} // namespace

class TestSchemaDiagram : public QObject
{
    Q_OBJECT

private slots:
    void aTenantSchemaIsReadFromTheCatalog()
    {
        TestDatabase db(QStringLiteral("diagram_tenant"));
        QVERIFY2(db.isValid(), qPrintable(db.errorString()));
        const MigrationSet set =
            MigrationSet::load(qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR"));
        MigrationRunOptions options;
        options.runner = QStringLiteral("tst_schemadiagram");
        QCOMPARE(MigrationRunner(db.settings(), set, options).run(unwatched()).exitCode(), 0);
        TenantProvisioner::Options tenant;
        tenant.schema = QStringLiteral("tenant_acme");
        tenant.name = QStringLiteral("Acme");
        tenant.runner = QStringLiteral("tst_schemadiagram");
        QVERIFY(TenantProvisioner::create(db.settings(), set, tenant, unwatched()).created);
        auto c = db.connect();

        const SchemaGraph graph = SchemaGraphReader::read(*c, QStringLiteral("tenant_acme"));
        QStringList names;
        for (const SchemaGraph::Table &table : graph.tables)
            names.append(table.name);
        for (const char *table : { "stations", "pumps", "nozzles", "nozzle_readings", "sales",
                                   "creditors", "credit_payments", "fuel_prices", "alerts" })
            QVERIFY2(names.contains(QLatin1StringView(table)), table);
        const SchemaGraph::Table &pumps =
            graph.tables.at(graph.indexOf(QStringLiteral("tenant_acme"), QStringLiteral("pumps")));
        const auto column = [](const SchemaGraph::Table &t, const QString &name) {
            for (const SchemaGraph::Column &col : t.columns) {
                if (col.name == name)
                    return col;
            }
            return SchemaGraph::Column {};
        };
        QVERIFY(column(pumps, QStringLiteral("id")).primaryKey);
        QVERIFY(column(pumps, QStringLiteral("station_id")).foreignKey);
        QVERIFY(!column(pumps, QStringLiteral("station_id")).primaryKey);

        auto relationship = [&](const QString &child, const QString &parent) {
            for (const SchemaGraph::Relationship &r : graph.relationships) {
                if (graph.tables.at(r.child).name == child
                    && graph.tables.at(r.parent).name == parent)
                    return r;
            }
            return SchemaGraph::Relationship {};
        };
        // Station 1 - N Pump; a sale closes exactly one reading (reading_id is unique); a sale's
        // creditor may be NULL.
        const auto pumpStation = relationship(QStringLiteral("pumps"), QStringLiteral("stations"));
        QCOMPARE(pumpStation.parentEnd, SchemaGraph::End::One);
        QCOMPARE(pumpStation.childEnd, SchemaGraph::End::Many);
        QVERIFY(pumpStation.deferrable);
        const auto saleReading =
            relationship(QStringLiteral("sales"), QStringLiteral("nozzle_readings"));
        QCOMPARE(saleReading.childEnd, SchemaGraph::End::ZeroOrOne);
        const auto saleCreditor =
            relationship(QStringLiteral("sales"), QStringLiteral("creditors"));
        QCOMPARE(saleCreditor.parentEnd, SchemaGraph::End::ZeroOrOne);
        QCOMPARE(SchemaGraph::endLabel(saleCreditor.parentEnd), QStringLiteral("0..1"));

        // Its layout keeps every promise, with few crossings.
        const QList<QSizeF> sizes = boxesFor(graph);
        const QList<QPair<int, int>> edges = edgesOf(graph);
        const DiagramLayout layout = SchemaDiagramLayout::compute(sizes, edges);
        const QString broken = checkLayout(sizes, edges, layout, true);
        QVERIFY2(broken.isEmpty(), qPrintable(broken));
        const int stations =
            graph.indexOf(QStringLiteral("tenant_acme"), QStringLiteral("stations"));
        const int readings =
            graph.indexOf(QStringLiteral("tenant_acme"), QStringLiteral("nozzle_readings"));
        QVERIFY(layout.layerOf.at(stations) < layout.layerOf.at(readings));
        qInfo() << "tenant schema:" << graph.tables.size() << "tables,"
                << graph.relationships.size() << "keys," << layout.layerCount << "layers,"
                << layout.crossings << "crossings";
        QVERIFY(layout.crossings <= 12);

        const SchemaGraph platform = SchemaGraphReader::read(*c, QStringLiteral("public"));
        QVERIFY(platform.indexOf(QStringLiteral("public"), QStringLiteral("tenants")) >= 0);
        const DiagramLayout platformLayout =
            SchemaDiagramLayout::compute(boxesFor(platform), edgesOf(platform));
        QVERIFY(checkLayout(boxesFor(platform), edgesOf(platform), platformLayout, true).isEmpty());
    }

    void layoutKeepsItsPromises_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<EdgeList>("edges");
        QTest::addColumn<bool>("acyclic");
        QTest::newRow("empty") << 0 << QList<QPair<int, int>> {} << true;
        QTest::newRow("alone") << 3 << QList<QPair<int, int>> {} << true;
        QTest::newRow("chain") << 4 << QList<QPair<int, int>> { { 1, 0 }, { 2, 1 }, { 3, 2 } }
                               << true;
        QTest::newRow("long edge past a layer")
            << 4 << QList<QPair<int, int>> { { 1, 0 }, { 2, 1 }, { 3, 2 }, { 3, 0 }, { 2, 0 } }
            << true;
        QTest::newRow("diamond")
            << 4 << QList<QPair<int, int>> { { 1, 0 }, { 2, 0 }, { 3, 1 }, { 3, 2 } } << true;
        QTest::newRow("self reference")
            << 2 << QList<QPair<int, int>> { { 1, 0 }, { 1, 1 } } << true;
        QTest::newRow("two keys between the same tables")
            << 2 << QList<QPair<int, int>> { { 1, 0 }, { 1, 0 } } << true;
        QTest::newRow("cycle") << 3 << QList<QPair<int, int>> { { 1, 0 }, { 2, 1 }, { 0, 2 } }
                               << false;
        QList<QPair<int, int>> fan;
        for (int i = 1; i < 14; ++i)
            fan.append({ i, 0 });
        for (int i = 1; i < 14; i += 3)
            fan.append({ 14, i });
        QTest::newRow("a fan of thirteen, and one under four") << 15 << fan << true;
        for (int seed = 1; seed <= 6; ++seed) {
            QRandomGenerator random(seed);
            const int n = 8 + int(random.bounded(30));
            QList<QPair<int, int>> edges;
            for (int k = 0; k < n * 3 / 2; ++k) {
                const int a = int(random.bounded(n));
                const int b = int(random.bounded(n));
                if (a != b)
                    edges.append({ std::max(a, b), std::min(a, b) }); // child has the higher index
            }
            QTest::addRow("random %d (%d tables)", seed, n) << n << edges << true;
        }
    }

    void layoutKeepsItsPromises()
    {
        QFETCH(int, nodes);
        QFETCH(EdgeList, edges);
        QFETCH(bool, acyclic);
        QList<QSizeF> sizes;
        for (int i = 0; i < nodes; ++i)
            sizes.append(QSizeF(120 + (i * 37) % 90, 40 + (i * 53) % 120));
        const DiagramLayout layout = SchemaDiagramLayout::compute(sizes, edges);
        const QString broken = checkLayout(sizes, edges, layout, acyclic);
        QVERIFY2(broken.isEmpty(), qPrintable(broken));
        for (const QRectF &box : layout.nodes)
            QVERIFY(layout.bounds.contains(box));
    }

    void theCheckCatchesALineThroughABox()
    {
        // The promises above are checked for real: a line drawn straight through a third box,
        // boxes on top of each other, a child above its parent.
        const QList<QSizeF> sizes(3, QSizeF(100, 50));
        const EdgeList edges { { 2, 0 } };
        DiagramLayout layout;
        layout.nodes = { QRectF(0, 0, 100, 50), QRectF(0, 100, 100, 50), QRectF(0, 200, 100, 50) };
        layout.layerOf = { 0, 1, 2 };
        layout.edges = { { QPointF(50, 50), QPointF(50, 200) } };
        QVERIFY(
            checkLayout(sizes, edges, layout, true).contains(QStringLiteral("runs through box 1")));
        layout.edges = { { QPointF(100, 25), QPointF(120, 25), QPointF(120, 225),
                           QPointF(100, 225) } };
        QVERIFY(checkLayout(sizes, edges, layout, true).isEmpty());
        layout.nodes[1] = QRectF(50, 20, 100, 50);
        QVERIFY(checkLayout(sizes, edges, layout, true).contains(QStringLiteral("overlap")));
        layout.nodes[1] = QRectF(0, 100, 100, 50);
        layout.layerOf = { 2, 1, 0 };
        QVERIFY(checkLayout(sizes, edges, layout, true).contains(QStringLiteral("not above")));
    }

    void orderingRemovesAvoidableCrossings()
    {
        // Two parents, each with its own two children, given in an order that crosses.
        const QList<QSizeF> sizes(6, QSizeF(100, 60));
        const QList<QPair<int, int>> edges { { 2, 0 }, { 3, 1 }, { 4, 0 }, { 5, 1 } };
        const DiagramLayout layout = SchemaDiagramLayout::compute(sizes, edges);
        QCOMPARE(layout.crossings, 0);
        QVERIFY(checkLayout(sizes, edges, layout, true).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSchemaDiagram)
#include "tst_schemadiagram.moc"
