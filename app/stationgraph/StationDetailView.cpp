#include "StationDetailView.h"

#include "StationCharts.h"
#include "session/DatabaseSession.h"
#include "station/CreditorHistoryReader.h"
#include "station/NozzleHistoryReader.h"
#include "station/StockHistoryReader.h"

#include <QChart>
#include <QChartView>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace fuelsync {

namespace {

const QColor ProblemText(0xb7, 0x1c, 0x1c);
const QColor ProblemBack(0xfd, 0xec, 0xec);

QStandardItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignLeft)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    item->setTextAlignment(alignment | Qt::AlignVCenter);
    return item;
}

QStandardItem *number(const QLocale &locale, double value, int decimals)
{
    return cell(locale.toString(value, 'f', decimals), Qt::AlignRight);
}

void markProblem(const QList<QStandardItem *> &row, const QString &why)
{
    for (QStandardItem *item : row) {
        item->setForeground(ProblemText);
        item->setBackground(ProblemBack);
        item->setToolTip(why);
    }
}

QString when(const QLocale &locale, const QDateTime &at)
{
    return at.isValid() ? locale.toString(at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"))
                        : QString();
}

} // namespace

StationDetailView::StationDetailView(DatabaseSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_title = new QLabel(this);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_title->setFont(big);
    m_lines = new QLabel(this);
    m_lines->setStyleSheet(QStringLiteral("color: #4a5058;"));
    m_lines->setWordWrap(true);
    m_findings = new QLabel(this);
    m_findings->setWordWrap(true);
    m_findings->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_findings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_upper = new QChartView(this);
    m_lower = new QChartView(this);
    for (QChartView *view : { m_upper, m_lower }) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(210);
        view->hide();
    }
    m_model = new QStandardItemModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_title);
    layout->addWidget(m_lines);
    layout->addWidget(m_findings);
    layout->addWidget(m_upper, 3);
    layout->addWidget(m_lower, 3);
    layout->addWidget(m_table, 2);
    m_table->setMinimumHeight(120);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.row() < m_subjects.size() && !m_subjects.at(index.row()).isEmpty())
            emit subjectActivated(m_subjects.at(index.row()));
    });
    clear();
}

QString StationDetailView::title() const
{
    return m_title->text();
}

QString StationDetailView::findingsText() const
{
    return m_findings->text();
}

QChart *StationDetailView::chart(int which) const
{
    const QChartView *view = which == 0 ? m_upper : m_lower;
    return view->isHidden() ? nullptr : view->chart();
}

void StationDetailView::clear()
{
    ++m_request;
    setHeader(tr("Select a node"),
              { tr("Click a station, pump, nozzle, customer, fuel or alert "
                   "in the graph to see what it holds.") },
              {});
    setCharts(nullptr, nullptr);
    setColumns({});
    m_ready = false;
}

void StationDetailView::setHeader(const QString &title, const QStringList &lines,
                                  const QStringList &findings)
{
    m_title->setText(title);
    m_lines->setText(lines.join(QStringLiteral("  ·  ")));
    m_lines->setVisible(!lines.isEmpty());
    QStringList shown = findings.mid(0, findings.size() > 4 ? 3 : 4);
    if (findings.size() > shown.size())
        shown.append(tr("… and %n more (marked in the table)", nullptr,
                        int(findings.size() - shown.size())));
    m_findings->setText(
        shown.isEmpty() ? QString() : QStringLiteral("⚠ ") + shown.join(QStringLiteral("\n⚠ ")));
    m_findings->setVisible(!shown.isEmpty());
}

void StationDetailView::setCharts(QChart *upper, QChart *lower)
{
    const QList<std::pair<QChartView *, QChart *>> pairs { { m_upper, upper }, { m_lower, lower } };
    for (const auto &[view, chart] : pairs) {
        QChart *old = view->chart();
        view->setChart(chart ? chart : new QChart);
        delete old;
        view->setVisible(chart != nullptr);
    }
}

void StationDetailView::setColumns(const QStringList &headers)
{
    m_model->clear();
    m_subjects.clear();
    m_model->setHorizontalHeaderLabels(headers);
}

