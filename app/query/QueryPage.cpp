#include "QueryPage.h"

#include "QueryEditor.h"
#include "QueryResultModel.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "query/CompletionNames.h"
#include "query/QueryHistory.h"
#include "query/ResultExport.h"
#include "session/BackgroundJobs.h"
#include "session/DatabaseSession.h"
#include "sql/SqlScript.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <mutex>

namespace fuelsync {
namespace {

constexpr int pageSize = 500;

QString firstLine(const QString &text)
{
    return text.section(u'\n', 0, 0);
}

// Columns as wide as what the loaded rows show, within reason.
void fitColumns(QTableView *view)
{
    QHeaderView *header = view->horizontalHeader();
    for (int c = 0; c < header->count(); ++c) {
        view->resizeColumnToContents(c);
        header->resizeSection(c, std::clamp(header->sectionSize(c) + 8, 60, 320));
    }
}

// The statement at `position` of the text (the one the cursor is in), or the first.
QString statementAt(const QString &text, int position)
{
    const SqlScript script = SqlScript::parse(text);
    for (const SqlStatement &statement : script.statements()) {
        if (position <= statement.offset + statement.text.size())
            return statement.text;
    }
    return script.statements().isEmpty() ? QString() : script.statements().last().text;
}

} // namespace

QueryPage::QueryPage(Setup setup, QWidget *parent)
    : QWidget(parent)
    , m_setup(std::move(setup))
    , m_console(std::make_shared<std::unique_ptr<QueryConsole>>())
{
    buildUi();
    openSession();
}

QueryPage::~QueryPage()
{
    if (m_session) {
        m_session->cancelRunning();
        releaseConsole();
    }
}

void QueryPage::releaseConsole()
{
    // The console goes first, on the session's thread, while its connection lives.
    auto console = m_console;
    m_session->run<bool>(
        nullptr,
        [console](DbConnection &) {
            console->reset();
            return true;
        },
        [](bool) {}, {});
}

void QueryPage::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *bar = new QHBoxLayout;
    m_run = new QPushButton(tr("Run"), this);
    m_run->setDefault(true);
    m_run->setToolTip(tr("Run the selection, or everything (Ctrl+Enter)"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setToolTip(tr("Cancel what runs, on the server"));
    m_explain = new QPushButton(tr("Explain"), this);
    m_explain->setToolTip(tr("The plan of the statement under the cursor"));
    m_analyze = new QPushButton(tr("Explain analyze"), this);
    m_analyze->setToolTip(tr("Run the statement under the cursor and show its plan with the "
                             "actual rows, times and buffers"));
    m_tenant = new QComboBox(this);
    m_tenant->setMinimumContentsLength(14);
    m_tenant->addItem(tr("No tenant (public)"), QString());
    for (const QString &schema : std::as_const(m_setup.tenants))
        m_tenant->addItem(schema, schema);
    m_tenant->setToolTip(tr("The tenant whose tables unqualified names mean (its schema first "
                            "on the search_path, then public)"));
    m_everyTenant = new QPushButton(tr("Run in every tenant…"), this);
    m_everyTenant->setToolTip(tr("Ask one statement of every tenant, or of those matching a "
                                 "filter; the rows come with a tenant column"));
    m_export = new QPushButton(tr("Export…"), this);
    m_export->setToolTip(tr("Write the shown result's rows as CSV, JSON or INSERT statements"));
    bar->addWidget(m_run);
    bar->addWidget(m_stop);
    bar->addSpacing(8);
    bar->addWidget(m_explain);
    bar->addWidget(m_analyze);
    bar->addSpacing(8);
    bar->addWidget(m_export);
    bar->addStretch(1);
    m_mode = new QLabel(this);
    m_mode->setTextFormat(Qt::PlainText);
    bar->addWidget(m_mode);
    m_writes = new QCheckBox(tr("Allow writes"), this);
    m_writes->setToolTip(tr("Statements run in one transaction that only Commit ends; nothing "
                            "is kept until then"));
    m_commit = new QPushButton(tr("Commit"), this);
    m_rollback = new QPushButton(tr("Rollback"), this);
    bar->addWidget(m_writes);
    bar->addWidget(m_commit);
    bar->addWidget(m_rollback);
    // The tenant on a row of its own, so the window's tree keeps its width.
    auto *scope = new QHBoxLayout;
    scope->addWidget(new QLabel(tr("Tenant:"), this));
    scope->addWidget(m_tenant);
    scope->addWidget(m_everyTenant);
    scope->addStretch(1);
    layout->addLayout(bar);
    layout->addLayout(scope);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_editor = new QueryEditor(splitter);
    m_editor->setPlaceholderText(tr("SELECT … (Ctrl+Enter runs the selection, or everything; "
                                    "each statement gets a result of its own)"));
    m_results = new QTabWidget(splitter);
    m_results->setDocumentMode(true);
    m_messages = new QPlainTextEdit(this);
    m_messages->setReadOnly(true);
    m_messages->setFont(m_editor->font());
    m_plan = new QTreeWidget(this);
    m_plan->setHeaderLabels({ tr("Node"), tr("Relation"), tr("Rows (plan)"), tr("Rows (actual)"),
                              tr("Loops"), tr("Time (own)"), tr("Buffers"), tr("Detail") });
    m_plan->setAlternatingRowColors(true);
    m_tenantErrors = new QTableWidget(0, 3, this);
    m_tenantErrors->setHorizontalHeaderLabels({ tr("Tenant"), tr("Version"), tr("Error") });
    m_tenantErrors->horizontalHeader()->setStretchLastSection(true);
    m_tenantErrors->verticalHeader()->hide();
    m_tenantErrors->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Shown as tabs when there is something to show.
    m_plan->hide();
    m_tenantErrors->hide();

    auto *historyPage = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyPage);
    historyLayout->setContentsMargins(0, 4, 0, 0);
    m_historyFilter = new QLineEdit(historyPage);
    m_historyFilter->setPlaceholderText(tr("Find in the statements run with this connection"));
    m_historyFilter->setClearButtonEnabled(true);
    m_history = new QListWidget(historyPage);
    m_history->setFont(m_editor->font());
    m_history->setToolTip(tr("Double-click to put the statement in the editor"));
    historyLayout->addWidget(m_historyFilter);
    historyLayout->addWidget(m_history);
    m_results->addTab(m_messages, tr("Messages"));
    m_results->addTab(historyPage, tr("History"));
    splitter->addWidget(m_editor);
    splitter->addWidget(m_results);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    auto *foot = new QHBoxLayout;
    m_status = new QLabel(tr("Connecting…"), this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->hide();
    foot->addWidget(m_status, 1);
    foot->addWidget(m_progress);
    layout->addLayout(foot);

    connect(m_run, &QPushButton::clicked, this, &QueryPage::run);
    connect(m_editor, &QueryEditor::runRequested, this, &QueryPage::run);
    connect(m_stop, &QPushButton::clicked, this, &QueryPage::stop);
    connect(m_explain, &QPushButton::clicked, this, [this] { explain(false); });
    connect(m_analyze, &QPushButton::clicked, this, [this] { explain(true); });
    connect(m_everyTenant, &QPushButton::clicked, this, [this] {
        QMenu menu(this);
        menu.addAction(tr("Every tenant (%n)", nullptr, int(m_setup.tenants.size())), this,
                       [this] { runInTenants(); });
        menu.addAction(tr("Tenants whose schema holds…"), this, [this] {
            bool ok = false;
            const QString text = QInputDialog::getText(this, tr("Run in tenants"),
                                                       tr("Run in the tenants whose schema holds:"),
                                                       QLineEdit::Normal, QString(), &ok);
            if (!ok || text.trimmed().isEmpty())
                return;
            QStringList chosen;
            for (const QString &schema : std::as_const(m_setup.tenants)) {
                if (schema.contains(text.trimmed(), Qt::CaseInsensitive))
                    chosen.append(schema);
            }
            if (chosen.isEmpty()) {
                m_status->setText(tr("No tenant schema holds \"%1\".").arg(text.trimmed()));
                return;
            }
            runInTenants(chosen);
        });
        menu.exec(m_everyTenant->mapToGlobal(QPoint(0, m_everyTenant->height())));
    });
    connect(m_export, &QPushButton::clicked, this, &QueryPage::chooseExport);
    connect(m_tenant, &QComboBox::currentIndexChanged, this, [this] {
        const QString schema = m_tenant->currentData().toString();
        const QStringList path =
            schema.isEmpty() ? QStringList() : QStringList { schema, QStringLiteral("public") };
        auto console = m_console;
        if (!m_session)
            return;
        m_session->run<QStringList>(
            this,
            [console, path, schema](DbConnection &c) {
                if (*console)
                    (*console)->setSearchPath(path);
                return CompletionNames::read(
                    c,
                    schema.isEmpty() ? QStringList { QStringLiteral("public") }
                                     : QStringList { schema, QStringLiteral("public") });
            },
            [this](const QStringList &names) { m_editor->setNames(names); },
            [this](const QString &error) { m_status->setText(error); });
    });
    connect(m_writes, &QCheckBox::toggled, this, &QueryPage::allowWrites);
    connect(m_commit, &QPushButton::clicked, this, &QueryPage::commit);
    connect(m_rollback, &QPushButton::clicked, this, &QueryPage::rollback);
    connect(m_historyFilter, &QLineEdit::textChanged, this, &QueryPage::refreshHistory);
    connect(m_history, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem *item) { setSql(item->data(Qt::UserRole).toString()); });
    auto *copy = new QShortcut(QKeySequence::Copy, m_results);
    copy->setContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QShortcut::activated, this, [this] {
        auto *view = qobject_cast<QTableView *>(m_results->currentWidget());
        auto *model = view ? qobject_cast<QueryResultModel *>(view->model()) : nullptr;
        if (model)
            QApplication::clipboard()->setText(
                model->textOf(view->selectionModel()->selectedIndexes()));
    });

