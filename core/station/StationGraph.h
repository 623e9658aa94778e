#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// One station of a tenant as a support person looks at it when its owner calls: its pumps, each
// pump's nozzles (fuel type), each nozzle's latest reading and the day's sales, and what does not
// add up.
struct StationGraph
{
    struct Reading
    {
        double value = 0; // litres on the nozzle's meter
        QDateTime at;
    };

    struct Nozzle
    {
        QString id;
        int number = 0;
        QString fuelType;
        QString status;
        std::optional<Reading> latest;
        int sales = 0; // on the day
        double volume = 0; // litres sold on the day
        double amount = 0; // INR
    };

    struct Pump
    {
        QString id;
        QString label;
        QString status;
        QList<Nozzle> nozzles;
    };

    struct Problem
    {
        enum class Kind {
            ReadingWentDown, // a reading lower than the one before it on the same nozzle
            SaleWithoutReading, // a sale whose reading is not there
            SilentNozzle, // an active nozzle with no reading for days
        };
        Kind kind = Kind::ReadingWentDown;
        QString nozzleId;
        QDateTime at;
        QString text; // for a person
    };

    QString schema;
    QString stationId;
    QString name;
    QDate day;
    QList<Pump> pumps;
    QList<Problem> problems;

    int nozzleCount() const;
    const Nozzle *nozzle(const QString &id) const;
    QList<Problem> problemsOf(const QString &nozzleId) const;
};

} // namespace fuelsync
