#include "ReportText.h"

#include "common/TextLists.h"

#include <QCoreApplication>
#include <QMap>

namespace fuelsync::cli::ReportText {

namespace {

QString indent(const QString &text, int spaces)
{
    const QString pad(spaces, u' ');
    QStringList lines = text.split(u'\n');
    for (QString &line : lines)
        line.prepend(pad);
    return lines.join(u'\n');
}

// "4 in 300 tenants and 1 in public"
QString whereCounted(const MigrationRunReport &report, StepStatus status)
{
    int inPublic = 0;
    int inTenants = 0;
    int tenants = 0;
    for (const SchemaOutcome &schema : report.schemas) {
        int here = 0;
        for (const StepOutcome &step : schema.steps)
            here += step.status == status ? 1 : 0;
        if (schema.isPublic) {
            inPublic += here;
        } else if (here > 0) {
            inTenants += here;
            ++tenants;
        }
    }
    QStringList parts;
    if (inPublic > 0)
        parts.append(QCoreApplication::translate("fuelsync-db", "%n in public", nullptr, inPublic));
    if (inTenants > 0)
        parts.append(QCoreApplication::translate("fuelsync-db", "%1 in %2")
                         .arg(inTenants)
                         .arg(QCoreApplication::translate("fuelsync-db", "%n tenant schemas",
                                                          nullptr, tenants)));
    return parts.join(QCoreApplication::translate("fuelsync-db", " and "));
}

void printDryRun(const MigrationRunReport &report, QTextStream &out)
{
    out << QCoreApplication::translate(
        "fuelsync-db",
        "Dry run: everything below ran in transactions that were rolled back; nothing was "
        "changed.")
        << Qt::endl;
    // version -> (changes text -> schemas)
    QMap<QString, QMap<QString, QStringList>> changesByVersion;
    QMap<QString, QString> description;
    QMap<QString, qint64> slowest;
    QStringList order;
    for (const SchemaOutcome &schema : report.schemas) {
        for (const StepOutcome &step : schema.steps) {
            if (step.status != StepStatus::Tried)
                continue;
            if (!order.contains(step.version))
                order.append(step.version);
            description.insert(step.version, step.description);
            slowest[step.version] = std::max(slowest.value(step.version), step.durationMs);
            const QString changes = step.changes.isEmpty()
                ? QCoreApplication::translate("fuelsync-db", "(no schema changes)")
                : step.changes.join(u'\n');
            changesByVersion[step.version][changes].append(schema.schema);
        }
    }
    for (const QString &version : std::as_const(order)) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db", "%1 %2 (slowest schema %3)")
                   .arg(version, description.value(version), seconds(slowest.value(version)))
            << Qt::endl;
        const auto &groups = changesByVersion.value(version);
        int shown = 0;
        for (auto it = groups.cbegin(); it != groups.cend() && shown < 3; ++it, ++shown) {
            out << "  "
                << QCoreApplication::translate("fuelsync-db", "in %1:")
                       .arg(TextLists::abbreviated(it.value(), 4))
                << Qt::endl;
            out << indent(it.key(), 4) << Qt::endl;
        }
        const int otherVariants = int(groups.size()) - 3;
        if (otherVariants > 0)
            out << "  "
                << QCoreApplication::translate("fuelsync-db",
                                               "... and %n other variants (see --json)", nullptr,
                                               otherVariants)
                << Qt::endl;
    }
}

} // namespace

QString seconds(qint64 milliseconds)
{
    if (milliseconds < 1000)
        return QCoreApplication::translate("fuelsync-db", "%1 ms").arg(milliseconds);
    return QCoreApplication::translate("fuelsync-db", "%1 s")
        .arg(double(milliseconds) / 1000.0, 0, 'f', 1);
}

