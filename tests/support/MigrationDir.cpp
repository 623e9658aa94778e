#include "MigrationDir.h"

#include <QDir>
#include <QFile>

namespace fuelsync::test {

MigrationDir::MigrationDir()
{
    for (const char *sub : { "schema", "rollbacks", "seeds" })
        QDir(m_dir.path()).mkpath(QStringLiteral("migrations/") + QLatin1StringView(sub));
}

MigrationDir::MigrationDir(const QString &copyOf)
    : MigrationDir()
{
    for (const char *sub : { "schema", "rollbacks", "seeds" }) {
        const QDir from(copyOf + u'/' + QLatin1StringView(sub));
        for (const QString &file : from.entryList(QDir::Files))
            QFile::copy(from.filePath(file), path() + u'/' + QLatin1StringView(sub) + u'/' + file);
    }
}

QString MigrationDir::path() const
{
    return m_dir.path() + QStringLiteral("/migrations");
}

void MigrationDir::write(const QString &relative, const QByteArray &content) const
{
    QFile file(path() + u'/' + relative);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(content);
}

void MigrationDir::remove(const QString &relative) const
{
    QFile::remove(path() + u'/' + relative);
}

QString MigrationDir::header(const QString &version, const QString &scope, const QString &depends,
                             const QString &extra)
{
    return QStringLiteral("-- version: %1\n-- description: Migration %1\n-- scope: %2\n"
                          "-- depends: %3\n-- transaction: per-migration\n"
                          "-- environments: all\n%4\n")
        .arg(version, scope, depends, extra);
}

void MigrationDir::add(const QString &version, const QString &name, const QString &scope,
                       const QString &sql, const QString &rollbackSql, const QString &depends) const
{
    write(QStringLiteral("schema/%1_%2.sql").arg(version, name),
          (header(version, scope, depends) + sql + u'\n').toUtf8());
    write(QStringLiteral("rollbacks/%1_rollback_%2.sql").arg(version, name),
          (rollbackSql + u'\n').toUtf8());
}

QString problemsOf(const MigrationSet &set)
{
    QStringList lines;
    for (const MigrationProblem &p : set.problems())
        lines.append(p.text());
    return lines.join(u'\n');
}

} // namespace fuelsync::test
