#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace fuelsync {

// One credit customer over a window of days: the credit sales and the payments, in order, with
// what the customer owed after each (worked back from the balance the database keeps now).
struct CreditorHistory
{
    struct Event
    {
        enum class Kind { Sale, Payment };
        Kind kind = Kind::Sale;
        QDateTime at;
        double amount = 0; // INR, positive
        double volume = 0; // litres, for a sale
        QString detail; // a sale's fuel; a payment's method and reference
        double balanceAfter = 0; // INR owed after it
        bool overLimit = false; // a sale that left the balance above the credit limit
    };

    QString schema;
    QString creditorId;
    QString stationId;
    QString name;
    bool active = true;
    double creditLimit = 0; // now
    double outstanding = 0; // now
    QDateTime from;
    QDateTime to;
    double balanceAtStart = 0; // owed at `from` (when truncated: after the newest event left out)
    bool truncated = false; // more events than the reader keeps: the oldest were left out
    QList<Event> events; // oldest first
    double sold() const; // credit sales in the window, INR
    double paid() const; // payments in the window, INR
};

} // namespace fuelsync
