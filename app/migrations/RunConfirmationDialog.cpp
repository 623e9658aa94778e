#include "RunConfirmationDialog.h"

#include "SqlHighlighter.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace fuelsync {

namespace {

QLabel *paragraph(const QString &html, QWidget *parent)
{
    auto *label = new QLabel(html, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

RunConfirmationDialog::RunConfirmationDialog(const MigrationPreview &preview,
                                             const QString &databaseName, bool dryRun,
                                             QWidget *parent)
    : QDialog(parent)
    , m_canRun(preview.canRun())
{
    const bool down = preview.plan.direction() == MigrationPlan::Direction::Down;
    // Core's rule, the same as at the terminal: on production the name is typed.
    const ChangeConfirmation confirmation =
        preview.plan.confirmation(preview.environment.environment, dryRun, databaseName);
    setWindowTitle(dryRun     ? tr("Dry run")
                       : down ? tr("Roll back migrations")
                              : tr("Apply migrations"));
    setMinimumWidth(640);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(10);

    // What, where, which environment, in one sentence.
    QStringList where;
    if (preview.touchesPublic())
        where.append(tr("public"));
    if (preview.tenantCount() > 0)
        where.append(tr("%n tenant schema(s)", nullptr, preview.tenantCount()));
    const QString versions = preview.versions().join(QStringLiteral(", "));
    QString sentence;
    if (!preview.plan.hasWork()) {
        sentence = tr("Nothing to do: every migration is applied where it applies.");
    } else if (dryRun) {
        sentence =
            tr("Try <b>%1</b> in %2 of <b>%3</b> (%4), each in a transaction that is "
               "rolled back: nothing is changed.")
                .arg(versions.toHtmlEscaped(), where.join(tr(" and ")),
                     databaseName.toHtmlEscaped(), preview.environment.describe().toHtmlEscaped());
    } else if (down) {
        sentence =
            tr("Roll back <b>%1</b> in %2 of <b>%3</b> (%4).")
                .arg(versions.toHtmlEscaped(), where.join(tr(" and ")),
                     databaseName.toHtmlEscaped(), preview.environment.describe().toHtmlEscaped());
    } else {
        sentence = tr("Apply <b>%1</b> (%2 scope) in %3 of <b>%4</b> (%5).")
                       .arg(versions.toHtmlEscaped(), preview.scopes().join(QStringLiteral(" + ")),
                            where.join(tr(" and ")), databaseName.toHtmlEscaped(),
                            preview.environment.describe().toHtmlEscaped());
    }
    m_summary = paragraph(sentence, this);
    layout->addWidget(m_summary);
    if (confirmation.typesName()) {
        auto *banner = paragraph(tr("<b>This is a PRODUCTION database.</b>"), this);
        banner->setStyleSheet(QStringLiteral(
            "background: #b71c1c; color: white; padding: 6px 10px; border-radius: 3px;"));
        layout->addWidget(banner);
    }

    // The plan: phases in order, what runs in which schemas.
    if (preview.plan.hasWork()) {
        QStringList steps;
        for (const PlanPhase &phase : preview.plan.phases()) {
            QStringList versionsHere;
            QStringList schemas;
            for (const SchemaWork &work : phase.work) {
                schemas.append(work.schema);
                for (const MigrationFile *file : work.migrations) {
                    if (!versionsHere.contains(file->version.text()))
                        versionsHere.append(file->version.text());
                }
                for (const AppliedMigration &applied : work.rollbacks) {
                    if (!versionsHere.contains(applied.versionText))
                        versionsHere.append(applied.versionText);
                }
            }
            const QString shown = schemas.size() <= 6 ? schemas.join(QStringLiteral(", "))
                                                      : schemas.mid(0, 5).join(QStringLiteral(", "))
                    + tr(" and %n more", nullptr, int(schemas.size() - 5));
            steps.append(QStringLiteral("<li>%1</li>")
                             .arg(tr("%1 in %2: %3")
                                      .arg(versionsHere.join(QStringLiteral(", ")),
                                           tr("%n schema(s)", nullptr, int(schemas.size())),
                                           shown.toHtmlEscaped())));
        }
        auto *plan = paragraph(tr("<b>In this order</b> (schemas of a step run side by side, each "
                                  "in its own transaction):<ol>%1</ol>")
                                   .arg(steps.join(QString())),
                               this);
        layout->addWidget(plan);
    }

    // Why it cannot run.
    if (!preview.refusals().isEmpty()) {
        QStringList items;
        for (const QString &line : preview.refusals())
            items.append(QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped()));
        auto *refused =
            paragraph(tr("<b>This cannot run:</b><ul>%1</ul>").arg(items.join(QString())), this);
        refused->setStyleSheet(QStringLiteral("color: #b71c1c;"));
        layout->addWidget(refused);
    }

    // Lint errors of what runs.
    QStringList lintItems;
    for (const LintFinding &finding : preview.lint) {
        if (finding.blocks())
            lintItems.append(QStringLiteral("<li>%1 <i>[%2]</i> %3</li>")
                                 .arg(finding.location().toHtmlEscaped(), finding.rule,
                                      finding.message.toHtmlEscaped()));
    }
    if (!lintItems.isEmpty() && !down) {
        auto *lint = paragraph(
            tr("<b>Lint errors not acknowledged:</b><ul>%1</ul>").arg(lintItems.join(QString())),
            this);
        lint->setStyleSheet(QStringLiteral("color: #8a5a00;"));
        layout->addWidget(lint);
    }

    // A rollback: the recorded SQL, and what it destroys.
    if (down && !preview.rollbacks.isEmpty()) {
        QStringList losses;
        QString sql;
        for (const MigrationPreview::Rollback &rollback : preview.rollbacks) {
            for (const DataLossReader::Loss &loss : rollback.losses) {
                losses.append(QStringLiteral("<li>%1: %2 (%3)</li>")
                                  .arg(rollback.version, loss.sentence.toHtmlEscaped(),
                                       tr("in %n schema(s)", nullptr, rollback.schemas)));
            }
            if (rollback.variants > 1) {
                losses.append(QStringLiteral("<li>%1</li>")
                                  .arg(tr("%1: the schemas recorded %2 different rollback texts "
                                          "(the file changed between applications); each runs "
                                          "its own, and only the one from %3 is shown below")
                                           .arg(rollback.version)
                                           .arg(rollback.variants)
                                           .arg(rollback.recordedIn.toHtmlEscaped())));
            }
            sql += tr("-- %1 %2: rollback recorded when it was applied (read from %3)\n")
                       .arg(rollback.version, rollback.description, rollback.recordedIn)
                + rollback.sql.trimmed() + QStringLiteral("\n\n");
        }
        m_warning = paragraph(
            losses.isEmpty()
                ? tr("The rollback SQL below runs as it was recorded. It names no table or column "
                     "it drops; read it before you go on.")
                : tr("<b>This destroys data, for good:</b><ul>%1</ul>Take a backup first; no "
                     "rollback brings these rows back.")
                      .arg(losses.join(QString())),
            this);
        m_warning->setStyleSheet(QStringLiteral("color: #b71c1c;"));
        layout->addWidget(m_warning);
        auto *view = new QPlainTextEdit(sql.trimmed(), this);
        view->setReadOnly(true);
        view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        view->setMinimumHeight(180);
        new SqlHighlighter(view->document());
        layout->addWidget(view, 1);
    }

    for (const QString &note : preview.plan.notes())
        layout->addWidget(paragraph(note.toHtmlEscaped(), this));

    if (!(down && !preview.rollbacks.isEmpty()))
        layout->addStretch(1); // the text keeps its height; the dialog's extra space goes here
    auto *buttons = new QDialogButtonBox(this);
    if (m_canRun) {
        if (confirmation.typesName()) {
            m_typedAnswer = confirmation.answer;
            layout->addWidget(paragraph(tr("Type the database's name, <b>%1</b>, to go on:")
                                            .arg(m_typedAnswer.toHtmlEscaped()),
                                        this));
            m_name = new QLineEdit(this);
            m_name->setPlaceholderText(m_typedAnswer);
            layout->addWidget(m_name);
            connect(m_name, &QLineEdit::textChanged, this, &RunConfirmationDialog::updateConfirm);
        }
        m_confirm = buttons->addButton(dryRun     ? tr("Dry run")
                                           : down ? tr("Roll back")
                                                  : tr("Apply"),
                                       QDialogButtonBox::AcceptRole);
        // Red only while it can be clicked: a disabled Roll back (production, before the name is
        // typed) looks disabled like any other button.
        if (down && !dryRun)
            m_confirm->setStyleSheet(
                QStringLiteral("QPushButton:enabled { color: #b71c1c; font-weight: bold; }"));
        m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    } else {
        m_cancel = buttons->addButton(QDialogButtonBox::Close);
    }
    // Nothing is the default: Enter never runs a migration.
    for (QAbstractButton *button : buttons->buttons()) {
        if (auto *push = qobject_cast<QPushButton *>(button)) {
            push->setAutoDefault(false);
            push->setDefault(false);
        }
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    updateConfirm();
}

void RunConfirmationDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    // The button box makes its first accept button the default when it is shown: Enter must
    // cancel instead, never run a migration.
    if (m_confirm)
        m_confirm->setDefault(false);
    if (m_cancel)
        m_cancel->setDefault(true);
}

void RunConfirmationDialog::updateConfirm()
{
    if (!m_confirm)
        return;
    m_confirm->setEnabled(m_canRun && (!m_name || m_name->text() == m_typedAnswer));
}

QString RunConfirmationDialog::summary() const
{
    return m_summary->text();
}

QString RunConfirmationDialog::warningText() const
{
    return m_warning ? m_warning->text() : QString();
}

} // namespace fuelsync
