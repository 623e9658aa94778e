#include "ExplainPlan.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fuelsync {
namespace {

PlanNode nodeFrom(const QJsonObject &o)
{
    PlanNode node;
    node.kind = o.value(QStringLiteral("Node Type")).toString();
    if (o.contains(QStringLiteral("Join Type")) && node.kind.endsWith(u"Join"))
        node.kind = o.value(QStringLiteral("Join Type")).toString() + u' ' + node.kind;
    const QString relation = o.value(QStringLiteral("Relation Name")).toString();
    const QString schema = o.value(QStringLiteral("Schema")).toString();
    const QString alias = o.value(QStringLiteral("Alias")).toString();
    if (!relation.isEmpty())
        node.relation = schema.isEmpty() ? relation : schema + u'.' + relation;
    if (!relation.isEmpty() && !alias.isEmpty() && alias != relation)
        node.relation += u' ' + alias;
    const QString index = o.value(QStringLiteral("Index Name")).toString();
    if (!index.isEmpty())
        node.relation += (node.relation.isEmpty() ? QString() : QStringLiteral(" using ")) + index;
    if (node.relation.isEmpty())
        node.relation = o.value(QStringLiteral("CTE Name")).toString();
    QStringList details;
    for (const char *key :
         { "Index Cond", "Hash Cond", "Merge Cond", "Join Filter", "Filter", "Recheck Cond" }) {
        const QString value = o.value(QLatin1StringView(key)).toString();
        if (!value.isEmpty())
            details.append(QStringLiteral("%1: %2").arg(QLatin1StringView(key), value));
    }
    for (const char *key : { "Sort Key", "Group Key" }) {
        const QJsonArray values = o.value(QLatin1StringView(key)).toArray();
        if (!values.isEmpty()) {
            QStringList texts;
            for (const auto &v : values)
                texts.append(v.toString());
            details.append(QStringLiteral("%1: %2").arg(QLatin1StringView(key),
                                                        texts.join(QStringLiteral(", "))));
        }
    }
    node.detail = details.join(QStringLiteral("; "));
    node.startupCost = o.value(QStringLiteral("Startup Cost")).toDouble();
    node.totalCost = o.value(QStringLiteral("Total Cost")).toDouble();
    node.planRows = o.value(QStringLiteral("Plan Rows")).toDouble();
    node.analyzed = o.contains(QStringLiteral("Actual Rows"));
    node.loops = o.value(QStringLiteral("Actual Loops")).toDouble();
    node.actualRows = o.value(QStringLiteral("Actual Rows")).toDouble() * std::max(1.0, node.loops);
    node.totalMs = o.value(QStringLiteral("Actual Total Time")).toDouble() * node.loops;
    node.sharedHit = o.value(QStringLiteral("Shared Hit Blocks")).toInteger();
    node.sharedRead = o.value(QStringLiteral("Shared Read Blocks")).toInteger();
    double childMs = 0;
    double childCost = 0;
    for (const auto &child : o.value(QStringLiteral("Plans")).toArray()) {
        node.children.append(nodeFrom(child.toObject()));
        childMs += node.children.last().totalMs;
        childCost += node.children.last().totalCost;
    }
    node.ownMs = std::max(0.0, node.totalMs - childMs);
    node.ownCost = std::max(0.0, node.totalCost - childCost);
    return node;
}

PlanNode *costliest(PlanNode &node, bool analyzed, PlanNode *best)
{
    const double value = analyzed ? node.ownMs : node.ownCost;
    if (!best || value > (analyzed ? best->ownMs : best->ownCost))
        best = &node;
    for (PlanNode &child : node.children)
        best = costliest(child, analyzed, best);
    return best;
}

} // namespace

ExplainPlan ExplainPlan::fromJson(const QString &json, QString *error)
{
    ExplainPlan plan;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &parseError);
    const QJsonObject top = document.array().first().toObject();
    if (parseError.error != QJsonParseError::NoError || !top.contains(QStringLiteral("Plan"))) {
        if (error)
            *error = QCoreApplication::translate("ExplainPlan", "not a plan EXPLAIN gave: %1")
                         .arg(parseError.errorString());
        return plan;
    }
    plan.root = nodeFrom(top.value(QStringLiteral("Plan")).toObject());
    plan.analyzed = plan.root.analyzed;
    if (top.contains(QStringLiteral("Planning Time")))
        plan.planningMs = top.value(QStringLiteral("Planning Time")).toDouble();
    if (top.contains(QStringLiteral("Execution Time")))
        plan.executionMs = top.value(QStringLiteral("Execution Time")).toDouble();
    if (PlanNode *worst = costliest(plan.root, plan.analyzed, nullptr))
        worst->costliest = true;
    return plan;
}

QString ExplainPlan::statementFor(const QString &statement, bool analyze)
{
    return (analyze ? QStringLiteral("EXPLAIN (FORMAT JSON, ANALYZE, BUFFERS) ")
                    : QStringLiteral("EXPLAIN (FORMAT JSON) "))
        + statement;
}

} // namespace fuelsync
