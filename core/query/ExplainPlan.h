#pragma once

#include <QList>
#include <QString>

namespace fuelsync {

// A plan as EXPLAIN (FORMAT JSON) gives it, as a tree: each node's kind and what it reads, the
// planner's rows, and with ANALYZE the actual rows (over all loops), its time and the buffers it
// touched. A node's own time is its total less its children's; the node with the most own time
// (or, without ANALYZE, the most own cost) is the costliest.
struct PlanNode
{
    QString kind; // "Seq Scan", "Hash Join"
    QString relation; // "demo_001.sales", or an index, a CTE; empty when none
    QString detail; // the condition or key: "Filter: (amount > 0)", "Sort Key: sold_at"
    double startupCost = 0;
    double totalCost = 0;
    double planRows = 0;
    bool analyzed = false;
    double actualRows = 0; // per loop times loops
    double loops = 0;
    double totalMs = 0; // over all loops
    double ownMs = 0; // without its children
    double ownCost = 0;
    qint64 sharedHit = 0;
    qint64 sharedRead = 0;
    bool costliest = false;
    QList<PlanNode> children;
};

struct ExplainPlan
{
    PlanNode root;
    double planningMs = -1;
    double executionMs = -1;
    bool analyzed = false;

    // From EXPLAIN (FORMAT JSON)'s one text value; an error says what was wrong.
    static ExplainPlan fromJson(const QString &json, QString *error);
    // The statement to run: EXPLAIN (FORMAT JSON[, ANALYZE, BUFFERS]) and the statement.
    static QString statementFor(const QString &statement, bool analyze);
};

} // namespace fuelsync
