#pragma once

#include "migrationfiles/MigrationFile.h"

#include <QString>

namespace fuelsync {

// `migrate create`: writes the next-numbered migration file and its rollback file, with their
// headers filled in.
class MigrationScaffold
{
public:
    struct Created
    {
        QString version;
        QString schemaFile;
        QString rollbackFile;
        QString depends; // the version its header depends on; empty when there is none
    };

    // Throws RequestError when the name is unusable or a file already exists.
    static Created create(const QString &migrationsDirectory, const QString &name,
                          MigrationScope scope);
    // "Add new feature" -> "add_new_feature"; empty when nothing usable is left.
    static QString fileNamePart(const QString &name);
    static QString nextVersion(const QString &schemaDirectory);
};

} // namespace fuelsync
