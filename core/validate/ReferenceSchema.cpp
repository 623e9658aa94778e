#include "ReferenceSchema.h"

#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/ScratchDatabase.h"
#include "migrate/MigrationRunner.h"
#include "migrationfiles/MigrationSet.h"
#include "sandbox/LocalCluster.h"
#include "tenants/TenantProvisioner.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace fuelsync {

namespace {

// Raised when what a reference holds, or how it is read, changes: older cache entries are then
// built again.
constexpr int cacheFormat = 5;

// The first failure of a run, as "file:line: message", or the run's own error.
QString failureOf(const MigrationRunReport &report)
{
    for (const MigrationProblem &refusal : report.refusals)
        return refusal.file.isEmpty() ? refusal.message
                                      : QStringLiteral("%1: %2").arg(refusal.file, refusal.message);
    for (const SchemaOutcome &schema : report.schemas) {
        for (const StepOutcome &step : schema.steps) {
            if (step.status == StepStatus::Failed)
                return QStringLiteral("%1: %2").arg(step.location(), step.error);
        }
        if (!schema.error.isEmpty())
            return schema.error;
    }
    return report.error;
}

QJsonArray foreignKeysToJson(const QList<ReferenceSchema::ForeignKey> &keys)
{
    QJsonArray array;
    for (const ReferenceSchema::ForeignKey &key : keys) {
        array.append(QJsonObject {
            { QStringLiteral("name"), key.name },
            { QStringLiteral("table"), key.table },
            { QStringLiteral("columns"), QJsonArray::fromStringList(key.columns) },
            { QStringLiteral("parentInPublic"), key.parentInPublic },
            { QStringLiteral("parentTable"), key.parentTable },
            { QStringLiteral("parentColumns"), QJsonArray::fromStringList(key.parentColumns) } });
    }
    return array;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue item : array)
        list.append(item.toString());
    return list;
}

QList<ReferenceSchema::ForeignKey> foreignKeysFromJson(const QJsonValue &value)
{
    QList<ReferenceSchema::ForeignKey> keys;
    const QJsonArray array = value.toArray();
    for (const QJsonValue item : array) {
        const QJsonObject o = item.toObject();
        keys.append({ o.value(QStringLiteral("name")).toString(),
                      o.value(QStringLiteral("table")).toString(),
                      stringList(o.value(QStringLiteral("columns"))),
                      o.value(QStringLiteral("parentInPublic")).toBool(),
                      o.value(QStringLiteral("parentTable")).toString(),
                      stringList(o.value(QStringLiteral("parentColumns"))) });
    }
    return keys;
}

// The foreign keys of `schema` in the scratch database, with their columns in key order.
QList<ReferenceSchema::ForeignKey> readForeignKeys(DbConnection &connection, const QString &schema)
{
    QSqlQuery query = connection.exec(
        QStringLiteral(
            "SELECT con.conname::text, cl.relname::text, fn.nspname = 'public', "
            "       fcl.relname::text, "
            "       (SELECT string_agg(a.attname::text, chr(1) ORDER BY k.ord) "
            "          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
            "          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), "
            "       (SELECT string_agg(a.attname::text, chr(1) ORDER BY k.ord) "
            "          FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) "
            "          JOIN pg_attribute a ON a.attrelid = con.confrelid "
            "           AND a.attnum = k.attnum) "
            "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
            "JOIN pg_namespace n ON n.oid = cl.relnamespace "
            "JOIN pg_class fcl ON fcl.oid = con.confrelid "
            "JOIN pg_namespace fn ON fn.oid = fcl.relnamespace "
            "WHERE con.contype = 'f' AND n.nspname = ? ORDER BY 2, 1"),
        { schema });
    QList<ReferenceSchema::ForeignKey> keys;
    while (query.next()) {
        keys.append({ query.value(0).toString(), query.value(1).toString(),
                      query.value(4).toString().split(QChar(1)), query.value(2).toBool(),
                      query.value(3).toString(), query.value(5).toString().split(QChar(1)) });
    }
    return keys;
}

} // namespace

QString ReferenceSchema::tenantSchemaName()
{
    return QStringLiteral("fuelsync_reference_tenant");
}