void StationDetailView::finish()
{
    m_table->resizeColumnsToContents();
    // Short lists wrap their last column (the problems' sentences) to the pane's width.
    if (m_model->rowCount() <= 200 && m_model->columnCount() > 1) {
        const int last = m_model->columnCount() - 1;
        int others = 0;
        for (int c = 0; c < last; ++c)
            others += m_table->columnWidth(c);
        m_table->setColumnWidth(last, std::max(160, m_table->viewport()->width() - others));
        m_table->resizeRowsToContents();
    }
    m_ready = true;
    emit ready();
}

void StationDetailView::showNode(const StationGraphScene &scene, int index, const QDate &lastDay,
                                 int days)
{
    ++m_request;
    m_ready = false;
    const StationGraph &graph = scene.graph();
    const StationGraphScene::Node &node = scene.nodes().at(index);
    const QLocale locale;
    using Kind = StationGraphScene::Node::Kind;
    setCharts(nullptr, nullptr);

    switch (node.kind) {
    case Kind::Station: {
        setHeader(node.title, node.lines, {});
        setColumns({ tr("Where"), tr("What does not add up") });
        for (const StationGraph::Problem &p : graph.problems) {
            QString where;
            if (const StationGraph::Nozzle *n = graph.nozzle(p.subjectId))
                where = tr("Nozzle %1 · %2").arg(n->number).arg(n->fuelType);
            else if (const StationGraph::Creditor *c = graph.creditor(p.subjectId))
                where = c->name;
            else
                where = tr("%1 stock").arg(p.subjectId);
            const int pumpNode = [&] {
                const int nozzle = scene.find(Kind::Nozzle, p.subjectId);
                return nozzle >= 0 ? scene.nodes().at(nozzle).parent : -1;
            }();
            if (pumpNode >= 0)
                where = scene.nodes().at(pumpNode).title + QStringLiteral(" · ") + where;
            QList<QStandardItem *> row { cell(where), cell(p.text) };
            markProblem(row, p.text + u'\n' + tr("Double-click to open it"));
            m_model->appendRow(row);
            m_subjects.append(p.subjectId);
        }
        if (graph.problems.isEmpty())
            m_model->appendRow(
                { cell(tr("Nothing")), cell(tr("Everything at this station adds up.")) });
        finish();
        return;
    }
    case Kind::Pump: {
        setHeader(node.title, node.lines, node.problems);
        setColumns({ tr("Nozzle"), tr("Fuel"), tr("Status"), tr("Latest reading (L)"),
                     tr("Read at"), tr("Sales"), tr("Litres"), tr("₹") });
        for (int child : node.children) {
            const StationGraph::Nozzle *n = graph.nozzle(scene.nodes().at(child).id);
            if (!n)
                continue;
            QList<QStandardItem *> row {
                cell(QString::number(n->number), Qt::AlignRight),
                cell(n->fuelType),
                cell(n->status),
                n->latest ? number(locale, n->latest->value, 3) : cell(tr("never read")),
                cell(n->latest ? when(locale, n->latest->at) : QString()),
                cell(locale.toString(n->sales), Qt::AlignRight),
                number(locale, n->volume, 3),
                number(locale, n->amount, 2),
            };
            const QStringList problems = scene.nodes().at(child).problems;
            if (!problems.isEmpty())
                markProblem(row, problems.join(u'\n'));
            m_model->appendRow(row);
            m_subjects.append(n->id);
        }
        finish();
        return;
    }
    case Kind::Credit: {
        setHeader(node.title, node.lines, {});
        setColumns(
            { tr("Customer"), tr("Owes (₹)"), tr("Limit (₹)"), tr("Last paid"), tr("Active") });
        for (const StationGraph::Creditor &c : graph.creditors) {
            QList<QStandardItem *> row { cell(c.name), number(locale, c.outstanding, 2),
                                         number(locale, c.creditLimit, 2),
                                         cell(when(locale, c.lastPaymentAt)),
                                         cell(c.active ? tr("yes") : tr("no")) };
            const QList<StationGraph::Problem> problems = graph.problemsOf(c.id);
            if (!problems.isEmpty())
                markProblem(row, problems.first().text);
            m_model->appendRow(row);
            m_subjects.append(c.id);
        }
        finish();
        return;
    }
    case Kind::Stock: {
        setHeader(node.title, node.lines, {});
        setColumns({ tr("Fuel"), tr("Stock (L)"), tr("Reorder level (L)"), tr("Capacity (L)"),
                     tr("Measured") });
        for (const StationGraph::Stock &s : graph.inventory) {
            QList<QStandardItem *> row { cell(s.fuelType), number(locale, s.current, 0),
                                         number(locale, s.minimum, 0),
                                         number(locale, s.capacity, 0),
                                         cell(when(locale, s.measuredAt)) };
            if (s.current < s.minimum)
                markProblem(row, graph.problemsOf(s.fuelType).value(0).text);
            m_model->appendRow(row);
            m_subjects.append(s.fuelType);
        }
        finish();
        return;
    }
    case Kind::Alerts:
    case Kind::Alert: {
        if (node.kind == Kind::Alert) {
            const auto alert =
                std::find_if(graph.alerts.cbegin(), graph.alerts.cend(),
                             [&](const StationGraph::Alert &a) { return a.id == node.id; });
            setHeader(node.title, { alert != graph.alerts.cend() ? alert->message : QString() },
                      {});
        } else {
            setHeader(node.title, node.lines, {});
        }
        setColumns({ tr("Raised"), tr("Severity"), tr("Type"), tr("Message"), tr("Read"),
                     tr("Resolved") });
        for (const StationGraph::Alert &a : graph.alerts) {
            QList<QStandardItem *> row { cell(when(locale, a.createdAt)),
                                         cell(a.severity),
                                         cell(a.type),
                                         cell(a.message),
                                         cell(a.read ? tr("yes") : tr("no")),
                                         cell(when(locale, a.resolvedAt)) };
            if (!a.resolvedAt.isValid() && a.severity == u"critical")
                markProblem(row, tr("A critical alert is open"));
            m_model->appendRow(row);
            m_subjects.append(QString());
        }
        finish();
        if (node.kind == Kind::Alert) {
            for (int i = 0; i < graph.alerts.size(); ++i) {
                if (graph.alerts.at(i).id == node.id)
                    m_table->selectRow(i);
            }
        }
        return;
    }
    case Kind::Nozzle:
        setHeader(node.title, node.lines, {});
        setColumns({});
        showNozzle(graph.schema, node.id, lastDay, days);
        return;
    case Kind::Creditor:
        setHeader(node.title, node.lines, {});
        setColumns({});
        showCreditor(graph.schema, node.id, lastDay, days);
        return;
    case Kind::Fuel:
        setHeader(node.title, node.lines, {});
        setColumns({});
        showFuel(graph, node.id, lastDay, days);
        return;
    }
}

