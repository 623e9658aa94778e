#pragma once

#include "db/ConnectionSettings.h"
#include "db/SessionOptions.h"
#include "query/TenantSearch.h"

#include <QTreeWidget>

#include <memory>

class QTimer;

namespace fuelsync {

class DatabaseSession;

// The answers to the box above the schema tree, as one types: tenants by name or schema and,
// inside every tenant, stations, pumps, nozzles, credit customers and users (core's
// TenantSearch), grouped by kind with their tenant. On a session of its own; a search waits for a
// pause in typing, and a newer text cancels the one running on the server. "No match" when
// nothing matches; hidden while the box is empty.
class SearchResults : public QTreeWidget
{
    Q_OBJECT

public:
    explicit SearchResults(QWidget *parent = nullptr);
    ~SearchResults() override;

    // Searches this database from now on (null settings: none).
    void connectTo(const ConnectionSettings &settings, const SessionOptions &options);
    void disconnectFromDatabase();
    // The text to look for; an empty text hides the results.
    void setText(const QString &text);
    // Makes the tenants' list be read again (after tenants were created or the tree reloaded).
    void reloadPlan();

    const QList<SearchHit> &hits() const { return m_hits; }
    bool isSearching() const { return m_searching; }
    // Opens the selected hit, or the first (what Enter does).
    void activateCurrent();

signals:
    void hitActivated(const SearchHit &hit);
    void searched(int hits, qint64 milliseconds);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void search();
    void show(const QList<SearchHit> &hits, qint64 ms);

    DatabaseSession *m_session = nullptr;
    // Lives on the session's thread: its prepared queries belong to the session's connection.
    std::shared_ptr<std::unique_ptr<TenantSearcher>> m_searcher;
    QTimer *m_debounce;
    QString m_text;
    quint64 m_generation = 0;
    bool m_searching = false;
    QList<SearchHit> m_hits;
};

} // namespace fuelsync
