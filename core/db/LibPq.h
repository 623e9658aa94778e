#pragma once

#include "StatementResult.h"

#include <QList>
#include <QString>

#include <optional>

namespace fuelsync {

// The few libpq functions core needs beyond what QtSql offers (libpq's own conninfo parser and
// the thread-safe cancel request). They are resolved at run time from the libpq the QPSQL driver
// has loaded, so core links nothing but QtCore and QtSql.
namespace LibPq {

struct ConninfoValue
{
    QString keyword;
    QString value;
};

// Parses a libpq connection string ("host=... dbname=...") or URI ("postgresql://...") exactly as
// libpq does. Only keywords that were given are returned.
std::optional<QList<ConninfoValue>> parseConninfo(const QString &conninfo, QString *error);

// Cancel support: getCancel() must run on the connection's own thread; cancel() may be called from
// any thread while that thread waits for a result.
void *getCancel(void *pgconn);
bool cancel(void *cancelHandle, QString *error);
void freeCancel(void *cancelHandle);

// libpq's PQtransactionStatus, without a round trip: whether the session is inside a transaction
// block and whether that transaction has failed.
enum class TransactionState { Idle, Active, InTransaction, InError, Unknown };
TransactionState transactionState(void *pgconn);

// Routes the server's notices (NOTICE, WARNING) of a connection to `receiver` instead of stderr.
using NoticeReceiver = void (*)(void *context, const char *message);
void setNoticeReceiver(void *pgconn, NoticeReceiver receiver, void *context);

// The fields of a server error (or of a failure of the connection itself: no SQLSTATE).
struct ServerError
{
    QString sqlState;
    QString message; // the primary message, or libpq's text when the server sent none
    QString detail;
    QString hint;
    QString context;
    int position = 0; // 1-based character of the statement the error points at, or 0
    bool connectionBad = false; // the session is gone
};

// Sends one statement through the extended query protocol (Parse, Bind, Execute with no
// parameters), so the server refuses text holding more than one statement. Rows come back one
// at a time (single-row mode); past `maxRows` they are read and counted, not kept, and cells
// are cut at `cellLimit` characters. COPY TO STDOUT is read and dropped; COPY FROM STDIN is
// ended with an error. Fills `error` and returns nothing when the statement failed.
std::optional<StatementResult> execAlone(void *pgconn, const QString &sql, qint64 maxRows,
                                         int cellLimit, ServerError *error);

// Sends text of the program's own through the simple query protocol (it may hold several
// statements) and reads every result; fills `error` and returns false at the first failure.
bool execSimple(void *pgconn, const QString &sql, ServerError *error);

bool available(QString *error);

} // namespace LibPq
} // namespace fuelsync
