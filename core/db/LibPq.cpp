#include "LibPq.h"

#include <QCoreApplication>
#include <QLibrary>
#include <QMutex>

#include <libpq-fe.h>

namespace fuelsync::LibPq {
namespace {

struct Symbols
{
    decltype(&PQconninfoParse) conninfoParse = nullptr;
    decltype(&PQconninfoFree) conninfoFree = nullptr;
    decltype(&PQfreemem) freemem = nullptr;
    decltype(&PQgetCancel) getCancel = nullptr;
    decltype(&PQcancel) cancel = nullptr;
    decltype(&PQfreeCancel) freeCancel = nullptr;
    decltype(&PQtransactionStatus) transactionStatus = nullptr;
    decltype(&PQsetNoticeProcessor) setNoticeProcessor = nullptr;
    decltype(&PQsendQueryParams) sendQueryParams = nullptr;
    decltype(&PQsendQuery) sendQuery = nullptr;
    decltype(&PQsetSingleRowMode) setSingleRowMode = nullptr;
    decltype(&PQgetResult) getResult = nullptr;
    decltype(&PQresultStatus) resultStatus = nullptr;
    decltype(&PQresultErrorField) resultErrorField = nullptr;
    decltype(&PQerrorMessage) errorMessage = nullptr;
    decltype(&PQstatus) status = nullptr;
    decltype(&PQnfields) nfields = nullptr;
    decltype(&PQntuples) ntuples = nullptr;
    decltype(&PQfname) fname = nullptr;
    decltype(&PQftype) ftype = nullptr;
    decltype(&PQgetvalue) getvalue = nullptr;
    decltype(&PQgetlength) getlength = nullptr;
    decltype(&PQgetisnull) getisnull = nullptr;
    decltype(&PQcmdStatus) cmdStatus = nullptr;
    decltype(&PQclear) clear = nullptr;
    decltype(&PQgetCopyData) getCopyData = nullptr;
    decltype(&PQputCopyEnd) putCopyEnd = nullptr;
    QString loadError;
};

template<typename F> bool resolve(QLibrary &lib, const char *name, F &target)
{
    target = reinterpret_cast<F>(lib.resolve(name));
    return target != nullptr;
}

const Symbols &symbols()
{
    static const Symbols loaded = [] {
        Symbols s;
        QLibrary lib(QStringLiteral("pq"), 5);
        if (!lib.load()) {
            s.loadError = QCoreApplication::translate("LibPq", "cannot load libpq (libpq.so.5): %1")
                              .arg(lib.errorString());
            return s;
        }
        const bool ok = resolve(lib, "PQconninfoParse", s.conninfoParse)
            && resolve(lib, "PQconninfoFree", s.conninfoFree)
            && resolve(lib, "PQfreemem", s.freemem) && resolve(lib, "PQgetCancel", s.getCancel)
            && resolve(lib, "PQcancel", s.cancel) && resolve(lib, "PQfreeCancel", s.freeCancel)
            && resolve(lib, "PQtransactionStatus", s.transactionStatus)
            && resolve(lib, "PQsetNoticeProcessor", s.setNoticeProcessor)
            && resolve(lib, "PQsendQueryParams", s.sendQueryParams)
            && resolve(lib, "PQsendQuery", s.sendQuery)
            && resolve(lib, "PQsetSingleRowMode", s.setSingleRowMode)
            && resolve(lib, "PQgetResult", s.getResult)
            && resolve(lib, "PQresultStatus", s.resultStatus)
            && resolve(lib, "PQresultErrorField", s.resultErrorField)
            && resolve(lib, "PQerrorMessage", s.errorMessage) && resolve(lib, "PQstatus", s.status)
            && resolve(lib, "PQnfields", s.nfields) && resolve(lib, "PQntuples", s.ntuples)
            && resolve(lib, "PQfname", s.fname) && resolve(lib, "PQftype", s.ftype)
            && resolve(lib, "PQgetvalue", s.getvalue) && resolve(lib, "PQgetlength", s.getlength)
            && resolve(lib, "PQgetisnull", s.getisnull) && resolve(lib, "PQcmdStatus", s.cmdStatus)
            && resolve(lib, "PQclear", s.clear) && resolve(lib, "PQgetCopyData", s.getCopyData)
            && resolve(lib, "PQputCopyEnd", s.putCopyEnd);
        if (!ok)
            s.loadError =
                QCoreApplication::translate("LibPq", "libpq lacks a required function: %1")
                    .arg(lib.errorString());
        // The library stays loaded for the life of the process (QLibrary does not unload on
        // destruction).
        return s;
    }();
    return loaded;
}

} // namespace

bool available(QString *error)
{
    const Symbols &s = symbols();
    if (!s.loadError.isEmpty() && error)
        *error = s.loadError;
    return s.loadError.isEmpty();
}

std::optional<QList<ConninfoValue>> parseConninfo(const QString &conninfo, QString *error)
{
    if (!available(error))
        return std::nullopt;
    const Symbols &s = symbols();
    char *message = nullptr;
    const QByteArray utf8 = conninfo.toUtf8();
    PQconninfoOption *options = s.conninfoParse(utf8.constData(), &message);
    if (!options) {
        if (error) {
            *error = message ? QString::fromUtf8(message).trimmed()
                             : QCoreApplication::translate("LibPq", "out of memory");
        }
        if (message)
            s.freemem(message);
        return std::nullopt;
    }
    QList<ConninfoValue> values;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (o->val)
            values.append({ QString::fromUtf8(o->keyword), QString::fromUtf8(o->val) });
    }
    s.conninfoFree(options);
    return values;
}

