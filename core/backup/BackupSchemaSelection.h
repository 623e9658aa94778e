#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QString>

namespace fuelsync {

struct PgDumpTool;

// The pg_restore list (--use-list) that brings one schema out of an archive holding several:
// the entries pg_restore's own --schema picks (everything in the schema), and the schema itself
// with its comment, security labels and privileges, which --schema leaves out; in the archive's
// order, which pg_restore keeps.
class BackupSchemaSelection
{
    Q_DECLARE_TR_FUNCTIONS(BackupSchemaSelection)

public:
    // From `pg_restore --list` of the whole archive and of the archive with --schema=SCHEMA;
    // `holdsSchema` tells whether the archive has the schema's own definition.
    static QByteArray select(const QByteArray &wholeList, const QByteArray &schemaList,
                             const QString &schema, bool *holdsSchema = nullptr);

    // Every entry but the schema's own definition (CREATE SCHEMA and its owner), which is
    // given back in `owner`: for public, which every new database already has with its initial
    // privileges; restored into it, the archive's GRANTs and REVOKEs (pg_dump writes only what
    // differs from those) leave the privileges the schema had.
    static QByteArray withoutDefinition(const QByteArray &wholeList, const QString &schema,
                                        QString *owner);

    // Writes withoutDefinition() of the archive's list to `listFile`; the schema's owner.
    // Throws RequestError when pg_restore cannot list it.
    static QString writeWithoutDefinition(const PgDumpTool &tool,
                                          const QProcessEnvironment &environment,
                                          const QString &archive, const QString &schema,
                                          const QString &listFile);

    // Lists the archive both ways and writes the selection to `listFile`. Throws RequestError
    // when pg_restore cannot list it, or when the archive holds no such schema.
    static void write(const PgDumpTool &tool, const QProcessEnvironment &environment,
                      const QString &archive, const QString &schema, const QString &listFile);
};

} // namespace fuelsync
