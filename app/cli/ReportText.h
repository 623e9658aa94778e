#pragma once

#include "lint/LintFinding.h"
#include "migrate/MigrationPreview.h"
#include "migrate/MigrationRunReport.h"
#include "migrate/MigrationStatus.h"
#include "validate/SchemaValidator.h"

#include <QTextStream>

namespace fuelsync::cli::ReportText {

// The end of `migrate up` / `migrate down`: what happened, every failure with file, line and the
// server's message, and what to do next.
void printRun(const MigrationRunReport &report, QTextStream &out, QTextStream &err);
// `migrate status` as a table.
void printStatus(const MigrationStatus &status, QTextStream &out);
// `migrate plan`: the steps in order, lint errors, what would be refused, and for a rollback
// the recorded SQL with the data it destroys.
void printPreview(const MigrationPreview &preview, const QString &database, QTextStream &out);
// `migrate lint`: each finding with its rule, reason and fix, then the counts.
void printLint(const QList<LintFinding> &findings, QTextStream &out);
// `validate`: the summary, each finding group with why and its fix, what was not checked, the
// counts.
void printValidation(const SchemaValidator::Report &report, QTextStream &out);
// The same, headed as the validation after a `migrate up --validate`.
void printValidationAfter(const SchemaValidator::Report &report, QTextStream &out);
QString seconds(qint64 milliseconds);

} // namespace fuelsync::cli::ReportText
