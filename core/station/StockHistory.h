#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// One fuel's stock at a station over a window of days: deliveries and sales per day, and the book
// stock at each day's end, worked from the last measured stock with the deliveries and sales
// between (book and dipped stock legitimately differ a little; a book stock below zero or above
// the tanks' capacity does not add up).
struct StockHistory
{
    struct Day
    {
        QDate day;
        QDateTime end; // the instant the day ends
        double delivered = 0; // litres
        double sold = 0; // litres
        std::optional<double> bookStock; // at the day's end
    };

    struct Delivery
    {
        QDateTime at;
        double volume = 0;
        QString supplier;
        QString invoice;
    };

    struct Finding
    {
        QDate day;
        QString text;
    };

    QString schema;
    QString stationId;
    QString fuelType;
    double current = 0; // litres measured at measuredAt
    double minimum = 0;
    double capacity = 0;
    QDateTime measuredAt;
    QDateTime from;
    QDateTime to;
    QList<Day> days; // oldest first, every day of the window
    QList<Delivery> deliveries; // oldest first
    QList<Finding> findings;
};

} // namespace fuelsync
