#include "DataLossReader.h"

#include "sql/SqlScript.h"
#include "sql/SqlTokenCursor.h"

#include <QCoreApplication>

namespace fuelsync {

namespace {

using Loss = DataLossReader::Loss;

Loss loss(Loss::Kind kind, const QString &object, int line)
{
    Loss l;
    l.kind = kind;
    l.object = object;
    l.line = line;
    switch (kind) {
    case Loss::Kind::Table:
        l.sentence =
            QCoreApplication::translate("DataLossReader", "drops the table %1 and all of its rows")
                .arg(object);
        break;
    case Loss::Kind::Column:
        l.sentence = QCoreApplication::translate("DataLossReader",
                                                 "drops the column %1 and every value in it")
                         .arg(object);
        break;
    case Loss::Kind::Schema:
        l.sentence = QCoreApplication::translate("DataLossReader",
                                                 "drops the schema %1 and everything in it")
                         .arg(object);
        break;
    case Loss::Kind::AllRows:
        l.sentence =
            QCoreApplication::translate("DataLossReader", "deletes every row of %1").arg(object);
        break;
    case Loss::Kind::SomeRows:
        l.sentence =
            QCoreApplication::translate("DataLossReader", "deletes rows of %1").arg(object);
        break;
    }
    return l;
}

// name [, name ...] after DROP TABLE / TRUNCATE, stopping at CASCADE / RESTRICT and the like.
QList<SqlName> nameList(SqlTokenCursor &cursor)
{
    QList<SqlName> names;
    while (!cursor.atEnd()) {
        cursor.accept({ "ONLY" });
        const SqlName name = cursor.readName();
        if (!name.isValid() || name.name == u"cascade" || name.name == u"restrict")
            break;
        names.append(name);
        if (cursor.peek() && cursor.peek()->text == u"*")
            cursor.advance();
        if (!cursor.acceptPunctuation(","))
            break;
    }
    return names;
}

} // namespace

QList<DataLossReader::Loss> DataLossReader::read(const QString &sql)
{
    QList<Loss> losses;
    const SqlScript script = SqlScript::parse(sql);
    for (const SqlStatement &statement : script.statements()) {
        SqlTokenCursor cursor(statement.tokens);
        if (cursor.accept({ "DROP", "TABLE" })) {
            cursor.accept({ "IF", "EXISTS" });
            for (const SqlName &name : nameList(cursor))
                losses.append(loss(Loss::Kind::Table, name.text(), name.line));
        } else if (cursor.accept({ "DROP", "SCHEMA" })) {
            cursor.accept({ "IF", "EXISTS" });
            for (const SqlName &name : nameList(cursor))
                losses.append(loss(Loss::Kind::Schema, name.text(), name.line));
        } else if (cursor.accept({ "TRUNCATE" })) {
            cursor.accept({ "TABLE" });
            for (const SqlName &name : nameList(cursor))
                losses.append(loss(Loss::Kind::AllRows, name.text(), name.line));
        } else if (cursor.accept({ "DELETE", "FROM" })) {
            cursor.accept({ "ONLY" });
            const SqlName name = cursor.readName();
            if (name.isValid()) {
                const bool filtered = statement.hasTopLevelWord("WHERE");
                losses.append(loss(filtered ? Loss::Kind::SomeRows : Loss::Kind::AllRows,
                                   name.text(), statement.line));
            }
        } else if (cursor.accept({ "ALTER", "TABLE" })) {
            cursor.accept({ "IF", "EXISTS" });
            cursor.accept({ "ONLY" });
            const SqlName table = cursor.readName();
            if (!table.isValid())
                continue;
            for (const QList<SqlToken> &action : cursor.restSplitAtCommas()) {
                SqlTokenCursor part(action);
                if (!part.accept({ "DROP" }) || part.peekWord("CONSTRAINT"))
                    continue;
                part.accept({ "COLUMN" });
                part.accept({ "IF", "EXISTS" });
                const int line = part.line();
                const QString column = part.readIdentifier();
                if (!column.isEmpty())
                    losses.append(loss(Loss::Kind::Column, table.text() + u'.' + column, line));
            }
        }
    }
    return losses;
}

} // namespace fuelsync