    const bool mayWrite = m_setup.readOnlyReason.isEmpty();
    m_writes->setVisible(mayWrite);
    m_commit->setVisible(mayWrite);
    m_rollback->setVisible(mayWrite);
    setRunning(false);
    updateTransaction({}, 0, false);
    refreshHistory();
    if (!m_setup.tenant.isEmpty())
        setTenant(m_setup.tenant);
}

void QueryPage::openSession()
{
    m_session = new DatabaseSession(this);
    SessionOptions options = m_setup.options;
    options.readOnly = !writesAllowed();
    options.lockTimeoutMs = SessionOptions::defaultChangeLockTimeoutMs;
    auto console = m_console;
    const bool writes = writesAllowed();
    const QString schema = m_tenant->currentData().toString();
    m_session->open(
        m_setup.settings, options, this,
        [this, console, writes, schema](const DatabaseSession::Info &) {
            const QStringList path =
                schema.isEmpty() ? QStringList() : QStringList { schema, QStringLiteral("public") };
            m_session->run<QStringList>(
                this,
                [console, writes, path](DbConnection &c) {
                    *console = std::make_unique<QueryConsole>(
                        c,
                        QueryConsole::Options { writes ? QueryConsole::Mode::ReadWrite
                                                       : QueryConsole::Mode::ReadOnly,
                                                path, pageSize, 100'000, 10'000 });
                    return CompletionNames::read(
                        c, path.isEmpty() ? QStringList { QStringLiteral("public") } : path);
                },
                [this](const QStringList &names) {
                    m_editor->setNames(names);
                    m_ready = true;
                    setRunning(false);
                    m_status->setText(writesAllowed()
                                          ? tr("Ready. Writes are allowed: nothing is kept "
                                               "until Commit.")
                                          : tr("Ready. Read-only: the server refuses whatever "
                                               "writes."));
                    emit opened();
                },
                [this](const QString &error) {
                    m_status->setText(error);
                    emit finished(false, error);
                });
        },
        [this](std::exception_ptr error) {
            const QString message = DatabaseSession::describe(std::move(error));
            m_status->setText(tr("Could not connect: %1").arg(message));
            emit finished(false, message);
        });
}

