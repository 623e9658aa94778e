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

QList<StationGraph::Problem> StationGraph::problemsOf(const QString &nozzleId) const
{
    QList<Problem> found;
    for (const Problem &problem : problems) {
        if (problem.nozzleId == nozzleId)
            found.append(problem);
    }
    return found;
}

} // namespace fuelsync
