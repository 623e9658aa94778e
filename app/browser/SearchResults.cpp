#include "SearchResults.h"

#include "db/DbConnection.h"
#include "session/DatabaseSession.h"

#include <QElapsedTimer>
#include <QHeaderView>
#include <QKeyEvent>
#include <QTimer>

namespace fuelsync {
namespace {

constexpr int hitRole = Qt::UserRole + 1;

} // namespace

SearchResults::SearchResults(QWidget *parent)
    : QTreeWidget(parent)
    , m_searcher(std::make_shared<std::unique_ptr<TenantSearcher>>())
    , m_debounce(new QTimer(this))
{
    setColumnCount(1);
    header()->hide();
    setRootIsDecorated(false);
    setIndentation(12);
    setUniformRowHeights(true);
    hide();
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(60);
    connect(m_debounce, &QTimer::timeout, this, &SearchResults::search);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QVariant index = item->data(0, hitRole);
        if (index.isValid())
            emit hitActivated(m_hits.at(index.toInt()));
    });
}

SearchResults::~SearchResults()
{
    disconnectFromDatabase();
}

void SearchResults::connectTo(const ConnectionSettings &settings, const SessionOptions &options)
{
    disconnectFromDatabase();
    m_session = new DatabaseSession(this);
    m_session->open(
        settings, options, this, [this](const DatabaseSession::Info &) { reloadPlan(); },
        [](const std::exception_ptr &) {
            // The window's own session says why it cannot connect.
        });
}

void SearchResults::disconnectFromDatabase()
{
    ++m_generation;
    if (m_session) {
        // The searcher goes first, on the session's thread, while its connection lives.
        m_session->cancelRunning();
        auto searcher = m_searcher;
        m_session->run<bool>(
            nullptr,
            [searcher](DbConnection &) {
                searcher->reset();
                return true;
            },
            [](bool) {}, {});
        delete m_session;
        m_session = nullptr;
    }
    m_searcher = std::make_shared<std::unique_ptr<TenantSearcher>>();
    m_hits.clear();
    clear();
    hide();
}

void SearchResults::reloadPlan()
{
    if (!m_session)
        return;
    // The catalog read again, and each chunk's query prepared and planned before the first
    // search asks for it.
    auto searcher = m_searcher;
    m_session->run<bool>(
        this,
        [searcher](DbConnection &c) {
            searcher->reset();
            *searcher = std::make_unique<TenantSearcher>(c, TenantSearch::plan(c));
            (*searcher)->warmUp();
            return true;
        },
        [this](bool) {
            if (!m_text.isEmpty())
                search();
        },
        {});
}

void SearchResults::setText(const QString &text)
{
    m_text = text.trimmed();
    ++m_generation;
    if (m_searching && m_session)
        m_session->cancelRunning();
    if (m_text.isEmpty()) {
        m_debounce->stop();
        m_hits.clear();
        clear();
        hide();
        return;
    }
    m_debounce->start();
}

void SearchResults::search()
{
    if (!m_session || m_text.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    const QString text = m_text;
    const auto searcher = m_searcher;
    m_searching = true;
    using Answer = std::pair<QList<SearchHit>, qint64>;
    m_session->run<Answer>(
        this,
        [searcher, text](DbConnection &c) {
            QElapsedTimer timer;
            timer.start();
            if (!*searcher)
                *searcher = std::make_unique<TenantSearcher>(c, TenantSearch::plan(c));
            QList<SearchHit> hits = (*searcher)->search(text);
            return Answer { std::move(hits), timer.elapsed() };
        },
        [this, generation](const Answer &answer) {
            if (generation != m_generation)
                return;
            m_searching = false;
            show(answer.first, answer.second);
        },
        [this, generation](const QString &) {
            // Cancelled by a newer text, or the server went away: nothing to show for it.
            if (generation == m_generation)
                m_searching = false;
        });
}

void SearchResults::show(const QList<SearchHit> &hits, qint64 ms)
{
    m_hits = hits;
    clear();
    if (hits.isEmpty()) {
        auto *none = new QTreeWidgetItem(this, { tr("No match in any tenant") });
        none->setFlags(Qt::NoItemFlags);
    }
    QTreeWidgetItem *group = nullptr;
    std::optional<SearchHit::Kind> kind;
    for (qsizetype i = 0; i < hits.size(); ++i) {
        const SearchHit &hit = hits.at(i);
        if (kind != hit.kind) {
            kind = hit.kind;
            group = new QTreeWidgetItem(this, { SearchHit::kindName(hit.kind) });
            group->setFlags(Qt::ItemIsEnabled);
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
        }
        QString text = hit.label;
        if (!hit.detail.isEmpty() && hit.kind != SearchHit::Kind::Tenant)
            text += QStringLiteral(" · ") + hit.detail;
        if (!hit.stationName.isEmpty())
            text += tr(" at %1").arg(hit.stationName);
        if (hit.kind != SearchHit::Kind::Tenant)
            text +=
                QStringLiteral(" — ") + (hit.tenantName.isEmpty() ? hit.schema : hit.tenantName);
        else
            text += QStringLiteral(" (%1)").arg(hit.schema);
        auto *item = new QTreeWidgetItem(group, { text });
        item->setData(0, Qt::ToolTipRole, text);
        item->setData(0, hitRole, int(i));
        item->setToolTip(0,
                         text + u'\n'
                             + (hit.kind == SearchHit::Kind::Station
                                    ? tr("Enter: the station's graph (%1)").arg(hit.schema)
                                    : hit.kind == SearchHit::Kind::Tenant
                                    ? tr("Enter: the tenant in the tree")
                                    : tr("Enter: the row in %1.%2").arg(hit.schema, hit.table)));
    }
    expandAll();
    // As tall as what was found, up to a dozen lines.
    int lines = 0;
    for (QTreeWidgetItemIterator it(this); *it; ++it)
        ++lines;
    const int line = std::max(sizeHintForRow(0), fontMetrics().height() + 4);
    setFixedHeight(std::min(lines, 12) * line + 2 * frameWidth() + 4);
    setVisible(true);
    emit searched(int(hits.size()), ms);
}

void SearchResults::activateCurrent()
{
    QTreeWidgetItem *item = currentItem();
    if (!item || !item->data(0, hitRole).isValid()) {
        for (QTreeWidgetItemIterator it(this); *it; ++it) {
            if ((*it)->data(0, hitRole).isValid()) {
                item = *it;
                break;
            }
        }
    }
    if (item && item->data(0, hitRole).isValid())
        emit hitActivated(m_hits.at(item->data(0, hitRole).toInt()));
}

void SearchResults::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        activateCurrent();
        return;
    }
    QTreeWidget::keyPressEvent(event);
}

} // namespace fuelsync
