#include "StationPage.h"

#include "StationDetailView.h"
#include "common/RequestError.h"
#include "session/DatabaseSession.h"
#include "station/StationGraphReader.h"

#include <QComboBox>
#include <QDateEdit>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace fuelsync {

namespace {

struct StationRead
{
    QList<StationSummary> stations;
    StationGraph graph;
    QString error; // the station could not be read (the list could)
};

} // namespace

StationPage::StationPage(DatabaseSession *session, QString schema, const QString &station,
                         const QDate &day, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_schema(std::move(schema))
    , m_firstDay(day)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Station:"), this));
    m_stations = new QComboBox(this);
    m_stations->setMinimumContentsLength(24);
    m_stations->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    bar->addWidget(m_stations);
    bar->addSpacing(8);
    bar->addWidget(new QLabel(tr("Day:"), this));
    m_day = new QDateEdit(this);
    m_day->setCalendarPopup(true);
    m_day->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_day->setToolTip(tr("Whose sales the graph counts, and the last day of the histories"));
    bar->addWidget(m_day);
    bar->addSpacing(8);
    bar->addWidget(new QLabel(tr("History:"), this));
    m_days = new QSpinBox(this);
    m_days->setRange(1, 366);
    m_days->setValue(30);
    m_days->setSuffix(tr(" days"));
    m_days->setToolTip(tr("How far back a nozzle's, customer's or fuel's history goes"));
    bar->addWidget(m_days);
    bar->addSpacing(8);
    auto button = [this, bar](const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setToolTip(tip);
        bar->addWidget(b);
        return b;
    };
    auto *expand = button(tr("Expand all"), tr("Show every nozzle, customer and alert"));
    auto *collapse = button(tr("Collapse all"), tr("Show the station's pumps and groups only"));
    auto *fit = button(tr("Fit"), tr("Show the whole graph"));
    auto *reloadButton = button(tr("Reload"), tr("Read the station again"));
    bar->addStretch(1);
    layout->addLayout(bar);
    m_status = new QLabel(tr("Reading %1…").arg(m_schema), this);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_status);

    m_scene = new StationGraphScene(this);
    m_view = new QGraphicsView(m_scene, this);
    m_view->setDragMode(QGraphicsView::ScrollHandDrag);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_detail = new StationDetailView(session, this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 640, 560 });
    layout->addWidget(splitter, 1);

    connect(expand, &QPushButton::clicked, m_scene, &StationGraphScene::expandAll);
    connect(collapse, &QPushButton::clicked, m_scene, &StationGraphScene::collapseAll);
    connect(fit, &QPushButton::clicked, this, [this] {
        m_view->fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
        if (m_view->transform().m11() > 1)
            m_view->resetTransform();
    });
    connect(reloadButton, &QPushButton::clicked, this, &StationPage::reload);
    connect(m_stations, &QComboBox::activated, this, &StationPage::reload);
    // A day picked in the calendar, typed, or stepped with the arrows: read again once the
    // box has been still for a moment.
    auto *dayPause = new QTimer(this);
    dayPause->setSingleShot(true);
    dayPause->setInterval(400);
    connect(dayPause, &QTimer::timeout, this, [this] {
        if (m_loaded && m_day->date() != m_scene->graph().day)
            reload();
    });
    connect(m_day, &QDateEdit::dateChanged, dayPause, qOverload<>(&QTimer::start));
    auto *daysPause = new QTimer(this);
    daysPause->setSingleShot(true);
    daysPause->setInterval(400);
    connect(daysPause, &QTimer::timeout, this, [this] {
        if (m_scene->selected() >= 0)
            showSelected(m_scene->selected());
    });
    connect(m_days, &QSpinBox::valueChanged, daysPause, qOverload<>(&QTimer::start));
    connect(m_scene, &StationGraphScene::nodeSelected, this, &StationPage::showSelected);
    connect(m_detail, &StationDetailView::subjectActivated, this, [this](const QString &id) {
        using Kind = StationGraphScene::Node::Kind;
        for (Kind kind : { Kind::Nozzle, Kind::Creditor, Kind::Fuel }) {
            if (selectNode(kind, id))
                return;
        }
    });
    load(station);
}

void StationPage::reload()
{
    load(m_stations->currentData().toString());
}

