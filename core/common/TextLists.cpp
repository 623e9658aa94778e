#include "TextLists.h"

#include <QCoreApplication>

namespace fuelsync::TextLists {

QString abbreviated(const QStringList &items, int shown)
{
    if (items.size() <= shown + 1)
        return items.join(QStringLiteral(", "));
    return QCoreApplication::translate("TextLists", "%1 and %n more", nullptr,
                                       int(items.size() - shown))
        .arg(items.mid(0, shown).join(QStringLiteral(", ")));
}

} // namespace fuelsync::TextLists
