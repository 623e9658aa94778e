#pragma once

#include "StockHistory.h"
#include "common/JobControl.h"

namespace fuelsync {

class DbConnection;

// Reads a StockHistory: deliveries by the (station_id, delivered_at) index, sales of the fuel by
// the (station_id, sold_at) index, per day in the server's time zone.
class StockHistoryReader
{
public:
    struct Options
    {
        QDate lastDay; // invalid: today
        QString timeZone; // whose days; empty: the workstation's (HistoryWindow)
        int days = 30;
        JobControl *control = nullptr; // cancelling it cancels the read on the server
    };

    // Throws RequestError for a schema without inventory, or a station or fuel it has no stock
    // row for.
    static StockHistory read(DbConnection &connection, const QString &schema,
                             const QString &stationId, const QString &fuelType,
                             const Options &options);
    static StockHistory read(DbConnection &connection, const QString &schema,
                             const QString &stationId, const QString &fuelType);

    // Book stock is worked out only when the measurement is this close to the window (the
    // station's sales in between are read).
    static constexpr int maxDaysFromMeasurement = 62;
};

} // namespace fuelsync
