#include "DiagramPage.h"

#include "SchemaDiagramScene.h"
#include "SchemaDiagramView.h"
#include "diagram/SchemaGraphReader.h"
#include "session/DatabaseSession.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSvgGenerator>
#include <QVBoxLayout>

namespace fuelsync {

DiagramPage::DiagramPage(DatabaseSession *session, QString schema, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_schema(std::move(schema))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *bar = new QHBoxLayout;
    auto button = [this, bar](const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setToolTip(tip);
        bar->addWidget(b);
        return b;
    };
    auto *zoomOut = button(tr("−"), tr("Zoom out (Ctrl+wheel)"));
    auto *zoomIn = button(tr("+"), tr("Zoom in (Ctrl+wheel)"));
    auto *fit = button(tr("Fit"), tr("Show the whole diagram"));
    auto *png = button(tr("Export PNG…"), tr("Save the whole diagram as a picture"));
    auto *svg = button(tr("Export SVG…"), tr("Save the whole diagram as a scalable drawing"));
    zoomOut->setFixedWidth(zoomOut->fontMetrics().horizontalAdvance(QStringLiteral("MM")) + 16);
    zoomIn->setFixedWidth(zoomOut->width());
    m_status = new QLabel(tr("Reading %1…").arg(m_schema), this);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setWordWrap(true); // the whole sentence, on two lines when the tab is narrow
    bar->addSpacing(12);
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);

    m_scene = new SchemaDiagramScene(this);
    m_view = new SchemaDiagramView(m_scene, this);
    layout->addWidget(m_view, 1);

    connect(zoomOut, &QPushButton::clicked, this, [this] { m_view->zoomBy(1 / 1.25); });
    connect(zoomIn, &QPushButton::clicked, this, [this] { m_view->zoomBy(1.25); });
    connect(fit, &QPushButton::clicked, m_view, &SchemaDiagramView::fit);
    connect(png, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(svg, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
    connect(m_view, &SchemaDiagramView::tableClicked, this, [this](int index) {
        const SchemaGraph::Table &table = m_scene->graph().tables.at(index);
        emit tableActivated(table.schema, table.name);
    });
    reload();
}

void DiagramPage::reload()
{
    if (!m_session)
        return;
    const QString schema = m_schema;
    m_session->run<SchemaGraph>(
        this, [schema](DbConnection &c) { return SchemaGraphReader::read(c, schema); },
        [this](const SchemaGraph &graph) {
            m_scene->setGraph(graph);
            int external = 0;
            for (const SchemaGraph::Table &t : graph.tables)
                external += t.external ? 1 : 0;
            QString text =
                tr("%1: %n table(s)", nullptr, int(graph.tables.size()) - external).arg(m_schema)
                + tr(", %n foreign key(s)", nullptr, int(graph.relationships.size()));
            if (external > 0)
                text += tr(", %n in other schemas", nullptr, external);
            text += tr(" · click a table to open it; drag to move around");
            m_status->setText(text);
            m_loaded = true;
            m_view->showReadable();
            emit loaded();
        },
        [this](const QString &error) {
            m_status->setText(tr("The diagram could not be read: %1").arg(error));
            emit failed(error);
        });
}

bool DiagramPage::exportPng(const QString &path)
{
    const QRectF area = m_scene->sceneRect();
    QImage image((area.size() * 2).toSize(), QImage::Format_ARGB32);
    image.setDevicePixelRatio(2);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        m_scene->render(&painter, QRectF(QPointF(0, 0), area.size()), area);
    }
    if (!image.save(path, "PNG")) {
        m_error = tr("Could not write %1.").arg(path);
        return false;
    }
    return true;
}

bool DiagramPage::exportSvg(const QString &path)
{
    const QRectF area = m_scene->sceneRect();
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(area.size().toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), area.size()));
    generator.setTitle(tr("Schema %1").arg(m_schema));
    generator.setDescription(
        tr("Tables and foreign keys of %1, drawn by FuelSync Admin").arg(m_schema));
    QPainter painter;
    if (!painter.begin(&generator)) {
        m_error = tr("Could not write %1.").arg(path);
        return false;
    }
    m_scene->render(&painter, QRectF(QPointF(0, 0), area.size()), area);
    painter.end();
    return true;
}

void DiagramPage::exportWithDialog(bool svg)
{
    const QString suggested = m_schema + (svg ? QStringLiteral(".svg") : QStringLiteral(".png"));
    const QString path =
        QFileDialog::getSaveFileName(this, svg ? tr("Export SVG") : tr("Export PNG"), suggested,
                                     svg ? tr("SVG drawings (*.svg)") : tr("PNG pictures (*.png)"));
    if (path.isEmpty())
        return;
    const bool ok = svg ? exportSvg(path) : exportPng(path);
    m_status->setText(ok ? tr("Saved %1").arg(path) : m_error);
}

} // namespace fuelsync