void StationDetailView::showNozzle(const QString &schema, const QString &id, const QDate &lastDay,
                                   int days)
{
    if (!m_session)
        return;
    m_lines->setText(tr("Reading the nozzle's history…"));
    const int request = m_request;
    NozzleHistoryReader::Options options;
    options.lastDay = lastDay;
    options.days = days;
    // A meter read every few minutes has thousands of readings a month, each on a heap page of
    // its own: the chart keeps the newest ones and says so.
    options.maxReadings = MaxChartReadings;
    m_session->run<NozzleHistory>(
        this,
        [schema, id, options](DbConnection &c) {
            return NozzleHistoryReader::read(c, schema, id, options);
        },
        [this, request](NozzleHistory h) {
            if (request != m_request)
                return;
            const QLocale locale;
            QStringList findings;
            for (const NozzleHistory::Finding &f : std::as_const(h.findings))
                findings.append(f.text);
            QStringList lines { tr("Pump %1 · %2 to %3 · %n reading(s)", nullptr,
                                   int(h.readings.size()))
                                    .arg(h.pumpLabel, when(locale, h.from), when(locale, h.to)),
                                tr("%n sale(s)", nullptr, int(h.sales.size())) };
            if (h.truncated)
                lines.append(tr("the newest %1 only: fewer days show them all")
                                 .arg(locale.toString(MaxChartReadings)));
            setHeader(m_title->text(), lines, findings);
            setCharts(StationCharts::nozzleMeter(h), StationCharts::nozzleSales(h));
            setColumns({ tr("Time"), tr("Reading (L)"), tr("Meter moved (L)"), tr("Sale (L)"),
                         tr("Charged (₹/L)"), tr("In force (₹/L)"), tr("Amount (₹)"),
                         tr("Paid by") });
            QHash<QString, const NozzleHistory::Sale *> saleOf;
            for (const NozzleHistory::Sale &s : std::as_const(h.sales))
                saleOf.insert(s.readingId, &s);
            std::optional<double> previous =
                h.before ? std::optional<double>(h.before->value) : std::nullopt;
            // Newest first, as a person reads back from now.
            QList<QList<QStandardItem *>> rows;
            rows.reserve(h.readings.size());
            for (const NozzleHistory::Reading &r : std::as_const(h.readings)) {
                const NozzleHistory::Sale *sale = saleOf.value(r.id);
                QList<QStandardItem *> row {
                    cell(when(locale, r.at)),
                    number(locale, r.value, 3),
                    previous ? number(locale, r.value - *previous, 3) : cell(QString()),
                    sale ? number(locale, sale->volume, 3) : cell(QString()),
                    sale ? number(locale, sale->pricePerLitre, 3) : cell(QString()),
                    sale && sale->priceInForce ? number(locale, *sale->priceInForce, 3)
                                               : cell(QString()),
                    sale ? number(locale, sale->amount, 2) : cell(QString()),
                    cell(sale ? sale->paymentMethod : QString()),
                };
                QStringList why;
                if (r.wentDown)
                    why.append(tr("lower than the reading before it"));
                if (sale && sale->priceDiffers())
                    why.append(tr("charged another price than the one in force"));
                if (sale && sale->volumeDiffers())
                    why.append(tr("the sale's litres are not the meter's"));
                if (!why.isEmpty())
                    markProblem(row, why.join(QStringLiteral("; ")));
                rows.append(row);
                previous = r.value;
            }
            for (const NozzleHistory::Sale &s : std::as_const(h.sales)) {
                if (!s.withoutReading)
                    continue;
                QList<QStandardItem *> row { cell(when(locale, s.at)),
                                             cell(tr("missing")),
                                             cell(QString()),
                                             number(locale, s.volume, 3),
                                             number(locale, s.pricePerLitre, 3),
                                             s.priceInForce ? number(locale, *s.priceInForce, 3)
                                                            : cell(QString()),
                                             number(locale, s.amount, 2),
                                             cell(s.paymentMethod) };
                markProblem(row, tr("a sale without its reading"));
                rows.append(row);
            }
            for (qsizetype i = rows.size() - 1; i >= 0; --i)
                m_model->appendRow(rows.at(i));
            finish();
        },
        [this, request](const QString &error) {
            if (request != m_request)
                return;
            m_lines->setText(tr("The history could not be read: %1").arg(error));
            emit failed(error);
        });
}

