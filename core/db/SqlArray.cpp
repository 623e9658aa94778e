#include "SqlArray.h"

namespace fuelsync::SqlArray {

QString textLiteral(const QStringList &values)
{
    QString literal = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            literal += u',';
        QString element = values.at(i);
        element.replace(u'\\', QStringLiteral("\\\\"));
        element.replace(u'"', QStringLiteral("\\\""));
        literal += u'"' + element + u'"';
    }
    return literal + u'}';
}

QString intLiteral(const QList<int> &values)
{
    QStringList parts;
    for (int v : values)
        parts.append(QString::number(v));
    return u'{' + parts.join(u',') + u'}';
}

} // namespace fuelsync::SqlArray