void *getCancel(void *pgconn)
{
    if (!pgconn || !available(nullptr))
        return nullptr;
    return symbols().getCancel(static_cast<PGconn *>(pgconn));
}

bool cancel(void *cancelHandle, QString *error)
{
    if (!cancelHandle || !available(error))
        return false;
    char buffer[256] = {};
    const int ok = symbols().cancel(static_cast<PGcancel *>(cancelHandle), buffer, sizeof buffer);
    if (!ok && error)
        *error = QString::fromUtf8(buffer);
    return ok != 0;
}

TransactionState transactionState(void *pgconn)
{
    if (!pgconn || !available(nullptr))
        return TransactionState::Unknown;
    switch (symbols().transactionStatus(static_cast<PGconn *>(pgconn))) {
    case PQTRANS_IDLE:
        return TransactionState::Idle;
    case PQTRANS_ACTIVE:
        return TransactionState::Active;
    case PQTRANS_INTRANS:
        return TransactionState::InTransaction;
    case PQTRANS_INERROR:
        return TransactionState::InError;
    case PQTRANS_UNKNOWN:
        break;
    }
    return TransactionState::Unknown;
}

void setNoticeReceiver(void *pgconn, NoticeReceiver receiver, void *context)
{
    if (pgconn && available(nullptr))
        symbols().setNoticeProcessor(static_cast<PGconn *>(pgconn), receiver, context);
}

void freeCancel(void *cancelHandle)
{
    if (cancelHandle && available(nullptr))
        symbols().freeCancel(static_cast<PGcancel *>(cancelHandle));
}

namespace {

QString field(const Symbols &s, const PGresult *result, int code)
{
    const char *value = s.resultErrorField(result, code);
    return value ? QString::fromUtf8(value) : QString();
}

ServerError errorOf(const Symbols &s, PGconn *conn, const PGresult *result)
{
    ServerError error;
    if (result) {
        error.sqlState = field(s, result, PG_DIAG_SQLSTATE);
        error.message = field(s, result, PG_DIAG_MESSAGE_PRIMARY);
        error.detail = field(s, result, PG_DIAG_MESSAGE_DETAIL);
        error.hint = field(s, result, PG_DIAG_MESSAGE_HINT);
        error.context = field(s, result, PG_DIAG_CONTEXT);
        error.position = field(s, result, PG_DIAG_STATEMENT_POSITION).toInt();
    }
    if (error.message.isEmpty())
        error.message = QString::fromUtf8(s.errorMessage(conn)).trimmed();
    error.connectionBad = s.status(conn) != CONNECTION_OK;
    return error;
}

void readRows(const Symbols &s, const PGresult *result, qint64 maxRows, int cellLimit,
              StatementResult &into)
{
    const int fields = s.nfields(result);
    if (into.columns.isEmpty()) {
        for (int f = 0; f < fields; ++f)
            into.columns.append({ QString::fromUtf8(s.fname(result, f)), s.ftype(result, f) });
    }
    const int tuples = s.ntuples(result);
    for (int t = 0; t < tuples; ++t) {
        if (into.rows.size() >= maxRows) {
            ++into.rowsLeftOut;
            continue;
        }
        ResultRow row;
        row.cells.reserve(fields);
        row.nulls.resize(fields);
        row.truncated.resize(fields);
        for (int f = 0; f < fields; ++f) {
            if (s.getisnull(result, t, f)) {
                row.nulls.setBit(f);
                row.cells.append(QString());
                continue;
            }
            const int length = s.getlength(result, t, f);
            QString text = QString::fromUtf8(s.getvalue(result, t, f), length);
            if (cellLimit > 0 && text.size() > cellLimit) {
                text.truncate(cellLimit);
                row.truncated.setBit(f);
            }
            row.cells.append(std::move(text));
        }
        into.rows.append(std::move(row));
    }
}

} // namespace