void printRun(const MigrationRunReport &report, QTextStream &out, QTextStream &err)
{
    using Result = MigrationRunReport::Result;
    switch (report.result) {
    case Result::ConnectionFailed:
    case Result::LockHeld:
    case Result::InvalidRequest:
        err << "fuelsync-db: " << report.error << Qt::endl;
        return;
    case Result::Refused:
        err << QCoreApplication::translate("fuelsync-db",
                                           "Refused before anything ran; nothing was changed:")
            << Qt::endl;
        for (const MigrationProblem &problem : report.refusals)
            err << "  " << problem.text() << Qt::endl;
        return;
    default:
        break;
    }
    for (const QString &note : report.notes)
        out << QCoreApplication::translate("fuelsync-db", "Note: %1").arg(note) << Qt::endl;
    if (!report.environment.isEmpty())
        out << QCoreApplication::translate("fuelsync-db", "Environment: %1").arg(report.environment)
            << Qt::endl;

    if (report.result == Result::NothingToDo) {
        out << QCoreApplication::translate("fuelsync-db", "Nothing to do: %1 is up to date (%2).")
                   .arg(report.database, seconds(report.durationMs))
            << Qt::endl;
        return;
    }
    if (report.dryRun)
        printDryRun(report, out);

    const bool up = report.direction == MigrationPlan::Direction::Up;
    const StepStatus done =
        report.dryRun ? StepStatus::Tried : (up ? StepStatus::Applied : StepStatus::RolledBack);
    const QString doneCount = whereCounted(report, done);
    if (!doneCount.isEmpty()) {
        const QString verb = report.dryRun
            ? QCoreApplication::translate("fuelsync-db", "Tried")
            : (up ? QCoreApplication::translate("fuelsync-db", "Applied")
                  : QCoreApplication::translate("fuelsync-db", "Rolled back"));
        out << QCoreApplication::translate("fuelsync-db", "%1 %2 in %3.")
                   .arg(verb, doneCount, seconds(report.durationMs))
            << Qt::endl;
    }

    int failedShown = 0;
    const int failedSchemas = report.failedSchemaCount();
    if (failedSchemas > 0) {
        err << QCoreApplication::translate(
            "fuelsync-db",
            "Failed in %n schemas (each was left exactly as before its failed migration):", nullptr,
            failedSchemas)
            << Qt::endl;
    }
    for (const SchemaOutcome &schema : report.schemas) {
        if (!schema.failed())
            continue;
        if (++failedShown > 20)
            continue;
        if (!schema.error.isEmpty() && schema.steps.isEmpty()) {
            err << "  " << schema.schema << ": " << schema.error << Qt::endl;
            continue;
        }
        if (!schema.error.isEmpty())
            err << "  " << schema.schema << ": " << schema.error << Qt::endl;
        for (const StepOutcome &step : schema.steps) {
            if (step.status != StepStatus::Failed)
                continue;
            err << "  " << schema.schema << ": " << step.version << ' ' << step.description;
            if (!step.location().isEmpty())
                err << " — " << step.location();
            err << Qt::endl << indent(step.error, 4) << Qt::endl;
            if (!step.note.isEmpty())
                err << indent(step.note, 4) << Qt::endl;
        }
    }
    if (failedShown > 20)
        err << "  "
            << QCoreApplication::translate("fuelsync-db", "... and %n more (see --json for all)",
                                           nullptr, failedShown - 20)
            << Qt::endl;

    // Server warnings, each once, with where they came from.
    QMap<QString, QStringList> warnings; // "version: warning" -> schemas
    for (const SchemaOutcome &schema : report.schemas) {
        for (const StepOutcome &step : schema.steps) {
            for (const QString &warning : step.warnings)
                warnings[step.version + QStringLiteral(": ") + warning].append(schema.schema);
        }
    }
    if (!warnings.isEmpty()) {
        err << QCoreApplication::translate("fuelsync-db", "The server warned:") << Qt::endl;
        for (auto it = warnings.cbegin(); it != warnings.cend(); ++it) {
            err << "  " << it.key()
                << QCoreApplication::translate("fuelsync-db", " (in %1)")
                       .arg(TextLists::abbreviated(it.value(), 3))
                << Qt::endl;
        }
    }

    const int skipped = report.stepCount(StepStatus::Skipped);
    const int notStarted = report.stepCount(StepStatus::NotStarted);
    const int cancelled = report.stepCount(StepStatus::Cancelled);
    if (skipped > 0)
        out << QCoreApplication::translate(
            "fuelsync-db", "Not run after a failure in their schema: %n migrations.", nullptr,
            skipped)
            << Qt::endl;
    if (cancelled > 0)
        out << QCoreApplication::translate(
            "fuelsync-db", "Cancelled while running and rolled back: %n.", nullptr, cancelled)
            << Qt::endl;
    if (notStarted > 0)
        out << QCoreApplication::translate("fuelsync-db", "Not started: %n.", nullptr, notStarted)
            << Qt::endl;
    if (report.result == Result::Cancelled) {
        err << QCoreApplication::translate("fuelsync-db", "Cancelled: %1")
                   .arg(report.error.isEmpty() ? QCoreApplication::translate(
                            "fuelsync-db", "running migrations were rolled back")
                                               : report.error)
            << Qt::endl;
    }
    if (report.result == Result::Failed && !report.dryRun) {
        if (!report.error.isEmpty())
            err << "fuelsync-db: " << report.error << Qt::endl;
        err << QCoreApplication::translate(
            "fuelsync-db",
            "Fix the failures and run the same command again: what was applied stays, the "
            "rest resumes.")
            << Qt::endl;
    }
}

