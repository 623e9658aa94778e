#pragma once

#include "browse/SchemaTreeReader.h"
#include "query/TenantSearch.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QStandardItem;
class QStandardItemModel;
class QTreeView;

namespace fuelsync {

class DatabaseSession;
class SchemaFilterProxy;
class SearchResults;

// The schema tree: `public`, then every tenant (name, schema, migration version), then other
// schemas, each with its tables once expanded. The list of schemas arrives in one query; the
// tenants' versions follow in chunks on a session of their own; a schema's tables are read when it
// is first expanded. The filter box narrows the schemas as one types (name or schema, any part, any
// case).
class SchemaBrowser : public QWidget
{
    Q_OBJECT

public:
    enum Column { NameColumn, SchemaColumn, VersionColumn };
    enum Role { KindRole = Qt::UserRole + 1, SchemaRole, TableRole, BaseTipRole };
    enum class ItemKind { Schema = 1, Table, Placeholder };

    explicit SchemaBrowser(QWidget *parent = nullptr);

    // Reads the tree through this session (cleared when null).
    void setSession(DatabaseSession *session);
    void reload();

    void setFilterText(const QString &text);
    QLineEdit *filterEdit() const { return m_filter; }
    SearchResults *searchResults() const { return m_search; }
    // What the tree says when the filter finds nothing; empty otherwise.
    QString noMatchText() const;
    QTreeView *view() const { return m_view; }
    // Schemas shown after filtering.
    int visibleSchemaCount() const;
    int schemaCount() const;
    bool isLoaded() const { return m_loaded; }
    bool versionsLoaded() const { return m_versionsPending == 0 && m_loaded; }
    // Expands the schema (loading its tables) and selects the table once there.
    void reveal(const QString &schema, const QString &table = QString());
    // The registered tenants whose schema exists, as the last load found them.
    const QStringList &tenantSchemas() const { return m_tenantSchemas; }
    // Tables of the schema once loaded, empty before.
    QStringList loadedTables(const QString &schema) const;
    // The schema of the selected row (a schema or one of its tables); empty when none is.
    QString currentSchema() const;
    // Marks the schemas a validation found drifted from their reference (a warning icon, and
    // the note in the tooltip); the others lose their mark. Kept across reloads.
    void setDrifted(const QHash<QString, QString> &notes);
    bool isMarkedDrifted(const QString &schema) const;

signals:
    void tableActivated(const QString &schema, const QString &table);
    void loaded(int schemas, qint64 milliseconds);
    void tablesLoaded(const QString &schema);
    void failed(const QString &message);
    // A station, pump, nozzle, customer, user or tenant chosen from the box's search.
    void searchHitActivated(const SearchHit &hit);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void sizeColumns();
    void updateNoMatch();
    void onSchemas(const QList<SchemaEntry> &schemas, qint64 ms);
    void loadVersions(const QStringList &schemas);
    void loadTables(QStandardItem *schemaItem);
    QStandardItem *schemaItem(const QString &schema) const;

    DatabaseSession *m_session = nullptr;
    DatabaseSession *m_versionSession = nullptr; // ours: the tenants' versions only
    QStandardItemModel *m_model = nullptr;
    SchemaFilterProxy *m_proxy = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    SearchResults *m_search = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_noMatch = nullptr;
    QHash<QString, QStandardItem *> m_schemaItems;
    QStringList m_tenantSchemas;
    QHash<QString, QString> m_drifted; // schema -> note
    void applyDrift();
    quint64 m_generation = 0;
    bool m_loaded = false;
    int m_versionsPending = 0;
    QString m_revealSchema;
    QString m_revealTable;
};

} // namespace fuelsync
