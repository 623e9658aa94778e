#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// One nozzle over a window of days: its meter readings, the sales they closed and the fuel
// prices in force, each checked against the others.
struct NozzleHistory
{
    struct Reading
    {
        QString id;
        double value = 0; // litres on the meter
        QDateTime at;
        bool wentDown = false; // lower than the reading before it
    };

    struct Sale
    {
        QDateTime at;
        double volume = 0; // litres
        double pricePerLitre = 0; // as charged
        double amount = 0; // INR
        QString paymentMethod;
        QString readingId;
        bool withoutReading = false; // its reading is not there
        std::optional<double> priceInForce; // none: no price was set for the fuel then
        std::optional<double> meterMoved; // the reading minus the one before it
        bool priceDiffers() const;
        bool volumeDiffers() const;
    };

    struct Price
    {
        QDateTime validFrom;
        double pricePerLitre = 0;
    };

    struct Finding
    {
        QDateTime at;
        QString text; // for a person
    };

    QString schema;
    QString nozzleId;
    QString stationId;
    QString pumpLabel;
    int number = 0;
    QString fuelType;
    QDateTime from; // the window: from <= t < to (from the oldest kept reading when truncated)
    QDateTime to;
    QList<Reading> readings; // oldest first
    std::optional<Reading> before; // the reading just before the window, for the first change
    bool truncated = false; // more readings than the reader keeps: the oldest were left out
    QList<Sale> sales; // oldest first
    QList<Price> prices; // the one in force at `from` (if any), then each change in the window
    QList<Finding> findings; // by time

    // The price in force at `at`, from `prices`.
    std::optional<double> priceAt(const QDateTime &at) const;
};

} // namespace fuelsync
