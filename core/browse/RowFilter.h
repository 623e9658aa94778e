#pragma once

#include <QString>
#include <QStringList>

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
        // The rows whose key (`column`, then `otherKeyColumns`) is set but refers to no row of
        // the parent (parentSchema.parentTable's parentColumns, in the same order): a foreign
        // key's orphans (MATCH SIMPLE), whether the key is there or not.
        HasNoParent,
    };

    QString column;
    Op op = Op::Equals;
    QString value;
    QStringList otherKeyColumns = {}; // HasNoParent only
    QString parentSchema = {};
    QString parentTable = {};
    QStringList parentColumns = {};

    // "amount > 100", "name contains 'north'", "closed_at is null": for display.
    QString describe() const;
};

} // namespace fuelsync
