#pragma once

#include <QStringList>

namespace fuelsync::TextLists {

// "a, b, c and 12 more": a long list of names shortened for a message.
QString abbreviated(const QStringList &items, int shown = 5);

} // namespace fuelsync::TextLists