void printStatus(const MigrationStatus &status, QTextStream &out)
{
    out << QCoreApplication::translate("fuelsync-db", "Database:    %1").arg(status.database)
        << Qt::endl;
    out << QCoreApplication::translate("fuelsync-db", "Environment: %1").arg(status.environment)
        << Qt::endl;
    out << QCoreApplication::translate("fuelsync-db", "Migrations:  %1").arg(status.directory)
        << Qt::endl;
    out << QCoreApplication::translate("fuelsync-db", "Tenants:     %1")
               .arg(status.hasTenantRegistry ? QString::number(status.tenantCount)
                                             : QCoreApplication::translate(
                                                 "fuelsync-db", "none (no public.tenants yet)"))
        << Qt::endl
        << Qt::endl;

    // Always one space between columns: a long text is cut with an ellipsis.
    auto cell = [](const QString &text, int width) {
        const QString fitted = text.size() < width ? text : text.left(width - 2) + QChar(0x2026);
        return fitted.leftJustified(width, u' ');
    };
    out << cell(QCoreApplication::translate("fuelsync-db", "VERSION"), 9)
        << cell(QCoreApplication::translate("fuelsync-db", "SCOPE"), 8)
        << cell(QCoreApplication::translate("fuelsync-db", "DESCRIPTION"), 40)
        << cell(QCoreApplication::translate("fuelsync-db", "APPLIED"), 24)
        << QCoreApplication::translate("fuelsync-db", "CHECKSUM") << Qt::endl;
    for (const MigrationStatus::Version &v : status.versions) {
        QString applied;
        if (!v.applicable) {
            applied = QCoreApplication::translate("fuelsync-db", "not for this env.");
        } else if (v.scope == MigrationScope::Public) {
            applied = v.appliedInPublic
                ? v.appliedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                : QCoreApplication::translate("fuelsync-db", "pending");
        } else {
            applied = QCoreApplication::translate("fuelsync-db", "%1/%2 tenants")
                          .arg(v.tenantsApplied)
                          .arg(v.tenantsTotal);
        }
        QString checksum = MigrationStatus::checksumStateName(v.checksum);
        if (v.checksum == MigrationStatus::ChecksumState::Changed)
            checksum += u' '
                + QCoreApplication::translate("fuelsync-db", "in %1")
                      .arg(TextLists::abbreviated(v.changedIn, 3));
        out << cell(v.version, 9) << cell(scopeName(v.scope), 8) << cell(v.description, 40)
            << cell(applied, 24) << checksum << Qt::endl;
        if (v.isPending() && v.approval) {
            out << QString(17, u' ')
                << QCoreApplication::translate("fuelsync-db", "approved by %1 on %2")
                       .arg(v.approval->approver(),
                            v.approval->approvedAt.toUTC().toString(
                                QStringLiteral("yyyy-MM-dd HH:mm")))
                << Qt::endl;
        } else if (v.isPending() && v.voidedApproval) {
            out << QString(17, u' ')
                << QCoreApplication::translate(
                       "fuelsync-db", "approval void: the file changed after %1 approved it")
                       .arg(v.voidedApproval->approvedBy)
                << Qt::endl;
        }
        if (!v.tenantsBehind.isEmpty() && v.tenantsBehind.size() < v.tenantsTotal) {
            out << QString(17, u' ')
                << QCoreApplication::translate("fuelsync-db", "behind: %1")
                       .arg(TextLists::abbreviated(v.tenantsBehind, 6))
                << Qt::endl;
        }
    }
    if (!status.blockedTenants.isEmpty()) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db", "Tenants that cannot be migrated:")
            << Qt::endl;
        for (const BlockedSchema &b : status.blockedTenants)
            out << "  " << b.schema << ": " << b.reason << Qt::endl;
    }
    if (!status.fileProblems.isEmpty()) {
        out << Qt::endl
            << QCoreApplication::translate(
                   "fuelsync-db", "Problems in the migration files (nothing will run until fixed):")
            << Qt::endl;
        for (const MigrationProblem &p : status.fileProblems)
            out << "  " << p.text() << Qt::endl;
    }
    if (!status.upRefusals.isEmpty()) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db",
                                           "'migrate up' would refuse to run, and change nothing:")
            << Qt::endl;
        for (const MigrationProblem &p : status.upRefusals)
            out << "  " << p.text() << Qt::endl;
    }
    out << Qt::endl;
    if (status.isUpToDate()) {
        out << QCoreApplication::translate("fuelsync-db", "Up to date.") << Qt::endl;
    } else if (status.upWouldRefuse()) {
        out << (status.pendingCount() > 0
                    ? QCoreApplication::translate("fuelsync-db",
                                                  "%n migrations pending, but 'migrate up' would "
                                                  "refuse them until the problems above are "
                                                  "fixed.",
                                                  nullptr, status.pendingCount())
                    : QCoreApplication::translate("fuelsync-db",
                                                  "Not in order: fix the problems above."))
            << Qt::endl;
    } else if (status.pendingCount() > 0) {
        out << QCoreApplication::translate("fuelsync-db",
                                           "%n migrations pending: run 'fuelsync-db migrate up'.",
                                           nullptr, status.pendingCount())
            << Qt::endl;
    }
}

