#include "AuditEntry.h"

#include <QJsonArray>

namespace fuelsync {

QString AuditEntry::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Done:
        return QStringLiteral("done");
    case Outcome::Failed:
        return QStringLiteral("failed");
    case Outcome::Cancelled:
        return QStringLiteral("cancelled");
    case Outcome::Refused:
        return QStringLiteral("refused");
    }
    return {};
}

AuditEntry::Outcome AuditEntry::outcomeFrom(const QString &name)
{
    if (name == u"failed")
        return Outcome::Failed;
    if (name == u"cancelled")
        return Outcome::Cancelled;
    if (name == u"refused")
        return Outcome::Refused;
    return Outcome::Done;
}

QString AuditEntry::summary() const
{
    QStringList parts;
    for (auto it = what.constBegin(); it != what.constEnd(); ++it) {
        QString value;
        if (it->isArray()) {
            QStringList items;
            const QJsonArray array = it->toArray();
            for (const auto &item : array)
                items.append(item.isString() ? item.toString() : QString::number(item.toDouble()));
            if (items.size() > 6)
                items = items.mid(0, 5) << QStringLiteral("… (%1)").arg(array.size());
            value = items.join(QStringLiteral(", "));
        } else if (it->isString()) {
            value = it->toString();
        } else if (it->isBool()) {
            value = it->toBool() ? QStringLiteral("yes") : QStringLiteral("no");
        } else if (it->isDouble()) {
            value = QString::number(it->toDouble());
        }
        if (!value.isEmpty())
            parts.append(QStringLiteral("%1: %2").arg(it.key(), value));
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace fuelsync
