#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// One station of a tenant as a support person looks at it when its owner calls: its pumps, each
// pump's nozzles (fuel type), each nozzle's latest reading and the day's sales; its credit
// customers, its stock per fuel and its alerts; and what does not add up.
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

    struct Creditor
    {
        QString id;
        QString name;
        bool active = true;
        double creditLimit = 0; // INR
        double outstanding = 0; // INR owed now
        QDateTime lastPaymentAt; // invalid: never paid
    };

    struct Stock
    {
        QString fuelType;
        double current = 0; // litres
        double minimum = 0; // reorder level
        double capacity = 0;
        QDateTime measuredAt; // last_updated_at
    };

    struct Alert
    {
        QString id;
        QString type; // low_stock, credit_limit, reading_anomaly, price_change
        QString severity; // info, warning, critical
        QString message;
        bool read = false;
        QDateTime createdAt;
        QDateTime resolvedAt; // invalid: open
    };

    struct Problem
    {
        enum class Kind {
            ReadingWentDown, // a reading lower than the one before it on the same nozzle
            SaleWithoutReading, // a sale whose reading is not there
            SilentNozzle, // an active nozzle with no reading for days
            SoldOffPrice, // sales of the day charged another price than the one in force
            OverCreditLimit, // a creditor owing more than the limit
            StockBelowMinimum, // a fuel's stock under its reorder level
        };
        Kind kind = Kind::ReadingWentDown;
        QString subjectId; // the nozzle's or creditor's id, or the fuel type for stock
        QDateTime at;
        QString text; // for a person
    };

    QString schema;
    QString stationId;
    QString name;
    QString city;
    QString status;
    QDate day;
    QString timeZone; // whose day it is (IANA name)
    QList<Pump> pumps;
    // Empty, and the flag false, where the tenant's schema does not have the table (yet).
    bool hasCredit = false;
    QList<Creditor> creditors;
    bool hasInventory = false;
    QList<Stock> inventory;
    bool hasAlerts = false;
    QList<Alert> alerts; // the open ones, newest first, then the latest resolved ones
    int openAlerts = 0;
    QList<Problem> problems;

    int nozzleCount() const;
    const Nozzle *nozzle(const QString &id) const;
    const Creditor *creditor(const QString &id) const;
    QList<Problem> problemsOf(const QString &subjectId) const;
};

// A station as a picker lists it.
struct StationSummary
{
    QString id;
    QString name;
    QString city;
    QString status;
};

} // namespace fuelsync
