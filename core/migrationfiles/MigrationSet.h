#pragma once

#include "MigrationFile.h"

#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace fuelsync {

// Something wrong with the migration files, found before anything runs.
struct MigrationProblem
{
    MigrationProblem() = default;
    MigrationProblem(QString file_, int line_, QString message_, QString rule_ = {})
        : file(std::move(file_))
        , line(line_)
        , message(std::move(message_))
        , rule(std::move(rule_))
    { }

    QString file; // display path, or empty for the set as a whole
    int line = 0; // 0 when not about one line
    QString message;
    QString rule; // the lint rule this breaks, for `migrate lint`; empty: "file-problem"

    QString text() const; // "migrations/schema/003_x.sql:12: message"
    // Each problem's text() on a line of its own, after `indent`.
    static QString lines(const QList<MigrationProblem> &problems, const QString &indent = {});
};

// All migrations of a directory (`schema/` and `rollbacks/` under it), read and checked as a
// whole. Loading never stops at the first problem: every problem of every file is collected, so a
// maintainer fixes them in one pass, and a set with problems is never run.
class MigrationSet
{
public:
    static MigrationSet load(const QString &migrationsDirectory);

    const QString &directory() const { return m_directory; }
    const QList<MigrationFile> &migrations() const { return m_migrations; } // ascending versions
    const QList<MigrationProblem> &problems() const { return m_problems; }
    bool isValid() const { return m_problems.isEmpty(); }

    const MigrationFile *find(const MigrationVersion &version) const;
    std::optional<MigrationVersion> latest() const;
    // The newest migration of one scope (public's, or the tenants').
    std::optional<MigrationVersion> latest(MigrationScope scope) const;

    // Checks the SQL of a file against its transaction mode; used by load() and by tests.
    static QList<MigrationProblem>
    checkTransactionUse(const SqlScript &script, TransactionMode mode, const QString &displayPath);

    // The checksum the runner records: SHA-256 of the file's bytes, with CRLF read as LF so a
    // Windows checkout of the same file matches.
    static QString checksumOf(const QByteArray &fileContent);

private:
    void loadSchemaFiles(const QString &schemaDirectory);
    void loadRollbackFiles(const QString &rollbackDirectory);
    void checkVersionsAndDependencies();

    QString m_directory;
    QString m_displayRoot;
    QList<MigrationFile> m_migrations;
    QList<MigrationProblem> m_problems;
};

} // namespace fuelsync
