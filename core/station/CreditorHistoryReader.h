#pragma once

#include "CreditorHistory.h"
#include "common/JobControl.h"

#include <QDate>

namespace fuelsync {

class DbConnection;

// Reads a CreditorHistory by the (creditor_id, sold_at) and (creditor_id, paid_at) indexes. The
// balance after each event is worked back from outstanding_balance, which the database keeps as
// opening balance + credit sales - payments.
class CreditorHistoryReader
{
public:
    struct Options
    {
        QDate lastDay; // invalid: today
        QString timeZone; // whose days; empty: the workstation's (HistoryWindow)
        int days = 90;
        int maxEvents = 5000; // of each kind; the newest are kept
        JobControl *control = nullptr; // cancelling it cancels the read on the server
    };

    // Throws RequestError for a schema or creditor that is not there.
    static CreditorHistory read(DbConnection &connection, const QString &schema,
                                const QString &creditorId, const Options &options);
    static CreditorHistory read(DbConnection &connection, const QString &schema,
                                const QString &creditorId);
};

} // namespace fuelsync
