#include "BackupSchemaSelection.h"

#include "PgDumpTool.h"
#include "common/RequestError.h"

#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

namespace fuelsync {

namespace {

// "123; 2615 16463 SCHEMA - tenant_a owner": the entry's id and what follows the catalog ids.
struct ListLine
{
    qint64 id = -1;
    QByteArray rest;
};

ListLine parse(const QByteArray &line)
{
    static const QRegularExpression entry(QStringLiteral("^\\s*(\\d+);\\s+\\d+\\s+\\d+\\s+(.*)$"));
    const QRegularExpressionMatch m = entry.match(QString::fromUtf8(line));
    if (!m.hasMatch())
        return {};
    return { m.captured(1).toLongLong(), m.captured(2).toUtf8() };
}

// The name as pg_dump writes it in a tag: quoted unless it is plain lower case (a keyword is
// quoted too, so both forms are taken).
QList<QByteArray> tagForms(const QString &schema)
{
    QString quoted = schema;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return { schema.toUtf8(), (u'"' + quoted + u'"').toUtf8() };
}

} // namespace

QByteArray BackupSchemaSelection::select(const QByteArray &wholeList, const QByteArray &schemaList,
                                         const QString &schema, bool *holdsSchema)
{
    if (holdsSchema)
        *holdsSchema = false;
    QSet<qint64> inSchema;
    for (const QByteArray &line : schemaList.split('\n')) {
        const ListLine l = parse(line);
        if (l.id >= 0)
            inSchema.insert(l.id);
    }
    // The schema's own entries: its definition (tagged with its bare name) and what is said of
    // it (tagged "SCHEMA <name as written in SQL>"), each followed by its owner.
    const QByteArray definition = "SCHEMA - " + schema.toUtf8() + ' ';
    QList<QByteArray> own { definition };
    for (const QByteArray &form : tagForms(schema)) {
        for (const char *desc : { "COMMENT", "ACL", "SECURITY LABEL" })
            own.append(QByteArray(desc) + " - SCHEMA " + form + ' ');
    }
    QByteArray selected;
    for (const QByteArray &line : wholeList.split('\n')) {
        const ListLine l = parse(line);
        if (l.id < 0)
            continue;
        const bool isDefinition = l.rest.startsWith(definition) || l.rest + ' ' == definition;
        if (isDefinition && holdsSchema)
            *holdsSchema = true;
        bool keep = inSchema.contains(l.id);
        for (const QByteArray &prefix : own)
            keep = keep || l.rest.startsWith(prefix) || l.rest + ' ' == prefix;
        if (keep)
            selected += line + '\n';
    }
    return selected;
}

QByteArray BackupSchemaSelection::withoutDefinition(const QByteArray &wholeList,
                                                    const QString &schema, QString *owner)
{
    const QByteArray definition = "SCHEMA - " + schema.toUtf8() + ' ';
    QByteArray kept;
    for (const QByteArray &line : wholeList.split('\n')) {
        const ListLine l = parse(line);
        if (l.id < 0)
            continue;
        if (l.rest.startsWith(definition) || l.rest + ' ' == definition) {
            *owner = QString::fromUtf8(l.rest.mid(definition.size())).trimmed();
            continue;
        }
        kept += line + '\n';
    }
    return kept;
}

namespace {

QByteArray listOf(const PgDumpTool &tool, const QProcessEnvironment &environment,
                  const QString &archive, const QStringList &options)
{
    const PgDumpTool::Run list = PgDumpTool::run(
        tool.pgRestore,
        QStringList { QStringLiteral("--list") } + options + QStringList { archive }, environment);
    if (!list.ok)
        throw RequestError(
            BackupSchemaSelection::tr("pg_restore cannot list %1: %2").arg(archive, list.error));
    return list.output;
}

void save(const QByteArray &list, const QString &listFile)
{
    QSaveFile file(listFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(list) < 0 || !file.commit())
        throw RequestError(BackupSchemaSelection::tr("cannot write %1").arg(listFile));
}

} // namespace

void BackupSchemaSelection::write(const PgDumpTool &tool, const QProcessEnvironment &environment,
                                  const QString &archive, const QString &schema,
                                  const QString &listFile)
{
    // pg_restore takes the name as it is, not as a pattern.
    bool holdsSchema = false;
    const QByteArray selected =
        select(listOf(tool, environment, archive, {}),
               listOf(tool, environment, archive, { QStringLiteral("--schema=") + schema }), schema,
               &holdsSchema);
    if (!holdsSchema)
        throw RequestError(tr("%1 does not hold the schema %2").arg(archive, schema));
    save(selected, listFile);
}

QString BackupSchemaSelection::writeWithoutDefinition(const PgDumpTool &tool,
                                                      const QProcessEnvironment &environment,
                                                      const QString &archive, const QString &schema,
                                                      const QString &listFile)
{
    QString owner;
    save(withoutDefinition(listOf(tool, environment, archive, {}), schema, &owner), listFile);
    return owner;
}

} // namespace fuelsync
