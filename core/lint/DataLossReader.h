#pragma once

#include <QList>
#include <QString>

namespace fuelsync {

// Reads a script for the statements that destroy data, for the warnings a person sees before
// running it (a rollback's confirmation): "drops the table pumps and all its rows". Names are as
// the script writes them; a tenant-scope script destroys them in every tenant it runs in.
class DataLossReader
{
public:
    struct Loss
    {
        enum class Kind { Table, Column, Schema, AllRows, SomeRows };
        Kind kind = Kind::Table;
        QString object; // "pumps", "stations.region", "legacy"
        int line = 0; // in the script
        QString sentence; // "drops the table pumps and all its rows"
    };

    static QList<Loss> read(const QString &sql);
};

} // namespace fuelsync
