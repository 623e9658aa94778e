#include "LintRule.h"

#include <QCoreApplication>

namespace fuelsync {

namespace {

QList<LintRule> makeRules()
{
    using S = LintRule::Severity;
    return {
        { QStringLiteral("not-null-without-default"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "Adding a NOT NULL column without a default fails on a table that has rows, and "
              "the failure comes only in production, where the tables are not empty."),
          QCoreApplication::translate(
              "LintRule",
              "Add the column with a DEFAULT (a constant default does not rewrite the table), or "
              "add it nullable, fill it in batches, then set NOT NULL through a validated CHECK "
              "constraint."),
          true },
        { QStringLiteral("rewriting-default"), S::Warning,
          QCoreApplication::translate(
              "LintRule",
              "A new column whose default is computed row by row (a volatile function such as "
              "gen_random_uuid() or clock_timestamp(), a serial or identity column, a stored "
              "generated column) rewrites the whole table under an ACCESS EXCLUSIVE lock."),
          QCoreApplication::translate(
              "LintRule",
              "Add the column without a default (or with a constant one), set the default in a "
              "separate statement, and fill the existing rows in batches."),
          true },
        { QStringLiteral("set-not-null"), S::Warning,
          QCoreApplication::translate(
              "LintRule",
              "SET NOT NULL on an existing column scans the whole table under an ACCESS "
              "EXCLUSIVE lock: reads and writes wait for the scan."),
          QCoreApplication::translate(
              "LintRule",
              "First ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID, then VALIDATE "
              "CONSTRAINT (which lets traffic through), then SET NOT NULL, which uses the "
              "validated check instead of a scan."),
          true },
        { QStringLiteral("index-without-concurrently"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "CREATE INDEX on an existing table blocks every write to it until the index is "
              "built, which on a large table is minutes of failed sales and readings."),
          QCoreApplication::translate(
              "LintRule",
              "Build it with CREATE INDEX CONCURRENTLY in a file of its own with the header "
              "'-- transaction: none', and IF NOT EXISTS so that a retry after a failure works."),
          true },
        { QStringLiteral("fk-not-deferrable"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "FuelSync's rule: foreign keys are DEFERRABLE, so that related rows can be written "
              "in any order within a transaction (seeds, restores, tenant copies)."),
          QCoreApplication::translate(
              "LintRule",
              "Add DEFERRABLE INITIALLY IMMEDIATE to the foreign key (the check still runs at "
              "each statement unless a transaction defers it)."),
          true },
        { QStringLiteral("fk-without-index"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "Without an index on the referencing columns, every delete or key update in the "
              "referenced table scans the referencing table, under lock."),
          QCoreApplication::translate(
              "LintRule",
              "Create an index whose leading columns are the foreign key's columns (in the same "
              "migration for a new table; CONCURRENTLY for an existing one)."),
          true },
        { QStringLiteral("constraint-without-not-valid"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "A new CHECK or FOREIGN KEY on an existing table is checked against every row "
              "while the table is locked; a new UNIQUE or PRIMARY KEY builds its index under an "
              "ACCESS EXCLUSIVE lock."),
          QCoreApplication::translate(
              "LintRule",
              "Add a CHECK or FOREIGN KEY with NOT VALID, then VALIDATE CONSTRAINT in a later "
              "statement (it does not block writes); for UNIQUE or PRIMARY KEY, build a unique "
              "index CONCURRENTLY and add the constraint USING INDEX."),
          true },
        { QStringLiteral("column-type-change"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "Changing a column's type rewrites the table and its indexes under an ACCESS "
              "EXCLUSIVE lock (except a few binary-compatible changes), and can break the "
              "application code that reads it."),
          QCoreApplication::translate(
              "LintRule",
              "Add a new column of the new type, fill it in batches, switch the application over, "
              "then drop the old column in a later release; acknowledge the finding if the change "
              "is binary-compatible (varchar(n) to a larger n or to text)."),
          true },
        { QStringLiteral("drop-table"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "DROP TABLE destroys the table's data; its rollback can recreate the table but not "
              "the rows."),
          QCoreApplication::translate(
              "LintRule",
              "Stop using the table first, keep a backup, and drop it in a release after; "
              "acknowledge the finding with the reason once that is done."),
          true },
        { QStringLiteral("drop-column"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "DROP COLUMN destroys the column's data, and a running application that still "
              "reads or writes the column fails."),
          QCoreApplication::translate(
              "LintRule",
              "Stop using the column in the application first, then drop it in a later release; "
              "acknowledge the finding with the reason."),
          true },
        { QStringLiteral("truncate-table"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "TRUNCATE deletes every row of the table, in every tenant the "
              "migration runs in; no rollback brings them back."),
          QCoreApplication::translate(
              "LintRule",
              "Delete only the rows the change needs, with a WHERE clause; "
              "acknowledge the finding if the table only ever holds derived data."),
          true },
        { QStringLiteral("drop-schema"), S::Error,
          QCoreApplication::translate(
              "LintRule", "DROP SCHEMA removes everything in it: for a tenant, all of its data."),
          QCoreApplication::translate(
              "LintRule",
              "Drop a tenant's schema through tenant removal with a backup, not in a migration."),
          true },
        { QStringLiteral("rename-table"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "Renaming a table breaks every query of the running application that uses the old "
              "name, from the moment the migration commits."),
          QCoreApplication::translate(
              "LintRule",
              "Create the new name as a view or a new table, move the application over, then "
              "remove the old name in a later release."),
          true },
        { QStringLiteral("rename-column"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "Renaming a column breaks every query of the running application that uses the old "
              "name, from the moment the migration commits."),
          QCoreApplication::translate(
              "LintRule",
              "Add the new column, write both, move the readers over, then drop the old column in "
              "a later release."),
          true },
        { QStringLiteral("table-without-primary-key"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "A table without a primary key has no stable row identity: rows cannot be told "
              "apart, logical replication cannot update them, and the data grid falls back to "
              "physical row addresses."),
          QCoreApplication::translate(
              "LintRule",
              "Give the table a PRIMARY KEY (a surrogate uuid or identity column if nothing "
              "natural fits)."),
          true },
        { QStringLiteral("missing-rollback"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "A migration without a rollback cannot be undone by 'migrate down' when a release "
              "is pulled back."),
          QCoreApplication::translate(
              "LintRule",
              "Add the rollback file, or say '-- irreversible: <why>' in the header when the "
              "change cannot be undone by design."),
          false },
        { QStringLiteral("irreversible"), S::Warning,
          QCoreApplication::translate(
              "LintRule",
              "This migration has no rollback by design: once it runs, going back means "
              "restoring a backup."),
          QCoreApplication::translate("LintRule", "Take a backup before it runs in production."),
          false },
        { QStringLiteral("transaction-control"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "BEGIN, COMMIT or ROLLBACK inside a file the runner already runs in one transaction "
              "ends that transaction mid-way: a failure after it leaves the schema half changed "
              "and the version unrecorded."),
          QCoreApplication::translate(
              "LintRule",
              "Remove the statement, or give the file '-- transaction: none' and manage "
              "transactions yourself."),
          false },
        { QStringLiteral("concurrently-in-transaction"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "CREATE INDEX CONCURRENTLY (and VACUUM, CREATE DATABASE, ...) cannot run inside a "
              "transaction block: the file fails in every schema."),
          QCoreApplication::translate(
              "LintRule",
              "Put the statement in a file of its own with the header '-- transaction: none'."),
          false },
        { QStringLiteral("public-prefix-in-tenant"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "A tenant-scope migration runs once per tenant with search_path set to that "
              "tenant; 'public.' in front of a tenant table sends every tenant's change to the "
              "same table in public."),
          QCoreApplication::translate(
              "LintRule",
              "Leave tenant tables unqualified; qualify only the platform's own tables "
              "(public.tenants, public.plans, ...)."),
          true },
        { QStringLiteral("file-problem"), S::Error,
          QCoreApplication::translate(
              "LintRule", "The runner refuses a set of migrations with a problem in any file."),
          QCoreApplication::translate("LintRule", "Correct the file as the message says."), false },
        { QStringLiteral("acknowledgement"), S::Error,
          QCoreApplication::translate(
              "LintRule",
              "An acknowledgement must name a rule this file breaks and say why the rule does "
              "not apply, so that the next reader knows."),
          QCoreApplication::translate(
              "LintRule",
              "Write '-- lint-ack: <rule> <reason>' with one of the rules 'migrate lint' "
              "reported for this file, or remove the line."),
          false },
    };
}

} // namespace

const QList<LintRule> &LintRule::all()
{
    static const QList<LintRule> rules = makeRules();
    return rules;
}

const LintRule *LintRule::find(const QString &id)
{
    for (const LintRule &rule : all()) {
        if (rule.id == id)
            return &rule;
    }
    return nullptr;
}

QString LintRule::severityName(Severity severity)
{
    return severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning");
}

} // namespace fuelsync
