#include "QueryEditor.h"

#include "migrations/SqlHighlighter.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QScrollBar>
#include <QStringListModel>

namespace fuelsync {
namespace {

QStringList keywords()
{
    return { QStringLiteral("SELECT"),    QStringLiteral("FROM"),        QStringLiteral("WHERE"),
             QStringLiteral("GROUP BY"),  QStringLiteral("ORDER BY"),    QStringLiteral("HAVING"),
             QStringLiteral("LIMIT"),     QStringLiteral("OFFSET"),      QStringLiteral("JOIN"),
             QStringLiteral("LEFT JOIN"), QStringLiteral("INNER JOIN"),  QStringLiteral("ON"),
             QStringLiteral("AND"),       QStringLiteral("OR"),          QStringLiteral("NOT"),
             QStringLiteral("DISTINCT"),  QStringLiteral("COUNT"),       QStringLiteral("BETWEEN"),
             QStringLiteral("INTERVAL"),  QStringLiteral("EXPLAIN"),     QStringLiteral("WITH"),
             QStringLiteral("UNION ALL"), QStringLiteral("CASE"),        QStringLiteral("WHEN"),
             QStringLiteral("THEN"),      QStringLiteral("ELSE"),        QStringLiteral("END"),
             QStringLiteral("IS NULL"),   QStringLiteral("IS NOT NULL"), QStringLiteral("ILIKE") };
}

bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

} // namespace

QueryEditor::QueryEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_completer(new QCompleter(this))
    , m_names(new QStringListModel(this))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTabChangesFocus(false);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    new SqlHighlighter(document());
    m_names->setStringList(keywords());
    m_completer->setModel(m_names);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setModelSorting(QCompleter::UnsortedModel);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(this);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &QueryEditor::insertCompletion);
}

void QueryEditor::setNames(const QStringList &names)
{
    QStringList all = names;
    all += keywords();
    all.removeDuplicates();
    std::sort(all.begin(), all.end(), [](const QString &a, const QString &b) {
        return a.compare(b, Qt::CaseInsensitive) < 0;
    });
    m_names->setStringList(all);
}

QStringList QueryEditor::completions() const
{
    QStringList result;
    for (int i = 0; m_completer->setCurrentRow(i); ++i)
        result.append(m_completer->currentCompletion());
    return result;
}

QString QueryEditor::textToRun() const
{
    const QString selected = textCursor().selectedText();
    // QTextCursor gives a selection's line ends as U+2029.
    return selected.isEmpty() ? toPlainText() : QString(selected).replace(QChar(0x2029), u'\n');
}

QString QueryEditor::wordBeforeCursor() const
{
    const QTextCursor cursor = textCursor();
    const QString line = cursor.block().text().left(cursor.positionInBlock());
    qsizetype start = line.size();
    while (start > 0 && isWordCharacter(line.at(start - 1)))
        --start;
    return line.mid(start);
}

void QueryEditor::insertCompletion(const QString &completion)
{
    QTextCursor cursor = textCursor();
    const qsizetype typed = wordBeforeCursor().size();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, int(typed));
    cursor.insertText(completion);
    setTextCursor(cursor);
}

void QueryEditor::keyPressEvent(QKeyEvent *event)
{
    const bool popupShown = m_completer->popup()->isVisible();
    if (popupShown) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Tab:
            if (!(event->modifiers() & Qt::ControlModifier)) {
                insertCompletion(m_completer->popup()->currentIndex().data().toString());
                m_completer->popup()->hide();
                return;
            }
            break;
        case Qt::Key_Escape:
            m_completer->popup()->hide();
            return;
        default:
            break;
        }
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && (event->modifiers() & Qt::ControlModifier)) {
        m_completer->popup()->hide();
        emit runRequested();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);

    const QString word = wordBeforeCursor();
    if (event->text().isEmpty() || word.size() < 2 || !isWordCharacter(event->text().back())) {
        m_completer->popup()->hide();
        return;
    }
    if (word != m_completer->completionPrefix()) {
        m_completer->setCompletionPrefix(word);
        m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    }
    if (m_completer->completionCount() == 0
        || (m_completer->completionCount() == 1
            && m_completer->currentCompletion().compare(word, Qt::CaseInsensitive) == 0)) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0)
                  + m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
}

} // namespace fuelsync
