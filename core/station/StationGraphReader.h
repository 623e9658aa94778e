#pragma once

#include "StationGraph.h"

namespace fuelsync {

class DbConnection;

// Reads a StationGraph in a handful of indexed queries, whatever the size of nozzle_readings:
// each nozzle's latest reading comes from the (nozzle_id, recorded_at) key, the day's sales from
// the (station_id, sold_at) index, and only the day's readings are compared (each with the one
// before it).
class StationGraphReader
{
public:
    struct Options
    {
        QDate day; // whose sales; invalid: today, in the server's time zone
        int silentDays = 3; // an active nozzle without a reading for longer stands out
    };

    // Throws RequestError for a tenant schema or station that is not there.
    static StationGraph read(DbConnection &connection, const QString &schema,
                             const QString &stationId, const Options &options);
    static StationGraph read(DbConnection &connection, const QString &schema,
                             const QString &stationId);
};

} // namespace fuelsync
