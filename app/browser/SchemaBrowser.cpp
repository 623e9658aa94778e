#include "SchemaBrowser.h"

#include "SchemaFilterProxy.h"
#include "SearchResults.h"
#include "TableStructureHtml.h"
#include "session/DatabaseSession.h"

#include <QElapsedTimer>
#include <QHeaderView>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStandardItemModel>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>

namespace fuelsync {

namespace {

// Versions are read this many tenants a job, so they appear progressively.
constexpr int versionBatch = 500;

QStandardItem *item(const QString &text, SchemaBrowser::ItemKind kind)
{
    auto *i = new QStandardItem(text);
    i->setEditable(false);
    i->setData(int(kind), SchemaBrowser::KindRole);
    return i;
}

} // namespace

SchemaBrowser::SchemaBrowser(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 0, 6);
    layout->setSpacing(4);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Find a tenant, station, pump, customer, user… (Ctrl+K)"));
    m_filter->setToolTip(tr("Filters the tenants in the tree, and finds stations, pumps, "
                            "nozzles, credit customers and users in every tenant: Down goes "
                            "to what was found, Enter opens it"));
    m_filter->setClearButtonEnabled(true);
    m_filter->installEventFilter(this);
    layout->addWidget(m_filter);
    m_search = new SearchResults(this);
    layout->addWidget(m_search);
    connect(m_filter, &QLineEdit::textChanged, m_search, &SearchResults::setText);
    connect(m_search, &SearchResults::hitActivated, this, &SchemaBrowser::searchHitActivated);
    // Said when the box finds nothing, instead of an empty tree.
    m_noMatch = new QLabel(this);
    m_noMatch->setWordWrap(true);
    m_noMatch->setTextFormat(Qt::PlainText);
    m_noMatch->setContentsMargins(4, 6, 4, 6);
    m_noMatch->hide();
    layout->addWidget(m_noMatch);

    m_model = new QStandardItemModel(this);
    m_model->setHorizontalHeaderLabels({ tr("Name"), tr("Schema / rows"), tr("Version / size") });
    m_proxy = new SchemaFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_view = new QTreeView(this);
    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(false);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->header()->setStretchLastSection(false);
    sizeColumns();
    layout->addWidget(m_view, 1);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    connect(m_filter, &QLineEdit::textChanged, this, &SchemaBrowser::setFilterText);
    connect(m_view, &QTreeView::expanded, this, [this](const QModelIndex &index) {
        if (QStandardItem *i = m_model->itemFromIndex(m_proxy->mapToSource(index)))
            loadTables(i);
    });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QModelIndex source = m_proxy->mapToSource(index.siblingAtColumn(NameColumn));
        if (source.data(KindRole).toInt() == int(ItemKind::Table))
            emit tableActivated(source.data(SchemaRole).toString(),
                                source.data(TableRole).toString());
    });
}

QString SchemaBrowser::currentSchema() const
{
    const QModelIndex source =
        m_proxy->mapToSource(m_view->currentIndex().siblingAtColumn(NameColumn));
    return source.isValid() ? source.data(SchemaRole).toString() : QString();
}

void SchemaBrowser::setSession(DatabaseSession *session)
{
    m_session = session;
    if (session)
        m_search->connectTo(session->settings(), session->options());
    else
        m_search->disconnectFromDatabase();
    reload();
}