void StationPage::load(const QString &station)
{
    if (!m_session)
        return;
    const int request = ++m_request;
    const QString schema = m_schema;
    StationGraphReader::Options options;
    options.day = m_loaded ? m_day->date() : m_firstDay;
    m_status->setText(tr("Reading the station…"));
    m_session->run<StationRead>(
        this,
        [schema, station, options](DbConnection &c) {
            StationRead read;
            read.stations = StationGraphReader::stations(c, schema);
            QString id = station;
            try {
                if (id.isEmpty() && !read.stations.isEmpty())
                    id = read.stations.first().id;
                else if (!id.isEmpty())
                    id = StationGraphReader::resolveStation(c, schema, id);
                if (!id.isEmpty())
                    read.graph = StationGraphReader::read(c, schema, id, options);
            } catch (const RequestError &e) {
                read.error = e.message(); // the picker is filled all the same
            }
            return read;
        },
        [this, request](StationRead read) {
            if (request != m_request)
                return;
            m_stations->clear();
            for (const StationSummary &s : std::as_const(read.stations))
                m_stations->addItem(s.city.isEmpty() ? s.name : tr("%1 (%2)").arg(s.name, s.city),
                                    s.id);
            if (read.stations.isEmpty() || !read.error.isEmpty()) {
                m_error =
                    read.error.isEmpty() ? tr("%1 has no stations.").arg(m_schema) : read.error;
                m_status->setText(
                    read.error.isEmpty()
                        ? m_error
                        : tr("The station could not be read: %1 · pick one above").arg(m_error));
                m_stations->setCurrentIndex(-1);
                emit failed(m_error);
                return;
            }
            m_stations->setCurrentIndex(m_stations->findData(read.graph.stationId));
            {
                const QSignalBlocker blocker(m_day);
                m_day->setDate(read.graph.day);
            }
            const int selectedKind =
                m_scene->selected() >= 0 ? int(m_scene->nodes().at(m_scene->selected()).kind) : -1;
            const QString selectedId =
                m_scene->selected() >= 0 ? m_scene->nodes().at(m_scene->selected()).id : QString();
            m_scene->setGraph(read.graph);
            const StationGraph &g = m_scene->graph();
            QString text =
                tr("%1 · %2 · %n pump(s)", nullptr, int(g.pumps.size())).arg(m_schema, g.name)
                + tr(", %n nozzle(s)", nullptr, g.nozzleCount());
            text += g.problems.isEmpty() ? tr(" · everything adds up")
                                         : tr(" · %n thing(s) do not add up (outlined in red)",
                                              nullptr, int(g.problems.size()));
            m_status->setText(text);
            m_status->setToolTip(tr("Click a node to see what it holds; + and − expand and "
                                    "collapse it; drag to move around."));
            m_error.clear();
            m_loaded = true;
            // Keep what was selected when it is still there; the station otherwise.
            int index = selectedKind >= 0
                ? m_scene->find(StationGraphScene::Node::Kind(selectedKind), selectedId)
                : -1;
            fitWidth();
            m_scene->select(index >= 0 ? index : 0);
            emit loaded();
        },
        [this, request](const QString &error) {
            if (request != m_request)
                return;
            m_error = error;
            m_status->setText(tr("The station could not be read: %1").arg(error));
            emit failed(error);
        });
}

void StationPage::fitWidth()
{
    // As wide as the pane, but never so small it cannot be read, nor larger than life.
    const double width = m_scene->sceneRect().width();
    const double available = m_view->viewport()->width() - 4;
    const double zoom = width > 0 ? std::clamp(available / width, 0.65, 1.0) : 1.0;
    m_view->setTransform(QTransform::fromScale(zoom, zoom));
}

bool StationPage::selectNode(StationGraphScene::Node::Kind kind, const QString &id)
{
    const int index = m_scene->find(kind, id);
    if (index < 0)
        return false;
    m_scene->select(index);
    return true;
}

void StationPage::showSelected(int index)
{
    if (index < 0 || index >= m_scene->nodes().size())
        return;
    const QRectF rect = m_scene->nodes().at(index).rect;
    if (!rect.isEmpty())
        m_view->ensureVisible(rect, 40, 40);
    m_detail->showNode(*m_scene, index, m_scene->graph().day, m_days->value());
}

} // namespace fuelsync
