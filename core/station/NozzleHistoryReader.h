#pragma once

#include "NozzleHistory.h"
#include "common/JobControl.h"

#include <QDate>

namespace fuelsync {

class DbConnection;

// Reads one nozzle's NozzleHistory in four indexed queries whatever the size of the tables: the
// readings by the (nozzle_id, recorded_at) key, the sales by (nozzle_id, sold_at), the prices by
// (station_id, fuel_type, valid_from).
class NozzleHistoryReader
{
public:
    struct Options
    {
        QDate lastDay; // the window ends with this day; invalid: today
        QString timeZone; // whose days; empty: the workstation's (HistoryWindow)
        int days = 30; // and starts this many days before
        int maxReadings = 10000; // the newest are kept when there are more
        JobControl *control = nullptr; // cancelling it cancels the read on the server
    };

    // Throws RequestError for a schema or nozzle that is not there.
    static NozzleHistory read(DbConnection &connection, const QString &schema,
                              const QString &nozzleId, const Options &options);
    static NozzleHistory read(DbConnection &connection, const QString &schema,
                              const QString &nozzleId);
};

} // namespace fuelsync