bool QueryPage::writesAllowed() const
{
    return m_setup.readOnlyReason.isEmpty() && m_writes && m_writes->isChecked();
}

void QueryPage::allowWrites(bool allow)
{
    if (m_transactionOpen) {
        // Never silently: what is pending is committed or rolled back first.
        const QSignalBlocker block(m_writes);
        m_writes->setChecked(!allow);
        m_status->setText(tr("Commit or roll back the open transaction first."));
        return;
    }
    m_ready = false;
    setRunning(false);
    clearResults();
    // A session of its own for each mode: the read-only one is read-only from its start.
    if (m_session) {
        releaseConsole();
        m_session->deleteLater();
        m_session = nullptr;
    }
    m_console = std::make_shared<std::unique_ptr<QueryConsole>>();
    m_status->setText(allow ? tr("Opening a session that may write…")
                            : tr("Opening a read-only session…"));
    updateTransaction({}, 0, false);
    openSession();
}

void QueryPage::setSql(const QString &sql)
{
    m_editor->setPlainText(sql);
    m_editor->moveCursor(QTextCursor::Start);
}

void QueryPage::setTenant(const QString &schema)
{
    const int index = m_tenant->findData(schema);
    if (index >= 0)
        m_tenant->setCurrentIndex(index);
}

void QueryPage::setRunning(bool running)
{
    m_running = running;
    const bool idle = m_ready && !running;
    m_run->setEnabled(idle);
    m_explain->setEnabled(idle);
    m_analyze->setEnabled(idle);
    m_everyTenant->setEnabled(idle && !m_setup.tenants.isEmpty());
    m_tenant->setEnabled(idle);
    m_stop->setEnabled(running);
    m_export->setEnabled(idle && currentModel() != nullptr);
    m_writes->setEnabled(idle);
    m_commit->setEnabled(idle && m_transactionOpen);
    m_rollback->setEnabled(idle && m_transactionOpen);
    m_progress->setVisible(running);
    if (running) {
        m_progress->setRange(0, 0);
        QApplication::setOverrideCursor(Qt::BusyCursor);
    } else if (QApplication::overrideCursor()) {
        QApplication::restoreOverrideCursor();
    }
}

