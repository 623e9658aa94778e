#pragma once

#include "migrationfiles/MigrationSet.h"

#include <QTemporaryDir>

namespace fuelsync::test {

// A throwaway migrations directory (schema/, rollbacks/, seeds/) that a test fills with files.
class MigrationDir
{
public:
    MigrationDir();
    // A copy of another migrations directory (schema/, rollbacks/, seeds/), e.g. the checkout's
    // own FuelSync migrations, for a test to add to or edit.
    explicit MigrationDir(const QString &copyOf);

    QString path() const;
    // Writes a file under the directory, e.g. write("schema/001_x.sql", ...).
    void write(const QString &relative, const QByteArray &content) const;
    // A migration with the standard header, and its rollback.
    void add(const QString &version, const QString &name, const QString &scope,
             const QString &sql = QStringLiteral("SELECT 1;"),
             const QString &rollbackSql = QStringLiteral("SELECT 1;"),
             const QString &depends = {}) const;
    void remove(const QString &relative) const;
    MigrationSet load() const { return MigrationSet::load(path()); }

    static QString header(const QString &version, const QString &scope, const QString &depends = {},
                          const QString &extra = {});

private:
    QTemporaryDir m_dir;
};

// Every problem of a set as text, for failure messages.
QString problemsOf(const MigrationSet &set);

} // namespace fuelsync::test
