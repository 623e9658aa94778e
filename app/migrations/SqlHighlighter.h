#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace fuelsync {

// Colours PostgreSQL SQL in a read-only view: keywords, strings, dollar-quoted bodies, numbers
// and comments, with block comments, strings and dollar quotes that span lines.
class SqlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit SqlHighlighter(QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;

private:
    enum State { Normal = 0, InBlockComment = 1, InString = 2, InDollar = 3 };

    QTextCharFormat m_keyword;
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
    QTextCharFormat m_number;
    QTextCharFormat m_quotedIdentifier;
};

} // namespace fuelsync