void QueryPage::updateTransaction(const QStringList &kinds, qint64 rows, bool open)
{
    m_transactionOpen = open && !kinds.isEmpty();
    m_pendingKinds = kinds;
    m_pendingRows = rows;
    if (!m_setup.readOnlyReason.isEmpty()) {
        m_mode->setStyleSheet(
            QStringLiteral("QLabel { background: #e6f4ea; color: #1e5631; padding: 2px 8px; "
                           "border-radius: 3px; }"));
        m_mode->setText(tr("Read-only"));
        m_mode->setToolTip(m_setup.readOnlyReason);
    } else if (!writesAllowed()) {
        m_mode->setStyleSheet(
            QStringLiteral("QLabel { background: #e6f4ea; color: #1e5631; padding: 2px 8px; "
                           "border-radius: 3px; }"));
        m_mode->setText(tr("Read-only"));
        m_mode->setToolTip(tr("Each run is a READ ONLY transaction that is rolled back: the "
                              "server refuses whatever writes"));
    } else if (m_transactionOpen) {
        m_mode->setStyleSheet(
            QStringLiteral("QLabel { background: #fdecea; color: #8a1c1c; padding: 2px 8px; "
                           "border-radius: 3px; }"));
        m_mode->setText(
            tr("Not committed: %1, %n rows", nullptr, int(std::min<qint64>(rows, INT_MAX)))
                .arg(kinds.join(QStringLiteral(", "))));
        m_mode->setToolTip(tr("Nothing is kept until Commit; Rollback or closing the console "
                              "undoes it"));
    } else {
        m_mode->setStyleSheet(
            QStringLiteral("QLabel { background: #fff4e5; color: #7a4b00; padding: 2px 8px; "
                           "border-radius: 3px; }"));
        m_mode->setText(tr("Writes allowed"));
        m_mode->setToolTip(tr("Statements run in one transaction that only Commit ends"));
    }
    m_commit->setEnabled(m_ready && !m_running && m_transactionOpen);
    m_rollback->setEnabled(m_ready && !m_running && m_transactionOpen);
}

void QueryPage::run()
{
    const QString text = m_editor->textToRun();
    const SqlScript script = SqlScript::parse(text);
    if (!script.isValid()) {
        const QString problem = tr("Line %1: %2")
                                    .arg(script.problems().first().line)
                                    .arg(script.problems().first().message);
        m_status->setText(problem);
        emit finished(false, problem);
        return;
    }
    QStringList statements;
    for (const SqlStatement &statement : script.statements())
        statements.append(statement.text);
    if (statements.isEmpty()) {
        m_status->setText(tr("Nothing to run."));
        return;
    }
    runStatements(statements, false, false);
}

void QueryPage::explain(bool analyze)
{
    const QTextCursor cursor = m_editor->textCursor();
    const QString statement = cursor.hasSelection()
        ? m_editor->textToRun().trimmed()
        : statementAt(m_editor->toPlainText(), cursor.position());
    if (statement.isEmpty()) {
        m_status->setText(tr("Nothing to explain."));
        return;
    }
    runStatements({ statement }, true, analyze);
}

void QueryPage::runStatements(const QStringList &statements, bool plan, bool analyze)
{
    if (!m_ready || m_running || !m_session)
        return;
    setRunning(true);
    m_status->setText(plan ? tr("Planning…")
                           : tr("Running %n statements…", nullptr, int(statements.size())));
    auto console = m_console;
    const bool readOnly = !writesAllowed();
    struct Answer
    {
        QList<Piece> pieces;
        qint64 ms = 0;
        QStringList kinds;
        qint64 rows = 0;
        bool open = false;
    };
    m_session->run<Answer>(
        this,
        [console, statements, plan, analyze, readOnly](DbConnection &) {
            Answer answer;
            QElapsedTimer timer;
            timer.start();
            QueryConsole &c = **console;
            // A read-only run starts a new transaction: the last run's snapshot is let go.
            if (readOnly)
                c.rollback();
            for (const QString &statement : statements) {
                Piece piece;
                try {
                    piece.outcome =
                        c.run(plan ? ExplainPlan::statementFor(statement, analyze) : statement);
                } catch (const DbError &error) {
                    piece.outcome.statement = statement;
                    piece.error = error.text();
                    piece.cancelled = error.kind() == DbError::Kind::Cancelled;
                    const int prefix =
                        plan ? int(ExplainPlan::statementFor(QString(), analyze).size()) : 0;
                    if (error.offsetInStatement() >= prefix)
                        piece.errorOffset = error.offsetInStatement() - prefix;
                } catch (const std::exception &error) {
                    piece.outcome.statement = statement;
                    piece.error = QString::fromUtf8(error.what());
                }
                answer.pieces.append(piece);
                if (!piece.error.isEmpty())
                    break;
            }
            answer.ms = timer.elapsed();
            answer.kinds = c.pendingKinds();
            answer.rows = c.pendingRows();
            answer.open = c.transactionOpen();
            return answer;
        },
        [this, plan, statements](Answer answer) {
            setRunning(false);
            updateTransaction(answer.kinds, answer.rows, answer.open);
            QString error;
            for (const Piece &piece : std::as_const(answer.pieces)) {
                if (!piece.error.isEmpty())
                    error = piece.error;
            }
            remember(statements.join(QStringLiteral(";\n")), answer.ms,
                     error.isEmpty() ? QStringLiteral("ok") : firstLine(error));
            if (plan && error.isEmpty()) {
                QString parseError;
                const QList<ResultRow> rows = answer.pieces.value(0).outcome.result.rows;
                const ExplainPlan parsed = ExplainPlan::fromJson(
                    rows.isEmpty() ? QString() : rows.first().cells.value(0), &parseError);
                if (parseError.isEmpty())
                    showPlan(parsed);
                else
                    error = parseError;
            } else {
                showPieces(answer.pieces, answer.ms);
            }
            emit finished(error.isEmpty(), error);
        },
        [this](const QString &error) {
            setRunning(false);
            m_status->setText(error);
            emit finished(false, error);
        });
}

