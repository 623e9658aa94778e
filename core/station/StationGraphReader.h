#pragma once

#include "StationGraph.h"
#include "common/JobControl.h"

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
        QDate day; // whose sales; invalid: today in the time zone
        QString timeZone; // whose days; empty: the workstation's (HistoryWindow)
        int silentDays = 3; // a nozzle in service without a reading for longer stands out
        JobControl *control = nullptr; // cancelling it cancels the read on the server
    };

    // Throws RequestError for a tenant schema or station that is not there.
    static StationGraph read(DbConnection &connection, const QString &schema,
                             const QString &stationId, const Options &options);
    static StationGraph read(DbConnection &connection, const QString &schema,
                             const QString &stationId);

    // The tenant's stations, by name, for a picker.
    static QList<StationSummary> stations(DbConnection &connection, const QString &schema);
    // The id of the station with that id or exactly that name; RequestError when there is none.
    static QString resolveStation(DbConnection &connection, const QString &schema,
                                  const QString &idOrName);

    // How many alerts the graph holds at most: open ones (newest first), then resolved ones.
    static constexpr int maxOpenAlerts = 200;
    static constexpr int maxResolvedAlerts = 20;

private:
    static void requireTenantSchema(DbConnection &connection, const QString &schema);
    static void readCreditors(DbConnection &connection, StationGraph &graph);
    static void readInventory(DbConnection &connection, StationGraph &graph);
    static void readAlerts(DbConnection &connection, StationGraph &graph);
};

} // namespace fuelsync
