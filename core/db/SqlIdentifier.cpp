#include "SqlIdentifier.h"

#include <QRegularExpression>

namespace fuelsync::SqlIdentifier {

QString quote(const QString &identifier)
{
    QString escaped = identifier;
    escaped.remove(QChar(u'\0'));
    escaped.replace(u'"', QStringLiteral("\"\""));
    return u'"' + escaped + u'"';
}

QString qualified(const QString &schema, const QString &name)
{
    return quote(schema) + u'.' + quote(name);
}

bool isPlainLowerCase(const QString &identifier)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[a-z_][a-z0-9_]{0,62}")));
    return pattern.match(identifier).hasMatch();
}

} // namespace fuelsync::SqlIdentifier