void printLint(const QList<LintFinding> &findings, QTextStream &out)
{
    int errors = 0;
    int warnings = 0;
    int acknowledged = 0;
    for (const LintFinding &finding : findings) {
        if (finding.acknowledged) {
            ++acknowledged;
            out << finding.location() << ": "
                << QCoreApplication::translate("fuelsync-db", "acknowledged [%1] %2")
                       .arg(finding.rule, finding.message)
                << Qt::endl
                << indent(QCoreApplication::translate("fuelsync-db", "because: %1 (line %2)")
                              .arg(finding.acknowledgement)
                              .arg(finding.acknowledgementLine),
                          4)
                << Qt::endl;
            continue;
        }
        const bool error = finding.severity == LintRule::Severity::Error;
        (error ? errors : warnings) += 1;
        out << finding.location() << ": "
            << (error ? QCoreApplication::translate("fuelsync-db", "error [%1] %2")
                      : QCoreApplication::translate("fuelsync-db", "warning [%1] %2"))
                   .arg(finding.rule, finding.message)
            << Qt::endl
            << indent(QCoreApplication::translate("fuelsync-db", "why: %1").arg(finding.reason), 4)
            << Qt::endl
            << indent(QCoreApplication::translate("fuelsync-db", "fix: %1").arg(finding.fix), 4)
            << Qt::endl;
    }
    if (!findings.isEmpty())
        out << Qt::endl;
    out << QCoreApplication::translate("fuelsync-db", "%n errors", nullptr, errors) << ", "
        << QCoreApplication::translate("fuelsync-db", "%n warnings", nullptr, warnings) << ", "
        << QCoreApplication::translate("fuelsync-db", "%n acknowledged", nullptr, acknowledged)
        << "." << Qt::endl;
}