std::optional<StatementResult> execAlone(void *pgconn, const QString &sql, qint64 maxRows,
                                         int cellLimit, ServerError *error)
{
    ServerError failure;
    QString loadError;
    if (!pgconn || !available(&loadError)) {
        failure.message = loadError.isEmpty() ? QStringLiteral("no connection") : loadError;
        failure.connectionBad = true;
        if (error)
            *error = failure;
        return std::nullopt;
    }
    const Symbols &s = symbols();
    auto *conn = static_cast<PGconn *>(pgconn);
    const QByteArray text = sql.toUtf8();
    if (!s.sendQueryParams(conn, text.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0)) {
        if (error)
            *error = errorOf(s, conn, nullptr);
        return std::nullopt;
    }
    s.setSingleRowMode(conn);
    StatementResult result;
    bool failed = false;
    // Every result is read to the end (libpq's rule before the next command), the first error
    // kept.
    while (PGresult *r = s.getResult(conn)) {
        switch (s.resultStatus(r)) {
        case PGRES_SINGLE_TUPLE:
        case PGRES_TUPLES_OK:
            result.kind = StatementResult::Kind::Rows;
            readRows(s, r, maxRows, cellLimit, result);
            if (s.resultStatus(r) == PGRES_TUPLES_OK)
                result.commandTag = QString::fromUtf8(s.cmdStatus(r));
            break;
        case PGRES_COMMAND_OK:
            if (result.kind != StatementResult::Kind::CopyOut)
                result.kind = StatementResult::Kind::Command;
            result.commandTag = QString::fromUtf8(s.cmdStatus(r));
            break;
        case PGRES_EMPTY_QUERY:
            result.kind = StatementResult::Kind::Empty;
            break;
        case PGRES_COPY_OUT: {
            result.kind = StatementResult::Kind::CopyOut;
            char *buffer = nullptr;
            while (s.getCopyData(conn, &buffer, 0) > 0) {
                ++result.rowsLeftOut;
                s.freemem(buffer);
                buffer = nullptr;
            }
            break;
        }
        case PGRES_COPY_IN:
        case PGRES_COPY_BOTH:
            s.putCopyEnd(conn, "FuelSync Admin sends no COPY data");
            break;
        default:
            if (!failed) {
                failed = true;
                failure = errorOf(s, conn, r);
            }
            break;
        }
        s.clear(r);
    }
    if (!failed && s.status(conn) != CONNECTION_OK) {
        failed = true;
        failure = errorOf(s, conn, nullptr);
    }
    if (failed) {
        if (error)
            *error = failure;
        return std::nullopt;
    }
    return result;
}

bool execSimple(void *pgconn, const QString &sql, ServerError *error)
{
    QString loadError;
    if (!pgconn || !available(&loadError)) {
        if (error) {
            error->message = loadError.isEmpty() ? QStringLiteral("no connection") : loadError;
            error->connectionBad = true;
        }
        return false;
    }
    const Symbols &s = symbols();
    auto *conn = static_cast<PGconn *>(pgconn);
    if (!s.sendQuery(conn, sql.toUtf8().constData())) {
        if (error)
            *error = errorOf(s, conn, nullptr);
        return false;
    }
    bool failed = false;
    while (PGresult *r = s.getResult(conn)) {
        const ExecStatusType status = s.resultStatus(r);
        if (!failed && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK
            && status != PGRES_EMPTY_QUERY) {
            failed = true;
            if (error)
                *error = errorOf(s, conn, r);
        }
        s.clear(r);
    }
    if (!failed && s.status(conn) != CONNECTION_OK) {
        failed = true;
        if (error)
            *error = errorOf(s, conn, nullptr);
    }
    return !failed;
}

} // namespace fuelsync::LibPq
