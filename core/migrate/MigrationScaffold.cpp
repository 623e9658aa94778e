#include "MigrationScaffold.h"

#include "migrationfiles/MigrationSet.h"
#include "common/RequestError.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QSaveFile>

namespace fuelsync {

namespace {

void writeNewFile(const QString &path, const QString &content)
{
    if (QFile::exists(path))
        throw RequestError(QCoreApplication::translate("MigrationScaffold",
                                                       "%1 already exists; nothing was written")
                               .arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content.toUtf8()) < 0 || !file.commit())
        throw RequestError(QCoreApplication::translate("MigrationScaffold", "cannot write %1: %2")
                               .arg(path, file.errorString()));
}

} // namespace

QString MigrationScaffold::fileNamePart(const QString &name)
{
    QString part = name.trimmed().toLower();
    part.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("_"));
    part.replace(QRegularExpression(QStringLiteral("^_+|_+$")), QString());
    return part.left(60);
}

QString MigrationScaffold::nextVersion(const QString &schemaDirectory)
{
    static const QRegularExpression prefix(QStringLiteral("^([0-9]+)"));
    qulonglong highest = 0;
    int width = 3;
    const QStringList files =
        QDir(schemaDirectory).entryList({ QStringLiteral("*.sql") }, QDir::Files);
    for (const QString &file : files) {
        const auto match = prefix.match(file);
        if (!match.hasMatch())
            continue;
        const qulonglong number = match.captured(1).toULongLong();
        if (number >= highest) {
            highest = number;
            width = std::max(3, int(match.captured(1).size()));
        }
    }
    return QStringLiteral("%1").arg(highest + 1, width, 10, QLatin1Char('0'));
}

MigrationScaffold::Created MigrationScaffold::create(const QString &migrationsDirectory,
                                                     const QString &name, MigrationScope scope)
{
    const QString part = fileNamePart(name);
    if (part.isEmpty())
        throw RequestError(QCoreApplication::translate(
            "MigrationScaffold", "--name needs letters or digits, e.g. --name=add_opening_date"));
    const QDir root(migrationsDirectory);
    if (!root.mkpath(QStringLiteral("schema")) || !root.mkpath(QStringLiteral("rollbacks")))
        throw RequestError(QCoreApplication::translate("MigrationScaffold",
                                                       "cannot create the migration folders in %1")
                               .arg(migrationsDirectory));

    Created created;
    created.version = nextVersion(root.filePath(QStringLiteral("schema")));
    created.schemaFile =
        root.filePath(QStringLiteral("schema/%1_%2.sql").arg(created.version, part));
    created.rollbackFile =
        root.filePath(QStringLiteral("rollbacks/%1_rollback_%2.sql").arg(created.version, part));

    // It depends on the newest migration of its scope, or, for the first tenant migration, on
    // public's first (which creates the registry the tenants live in).
    QString depends;
    {
        const MigrationSet existing = MigrationSet::load(migrationsDirectory);
        if (const auto newest = existing.latest(scope)) {
            depends = newest->text();
        } else if (scope == MigrationScope::Tenant) {
            for (const MigrationFile &migration : existing.migrations()) {
                if (migration.scope == MigrationScope::Public) {
                    depends = migration.version.text();
                    break;
                }
            }
        }
    }
    created.depends = depends;

    QString description = part;
    description.replace(u'_', u' ');
    description[0] = description.at(0).toUpper();

    const QString where = scope == MigrationScope::Tenant
        ? QCoreApplication::translate(
            "MigrationScaffold",
            "once per tenant schema, with search_path = <tenant>, public (leave tenant tables "
            "unqualified)")
        : QCoreApplication::translate("MigrationScaffold", "once, in the public schema");
    const QString schemaText =
        QStringLiteral("-- version: %1\n"
                       "-- description: %2\n"
                       "-- scope: %3\n"
                       "-- depends:%4\n"
                       "-- transaction: per-migration\n"
                       "-- environments: all\n"
                       "\n"
                       "-- %5\n"
                       "-- %6\n"
                       "-- %7\n")
            .arg(created.version, description, scopeName(scope),
                 depends.isEmpty() ? QString() : u' ' + depends,
                 QCoreApplication::translate("MigrationScaffold",
                                             "Write the change below. It runs %1,")
                     .arg(where),
                 QCoreApplication::translate(
                     "MigrationScaffold",
                     "in one transaction together with its schema_migrations row."),
                 QCoreApplication::translate(
                     "MigrationScaffold",
                     "Once applied anywhere, never edit this file: add a new migration instead."));
    const QString rollbackText =
        QStringLiteral("-- rollback: %1\n"
                       "-- description: Undo %2\n"
                       "\n"
                       "-- %3\n"
                       "-- %4\n")
            .arg(created.version, description.toLower(),
                 QCoreApplication::translate("MigrationScaffold",
                                             "Write the SQL that exactly undoes %1_%2.sql.")
                     .arg(created.version, part),
                 QCoreApplication::translate("MigrationScaffold",
                                             "It is recorded when the migration is applied; "
                                             "'migrate down' runs that copy."));
    writeNewFile(created.schemaFile, schemaText);
    try {
        writeNewFile(created.rollbackFile, rollbackText);
    } catch (const RequestError &) {
        QFile::remove(created.schemaFile);
        throw;
    }
    return created;
}

} // namespace fuelsync
