#include "StationGraph.h"

namespace fuelsync {

int StationGraph::nozzleCount() const
{
    int count = 0;
    for (const Pump &pump : pumps)
        count += int(pump.nozzles.size());
    return count;
}

const StationGraph::Nozzle *StationGraph::nozzle(const QString &id) const
{
    for (const Pump &pump : pumps) {
        for (const Nozzle &n : pump.nozzles) {
            if (n.id == id)
                return &n;
        }
    }
    return nullptr;
}

const StationGraph::Creditor *StationGraph::creditor(const QString &id) const
{
    for (const Creditor &c : creditors) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

QList<StationGraph::Problem> StationGraph::problemsOf(const QString &subjectId) const
{
    QList<Problem> found;
    for (const Problem &problem : problems) {
        if (problem.subjectId == subjectId)
            found.append(problem);
    }
    return found;
}

} // namespace fuelsync
