#include "QueryHistory.h"

#include "common/AdminSettings.h"

#include <QUrl>

namespace fuelsync {

QueryHistory::QueryHistory(const QString &key)
    : m_group(
        QStringLiteral("queryHistory/")
        + QString::fromLatin1(QUrl::toPercentEncoding(key.isEmpty() ? QStringLiteral("-") : key)))
{ }

QList<QueryHistory::Entry> QueryHistory::entries() const
{
    auto settings = AdminSettings::open();
    QList<Entry> result;
    const int size = settings->beginReadArray(m_group);
    for (int i = 0; i < size; ++i) {
        settings->setArrayIndex(i);
        Entry entry;
        entry.sql = settings->value(QStringLiteral("sql")).toString();
        entry.at = QDateTime::fromString(settings->value(QStringLiteral("at")).toString(),
                                         Qt::ISODateWithMs);
        entry.tenant = settings->value(QStringLiteral("tenant")).toString();
        entry.ms = settings->value(QStringLiteral("ms"), -1).toLongLong();
        entry.outcome = settings->value(QStringLiteral("outcome")).toString();
        if (!entry.sql.isEmpty())
            result.append(entry);
    }
    settings->endArray();
    return result;
}

void QueryHistory::add(const Entry &entry)
{
    QList<Entry> list = entries();
    list.removeIf([&entry](const Entry &e) { return e.sql.trimmed() == entry.sql.trimmed(); });
    list.prepend(entry);
    while (list.size() > kept)
        list.removeLast();
    auto settings = AdminSettings::open();
    settings->remove(m_group);
    settings->beginWriteArray(m_group, int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        settings->setArrayIndex(i);
        const Entry &e = list.at(i);
        settings->setValue(QStringLiteral("sql"), e.sql);
        settings->setValue(QStringLiteral("at"), e.at.toUTC().toString(Qt::ISODateWithMs));
        settings->setValue(QStringLiteral("tenant"), e.tenant);
        settings->setValue(QStringLiteral("ms"), e.ms);
        settings->setValue(QStringLiteral("outcome"), e.outcome);
    }
    settings->endArray();
}

void QueryHistory::clear()
{
    AdminSettings::open()->remove(m_group);
}

QList<QueryHistory::Entry> QueryHistory::matching(const QList<Entry> &entries, const QString &text)
{
    const QStringList words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    QList<Entry> result;
    for (const Entry &entry : entries) {
        bool all = true;
        for (const QString &word : words)
            all = all && entry.sql.contains(word, Qt::CaseInsensitive);
        if (all)
            result.append(entry);
    }
    return result;
}

} // namespace fuelsync
