#pragma once

#include "station/CreditorHistory.h"
#include "station/NozzleHistory.h"
#include "station/StockHistory.h"

#include <QCoreApplication>

class QChart;

namespace fuelsync {

// The charts of a station's drill-downs, built from what core read. Each series has a name (its
// legend), so a test can find it; the caller owns the chart.
class StationCharts
{
    Q_DECLARE_TR_FUNCTIONS(StationCharts)

public:
    // The meter over time; the readings that went down in red.
    static QChart *nozzleMeter(const NozzleHistory &history);
    // Each sale's litres (in red when its price or volume does not add up) and, on the right
    // axis, the price in force as steps.
    static QChart *nozzleSales(const NozzleHistory &history);
    // What the customer owed after each event, the credit limit, and the payments.
    static QChart *creditorBalance(const CreditorHistory &history);
    // The book stock at each day's end, the reorder level and capacity, litres sold per day and
    // deliveries.
    static QChart *stock(const StockHistory &history);

    // Series names, as the legend shows them.
    static QString meterSeriesName() { return tr("Meter (L)"); }
    static QString wentDownSeriesName() { return tr("Went down"); }
    static QString salesSeriesName() { return tr("Sale (L)"); }
    static QString offSeriesName() { return tr("Does not add up"); }
    static QString priceSeriesName() { return tr("Price in force (₹/L)"); }
    static QString owedSeriesName() { return tr("Owed (₹)"); }
    static QString limitSeriesName() { return tr("Credit limit"); }
    static QString paymentsSeriesName() { return tr("Payments (₹)"); }
    static QString bookStockSeriesName() { return tr("Book stock (L)"); }
    static QString minimumSeriesName() { return tr("Reorder level"); }
    static QString soldSeriesName() { return tr("Sold per day (L)"); }
    static QString deliveredSeriesName() { return tr("Deliveries (L)"); }
};

} // namespace fuelsync
