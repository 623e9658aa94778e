#pragma once

#include <QString>

namespace fuelsync {

// One condition on one column of a browsed table. The value is always bound, never spliced.
struct RowFilter
{
    enum class Op {
        Equals,
        NotEquals,
        Contains, // case-insensitive, on the value as text
        StartsWith, // case-sensitive, on the value as text
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        IsNull,
        IsNotNull,
    };

    QString column;
    Op op = Op::Equals;
    QString value;

    // "amount > 100", "name contains 'north'", "closed_at is null": for display.
    QString describe() const;
};

} // namespace fuelsync
