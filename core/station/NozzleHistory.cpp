#include "NozzleHistory.h"

#include <cmath>

namespace fuelsync {

bool NozzleHistory::Sale::priceDiffers() const
{
    return priceInForce && std::abs(*priceInForce - pricePerLitre) > 0.0005;
}

bool NozzleHistory::Sale::volumeDiffers() const
{
    return meterMoved && std::abs(*meterMoved - volume) > 0.0005;
}

std::optional<double> NozzleHistory::priceAt(const QDateTime &at) const
{
    std::optional<double> found;
    for (const Price &price : prices) {
        if (price.validFrom > at)
            break;
        found = price.pricePerLitre;
    }
    return found;
}

} // namespace fuelsync
