#pragma once

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

bool available(QString *error);

} // namespace LibPq
} // namespace fuelsync
