#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;

namespace fuelsync {

class DatabaseSession;
class SchemaDiagramScene;
class SchemaDiagramView;

// A tab with one schema's relationship diagram, read from the catalog on the session's thread:
// zoom, pan, fit, export to PNG and SVG; a click on a table opens it.
class DiagramPage : public QWidget
{
    Q_OBJECT

public:
    DiagramPage(DatabaseSession *session, QString schema, QWidget *parent = nullptr);

    const QString &schema() const { return m_schema; }
    bool isLoaded() const { return m_loaded; }
    SchemaDiagramScene *scene() const { return m_scene; }
    SchemaDiagramView *view() const { return m_view; }
    void reload();
    // Writes the whole diagram; false (and errorText()) when the file cannot be written.
    bool exportPng(const QString &path);
    bool exportSvg(const QString &path);
    QString errorText() const { return m_error; }

signals:
    void loaded();
    void failed(const QString &message);
    void tableActivated(const QString &schema, const QString &table);

private:
    void exportWithDialog(bool svg);

    QPointer<DatabaseSession> m_session;
    QString m_schema;
    bool m_loaded = false;
    QString m_error;
    SchemaDiagramScene *m_scene = nullptr;
    SchemaDiagramView *m_view = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace fuelsync
