#pragma once

#include <QPlainTextEdit>

class QCompleter;
class QStringListModel;

namespace fuelsync {

// The console's SQL editor: the Migrations tab's highlighter, completion of SQL keywords and of
// the connection's schemas, tables and columns as one types (Tab or Enter takes the offer), and
// Ctrl+Enter to run what is selected, or everything.
class QueryEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit QueryEditor(QWidget *parent = nullptr);

    // Names from the catalog, added to the keywords.
    void setNames(const QStringList &names);
    QStringList completions() const;
    // The selected text, or all of it.
    QString textToRun() const;

signals:
    void runRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QString wordBeforeCursor() const;
    void insertCompletion(const QString &completion);

    QCompleter *m_completer;
    QStringListModel *m_names;
};

} // namespace fuelsync
