#include "CreditorHistoryReader.h"

#include "HistoryWindow.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/ReadSnapshot.h"
#include "db/SqlIdentifier.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

namespace fuelsync {

CreditorHistory CreditorHistoryReader::read(DbConnection &connection, const QString &schema,
                                            const QString &creditorId)
{
    return read(connection, schema, creditorId, Options());
}

CreditorHistory CreditorHistoryReader::read(DbConnection &connection, const QString &schema,
                                            const QString &creditorId, const Options &options)
{
    const auto cancels = connection.cancelWith(options.control);
    const QString s = SqlIdentifier::quote(schema);
    if (!connection.relationExists(schema, QStringLiteral("creditors")))
        throw RequestError(
            QCoreApplication::translate("CreditorHistoryReader", "%1 has no creditors table")
                .arg(schema));
    const auto noCreditor = [&] {
        return RequestError(
            QCoreApplication::translate("CreditorHistoryReader", "there is no creditor %1 in %2")
                .arg(creditorId, schema));
    };
    if (QUuid::fromString(creditorId).isNull())
        throw noCreditor();
    const ReadSnapshot snapshot(connection); // the balance and the events of one moment
    CreditorHistory history;
    history.schema = schema;
    history.creditorId = creditorId;
    QSqlQuery creditor =
        connection.exec(QStringLiteral("SELECT station_id::text, name, is_active, credit_limit, "
                                       "outstanding_balance FROM %1.creditors WHERE id = ?::uuid")
                            .arg(s),
                        { creditorId });
    if (!creditor.next())
        throw noCreditor();
    history.stationId = creditor.value(0).toString();
    history.name = creditor.value(1).toString();
    history.active = creditor.value(2).toBool();
    history.creditLimit = creditor.value(3).toDouble();
    history.outstanding = creditor.value(4).toDouble();
    const HistoryWindow window =
        HistoryWindow::of(connection, options.lastDay, options.days, options.timeZone);
    history.from = window.from;
    history.to = window.to;
    const QString from = window.fromText;
    const QString to = window.toText;
    const int keep = std::max(1, options.maxEvents);

    using Event = CreditorHistory::Event;
    QList<Event> sales;
    QSqlQuery saleRows = connection.exec(
        QStringLiteral("SELECT s.sold_at, s.amount, s.volume, coalesce(n.fuel_type, '') "
                       "FROM %1.sales s LEFT JOIN %1.nozzles n ON n.id = s.nozzle_id "
                       "WHERE s.creditor_id = ?::uuid AND s.sold_at >= ?::timestamptz "
                       "AND s.sold_at < ?::timestamptz ORDER BY s.sold_at DESC, s.id LIMIT ?")
            .arg(s),
        { creditorId, from, to, keep + 1 });
    while (saleRows.next()) {
        Event e;
        e.kind = Event::Kind::Sale;
        e.at = saleRows.value(0).toDateTime();
        e.amount = saleRows.value(1).toDouble();
        e.volume = saleRows.value(2).toDouble();
        e.detail = saleRows.value(3).toString();
        sales.append(e);
    }
    QList<Event> payments;
    QSqlQuery paymentRows = connection.exec(
        QStringLiteral("SELECT paid_at, amount, payment_method, coalesce(reference_number, '') "
                       "FROM %1.credit_payments WHERE creditor_id = ?::uuid "
                       "AND paid_at >= ?::timestamptz AND paid_at < ?::timestamptz "
                       "ORDER BY paid_at DESC, id LIMIT ?")
            .arg(s),
        { creditorId, from, to, keep + 1 });
    while (paymentRows.next()) {
        Event e;
        e.kind = Event::Kind::Payment;
        e.at = paymentRows.value(0).toDateTime();
        e.amount = paymentRows.value(1).toDouble();
        const QString reference = paymentRows.value(3).toString();
        e.detail = paymentRows.value(2).toString()
            + (reference.isEmpty() ? QString() : QStringLiteral(" · ") + reference);
        payments.append(e);
    }
    // When either kind had more than it keeps, its events up to the newest one left out are
    // incomplete: the history then starts after that instant, for both kinds.
    QDateTime cut = window.from;
    bool afterCut = false;
    for (QList<Event> *list : { &sales, &payments }) {
        if (list->size() > keep) {
            history.truncated = true;
            if (!afterCut || list->at(keep).at > cut)
                cut = list->at(keep).at;
            afterCut = true;
            list->resize(keep);
        }
    }
    for (const QList<Event> *list : { &sales, &payments }) {
        for (const Event &e : *list) {
            if (afterCut ? e.at > cut : e.at >= cut)
                history.events.append(e);
        }
    }
    std::stable_sort(history.events.begin(), history.events.end(),
                     [](const Event &a, const Event &b) { return a.at < b.at; });

    // Owed at the window's end: now, less what came after it.
    QSqlQuery after = connection.exec(
        QStringLiteral("SELECT (SELECT coalesce(sum(amount), 0) FROM %1.sales "
                       "WHERE creditor_id = ?::uuid AND sold_at >= ?::timestamptz), "
                       "(SELECT coalesce(sum(amount), 0) FROM %1.credit_payments "
                       "WHERE creditor_id = ?::uuid AND paid_at >= ?::timestamptz)")
            .arg(s),
        { creditorId, to, creditorId, to });
    after.next();
    double balance = history.outstanding - after.value(0).toDouble() + after.value(1).toDouble();
    for (qsizetype i = history.events.size() - 1; i >= 0; --i) {
        Event &e = history.events[i];
        e.balanceAfter = balance;
        e.overLimit = e.kind == Event::Kind::Sale && balance > history.creditLimit + 0.005;
        balance += e.kind == Event::Kind::Sale ? -e.amount : e.amount;
    }
    history.balanceAtStart = balance;
    if (history.truncated)
        history.from = cut;
    return history;
}

} // namespace fuelsync
