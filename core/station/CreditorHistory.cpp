#include "CreditorHistory.h"

namespace fuelsync {

double CreditorHistory::sold() const
{
    double sum = 0;
    for (const Event &event : events)
        sum += event.kind == Event::Kind::Sale ? event.amount : 0;
    return sum;
}

double CreditorHistory::paid() const
{
    double sum = 0;
    for (const Event &event : events)
        sum += event.kind == Event::Kind::Payment ? event.amount : 0;
    return sum;
}

} // namespace fuelsync