bool SchemaBrowser::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down && m_search->isVisible()) {
            m_search->setFocus();
            for (QTreeWidgetItemIterator it(m_search); *it; ++it) {
                if ((*it)->flags() & Qt::ItemIsSelectable) {
                    m_search->setCurrentItem(*it);
                    break;
                }
            }
            return true;
        }
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && !m_search->hits().isEmpty()) {
            m_search->activateCurrent();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SchemaBrowser::reload()
{
    ++m_generation;
    m_model->removeRows(0, m_model->rowCount());
    m_schemaItems.clear();
    m_loaded = false;
    m_versionsPending = 0;
    delete m_versionSession;
    m_versionSession = nullptr;
    m_search->reloadPlan();
    if (!m_session) {
        m_summary->setText(tr("Not connected."));
        return;
    }
    // The versions need every tenant's own table, seconds for thousands of tenants: a session of
    // their own, so expanding a schema never waits behind them. Its jobs queue behind the open.
    m_versionSession = new DatabaseSession(this);
    m_versionSession->open(
        m_session->settings(), m_session->options(), this, [](const DatabaseSession::Info &) {},
        [](const std::exception_ptr &) {});
    m_summary->setText(tr("Reading the schemas…"));
    const quint64 generation = m_generation;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_session->run<QList<SchemaEntry>>(
        this, [](DbConnection &c) { return SchemaTreeReader::schemas(c); },
        [this, generation, timer](const QList<SchemaEntry> &schemas) {
            if (generation == m_generation)
                onSchemas(schemas, timer->elapsed());
        },
        [this, generation](const QString &error) {
            if (generation != m_generation)
                return;
            m_summary->setText(error);
            emit failed(error);
        });
}

void SchemaBrowser::sizeColumns()
{
    // The name takes what is left; the two figures need about ten characters each.
    QHeaderView *header = m_view->header();
    const int figure = m_view->fontMetrics().horizontalAdvance(QStringLiteral("≈ 00,000,000")) + 12;
    header->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(SchemaColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(VersionColumn, QHeaderView::Interactive);
    header->resizeSection(SchemaColumn, figure);
    header->resizeSection(VersionColumn, figure);
}

void SchemaBrowser::onSchemas(const QList<SchemaEntry> &schemas, qint64 ms)
{
    QStringList tenants;
    m_tenantSchemas.clear();
    QList<QList<QStandardItem *>> rows;
    rows.reserve(schemas.size());
    for (const SchemaEntry &entry : schemas) {
        QString name = entry.displayName;
        if (entry.kind == SchemaEntry::Kind::Platform)
            name = tr("Platform (public)");
        else if (name.isEmpty())
            name = entry.schema;
        auto *nameItem = item(name, ItemKind::Schema);
        nameItem->setData(entry.schema, SchemaRole);
        auto *schemaItem = item(entry.schema, ItemKind::Schema);
        auto *versionItem = item(QString(), ItemKind::Schema);
        QString tip;
        switch (entry.kind) {
        case SchemaEntry::Kind::Platform:
            tip = tr("The platform schema: tenants, users, plans.");
            {
                QFont bold = nameItem->font();
                bold.setBold(true);
                nameItem->setFont(bold);
            }
            break;
        case SchemaEntry::Kind::Tenant:
            tip = tr("Tenant %1, schema %2").arg(entry.displayName, entry.schema);
            tenants.append(entry.schema);
            if (entry.exists)
                m_tenantSchemas.append(entry.schema);
            break;
        case SchemaEntry::Kind::Other:
            tip = tr("A schema that is not a registered tenant.");
            nameItem->setForeground(QBrush(QColor(0x6b, 0x70, 0x78)));
            break;
        }
        if (!entry.exists) {
            tip = tr("Registered in public.tenants, but the schema %1 does not exist.")
                      .arg(entry.schema);
            versionItem->setText(tr("missing"));
            versionItem->setForeground(QBrush(QColor(0xb3, 0x26, 0x1e)));
        } else {
            nameItem->appendRow(item(tr("Loading…"), ItemKind::Placeholder));
        }
        nameItem->setToolTip(tip);
        nameItem->setData(tip, BaseTipRole);
        schemaItem->setToolTip(tip);
        m_schemaItems.insert(entry.schema, nameItem);
        rows.append({ nameItem, schemaItem, versionItem });
    }
    // All at once: one insert for the view, not thousands.
    m_model->blockSignals(true);
    for (auto &row : rows)
        m_model->appendRow(row);
    m_model->blockSignals(false);
    applyDrift();
    m_proxy->setSourceModel(nullptr);
    m_proxy->setSourceModel(m_model);
    sizeColumns(); // a new source model resets the header's sections
    m_loaded = true;
    updateNoMatch();
    m_summary->setText(tr("%1 tenants · schemas listed in %2 ms")
                           .arg(QLocale().toString(qsizetype(tenants.size())))
                           .arg(ms));
    emit loaded(int(schemas.size()), ms);
    loadVersions(QStringList { QStringLiteral("public") } + tenants);
    if (!m_revealSchema.isEmpty())
        reveal(m_revealSchema, m_revealTable);
}

void SchemaBrowser::setDrifted(const QHash<QString, QString> &notes)
{
    m_drifted = notes;
    applyDrift();
}

bool SchemaBrowser::isMarkedDrifted(const QString &schema) const
{
    const QStandardItem *item = m_schemaItems.value(schema);
    return item && !item->icon().isNull();
}

void SchemaBrowser::applyDrift()
{
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (auto it = m_schemaItems.cbegin(); it != m_schemaItems.cend(); ++it) {
        QStandardItem *item = it.value();
        const QString base = item->data(BaseTipRole).toString();
        const auto note = m_drifted.constFind(it.key());
        if (note != m_drifted.cend()) {
            item->setIcon(warning);
            item->setToolTip(base + u'\n' + note.value());
        } else if (!item->icon().isNull()) {
            item->setIcon(QIcon());
            item->setToolTip(base);
        }
    }
}

void SchemaBrowser::loadVersions(const QStringList &schemas)
{
    const quint64 generation = m_generation;
    for (qsizetype start = 0; start < schemas.size(); start += versionBatch) {
        const QStringList batch = schemas.mid(start, versionBatch);
        ++m_versionsPending;
        m_versionSession->run<QHash<QString, QString>>(
            this, [batch](DbConnection &c) { return SchemaTreeReader::highestVersions(c, batch); },
            [this, generation, batch](const QHash<QString, QString> &versions) {
                if (generation != m_generation)
                    return;
                --m_versionsPending;
                for (const QString &schema : batch) {
                    QStandardItem *nameItem = m_schemaItems.value(schema);
                    if (!nameItem)
                        continue;
                    QStandardItem *versionItem = m_model->item(nameItem->row(), VersionColumn);
                    const QString version = versions.value(schema);
                    if (!version.isEmpty())
                        versionItem->setText(version);
                    else if (versionItem->text().isEmpty())
                        versionItem->setText(tr("—"));
                }
            },
            [this, generation](const QString &error) {
                if (generation != m_generation)
                    return;
                --m_versionsPending;
                m_summary->setText(tr("Migration versions could not be read: %1").arg(error));
            });
    }
}

void SchemaBrowser::loadTables(QStandardItem *schemaItem)
{
    if (!m_session || !schemaItem || schemaItem->data(KindRole).toInt() != int(ItemKind::Schema)
        || schemaItem->rowCount() != 1
        || schemaItem->child(0)->data(KindRole).toInt() != int(ItemKind::Placeholder)
        || schemaItem->child(0)->data(TableRole).toBool())
        return;
    schemaItem->child(0)->setData(true, TableRole); // asked for already
    const QString schema = schemaItem->data(SchemaRole).toString();
    const quint64 generation = m_generation;
    m_session->run<QList<TableEntry>>(
        this, [schema](DbConnection &c) { return SchemaTreeReader::tables(c, schema); },
        [this, generation, schema](const QList<TableEntry> &tables) {
            if (generation != m_generation)
                return;
            QStandardItem *parent = m_schemaItems.value(schema);
            if (!parent)
                return;
            parent->removeRows(0, parent->rowCount());
            for (const TableEntry &table : tables) {
                auto *tableItem = item(table.name, ItemKind::Table);
                tableItem->setData(schema, SchemaRole);
                tableItem->setData(table.name, TableRole);
                QString tip = table.kind == 'v'
                    ? tr("View")
                    : tr("%1 rows · %2")
                          .arg(TableStructureHtml::formatEstimate(table.estimatedRows),
                               TableStructureHtml::formatBytes(table.totalBytes));
                if (!table.comment.isEmpty())
                    tip += u'\n' + table.comment;
                tableItem->setToolTip(tip);
                // A view says so where a table's rows are; a table never analyzed has nothing to
                // say there (the tooltip says why).
                auto *rowsItem = item(table.kind == 'v' ? tr("view")
                                          : table.estimatedRows < 0
                                          ? QString()
                                          : TableStructureHtml::formatEstimate(table.estimatedRows),
                                      ItemKind::Table);
                rowsItem->setData(schema, SchemaRole);
                rowsItem->setData(table.name, TableRole);
                rowsItem->setForeground(QBrush(QColor(0x6b, 0x70, 0x78)));
                rowsItem->setToolTip(tip);
                auto *sizeItem =
                    item(table.totalBytes >= 0 ? TableStructureHtml::formatBytes(table.totalBytes)
                                               : QString(),
                         ItemKind::Table);
                sizeItem->setForeground(QBrush(QColor(0x6b, 0x70, 0x78)));
                parent->appendRow({ tableItem, rowsItem, sizeItem });
            }
            if (tables.isEmpty())
                parent->appendRow(item(tr("(no tables)"), ItemKind::Placeholder));
            emit tablesLoaded(schema);
            if (m_revealSchema == schema)
                reveal(m_revealSchema, m_revealTable);
        },
        [this, generation, schema](const QString &error) {
            if (generation != m_generation)
                return;
            if (QStandardItem *parent = m_schemaItems.value(schema)) {
                parent->removeRows(0, parent->rowCount());
                auto *message =
                    item(tr("Could not read the tables: %1").arg(error), ItemKind::Placeholder);
                message->setForeground(QBrush(QColor(0xb3, 0x26, 0x1e)));
                parent->appendRow(message);
            }
            emit failed(error);
        });
}

void SchemaBrowser::setFilterText(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text); // comes back here through textChanged
    m_proxy->setNeedle(text);
    updateNoMatch();
}

void SchemaBrowser::updateNoMatch()
{
    const QString needle = m_filter->text().trimmed();
    const bool none = m_loaded && !needle.isEmpty() && m_proxy->rowCount() == 0;
    m_noMatch->setText(none ? tr("No tenant or schema matches “%1”.").arg(needle) : QString());
    m_noMatch->setVisible(none);
}

QString SchemaBrowser::noMatchText() const
{
    return m_noMatch->text();
}

int SchemaBrowser::visibleSchemaCount() const
{
    return m_proxy->rowCount();
}

int SchemaBrowser::schemaCount() const
{
    return m_model->rowCount();
}

QStandardItem *SchemaBrowser::schemaItem(const QString &schema) const
{
    return m_schemaItems.value(schema);
}

QStringList SchemaBrowser::loadedTables(const QString &schema) const
{
    QStringList tables;
    QStandardItem *parent = schemaItem(schema);
    if (!parent)
        return tables;
    for (int r = 0; r < parent->rowCount(); ++r) {
        if (parent->child(r)->data(KindRole).toInt() == int(ItemKind::Table))
            tables.append(parent->child(r)->data(TableRole).toString());
    }
    return tables;
}

void SchemaBrowser::reveal(const QString &schema, const QString &table)
{
    m_revealSchema = schema;
    m_revealTable = table;
    if (!m_loaded)
        return;
    QStandardItem *parent = schemaItem(schema);
    if (!parent) {
        m_revealSchema.clear();
        return;
    }
    const QModelIndex proxyParent = m_proxy->mapFromSource(parent->index());
    if (!proxyParent.isValid()) { // filtered away
        m_revealSchema.clear();
        return;
    }
    m_view->expand(proxyParent);
    if (table.isEmpty()) {
        m_view->setCurrentIndex(proxyParent);
        m_revealSchema.clear();
        return;
    }
    for (int r = 0; r < parent->rowCount(); ++r) {
        QStandardItem *child = parent->child(r);
        if (child->data(KindRole).toInt() == int(ItemKind::Table)
            && child->data(TableRole).toString() == table) {
            const QModelIndex index = m_proxy->mapFromSource(child->index());
            m_view->setCurrentIndex(index);
            m_view->scrollTo(index);
            m_revealSchema.clear();
            return;
        }
    }
    // Tables not loaded yet: expanding asked for them; this runs again when they arrive.
}

} // namespace fuelsync