void printPreview(const MigrationPreview &preview, const QString &database, QTextStream &out)
{
    const bool down = preview.plan.direction() == MigrationPlan::Direction::Down;
    out << QCoreApplication::translate("fuelsync-db", "Database:    %1").arg(database) << Qt::endl
        << QCoreApplication::translate("fuelsync-db", "Environment: %1")
               .arg(preview.environment.describe())
        << Qt::endl
        << Qt::endl;
    if (!preview.plan.hasWork()) {
        out << QCoreApplication::translate("fuelsync-db", "Nothing to do.") << Qt::endl;
    } else {
        out << (down ? QCoreApplication::translate("fuelsync-db", "Would roll back, in this order:")
                     : QCoreApplication::translate("fuelsync-db", "Would apply, in this order:"))
            << Qt::endl;
        int step = 0;
        for (const PlanPhase &phase : preview.plan.phases()) {
            QStringList versions;
            QStringList schemas;
            for (const SchemaWork &work : phase.work) {
                schemas.append(work.schema);
                for (const MigrationFile *file : work.migrations) {
                    if (!versions.contains(file->version.text()))
                        versions.append(file->version.text());
                }
                for (const AppliedMigration &applied : work.rollbacks) {
                    if (!versions.contains(applied.versionText))
                        versions.append(applied.versionText);
                }
            }
            out << "  " << ++step << ". " << versions.join(QStringLiteral(", ")) << "  "
                << QCoreApplication::translate("fuelsync-db", "in %n schemas", nullptr,
                                               int(schemas.size()))
                << ": " << TextLists::abbreviated(schemas, 8) << Qt::endl;
        }
    }
    for (const QString &note : preview.plan.notes())
        out << "  " << note << Qt::endl;
    QStringList lintErrors;
    for (const LintFinding &finding : preview.lint) {
        if (finding.blocks())
            lintErrors.append(QStringLiteral("  %1: [%2] %3")
                                  .arg(finding.location(), finding.rule, finding.message));
    }
    if (!lintErrors.isEmpty() && !down) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db", "Lint errors not acknowledged:")
            << Qt::endl
            << lintErrors.join(u'\n') << Qt::endl;
    }
    for (const MigrationPreview::Rollback &rollback : preview.rollbacks) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db",
                                           "%1 %2: rollback recorded when it was applied (read "
                                           "from %3):")
                   .arg(rollback.version, rollback.description, rollback.recordedIn)
            << Qt::endl
            << indent(rollback.sql.trimmed(), 4) << Qt::endl;
        if (rollback.variants > 1)
            out << "  "
                << QCoreApplication::translate(
                       "fuelsync-db",
                       "The schemas recorded %1 different rollback texts for %2; each runs its "
                       "own, and only the one above is shown.")
                       .arg(rollback.variants)
                       .arg(rollback.version)
                << Qt::endl;
        for (const DataLossReader::Loss &loss : rollback.losses) {
            out << "  "
                << QCoreApplication::translate("fuelsync-db", "DESTROYS DATA: %1 (%2)")
                       .arg(loss.sentence,
                            QCoreApplication::translate("fuelsync-db", "in %n schemas", nullptr,
                                                        rollback.schemas))
                << Qt::endl;
        }
    }
    if (!preview.refusals().isEmpty()) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db", "It would be refused:") << Qt::endl;
        for (const QString &line : preview.refusals())
            out << "  " << line << Qt::endl;
    }
}

