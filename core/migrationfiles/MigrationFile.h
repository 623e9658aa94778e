#pragma once

#include "MigrationVersion.h"
#include "environment/DeploymentEnvironment.h"
#include "sql/SqlScript.h"

#include <QList>
#include <QString>

namespace fuelsync {

enum class MigrationScope { Public, Tenant };
enum class TransactionMode { PerMigration, None };

QString scopeName(MigrationScope scope);
QString transactionModeName(TransactionMode mode);

// A header line `-- lint-ack: <rule> <reason>`: the file breaks a lint rule on purpose.
struct LintAcknowledgement
{
    QString rule;
    QString reason;
    int line = 0;
};

// One schema migration file and its rollback file, as read from disk.
struct MigrationFile
{
    MigrationVersion version;
    QString name; // file name without the version prefix and extension: "add_inventory_system"
    QString description;
    MigrationScope scope = MigrationScope::Tenant;
    QList<MigrationVersion> depends;
    TransactionMode transaction = TransactionMode::PerMigration;
    QList<DeploymentEnvironment> environments; // empty: all
    QString irreversibleReason; // non-empty: no rollback by design
    QList<LintAcknowledgement> lintAcknowledgements;

    QString path; // absolute path
    QString displayPath; // "migrations/schema/003_add_inventory_system.sql", for messages
    QString sql;
    QString checksum; // SHA-256 (hex) of the file, CRLF read as LF
    SqlScript script;

    QString rollbackPath;
    QString rollbackDisplayPath;
    QString rollbackSql;
    SqlScript rollbackScript;

    bool isReversible() const { return irreversibleReason.isEmpty(); }
    bool appliesIn(DeploymentEnvironment environment) const
    {
        return environments.isEmpty() || environments.contains(environment);
    }
    QString label() const { return version.text() + u' ' + description; }
};

} // namespace fuelsync