QString ReferenceSchema::cacheKey(const MigrationSet &set, const MigrationVersion &version,
                                  int serverMajorVersion)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QStringLiteral("format %1 server %2 version %3\n")
                     .arg(cacheFormat)
                     .arg(serverMajorVersion)
                     .arg(version.text())
                     .toUtf8());
    for (const MigrationFile &file : set.migrations()) {
        if (version < file.version)
            break;
        hash.addData(QStringLiteral("%1 %2 %3\n")
                         .arg(file.version.text(), scopeName(file.scope), file.checksum)
                         .toUtf8());
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString ReferenceSchema::defaultCacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
        + QStringLiteral("/fuelsync-admin/references");
}

ReferenceSchema ReferenceSchema::obtain(const ConnectionSettings &settings, const MigrationSet &set,
                                        const MigrationVersion &version, int serverMajorVersion,
                                        const QString &cacheDir, JobControl &control)
{
    const QString key = cacheKey(set, version, serverMajorVersion);
    const QString path = cacheDir.isEmpty() ? QString() : QDir(cacheDir).filePath(key + u".json");
    if (!path.isEmpty()) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
            if (json.value(QStringLiteral("key")).toString() == key) {
                ReferenceSchema cached;
                cached.version = version.text();
                cached.publicSchema =
                    SchemaSnapshot::fromJson(json.value(QStringLiteral("public")).toObject());
                cached.tenantSchema =
                    SchemaSnapshot::fromJson(json.value(QStringLiteral("tenant")).toObject());
                cached.tenantDigest = json.value(QStringLiteral("tenantDigest")).toString();
                cached.publicForeignKeys =
                    foreignKeysFromJson(json.value(QStringLiteral("publicForeignKeys")));
                cached.tenantForeignKeys =
                    foreignKeysFromJson(json.value(QStringLiteral("tenantForeignKeys")));
                cached.fromCache = true;
                return cached;
            }
        }
    }
    ReferenceSchema built = build(settings, set, version, serverMajorVersion, control);
    if (!path.isEmpty() && QDir().mkpath(cacheDir)) {
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly)) {
            const QJsonObject json {
                { QStringLiteral("key"), key },
                { QStringLiteral("version"), version.text() },
                { QStringLiteral("public"), built.publicSchema.toJson() },
                { QStringLiteral("tenant"), built.tenantSchema.toJson() },
                { QStringLiteral("tenantDigest"), built.tenantDigest },
                { QStringLiteral("publicForeignKeys"), foreignKeysToJson(built.publicForeignKeys) },
                { QStringLiteral("tenantForeignKeys"), foreignKeysToJson(built.tenantForeignKeys) }
            };
            file.write(QJsonDocument(json).toJson(QJsonDocument::Compact));
            file.commit(); // a cache that cannot be written only costs a build next time
        }
    }
    return built;
}

ReferenceSchema ReferenceSchema::build(const ConnectionSettings &settings, const MigrationSet &set,
                                       const MigrationVersion &version, int serverMajorVersion,
                                       JobControl &control)
{
    control.setStep(tr("building the reference schema of %1").arg(version.text()));
    QString whyNotHere;
    {
        auto connection = DbConnection::open(settings, QStringLiteral("validate reference"));
        QSqlQuery may = connection->exec(QStringLiteral(
            "SELECT rolcreatedb OR rolsuper, current_setting('default_transaction_read_only') "
            "FROM pg_roles WHERE rolname = current_user"));
        const bool canCreate = may.next() && may.value(0).toBool();
        const bool readOnly = may.value(1).toString() == u"on";
        if (readOnly)
            whyNotHere = tr("this session is read-only");
        else if (!canCreate)
            whyNotHere =
                tr("%1 may not create a database (CREATEDB)").arg(connection->currentUser());
    }
    if (whyNotHere.isEmpty())
        return buildIn(settings, set, version, control);
    return buildLocally(set, version, serverMajorVersion, whyNotHere, control);
}