void QueryPage::clearResults()
{
    for (QWidget *page : std::as_const(m_resultPages)) {
        m_results->removeTab(m_results->indexOf(page));
        page->deleteLater();
    }
    m_resultPages.clear();
    m_models.clear();
    for (QWidget *fixed :
         { static_cast<QWidget *>(m_plan), static_cast<QWidget *>(m_tenantErrors) }) {
        const int index = m_results->indexOf(fixed);
        if (index >= 0)
            m_results->removeTab(index);
        fixed->hide();
    }
}

void QueryPage::addResultTab(const QString &title, QWidget *widget)
{
    const int index = m_results->insertTab(int(m_resultPages.size()), widget, title);
    m_resultPages.append(widget);
    if (m_resultPages.size() == 1)
        m_results->setCurrentIndex(index);
}

void QueryPage::showPieces(const QList<Piece> &pieces, qint64 ms)
{
    clearResults();
    QStringList log;
    int withRows = 0;
    QString firstError;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        const Piece &piece = pieces.at(i);
        const StatementOutcome &outcome = piece.outcome;
        log.append(QStringLiteral("— %1").arg(firstLine(outcome.statement).left(120)));
        for (const QString &notice : outcome.notices)
            log.append(QStringLiteral("  ") + notice);
        if (!piece.error.isEmpty()) {
            log.append(QStringLiteral("  ")
                       + QString(piece.error).replace(u'\n', QStringLiteral("\n  ")));
            if (firstError.isEmpty())
                firstError = piece.error;
            continue;
        }
        if (outcome.result.kind != StatementResult::Kind::Rows) {
            log.append(QStringLiteral("  %1 (%2 ms)")
                           .arg(outcome.result.kind == StatementResult::Kind::CopyOut
                                    ? tr("COPY output is not shown: use Export")
                                    : outcome.result.commandTag)
                           .arg(outcome.elapsedMs));
            m_models.append(nullptr);
            continue;
        }
        ++withRows;
        auto console = m_console;
        const QString cursor = outcome.cursor;
        QueryResultModel::Reader reader;
        if (!cursor.isEmpty()) {
            QPointer<QueryPage> self(this);
            reader = [self, console,
                      cursor](qint64 first, int count,
                              const std::function<void(QList<ResultRow>, QString)> &done) {
                if (!self || !self->m_session)
                    return;
                self->m_session->run<QList<ResultRow>>(
                    self,
                    [console, cursor, first, count](DbConnection &) {
                        if (!*console)
                            return QList<ResultRow>();
                        return (*console)->fetch(cursor, first, count);
                    },
                    [done](QList<ResultRow> rows) { done(std::move(rows), QString()); },
                    [done](const QString &error) { done({}, error); });
            };
        }
        auto *model = new QueryResultModel(outcome.result.columns, outcome.result.rows,
                                           outcome.atEnd, pageSize, reader, this);
        model->setCursorName(cursor);
        auto *view = new QTableView(m_results);
        view->setModel(model);
        view->setAlternatingRowColors(true);
        view->setSelectionMode(QAbstractItemView::ExtendedSelection);
        view->horizontalHeader()->setDefaultSectionSize(140);
        view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
        view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view->setWordWrap(false);
        fitColumns(view);
        connect(model, &QueryResultModel::failed, this, [this](const QString &error) {
            m_status->setText(tr("Rows could not be read: %1 (the result's transaction has "
                                 "ended: run it again)")
                                  .arg(firstLine(error)));
        });
        connect(model, &QueryResultModel::rowsArrived, this, [this] {
            if (auto *m = currentModel())
                m_status->setText(
                    m->atEnd() ? tr("%n rows", nullptr, m->rowCount())
                               : tr("%n rows so far; more as you scroll", nullptr, m->rowCount()));
        });
        addResultTab(pieces.size() == 1 ? tr("Result") : tr("Result %1").arg(i + 1), view);
        m_models.append(model);
        log.append(QStringLiteral("  %1 (%2 ms)")
                       .arg(outcome.atEnd ? tr("%n rows", nullptr, int(outcome.result.rows.size()))
                                          : tr("first %n rows; more as you scroll", nullptr,
                                               int(outcome.result.rows.size())))
                       .arg(outcome.elapsedMs));
        if (outcome.result.rowsLeftOut > 0)
            log.append(QStringLiteral("  ")
                       + tr("%n more rows were not kept", nullptr,
                            int(std::min<qint64>(outcome.result.rowsLeftOut, INT_MAX))));
    }
    m_messages->setPlainText(log.join(u'\n'));
    if (!firstError.isEmpty()) {
        m_results->setCurrentWidget(m_messages);
        const Piece &failed = pieces.last();
        m_status->setText(tr("Failed: %1").arg(firstLine(firstError)));
        // Put the cursor where the server pointed.
        if (failed.errorOffset >= 0) {
            const int start = m_editor->toPlainText().indexOf(failed.outcome.statement);
            if (start >= 0) {
                QTextCursor cursor = m_editor->textCursor();
                cursor.setPosition(start + failed.errorOffset);
                m_editor->setTextCursor(cursor);
            }
        }
    } else if (withRows == 0) {
        m_results->setCurrentWidget(m_messages);
        m_status->setText(tr("Done in %1 ms.").arg(ms));
    } else {
        m_status->setText(tr("%n statements in %1 ms", nullptr, int(pieces.size())).arg(ms));
    }
    setRunning(false);
}