void StationDetailView::showCreditor(const QString &schema, const QString &id, const QDate &lastDay,
                                     int days)
{
    if (!m_session)
        return;
    m_lines->setText(tr("Reading the customer's account…"));
    const int request = m_request;
    CreditorHistoryReader::Options options;
    options.lastDay = lastDay;
    options.days = days;
    m_session->run<CreditorHistory>(
        this,
        [schema, id, options](DbConnection &c) {
            return CreditorHistoryReader::read(c, schema, id, options);
        },
        [this, request](CreditorHistory h) {
            if (request != m_request)
                return;
            const QLocale locale;
            QStringList findings;
            for (const CreditorHistory::Event &e : std::as_const(h.events)) {
                if (e.overLimit)
                    findings.append(tr("%1: a credit sale of ₹%2 left ₹%3 owed, above the "
                                       "limit of ₹%4.")
                                        .arg(when(locale, e.at), locale.toString(e.amount, 'f', 2),
                                             locale.toString(e.balanceAfter, 'f', 2),
                                             locale.toString(h.creditLimit, 'f', 2)));
            }
            QStringList lines { tr("Owes ₹%1 of ₹%2")
                                    .arg(locale.toString(h.outstanding, 'f', 2),
                                         locale.toString(h.creditLimit, 'f', 2)),
                                tr("%1 to %2: sold ₹%3, paid ₹%4")
                                    .arg(when(locale, h.from), when(locale, h.to),
                                         locale.toString(h.sold(), 'f', 2),
                                         locale.toString(h.paid(), 'f', 2)) };
            if (h.truncated)
                lines.append(tr("the newest events only"));
            setHeader(m_title->text(), lines, findings);
            setCharts(StationCharts::creditorBalance(h), nullptr);
            setColumns({ tr("Time"), tr("Event"), tr("Amount (₹)"), tr("Litres"), tr("Detail"),
                         tr("Owed after (₹)") });
            for (qsizetype i = h.events.size() - 1; i >= 0; --i) {
                const CreditorHistory::Event &e = h.events.at(i);
                const bool sale = e.kind == CreditorHistory::Event::Kind::Sale;
                QList<QStandardItem *> row { cell(when(locale, e.at)),
                                             cell(sale ? tr("credit sale") : tr("payment")),
                                             number(locale, e.amount, 2),
                                             sale ? number(locale, e.volume, 3) : cell(QString()),
                                             cell(e.detail),
                                             number(locale, e.balanceAfter, 2) };
                if (e.overLimit)
                    markProblem(row, tr("above the credit limit"));
                m_model->appendRow(row);
            }
            finish();
        },
        [this, request](const QString &error) {
            if (request != m_request)
                return;
            m_lines->setText(tr("The account could not be read: %1").arg(error));
            emit failed(error);
        });
}

