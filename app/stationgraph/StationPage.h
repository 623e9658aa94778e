#pragma once

#include "StationGraphScene.h"

#include <QDate>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QGraphicsView;
class QLabel;
class QSpinBox;

namespace fuelsync {

class DatabaseSession;
class StationDetailView;

// A tab with one station of a tenant as a live graph (pumps, nozzles, credit customers, stock,
// alerts) beside what the selected node holds. The station, the day and the days of history are
// picked at the top; everything is read on the session's thread.
class StationPage : public QWidget
{
    Q_OBJECT

public:
    // `station` is an id or a name; empty: the tenant's first station.
    // `day` is whose sales the graph counts; invalid: the server's today.
    StationPage(DatabaseSession *session, QString schema, const QString &station,
                const QDate &day = QDate(), QWidget *parent = nullptr);

    const QString &schema() const { return m_schema; }
    QString stationId() const { return m_scene->graph().stationId; }
    bool isLoaded() const { return m_loaded; }
    StationGraphScene *scene() const { return m_scene; }
    StationDetailView *detail() const { return m_detail; }
    QGraphicsView *view() const { return m_view; }
    QComboBox *stationBox() const { return m_stations; }
    QString errorText() const { return m_error; }
    // Reads the graph again (the station in the box, the day in the date box).
    void reload();
    // Selects the node and shows it; false when the graph has no such node.
    bool selectNode(StationGraphScene::Node::Kind kind, const QString &id);

signals:
    void loaded();
    void failed(const QString &message);

private:
    void load(const QString &station);
    void showSelected(int index);
    void fitWidth();

    QPointer<DatabaseSession> m_session;
    QString m_schema;
    bool m_loaded = false;
    QString m_error;
    QComboBox *m_stations = nullptr;
    QDateEdit *m_day = nullptr;
    QSpinBox *m_days = nullptr;
    QLabel *m_status = nullptr;
    StationGraphScene *m_scene = nullptr;
    QGraphicsView *m_view = nullptr;
    StationDetailView *m_detail = nullptr;
    int m_request = 0;
    QDate m_firstDay;
};

} // namespace fuelsync