void printValidation(const SchemaValidator::Report &report, QTextStream &out)
{
    out << QCoreApplication::translate("fuelsync-db", "Validated %1: %2")
               .arg(report.database, report.checks.join(QStringLiteral(", ")))
        << Qt::endl;
    for (const QString &line : std::as_const(report.summary))
        out << QStringLiteral("  ") << line << Qt::endl;
    for (const SchemaValidator::Report::Group &group : report.grouped()) {
        const ValidationFinding &f = group.finding;
        const QString where = group.schemas.size() == 1
            ? (f.schema.isEmpty() ? QCoreApplication::translate("fuelsync-db", "(the database)")
                                  : f.schema)
            : QCoreApplication::translate("fuelsync-db", "%1 schemas (%2)")
                  .arg(group.schemas.size())
                  .arg(group.schemas.size() <= 5
                           ? group.schemas.join(QStringLiteral(", "))
                           : QStringList(group.schemas.mid(0, 5)).join(QStringLiteral(", "))
                               + QStringLiteral(", …"));
        out << Qt::endl
            << ValidationFinding::severityName(f.severity).toUpper() << QStringLiteral("  ")
            << f.check << QStringLiteral("  ") << where << QStringLiteral("  ") << f.object
            << Qt::endl
            << QStringLiteral("    ") << f.problem << Qt::endl
            << QStringLiteral("    ")
            << QCoreApplication::translate("fuelsync-db", "why: %1").arg(f.why) << Qt::endl;
        if (!f.fixSql.isEmpty() && group.schemas.size() == 1)
            out << QStringLiteral("    ")
                << QCoreApplication::translate("fuelsync-db", "fix: %1")
                       .arg(QString(f.fixSql).replace(u'\n', QStringLiteral("\n         ")))
                << Qt::endl;
        else if (!f.fixSql.isEmpty())
            out << QStringLiteral("    ")
                << QCoreApplication::translate("fuelsync-db",
                                               "fix, for %1 (the same in each; "
                                               "--fix-script writes all): %2")
                       .arg(f.schema,
                            QString(f.fixSql).replace(u'\n', QStringLiteral("\n         ")))
                << Qt::endl;
    }
    for (const SchemaValidator::Report::NotCheckedGroup &group : report.notCheckedGrouped()) {
        out << Qt::endl
            << QCoreApplication::translate("fuelsync-db", "NOT CHECKED  %1  %2: %3")
                   .arg(group.schemas == QStringList { QString() }
                            ? QCoreApplication::translate("fuelsync-db", "(the database)")
                            : group.schemas.join(QStringLiteral(", ")),
                        group.check, group.reason)
            << Qt::endl;
    }
    // Counted first: lupdate does not get through a qualified call among translate()'s arguments.
    const int errors = report.count(ValidationFinding::Severity::Error);
    const int warnings = report.count(ValidationFinding::Severity::Warning);
    const int infos = report.count(ValidationFinding::Severity::Info);
    const int notChecked = int(report.notChecked.size());
    out << Qt::endl
        << QCoreApplication::translate("fuelsync-db", "%n error(s)", nullptr, errors)
        << QStringLiteral(", ")
        << QCoreApplication::translate("fuelsync-db", "%n warning(s)", nullptr, warnings)
        << QStringLiteral(", ")
        << QCoreApplication::translate("fuelsync-db", "%n info finding(s)", nullptr, infos);
    if (notChecked > 0)
        out << QStringLiteral(", ")
            << QCoreApplication::translate("fuelsync-db", "%n not checked", nullptr, notChecked);
    out << u'.' << Qt::endl;
}

void printValidationAfter(const SchemaValidator::Report &report, QTextStream &out)
{
    out << Qt::endl
        << QCoreApplication::translate("fuelsync-db",
                                       "After the run (validate --check=versions --check=drift):")
        << Qt::endl;
    printValidation(report, out);
}

} // namespace fuelsync::cli::ReportText
