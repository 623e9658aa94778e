#include "SessionOptions.h"

#include "DbConnection.h"

#include <QSqlQuery>

namespace fuelsync {

ConnectionSettings SessionOptions::applyTo(const ConnectionSettings &settings) const
{
    QStringList options;
    const QString existing = settings.value(QStringLiteral("options")).trimmed();
    if (!existing.isEmpty())
        options.append(existing);
    // Later -c settings win over earlier ones, so ours come last.
    if (readOnly)
        options.append(QStringLiteral("-c default_transaction_read_only=on"));
    if (statementTimeoutMs > 0)
        options.append(QStringLiteral("-c statement_timeout=%1").arg(statementTimeoutMs));
    if (lockTimeoutMs > 0)
        options.append(QStringLiteral("-c lock_timeout=%1").arg(lockTimeoutMs));
    if (clientCheckIntervalMs > 0)
        options.append(
            QStringLiteral("-c client_connection_check_interval=%1").arg(clientCheckIntervalMs));
    ConnectionSettings result = settings;
    if (!options.isEmpty())
        result.set(QStringLiteral("options"), options.join(u' '));
    return result;
}

SessionOptions SessionOptions::inEffect(DbConnection &connection)
{
    QSqlQuery shown = connection.exec(QStringLiteral(
        "SELECT current_setting('default_transaction_read_only') = 'on', "
        "extract(epoch FROM current_setting('statement_timeout')::interval) * 1000"));
    SessionOptions options;
    if (shown.next()) {
        options.readOnly = shown.value(0).toBool();
        options.statementTimeoutMs = shown.value(1).toInt();
    }
    return options;
}

} // namespace fuelsync