ReferenceSchema ReferenceSchema::buildLocally(const MigrationSet &set,
                                              const MigrationVersion &version,
                                              int serverMajorVersion, const QString &whyNotHere,
                                              JobControl &control)
{
    // A login that may not create a database (support on a read-only profile) still validates:
    // the files run in a throwaway cluster of the server's major version on this machine, the
    // sandbox's machinery, removed afterwards.
    const auto cannot = [&](const QString &why) {
        return RequestError(tr("cannot build the reference schema of %1: it is built in a scratch "
                               "database, and on the server %2; %3")
                                .arg(version.text(), whyNotHere, why));
    };
    QString error;
    std::optional<PostgresTools> tools = PostgresTools::fromDirectory(
        QStringLiteral("/usr/lib/postgresql/%1/bin").arg(serverMajorVersion), &error);
    if (!tools) {
        tools = PostgresTools::locate(&error);
        if (tools && tools->majorVersion() != serverMajorVersion)
            tools.reset();
    }
    if (!tools)
        throw cannot(tr("there is no PostgreSQL %1 on this machine to build it in (install "
                        "postgresql-%1)")
                         .arg(serverMajorVersion));
    control.setStep(tr("building the reference schema of %1 in a local PostgreSQL %2")
                        .arg(version.text())
                        .arg(serverMajorVersion));
    QTemporaryDir work(QDir::tempPath() + QStringLiteral("/fuelsync-reference-XXXXXX"));
    // The server runs as the postgres user when this is root: it must reach its folder.
    if (!work.isValid()
        || !QFile::setPermissions(work.path(),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                      | QFileDevice::ExeOwner | QFileDevice::ReadOther
                                      | QFileDevice::ExeOther))
        throw cannot(tr("no temporary folder for a local cluster"));
    LocalCluster cluster(work.filePath(QStringLiteral("cluster")));
    LocalClusterOptions options;
    options.fastUnsafe = true; // thrown away at once
    options.name = QStringLiteral("fuelsync-reference");
    options.tools = tools;
    if (!cluster.initialize(options, &error) || !cluster.start(&error))
        throw cannot(error);
    struct Remove
    {
        LocalCluster &cluster;
        ~Remove()
        {
            QString ignored;
            cluster.destroy(&ignored);
        }
    } remove { cluster };
    control.throwIfCancelled();
    return buildIn(cluster.connectionSettings(QStringLiteral("postgres")), set, version, control);
}

ReferenceSchema ReferenceSchema::buildIn(const ConnectionSettings &settings,
                                         const MigrationSet &set, const MigrationVersion &version,
                                         JobControl &control)
{
    const ScratchDatabase scratch(settings, QStringLiteral("fuelsync_reference_"));
    // The reference's own migration steps are not the validation's progress; a cancel still
    // reaches them.
    JobControl steps;
    const JobControl::CancelHook followCancel = control.onCancel([&steps] { steps.cancel(); });

    MigrationRunOptions options;
    options.target = version;
    options.jobs = 1;
    options.runner = QStringLiteral("fuelsync validate (reference)");
    options.environment = DeploymentEnvironment::Development;
    const MigrationRunReport publicRun =
        MigrationRunner(scratch.settings(), set, options).run(steps);
    if (publicRun.exitCode() != 0) {
        control.throwIfCancelled();
        throw RequestError(tr("cannot build the reference schema of %1: %2")
                               .arg(version.text(), failureOf(publicRun)));
    }

    TenantProvisioner::Options tenant;
    tenant.schema = tenantSchemaName();
    tenant.name = QStringLiteral("reference");
    tenant.target = version;
    tenant.environment = DeploymentEnvironment::Development;
    tenant.runner = options.runner;
    const TenantProvisioner::Report created =
        TenantProvisioner::create(scratch.settings(), set, tenant, steps);
    if (created.exitCode != 0) {
        control.throwIfCancelled();
        const QString why = created.migration ? failureOf(*created.migration) : created.error;
        throw RequestError(tr("cannot build the reference schema of %1: %2")
                               .arg(version.text(), why.isEmpty() ? created.error : why));
    }

    auto connection = DbConnection::open(scratch.settings(), QStringLiteral("validate reference"));
    const QHash<QString, SchemaSnapshot> read =
        SchemaSnapshot::captureEach(*connection, { QStringLiteral("public"), tenantSchemaName() });
    ReferenceSchema reference;
    reference.version = version.text();
    reference.publicSchema = read.value(QStringLiteral("public"));
    reference.tenantSchema = read.value(tenantSchemaName());
    reference.tenantDigest = SchemaSnapshot::fingerprintEach(*connection, { tenantSchemaName() })
                                 .value(tenantSchemaName());
    reference.publicForeignKeys = readForeignKeys(*connection, QStringLiteral("public"));
    reference.tenantForeignKeys = readForeignKeys(*connection, tenantSchemaName());
    return reference;
}

} // namespace fuelsync