void StationDetailView::showFuel(const StationGraph &graph, const QString &fuel,
                                 const QDate &lastDay, int days)
{
    if (!m_session)
        return;
    m_lines->setText(tr("Reading the stock's history…"));
    const int request = m_request;
    StockHistoryReader::Options options;
    options.lastDay = lastDay;
    options.days = days;
    const QString schema = graph.schema;
    const QString station = graph.stationId;
    m_session->run<StockHistory>(
        this,
        [schema, station, fuel, options](DbConnection &c) {
            return StockHistoryReader::read(c, schema, station, fuel, options);
        },
        [this, request](StockHistory h) {
            if (request != m_request)
                return;
            const QLocale locale;
            QStringList findings;
            QHash<QDate, QString> findingOf;
            for (const StockHistory::Finding &f : std::as_const(h.findings)) {
                findings.append(f.text);
                findingOf.insert(f.day, f.text);
            }
            const bool bookStock = !h.days.isEmpty() && h.days.first().bookStock.has_value();
            setHeader(m_title->text(),
                      { tr("%1 L measured %2")
                            .arg(locale.toString(h.current, 'f', 0), when(locale, h.measuredAt)),
                        bookStock ? tr("book stock: the measurement with the deliveries and "
                                       "sales since")
                                  : tr("no book stock: the measurement is more than %n day(s) "
                                       "away from these days",
                                       nullptr, StockHistoryReader::maxDaysFromMeasurement) },
                      findings);
            setCharts(StationCharts::stock(h), nullptr);
            setColumns({ tr("Day"), tr("Delivered (L)"), tr("Sold (L)"),
                         tr("Book stock at the end (L)") });
            for (qsizetype i = h.days.size() - 1; i >= 0; --i) {
                const StockHistory::Day &d = h.days.at(i);
                QList<QStandardItem *> row {
                    cell(locale.toString(d.day, QStringLiteral("yyyy-MM-dd ddd"))),
                    number(locale, d.delivered, 0), number(locale, d.sold, 0),
                    d.bookStock ? number(locale, *d.bookStock, 0) : cell(QString())
                };
                if (findingOf.contains(d.day))
                    markProblem(row, findingOf.value(d.day));
                m_model->appendRow(row);
            }
            finish();
        },
        [this, request](const QString &error) {
            if (request != m_request)
                return;
            m_lines->setText(tr("The stock could not be read: %1").arg(error));
            emit failed(error);
        });
}

} // namespace fuelsync