void QueryPage::showPlan(const ExplainPlan &plan)
{
    clearResults();
    m_plan->clear();
    const std::function<void(QTreeWidgetItem *, const PlanNode &)> add =
        [&](QTreeWidgetItem *parent, const PlanNode &node) {
            auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_plan);
            item->setText(0, node.kind);
            item->setText(1, node.relation);
            item->setText(2, QString::number(node.planRows, 'f', 0));
            item->setText(3, node.analyzed ? QString::number(node.actualRows, 'f', 0) : QString());
            item->setText(4, node.analyzed ? QString::number(node.loops, 'f', 0) : QString());
            item->setText(5,
                          node.analyzed ? QStringLiteral("%1 ms").arg(node.ownMs, 0, 'f', 2)
                                        : tr("cost %1").arg(node.ownCost, 0, 'f', 1));
            item->setText(6,
                          node.analyzed
                              ? tr("%1 hit, %2 read").arg(node.sharedHit).arg(node.sharedRead)
                              : QString());
            item->setText(7, node.detail);
            item->setToolTip(7, node.detail);
            for (int c = 2; c <= 6; ++c)
                item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
            if (node.costliest) {
                QFont bold = item->font(0);
                bold.setBold(true);
                for (int c = 0; c < m_plan->columnCount(); ++c) {
                    item->setFont(c, bold);
                    item->setBackground(c, QColor(0xfd, 0xec, 0xea));
                }
                item->setToolTip(0, tr("The costliest node: the most time (or cost) of its own"));
            }
            if (node.analyzed && node.planRows > 0
                && (node.actualRows / std::max(1.0, node.loops) > node.planRows * 10
                    || node.actualRows / std::max(1.0, node.loops) * 10 < node.planRows))
                item->setForeground(3, QColor(0xb3, 0x26, 0x1e));
            for (const PlanNode &child : node.children)
                add(item, child);
        };
    add(nullptr, plan.root);
    m_plan->expandAll();
    for (int c = 0; c < m_plan->columnCount() - 1; ++c)
        m_plan->resizeColumnToContents(c);
    m_results->insertTab(0, m_plan, tr("Plan"));
    m_results->setCurrentWidget(m_plan);
    QString summary = plan.analyzed ? tr("Executed in %1 ms (planning %2 ms).")
                                          .arg(plan.executionMs, 0, 'f', 2)
                                          .arg(plan.planningMs, 0, 'f', 2)
                                    : tr("Estimated: the statement did not run.");
    m_status->setText(summary);
    m_messages->setPlainText(summary);
}

