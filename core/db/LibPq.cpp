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
            && resolve(lib, "PQsetNoticeProcessor", s.setNoticeProcessor);
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

} // namespace fuelsync::LibPq
