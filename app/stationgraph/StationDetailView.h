#pragma once

#include "StationGraphScene.h"

#include <QDate>
#include <QPointer>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QStandardItemModel;
class QTableView;

namespace fuelsync {

class DatabaseSession;

// The right-hand side of a station's page: what the selected node holds. The station lists what
// does not add up; a pump its nozzles; a nozzle, a creditor or a fuel its history as charts over a
// table (read on the session's thread); the groups their members; an alert the station's alerts.
class StationDetailView : public QWidget
{
    Q_OBJECT

public:
    explicit StationDetailView(DatabaseSession *session, QWidget *parent = nullptr);

    // Shows the node of the scene's graph; histories cover `days` days up to `lastDay`.
    void showNode(const StationGraphScene &scene, int index, const QDate &lastDay, int days);
    void clear();

    QString title() const;
    QString findingsText() const;
    QChart *chart(int which) const; // 0 the upper, 1 the lower; null when not shown
    QStandardItemModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    bool isReady() const { return m_ready; }
    // A nozzle's chart shows at most this many readings, the newest.
    static constexpr int MaxChartReadings = 2000;

signals:
    void ready();
    void failed(const QString &message);
    // A row of the station's list of problems was double-clicked: the subject's id.
    void subjectActivated(const QString &subjectId);

private:
    void setHeader(const QString &title, const QStringList &lines, const QStringList &findings);
    void setCharts(QChart *upper, QChart *lower);
    void setColumns(const QStringList &headers);
    void finish();
    void showNozzle(const QString &schema, const QString &id, const QDate &lastDay, int days);
    void showCreditor(const QString &schema, const QString &id, const QDate &lastDay, int days);
    void showFuel(const StationGraph &graph, const QString &fuel, const QDate &lastDay, int days);

    QPointer<DatabaseSession> m_session;
    QLabel *m_title = nullptr;
    QLabel *m_lines = nullptr;
    QLabel *m_findings = nullptr;
    QChartView *m_upper = nullptr;
    QChartView *m_lower = nullptr;
    QTableView *m_table = nullptr;
    QStandardItemModel *m_model = nullptr;
    QStringList m_subjects; // per row of the problems list
    int m_request = 0;
    bool m_ready = false;
};

} // namespace fuelsync