void QueryPage::runInTenants(const QStringList &schemas)
{
    if (!m_ready || m_running)
        return;
    const SqlScript script = SqlScript::parse(m_editor->textToRun());
    if (script.statements().size() != 1) {
        const QString problem = tr("Every tenant is asked one statement: select it, or leave "
                                   "only one in the editor.");
        m_status->setText(problem);
        emit finished(false, problem);
        return;
    }
    const QString statement = script.statements().first().text;
    TenantQuery::Options options;
    options.settings = m_setup.settings;
    options.schemas = schemas.isEmpty() ? m_setup.tenants : schemas;
    options.jobs = 4;
    options.maxRowsPerSchema = 20'000;
    clearResults();

    // Rows arrive as tenants answer: a model that grows.
    const ResultColumn tenantColumn { QStringLiteral("tenant"), 25 };
    auto *view = new QTableView(m_results);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    addResultTab(tr("Every tenant"), view);
    m_tenantErrors->setRowCount(0);
    m_results->addTab(m_tenantErrors, tr("Tenants that could not answer"));
    m_models.clear();
    m_models.append(nullptr);

    struct Shared
    {
        std::mutex mutex;
        QList<ResultColumn> columns;
        QList<ResultRow> rows;
    };
    auto shared = std::make_shared<Shared>();
    setRunning(true);
    m_progress->setRange(0, int(options.schemas.size()));
    m_progress->setValue(0);
    m_status->setText(tr("Asking %n tenants…", nullptr, int(options.schemas.size())));
    delete m_tenantJob;
    m_tenantJob = new BackgroundJobs(this);
    QElapsedTimer timer;
    timer.start();
    QPointer<QTableView> guard(view);
    const auto showRows = [this, shared, guard, tenantColumn](bool final) {
        if (!guard)
            return;
        std::lock_guard lock(shared->mutex);
        if (shared->columns.isEmpty())
            return;
        auto *old = qobject_cast<QueryResultModel *>(guard->model());
        // Rebuilt at most a few times a second from what arrived, the tenant column first.
        if (old && old->rowCount() == shared->rows.size() && !final)
            return;
        auto *model = new QueryResultModel(QList<ResultColumn> { tenantColumn } + shared->columns,
                                           shared->rows, true, pageSize, {}, this);
        guard->setModel(model);
        if (old)
            old->deleteLater();
        m_models[0] = model;
        if (final)
            fitColumns(guard);
    };
    m_tenantJob->start<TenantQuery::Summary>(
        [options, statement, shared](JobControl &control) {
            return TenantQuery::run(options, statement, control,
                                    [shared](const TenantQuery::Answer &answer) {
                                        std::lock_guard lock(shared->mutex);
                                        shared->columns = answer.columns;
                                        for (const ResultRow &row : answer.rows) {
                                            ResultRow r;
                                            r.cells = QStringList { answer.schema } + row.cells;
                                            r.nulls.resize(int(r.cells.size()));
                                            for (int c = 0; c < row.nulls.size(); ++c)
                                                r.nulls.setBit(c + 1, row.nulls.testBit(c));
                                            shared->rows.append(std::move(r));
                                        }
                                    });
        },
        [this, showRows, statement, timer](const TenantQuery::Summary &summary) {
            showRows(true);
            setRunning(false);
            m_tenantErrors->setRowCount(int(summary.failures.size()));
            for (int i = 0; i < summary.failures.size(); ++i) {
                const TenantQuery::Failure &f = summary.failures.at(i);
                m_tenantErrors->setItem(i, 0, new QTableWidgetItem(f.schema));
                m_tenantErrors->setItem(i, 1, new QTableWidgetItem(f.version));
                m_tenantErrors->setItem(i, 2, new QTableWidgetItem(f.error));
            }
            m_tenantErrors->resizeColumnToContents(0);
            m_results->setTabText(
                m_results->indexOf(m_tenantErrors),
                tr("Tenants that could not answer (%1)").arg(summary.failures.size()));
            const QString text = tr("%n rows", nullptr, int(summary.rows))
                + tr(" from %n tenants", nullptr, summary.answered)
                + (summary.failures.isEmpty() ? QString()
                                              : tr("; %n could not answer (see their tab)", nullptr,
                                                   int(summary.failures.size())))
                + tr(" in %1 ms.").arg(timer.elapsed())
                + (summary.cancelled ? tr(" Cancelled.") : QString());
            m_status->setText(text);
            m_messages->setPlainText(text);
            remember(statement, timer.elapsed(),
                     summary.failures.isEmpty()
                         ? QStringLiteral("ok")
                         : tr("%n tenants failed", nullptr, int(summary.failures.size())));
            emit finished(!summary.cancelled, summary.cancelled ? tr("cancelled") : QString());
        },
        [this](const QString &error, bool cancelled) {
            setRunning(false);
            m_status->setText(cancelled ? tr("Cancelled.") : error);
            emit finished(false, error);
        },
        [this, showRows](const JobControl::Progress &progress) {
            m_progress->setRange(0, int(progress.total));
            m_progress->setValue(int(progress.done));
            m_status->setText(
                tr("%1 of %2 tenants answered…").arg(progress.done).arg(progress.total));
            showRows(false);
        });
}

void QueryPage::stop()
{
    if (m_tenantJob && m_tenantJob->isRunning())
        m_tenantJob->cancel();
    if (m_session)
        m_session->cancelRunning();
    m_status->setText(tr("Stopping…"));
}

void QueryPage::commit()
{
    if (!m_transactionOpen || !m_session)
        return;
    const QString what = tr("%1 (%n rows)", nullptr, int(std::min<qint64>(m_pendingRows, INT_MAX)))
                             .arg(m_pendingKinds.join(QStringLiteral(", ")));
    if (m_setup.environment == DeploymentEnvironment::Production) {
        const auto answer = QMessageBox::warning(
            this, tr("Commit on production"),
            tr("Commit %1 to %2, a production database?\n\nThis cannot be undone.")
                .arg(what, m_setup.settings.database()),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    setRunning(true);
    auto console = m_console;
    m_session->run<QString>(
        this, [console](DbConnection &) { return (*console)->commit(); },
        [this](const QString &warning) {
            setRunning(false);
            updateTransaction({}, 0, false);
            m_status->setText(warning.isEmpty() ? tr("Committed; on record in the audit.")
                                                : tr("Committed. %1").arg(warning));
        },
        [this](const QString &error) {
            setRunning(false);
            m_status->setText(tr("The commit failed: %1").arg(firstLine(error)));
        });
}

void QueryPage::rollback()
{
    if (!m_session)
        return;
    setRunning(true);
    auto console = m_console;
    m_session->run<bool>(
        this,
        [console](DbConnection &) {
            (*console)->rollback();
            return true;
        },
        [this](bool) {
            setRunning(false);
            updateTransaction({}, 0, false);
            m_status->setText(tr("Rolled back: nothing was kept."));
        },
        [this](const QString &error) {
            setRunning(false);
            m_status->setText(error);
        });
}

QueryResultModel *QueryPage::currentModel() const
{
    auto *view = qobject_cast<QTableView *>(m_results->currentWidget());
    return view ? qobject_cast<QueryResultModel *>(view->model()) : nullptr;
}

QTableView *QueryPage::resultView(int n) const
{
    for (QWidget *page : m_resultPages) {
        auto *view = qobject_cast<QTableView *>(page);
        if (view && view->model() == resultModel(n))
            return view;
    }
    return nullptr;
}

QueryResultModel *QueryPage::resultModel(int n) const
{
    return m_models.value(n);
}

QString QueryPage::messages() const
{
    return m_messages->toPlainText();
}

QString QueryPage::statusText() const
{
    return m_status->text();
}

void QueryPage::chooseExport()
{
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the result"), QString(),
        tr("CSV (*.csv);;JSON (*.json);;SQL INSERT statements (*.sql)"), &selected);
    if (path.isEmpty())
        return;
    const QString format = path.endsWith(u".json") || selected.startsWith(u"JSON")
        ? QStringLiteral("json")
        : path.endsWith(u".sql") || selected.startsWith(u"SQL") ? QStringLiteral("sql")
                                                                : QStringLiteral("csv");
    exportResult(path, format);
}

void QueryPage::exportResult(const QString &path, const QString &format)
{
    QueryResultModel *model = currentModel();
    const auto chosen = ResultExport::formatNamed(format);
    if (!model || !chosen || !m_session) {
        m_status->setText(tr("Show a result with rows first."));
        emit finished(false, tr("no result"));
        return;
    }
    // The rows are read again from the first: through the cursor when the result has one, else
    // from the model's rows.
    // A result without a cursor (every tenant's, a short one) is all in the model.
    const QString cursor = model->cursorName();
    const bool complete = cursor.isEmpty();
    QList<ResultRow> whole;
    for (int r = 0; complete && r < model->rowCount(); ++r)
        whole.append(model->rowAt(r));
    const QList<ResultColumn> columns = model->columns();
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    auto console = m_console;
    auto *progress = new QProgressDialog(tr("Writing %1…").arg(path), tr("Cancel"), 0, 0, this);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    connect(progress, &QProgressDialog::canceled, this, [this, cancelled] {
        cancelled->store(true);
        if (m_session)
            m_session->cancelRunning();
    });
    setRunning(true);
    const QString tableName = QStringLiteral("query_result");
    m_session->run<ResultExport::Written>(
        this,
        [=](DbConnection &) {
            ResultExport::PageReader read;
            if (complete) {
                read = [whole](qint64 first, int count) {
                    return whole.mid(first, count);
                };
            } else {
                read = [console, cursor](qint64 first, int count) {
                    return (*console)->fetch(cursor, first, count);
                };
            }
            return ResultExport::write(path, *chosen, columns, read, tableName, cancelled.get());
        },
        [this, progress, path](ResultExport::Written written) {
            progress->deleteLater();
            setRunning(false);
            m_status->setText(
                written.cancelled
                    ? tr("Export cancelled; %1 was not written.").arg(path)
                    : tr("%n rows written to %1.", nullptr, int(written.rows)).arg(path));
            emit finished(!written.cancelled, QString());
        },
        [this, progress](const QString &error) {
            progress->deleteLater();
            setRunning(false);
            m_status->setText(tr("Export failed: %1").arg(firstLine(error)));
            emit finished(false, error);
        });
}

void QueryPage::remember(const QString &sql, qint64 ms, const QString &outcome)
{
    QueryHistory(m_setup.historyKey)
        .add({ sql, QDateTime::currentDateTimeUtc(), m_tenant->currentData().toString(), ms,
               outcome });
    refreshHistory();
}

void QueryPage::refreshHistory()
{
    m_history->clear();
    const QList<QueryHistory::Entry> entries =
        QueryHistory::matching(QueryHistory(m_setup.historyKey).entries(), m_historyFilter->text());
    for (const QueryHistory::Entry &entry : entries) {
        QString line = entry.sql.simplified();
        if (line.size() > 160)
            line = line.left(159) + QChar(0x2026);
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  %2").arg(
                entry.at.toLocalTime().toString(QStringLiteral("MM-dd HH:mm")), line),
            m_history);
        item->setData(Qt::UserRole, entry.sql);
        item->setToolTip(
            QStringLiteral("%1\n\n%2%3")
                .arg(entry.sql,
                     entry.tenant.isEmpty() ? QString() : tr("Tenant: %1\n").arg(entry.tenant),
                     entry.outcome == u"ok" ? tr("Ran in %1 ms").arg(entry.ms) : entry.outcome));
        if (entry.outcome != u"ok")
            item->setForeground(QColor(0xb3, 0x26, 0x1e));
    }
}

} // namespace fuelsync
