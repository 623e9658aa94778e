#include "MigrationLinter.h"

#include "migrationfiles/MigrationSet.h"
#include "sql/SqlScript.h"
#include "sql/SqlTokenCursor.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <limits>

namespace fuelsync {

namespace {

// Where a tenant-scope file's unqualified names live: every tenant schema at once.
const QString TenantSchema = QStringLiteral("<tenant>");
const QString PublicSchema = QStringLiteral("public");

struct TableShape
{
    bool hasPrimaryKey = false;
    bool primaryKeyUnknown = false; // LIKE, OF type, PARTITION OF: the rule cannot judge it
    QList<QStringList> indexes; // leading plain columns of each index, unique constraint, key
    int createdLine = 0;
    QHash<QString, QString> notNullChecks; // CHECK (column IS NOT NULL) constraints: name -> column
    QSet<QString> provenNotNull; // columns such a check has validated
};

struct PendingForeignKey
{
    QString table; // key into the model
    QString tableText; // as written
    QStringList columns;
    int line = 0;
    QString version;
    QString file;
};

// The tables the set's migrations have built so far, keyed "schema.name".
class SchemaModel
{
public:
    QHash<QString, TableShape> tables;
    QSet<QString> tenantTableNames; // names created by tenant-scope files
    QSet<QString> publicTableNames;
    // Judged once every file is read: an index may come in a later migration (CONCURRENTLY,
    // because the table exists by then).
    QList<PendingForeignKey> foreignKeys;
};

QString keyOf(const QString &schema, const QString &name)
{
    return schema + u'.' + name;
}

bool isTenantScope(const MigrationFile &migration)
{
    return migration.scope == MigrationScope::Tenant;
}

class FileLinter
{
    Q_DECLARE_TR_FUNCTIONS(MigrationLinter)

public:
    FileLinter(const MigrationFile &migration, SchemaModel &model, QList<LintFinding> &findings)
        : m_migration(migration)
        , m_model(model)
        , m_findings(findings)
    { }

    void run()
    {
        for (const SqlStatement &statement : m_migration.script.statements())
            lintStatement(statement);
        if (m_migration.transaction == TransactionMode::None)
            checkExplicitTransactions();
        finish();
    }

private:
    // ---- names ----

    // The schema an unqualified name is created in.
    QString homeSchema() const { return isTenantScope(m_migration) ? TenantSchema : PublicSchema; }

    // The model key of a table as this file names it. Unqualified names resolve the way the
    // search_path does: in a tenant file, the tenant's table first, then public's.
    QString resolve(const SqlName &name) const
    {
        if (!name.schema.isEmpty())
            return keyOf(name.schema, name.name);
        QString home = keyOf(homeSchema(), name.name);
        if (m_model.tables.contains(home) || homeSchema() == PublicSchema)
            return home;
        const QString inPublic = keyOf(PublicSchema, name.name);
        return m_model.tables.contains(inPublic) ? inPublic : home;
    }

    QString createKey(const SqlName &name) const
    {
        return keyOf(name.schema.isEmpty() ? homeSchema() : name.schema, name.name);
    }

    bool isNewHere(const QString &key) const { return m_createdHere.contains(key); }
    // A column this file added: no application reads it yet, so dropping or renaming it breaks
    // nothing (its table's rows are still there: a type change or SET NOT NULL still costs).
    bool isNewColumn(const QString &tableKey, const QString &column) const
    {
        return m_columnsAddedHere.contains(keyOf(tableKey, column));
    }

    // ---- findings ----

    void report(const char *ruleId, int line, const QString &message)
    {
        const LintRule *rule = LintRule::find(QString::fromLatin1(ruleId));
        Q_ASSERT(rule);
        m_findings.append(LintFinding::of(*rule, m_migration.version.text(),
                                          m_migration.displayPath, line, message));
    }

    // ---- statements ----

    void lintStatement(const SqlStatement &statement)
    {
        if (isTenantScope(m_migration)) {
            const bool routine = statement.startsWith({ "CREATE", "FUNCTION" })
                || statement.startsWith({ "CREATE", "PROCEDURE" })
                || statement.startsWith({ "CREATE", "OR", "REPLACE", "FUNCTION" })
                || statement.startsWith({ "CREATE", "OR", "REPLACE", "PROCEDURE" });
            checkPublicPrefix(statement.tokens, 0, routine);
        }

        SqlTokenCursor cursor(statement.tokens);
        if (cursor.accept({ "CREATE" })) {
            cursor.accept({ "OR", "REPLACE" });
            if (cursor.accept({ "GLOBAL" }) || cursor.accept({ "LOCAL" })) { }
            if (cursor.accept({ "TEMP" }) || cursor.accept({ "TEMPORARY" }))
                return; // lives for the session only
            cursor.accept({ "UNLOGGED" });
            if (cursor.accept({ "TABLE" }))
                createTable(cursor, statement);
            else if (cursor.accept({ "UNIQUE", "INDEX" }) || cursor.accept({ "INDEX" }))
                createIndex(cursor, statement);
            else if (cursor.accept({ "SCHEMA" })) {
                cursor.accept({ "IF", "NOT", "EXISTS" });
                m_schemasCreatedHere.insert(cursor.readIdentifier());
            }
            return;
        }
        if (cursor.accept({ "ALTER", "TABLE" })) {
            alterTable(cursor);
            return;
        }
        if (cursor.accept({ "DROP", "TABLE" })) {
            dropTables(cursor);
            return;
        }
        if (cursor.accept({ "TRUNCATE" })) {
            cursor.accept({ "TABLE" });
            cursor.accept({ "ONLY" });
            while (!cursor.atEnd()) {
                const SqlName name = cursor.readName();
                if (!name.isValid())
                    break;
                if (!isNewHere(resolve(name))) {
                    report("truncate-table", name.line,
                           tr("TRUNCATE %1 deletes all of its rows.").arg(name.text()));
                }
                if (cursor.peek() && cursor.peek()->text == u"*")
                    cursor.advance();
                if (!cursor.acceptPunctuation(","))
                    break;
                cursor.accept({ "ONLY" });
            }
            return;
        }
        if (cursor.accept({ "DROP", "SCHEMA" })) {
            cursor.accept({ "IF", "EXISTS" });
            while (!cursor.atEnd()) {
                const int line = cursor.line();
                const QString schema = cursor.readIdentifier();
                if (schema.isEmpty() || schema == u"cascade" || schema == u"restrict")
                    break;
                if (!m_schemasCreatedHere.contains(schema))
                    report(
                        "drop-schema", line,
                        tr("DROP SCHEMA %1 removes the schema and everything in it.").arg(schema));
                if (!cursor.acceptPunctuation(","))
                    break;
            }
        }
    }

    // CREATE TABLE [IF NOT EXISTS] name ( elements ) | AS query | PARTITION OF parent | OF type
    void createTable(SqlTokenCursor &cursor, const SqlStatement &statement)
    {
        cursor.accept({ "IF", "NOT", "EXISTS" });
        const SqlName name = cursor.readName();
        if (!name.isValid())
            return;
        const QString key = createKey(name);
        TableShape shape;
        shape.createdLine = statement.line;
        if (cursor.accept({ "PARTITION", "OF" })) {
            const QString parent = resolve(cursor.readName());
            shape.primaryKeyUnknown = true;
            if (m_model.tables.contains(parent)) {
                shape.hasPrimaryKey = m_model.tables.value(parent).hasPrimaryKey;
                shape.indexes = m_model.tables.value(parent).indexes;
            }
        } else if (cursor.accept({ "OF" })) {
            shape.primaryKeyUnknown = true;
        }
        m_model.tables.insert(key, shape);
        m_createdHere.insert(key);
        m_createdOrder.append({ key, name.text() });
        (name.schema.isEmpty() && isTenantScope(m_migration) ? m_model.tenantTableNames
                                                             : m_model.publicTableNames)
            .insert(name.name);

        if (!cursor.peekPunctuation("("))
            return; // AS query: no keys of its own
        for (const QList<SqlToken> &element : cursor.readParenthesizedList())
            tableElement(key, name.text(), element);
    }

    void tableElement(const QString &key, const QString &tableText, const QList<SqlToken> &element)
    {
        SqlTokenCursor cursor(element);
        if (cursor.atEnd())
            return;
        if (cursor.accept({ "LIKE" })) {
            m_model.tables[key].primaryKeyUnknown = true;
            return;
        }
        if (tableConstraint(cursor, key, tableText, /*existing=*/false))
            return;
        // A column: name type [constraints ...]
        const QString column = cursor.readIdentifier();
        if (column.isEmpty())
            return;
        columnConstraints(cursor, key, tableText, column, /*existing=*/false);
    }

    // PRIMARY KEY / UNIQUE / FOREIGN KEY / CHECK / EXCLUDE after an optional CONSTRAINT name.
    // Returns false (consuming nothing) when the tokens are not a table constraint.
    bool tableConstraint(SqlTokenCursor &cursor, const QString &key, const QString &tableText,
                         bool existing)
    {
        const qsizetype start = cursor.position();
        const int line = cursor.line();
        QString constraintName;
        if (cursor.accept({ "CONSTRAINT" }))
            constraintName = cursor.readIdentifier();
        const QString label =
            constraintName.isEmpty() ? QString() : QStringLiteral(" CONSTRAINT ") + constraintName;

        if (cursor.accept({ "PRIMARY", "KEY" }) || cursor.peekWord("UNIQUE")) {
            const bool primary = !cursor.peekWord("UNIQUE");
            if (!primary) {
                cursor.accept({ "UNIQUE" });
                cursor.accept({ "NULLS", "NOT", "DISTINCT" });
                cursor.accept({ "NULLS", "DISTINCT" });
            }
            const QStringList columns = columnList(cursor);
            const bool usingIndex = containsWords(cursor, { "USING", "INDEX" });
            if (!columns.isEmpty() || usingIndex) {
                TableShape &shape = m_model.tables[key];
                if (primary)
                    shape.hasPrimaryKey = true;
                if (!columns.isEmpty())
                    shape.indexes.append(columns);
            }
            if (existing && !usingIndex) {
                report("constraint-without-not-valid", line,
                       tr("ADD%1 %2 (%3) on the existing table %4 builds its index while the "
                          "table is locked against reads and writes.")
                           .arg(label,
                                primary ? QStringLiteral("PRIMARY KEY") : QStringLiteral("UNIQUE"),
                                columns.join(QStringLiteral(", ")), tableText));
            }
            return true;
        }
        if (cursor.accept({ "FOREIGN", "KEY" })) {
            const bool notValid = containsWords(cursor, { "NOT", "VALID" });
            const QStringList columns = columnList(cursor);
            foreignKey(cursor, key, tableText, columns, line);
            if (existing && !notValid) {
                report("constraint-without-not-valid", line,
                       tr("ADD%1 FOREIGN KEY (%2) on the existing table %3 checks every row "
                          "while both tables are locked against writes.")
                           .arg(label, columns.join(QStringLiteral(", ")), tableText));
            }
            return true;
        }
        if (cursor.accept({ "CHECK" })) {
            const bool notValid = containsWords(cursor, { "NOT", "VALID" });
            const QString notNullColumn = isNotNullCheck(cursor);
            if (!notNullColumn.isEmpty() && m_model.tables.contains(key)) {
                TableShape &shape = m_model.tables[key];
                if (!constraintName.isEmpty())
                    shape.notNullChecks.insert(constraintName, notNullColumn);
                if (!notValid)
                    shape.provenNotNull.insert(notNullColumn);
            }
            if (existing && !notValid) {
                report("constraint-without-not-valid", line,
                       tr("ADD%1 CHECK on the existing table %2 checks every row while the "
                          "table is locked.")
                           .arg(label, tableText));
            }
            return true;
        }
        if (cursor.peekWord("EXCLUDE")
            && (cursor.peekWord("USING", 1) || cursor.peekPunctuation("(", 1))) {
            cursor.advance();
            if (existing) {
                report("constraint-without-not-valid", line,
                       tr("ADD%1 EXCLUDE on the existing table %2 builds its index while the "
                          "table is locked.")
                           .arg(label, tableText));
            }
            return true;
        }
        cursor.advance(start - cursor.position()); // not a constraint: back to the start
        return false;
    }

    // The constraints after a column's name and type (in CREATE TABLE or ADD COLUMN).
    void columnConstraints(SqlTokenCursor &cursor, const QString &key, const QString &tableText,
                           const QString &column, bool existing)
    {
        while (!cursor.atEnd()) {
            const int line = cursor.line();
            if (cursor.accept({ "PRIMARY", "KEY" })) {
                m_model.tables[key].hasPrimaryKey = true;
                m_model.tables[key].indexes.append({ column });
                if (existing) {
                    report("constraint-without-not-valid", line,
                           tr("A new PRIMARY KEY column on the existing table %1 builds its "
                              "index while the table is locked.")
                               .arg(tableText));
                }
            } else if (cursor.accept({ "UNIQUE" })) {
                m_model.tables[key].indexes.append({ column });
                if (existing) {
                    report("constraint-without-not-valid", line,
                           tr("A new UNIQUE column on the existing table %1 builds its index "
                              "while the table is locked.")
                               .arg(tableText));
                }
            } else if (cursor.peekWord("REFERENCES")) {
                foreignKey(cursor, key, tableText, { column }, line);
                if (existing) {
                    report("constraint-without-not-valid", line,
                           tr("A new column %1 with a foreign key on the existing table %2: the "
                              "key is checked against every row while both tables are locked.")
                               .arg(column, tableText));
                }
                continue;
            } else if (cursor.accept({ "CHECK" })) {
                if (existing) {
                    report("constraint-without-not-valid", line,
                           tr("A new column %1 with a CHECK on the existing table %2: every row "
                              "is checked while the table is locked.")
                               .arg(column, tableText));
                }
                cursor.readParenthesizedList();
            } else {
                cursor.advance();
            }
        }
    }

    // At REFERENCES target [(columns)] [options]: checks DEFERRABLE and remembers the key for
    // the index check at the end of the file. The cursor ends after the key's own clauses.
    void foreignKey(SqlTokenCursor &cursor, const QString &key, const QString &tableText,
                    const QStringList &columns, int line)
    {
        if (!cursor.accept({ "REFERENCES" }))
            return;
        const SqlName target = cursor.readName();
        columnList(cursor);
        bool deferrable = false;
        bool explicitlyNot = false;
        // MATCH ..., ON DELETE/UPDATE action, [NOT] DEFERRABLE, INITIALLY ..., NOT VALID
        while (!cursor.atEnd()) {
            if (cursor.accept({ "NOT", "DEFERRABLE" })) {
                explicitlyNot = true;
            } else if (cursor.accept({ "DEFERRABLE" })) {
                deferrable = true;
            } else if (cursor.accept({ "MATCH" }) || cursor.accept({ "INITIALLY" })) {
                cursor.advance();
            } else if (cursor.accept({ "ON" })) {
                cursor.advance(); // DELETE / UPDATE
                if (cursor.accept({ "SET" })) {
                    cursor.advance(); // NULL / DEFAULT
                    columnList(cursor);
                } else if (!cursor.accept({ "NO", "ACTION" })) {
                    cursor.advance(); // CASCADE / RESTRICT
                }
            } else if (cursor.accept({ "NOT", "VALID" })) {
            } else {
                break;
            }
        }
        if (!deferrable) {
            report("fk-not-deferrable", line,
                   tr("The foreign key %1 (%2) → %3 is %4.")
                       .arg(tableText, columns.join(QStringLiteral(", ")), target.text(),
                            explicitlyNot ? tr("declared NOT DEFERRABLE") : tr("not DEFERRABLE")));
        }
        if (!columns.isEmpty())
            m_model.foreignKeys.append({ key, tableText, columns, line, m_migration.version.text(),
                                         m_migration.displayPath });
    }

    // CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table [USING m] (...)
    void createIndex(SqlTokenCursor &cursor, const SqlStatement &statement)
    {
        const bool concurrently = cursor.accept({ "CONCURRENTLY" });
        cursor.accept({ "IF", "NOT", "EXISTS" });
        SqlName indexName;
        if (!cursor.peekWord("ON"))
            indexName = cursor.readName();
        if (!cursor.accept({ "ON" }))
            return;
        // ON ONLY a partitioned table records the index on the parent and builds nothing
        // (and CONCURRENTLY is not possible there).
        const bool onlyParent = cursor.accept({ "ONLY" });
        const SqlName table = cursor.readName();
        if (!table.isValid())
            return;
        if (cursor.accept({ "USING" }))
            cursor.readIdentifier();
        const QStringList columns = leadingIndexColumns(cursor);
        const QString key = resolve(table);
        if (!columns.isEmpty() && m_model.tables.contains(key)
            && servesEveryRow(cursor, columns.first()))
            m_model.tables[key].indexes.append(columns);
        if (!concurrently && !onlyParent && !isNewHere(key)) {
            report("index-without-concurrently", statement.line,
                   tr("CREATE INDEX %1 on the existing table %2 without CONCURRENTLY blocks "
                      "writes to the table while the index is built.")
                       .arg(indexName.text(), table.text())
                       .simplified());
        }
    }

    // ALTER TABLE [IF EXISTS] [ONLY] name [*] action [, ...] | RENAME ...
    void alterTable(SqlTokenCursor &cursor)
    {
        cursor.accept({ "IF", "EXISTS" });
        cursor.accept({ "ONLY" });
        const SqlName name = cursor.readName();
        if (!name.isValid())
            return;
        if (cursor.peek() && cursor.peek()->text == u"*")
            cursor.advance();
        const QString key = resolve(name);
        const bool existing = !isNewHere(key);
        const QString tableText = name.text();

        if (cursor.peekWord("RENAME")) {
            const int line = cursor.line();
            cursor.advance();
            if (cursor.accept({ "TO" })) {
                const QString newName = cursor.readIdentifier();
                if (existing) {
                    report("rename-table", line,
                           tr("RENAME of the table %1 to %2.").arg(tableText, newName));
                }
                if (m_model.tables.contains(key)) {
                    const QString schema = key.section(u'.', 0, 0);
                    const QString newKey = keyOf(schema, newName);
                    m_model.tables.insert(newKey, m_model.tables.take(key));
                    if (m_createdHere.remove(key))
                        m_createdHere.insert(newKey);
                    (schema == TenantSchema ? m_model.tenantTableNames : m_model.publicTableNames)
                        .insert(newName);
                }
            } else if (!cursor.peekWord("CONSTRAINT")) {
                cursor.accept({ "COLUMN" });
                const QString column = cursor.readIdentifier();
                if (!cursor.accept({ "TO" }))
                    return;
                const QString newName = cursor.readIdentifier();
                if (isNewColumn(key, column))
                    m_columnsAddedHere.insert(keyOf(key, newName)); // still this file's own
                else if (existing)
                    report("rename-column", line,
                           tr("RENAME of the column %1.%2 to %3.").arg(tableText, column, newName));
            }
            return;
        }

        QSet<QString> addedWithoutDefault; // by this statement: NULL in every existing row
        for (const QList<SqlToken> &action : cursor.restSplitAtCommas())
            alterAction(action, key, tableText, existing, addedWithoutDefault);
    }

    void alterAction(const QList<SqlToken> &tokens, const QString &key, const QString &tableText,
                     bool existing, QSet<QString> &addedWithoutDefault)
    {
        SqlTokenCursor cursor(tokens);
        const int line = cursor.line();
        if (cursor.accept({ "ADD" })) {
            const bool saidColumn = cursor.accept({ "COLUMN" });
            if (!saidColumn && tableConstraint(cursor, key, tableText, existing))
                return;
            cursor.accept({ "IF", "NOT", "EXISTS" });
            const QString column = cursor.readIdentifier();
            if (column.isEmpty())
                return;
            m_columnsAddedHere.insert(keyOf(key, column));
            const qsizetype afterName = cursor.position();
            const bool notNull = containsTopLevelWords(cursor, { "NOT", "NULL" })
                || containsTopLevelWords(cursor, { "PRIMARY", "KEY" });
            const QString rewrite = existing ? rowByRowDefault(cursor) : QString();
            const bool hasDefault = hasRealDefault(cursor) || containsWords(cursor, { "GENERATED" })
                || rewrite == u"serial";
            if (!hasDefault)
                addedWithoutDefault.insert(column);
            cursor.advance(afterName - cursor.position());
            if (!rewrite.isEmpty()) {
                report("rewriting-default", line,
                       tr("ADD COLUMN %1 (%2) on the existing table %3 rewrites the table.")
                           .arg(column, rewrite, tableText));
            }
            if (existing && notNull && !hasDefault) {
                report("not-null-without-default", line,
                       tr("ADD COLUMN %1 NOT NULL without a DEFAULT on the existing table %2.")
                           .arg(column, tableText));
            }
            columnConstraints(cursor, key, tableText, column, existing);
            return;
        }
        if (cursor.accept({ "ALTER" })) {
            cursor.accept({ "COLUMN" });
            const QString column = cursor.readIdentifier();
            if (!existing)
                return;
            if (cursor.accept({ "TYPE" }) || cursor.accept({ "SET", "DATA", "TYPE" })) {
                const SqlToken *first = cursor.peek();
                const SqlToken *last = first;
                while (!cursor.atEnd() && !cursor.peekWord("USING")
                       && !cursor.peekWord("COLLATE")) {
                    last = cursor.peek();
                    cursor.advance();
                }
                report("column-type-change", line,
                       tr("ALTER COLUMN %1.%2 TYPE %3 on the existing table.")
                           .arg(tableText, column, sourceText(first, last)));
            } else if (cursor.accept({ "SET", "NOT", "NULL" })) {
                if (addedWithoutDefault.contains(column)) {
                    // Added by this very statement without a default: NULL in every row.
                    report("not-null-without-default", line,
                           tr("ADD COLUMN %1 without a DEFAULT, then SET NOT NULL in the same "
                              "statement, on the existing table %2.")
                               .arg(column, tableText));
                } else if (!m_model.tables.value(key).provenNotNull.contains(column)) {
                    report("set-not-null", line,
                           tr("ALTER COLUMN %1.%2 SET NOT NULL on the existing table.")
                               .arg(tableText, column));
                }
            }
            return;
        }
        if (cursor.accept({ "VALIDATE", "CONSTRAINT" })) {
            const QString name = cursor.readIdentifier();
            if (m_model.tables.contains(key)) {
                TableShape &shape = m_model.tables[key];
                if (shape.notNullChecks.contains(name))
                    shape.provenNotNull.insert(shape.notNullChecks.value(name));
            }
            return;
        }
        if (cursor.accept({ "DROP" })) {
            if (cursor.peekWord("CONSTRAINT"))
                return;
            cursor.accept({ "COLUMN" });
            cursor.accept({ "IF", "EXISTS" });
            const QString column = cursor.readIdentifier();
            if (existing && !column.isEmpty() && !isNewColumn(key, column)) {
                report("drop-column", line,
                       tr("DROP COLUMN %1.%2 destroys the column's data.").arg(tableText, column));
            }
        }
    }

    // DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]
    void dropTables(SqlTokenCursor &cursor)
    {
        cursor.accept({ "IF", "EXISTS" });
        while (!cursor.atEnd()) {
            const SqlName name = cursor.readName();
            if (!name.isValid() || name.name == u"cascade" || name.name == u"restrict")
                break;
            const QString key = resolve(name);
            if (!isNewHere(key)) {
                report("drop-table", name.line,
                       tr("DROP TABLE %1 destroys the table and its rows.").arg(name.text()));
            }
            m_model.tables.remove(key);
            m_createdHere.remove(key);
            if (!cursor.acceptPunctuation(","))
                break;
        }
    }

    // ---- token helpers ----

    // The file's text from one token to another, as written.
    QString sourceText(const SqlToken *first, const SqlToken *last) const
    {
        if (!first || !last)
            return {};
        return m_migration.sql.mid(first->offset, last->offset + last->text.size() - first->offset)
            .simplified();
    }

    // "(a, b, c)" of plain column names; empty if the next token is not "(".
    static QStringList columnList(SqlTokenCursor &cursor)
    {
        QStringList columns;
        for (const QList<SqlToken> &part : cursor.readParenthesizedList()) {
            if (part.size() == 1 && SqlTokenCursor::isIdentifier(part.first()))
                columns.append(SqlTokenCursor::identifierOf(part.first()));
        }
        return columns;
    }

    // An index's leading plain columns: "(a, b DESC, lower(c), d)" gives a, b.
    static QStringList leadingIndexColumns(SqlTokenCursor &cursor)
    {
        QStringList columns;
        for (const QList<SqlToken> &part : cursor.readParenthesizedList()) {
            const bool plain = !part.isEmpty() && SqlTokenCursor::isIdentifier(part.first())
                && (part.size() == 1 || part.at(1).text != u"(");
            if (!plain)
                break;
            columns.append(SqlTokenCursor::identifierOf(part.first()));
        }
        return columns;
    }

    // Whether the words follow each other outside any parentheses in the rest of the tokens
    // (so "CHECK (a IS NOT NULL)" is not the column's NOT NULL).
    static bool containsTopLevelWords(const SqlTokenCursor &cursor,
                                      std::initializer_list<const char *> words)
    {
        int depth = 0;
        for (qsizetype at = 0; cursor.peek(at); ++at) {
            const SqlToken &token = *cursor.peek(at);
            if (token.kind == SqlToken::Kind::Punctuation) {
                if (token.text == u"(")
                    ++depth;
                else if (token.text == u")" && depth > 0)
                    --depth;
                continue;
            }
            if (depth == 0 && cursor.peekWords(words, at))
                return true;
        }
        return false;
    }

    // A DEFAULT that gives existing rows a value: not "DEFAULT NULL" (or NULL::type).
    static bool hasRealDefault(const SqlTokenCursor &cursor)
    {
        for (qsizetype at = 0; cursor.peek(at); ++at) {
            if (cursor.peekWord("DEFAULT", at))
                return !cursor.peekWord("NULL", at + 1);
        }
        return false;
    }

    // At "(column IS NOT NULL)" (a CHECK's condition, extra parentheses allowed): the column;
    // otherwise empty. Does not move the cursor.
    static QString isNotNullCheck(const SqlTokenCursor &cursor)
    {
        qsizetype at = 0;
        int open = 0;
        while (cursor.peekPunctuation("(", at)) {
            ++open;
            ++at;
        }
        const SqlToken *name = cursor.peek(at);
        if (open == 0 || !name || !SqlTokenCursor::isIdentifier(*name)
            || !cursor.peekWord("IS", at + 1) || !cursor.peekWord("NOT", at + 2)
            || !cursor.peekWord("NULL", at + 3))
            return {};
        at += 4;
        for (int i = 0; i < open; ++i, ++at) {
            if (!cursor.peekPunctuation(")", at))
                return {};
        }
        return SqlTokenCursor::identifierOf(*name);
    }

    // A transaction: none file manages its own transactions: a statement PostgreSQL refuses in
    // a transaction block must not sit between its BEGIN and COMMIT.
    void checkExplicitTransactions()
    {
        QList<std::pair<int, int>> blocks; // first and last line of each BEGIN ... COMMIT
        int openedAt = 0;
        for (const SqlStatement &statement : m_migration.script.statements()) {
            const QStringList words = statement.leadingWords(2);
            const QString first = words.value(0);
            if (first == u"BEGIN" || (first == u"START" && words.value(1) == u"TRANSACTION")) {
                openedAt = statement.line;
            } else if (openedAt > 0
                       && (first == u"COMMIT" || first == u"END" || first == u"ABORT"
                           || (first == u"ROLLBACK" && words.value(1) != u"TO"))) {
                blocks.append({ openedAt, statement.line });
                openedAt = 0;
            }
        }
        if (openedAt > 0)
            blocks.append({ openedAt, std::numeric_limits<int>::max() });
        if (blocks.isEmpty())
            return;
        for (const MigrationProblem &problem : MigrationSet::checkTransactionUse(
                 m_migration.script, TransactionMode::PerMigration, m_migration.displayPath)) {
            if (problem.rule != u"concurrently-in-transaction")
                continue;
            for (const auto &[from, to] : std::as_const(blocks)) {
                if (problem.line > from && problem.line < to) {
                    report("concurrently-in-transaction", problem.line,
                           tr("%1 (inside the BEGIN on line %2)").arg(problem.message).arg(from));
                    break;
                }
            }
        }
    }

    // What makes a new column's value differ row by row (so that adding it rewrites the table):
    // "serial", "identity", "stored generated column" or the volatile function; empty if nothing.
    static QString rowByRowDefault(const SqlTokenCursor &cursor)
    {
        static const QStringList volatileFunctions {
            QStringLiteral("gen_random_uuid"),
            QStringLiteral("uuid_generate_v1"),
            QStringLiteral("uuid_generate_v1mc"),
            QStringLiteral("uuid_generate_v4"),
            QStringLiteral("random"),
            QStringLiteral("clock_timestamp"),
            QStringLiteral("timeofday"),
            QStringLiteral("nextval"),
            QStringLiteral("txid_current"),
        };
        bool afterDefault = false;
        for (qsizetype at = 0; cursor.peek(at); ++at) {
            const SqlToken &token = *cursor.peek(at);
            if (at == 0
                && (token.isWord("serial") || token.isWord("bigserial")
                    || token.isWord("smallserial") || token.isWord("serial4")
                    || token.isWord("serial8") || token.isWord("serial2")))
                return QStringLiteral("serial");
            if (token.isWord("IDENTITY"))
                return QStringLiteral("identity");
            if (token.isWord("STORED"))
                return QStringLiteral("stored generated column");
            if (token.isWord("DEFAULT"))
                afterDefault = true;
            else if (afterDefault && token.kind == SqlToken::Kind::Word
                     && cursor.peekPunctuation("(", at + 1)
                     && volatileFunctions.contains(SqlTokenCursor::identifierOf(token)))
                return SqlTokenCursor::identifierOf(token) + QStringLiteral("()");
        }
        return {};
    }

    // Whether an index serves a lookup by its first column for any value of it: it is not
    // partial, or its predicate is only "<first column> IS NOT NULL" (which an equality implies).
    static bool servesEveryRow(SqlTokenCursor cursor, const QString &firstColumn)
    {
        while (!cursor.atEnd() && !cursor.peekWord("WHERE"))
            cursor.advance();
        if (!cursor.accept({ "WHERE" }))
            return true;
        const bool parenthesized = cursor.acceptPunctuation("(");
        if (cursor.readIdentifier() != firstColumn || !cursor.accept({ "IS", "NOT", "NULL" }))
            return false;
        if (parenthesized && !cursor.acceptPunctuation(")"))
            return false;
        return cursor.atEnd();
    }

    // Whether the words follow each other anywhere in the rest of the tokens (top level or not),
    // without moving the cursor.
    static bool containsWords(const SqlTokenCursor &cursor,
                              std::initializer_list<const char *> words)
    {
        for (qsizetype at = 0; cursor.peek(at); ++at) {
            if (cursor.peekWords(words, at))
                return true;
        }
        return false;
    }

    // public.<tenant table> in a tenant-scope file, in its statements and in the bodies of the
    // functions and DO blocks it defines.
    void checkPublicPrefix(const QList<SqlToken> &tokens, int lineOffset, bool routine = false)
    {
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            const SqlToken &token = tokens.at(i);
            // A routine's body written as a plain string: AS '...'.
            if (routine && token.kind == SqlToken::Kind::String && token.text.startsWith(u'\'')
                && i > 0 && tokens.at(i - 1).isWord("AS")) {
                QString body = token.text.mid(1, token.text.size() - 2);
                body.replace(QStringLiteral("''"), QStringLiteral("'"));
                const SqlScript inner = SqlScript::parse(body);
                for (const SqlStatement &statement : inner.statements())
                    checkPublicPrefix(statement.tokens, lineOffset + token.line - 1);
                continue;
            }
            if (token.kind == SqlToken::Kind::DollarString) {
                const qsizetype tagEnd = token.text.indexOf(u'$', 1);
                const QString body =
                    token.text.mid(tagEnd + 1, token.text.size() - 2 * (tagEnd + 1));
                const SqlScript inner = SqlScript::parse(body);
                for (const SqlStatement &statement : inner.statements())
                    checkPublicPrefix(statement.tokens, lineOffset + token.line - 1);
                continue;
            }
            if (i + 2 >= tokens.size() || !SqlTokenCursor::isIdentifier(token)
                || SqlTokenCursor::identifierOf(token) != PublicSchema
                || tokens.at(i + 1).text != u"." || !SqlTokenCursor::isIdentifier(tokens.at(i + 2)))
                continue;
            const QString table = SqlTokenCursor::identifierOf(tokens.at(i + 2));
            const bool tenantTable = m_model.tenantTableNames.contains(table)
                || m_model.tables.contains(keyOf(TenantSchema, table));
            if (tenantTable && !m_model.publicTableNames.contains(table)) {
                report("public-prefix-in-tenant", lineOffset + token.line,
                       tr("public.%1 names the tenant table %1 in public, not in the tenant "
                          "this migration runs for.")
                           .arg(table));
            }
        }
    }

    // ---- end of the file ----

    void finish()
    {
        for (const auto &[key, text] : std::as_const(m_createdOrder)) {
            if (!m_model.tables.contains(key))
                continue; // dropped again in the same file
            const TableShape &shape = m_model.tables.value(key);
            if (!shape.hasPrimaryKey && !shape.primaryKeyUnknown) {
                report("table-without-primary-key", shape.createdLine,
                       tr("The table %1 has no PRIMARY KEY.").arg(text));
            }
        }
    }

    const MigrationFile &m_migration;
    SchemaModel &m_model;
    QList<LintFinding> &m_findings;
    QSet<QString> m_createdHere;
    QList<std::pair<QString, QString>> m_createdOrder; // key, as written
    QSet<QString> m_schemasCreatedHere;
    QSet<QString> m_columnsAddedHere; // "table key.column"
};

// The set's own problems, as findings of the rule they break.
void addSetProblems(const MigrationSet &set, QList<LintFinding> &findings)
{
    for (const MigrationProblem &problem : set.problems()) {
        const LintRule *rule =
            LintRule::find(problem.rule.isEmpty() ? QStringLiteral("file-problem") : problem.rule);
        if (!rule)
            rule = LintRule::find(QStringLiteral("file-problem"));
        LintFinding finding =
            LintFinding::of(*rule, QString(), problem.file, problem.line, problem.message);
        for (const MigrationFile &migration : set.migrations()) {
            if (migration.displayPath == problem.file
                || migration.rollbackDisplayPath == problem.file)
                finding.version = migration.version.text();
        }
        findings.append(finding);
    }
}

// Applies a file's '-- lint-ack:' lines to its findings, and reports the lines that do not
// acknowledge anything.
void applyAcknowledgements(const MigrationFile &migration, QList<LintFinding> &findings)
{
    const LintRule *ackRule = LintRule::find(QStringLiteral("acknowledgement"));
    auto problem = [&](const LintAcknowledgement &ack, LintRule::Severity severity,
                       const QString &message) {
        LintFinding finding = LintFinding::of(*ackRule, migration.version.text(),
                                              migration.displayPath, ack.line, message);
        finding.severity = severity; // an acknowledgement that does nothing only warns
        findings.append(finding);
    };
    const qsizetype end = findings.size();
    for (const LintAcknowledgement &ack : migration.lintAcknowledgements) {
        const LintRule *rule = LintRule::find(ack.rule);
        if (!rule) {
            problem(ack, LintRule::Severity::Error,
                    QCoreApplication::translate("MigrationLinter",
                                                "'-- lint-ack: %1' names no lint rule.")
                        .arg(ack.rule));
            continue;
        }
        if (!rule->acknowledgeable) {
            problem(ack, LintRule::Severity::Error,
                    QCoreApplication::translate(
                        "MigrationLinter",
                        "'%1' cannot be acknowledged: the runner refuses the file anyway.")
                        .arg(ack.rule));
            continue;
        }
        if (ack.reason.size() < 3) {
            problem(ack, LintRule::Severity::Error,
                    QCoreApplication::translate("MigrationLinter",
                                                "'-- lint-ack: %1' needs a reason after the rule.")
                        .arg(ack.rule));
            continue;
        }
        bool used = false;
        for (qsizetype i = 0; i < end; ++i) {
            LintFinding &finding = findings[i];
            if (finding.rule == ack.rule && finding.file == migration.displayPath) {
                finding.acknowledged = true;
                finding.acknowledgement = ack.reason;
                finding.acknowledgementLine = ack.line;
                used = true;
            }
        }
        if (!used) {
            problem(ack, LintRule::Severity::Warning,
                    QCoreApplication::translate(
                        "MigrationLinter",
                        "'-- lint-ack: %1' acknowledges nothing: the file does not break that "
                        "rule. Remove the line.")
                        .arg(ack.rule));
        }
    }
}

// Each foreign key against the indexes the whole set builds: one that leads with a column of the
// key serves the lookups a delete or key update in the referenced table runs.
void checkForeignKeyIndexes(const SchemaModel &model, QList<LintFinding> &findings)
{
    const LintRule *rule = LintRule::find(QStringLiteral("fk-without-index"));
    for (const PendingForeignKey &fk : model.foreignKeys) {
        if (!model.tables.contains(fk.table))
            continue; // a table the set does not build (or drops again): its indexes are unknown
        const auto &indexes = model.tables.value(fk.table).indexes;
        const bool covered =
            std::any_of(indexes.cbegin(), indexes.cend(), [&](const QStringList &index) {
                return !index.isEmpty() && fk.columns.contains(index.first());
            });
        if (covered)
            continue;
        findings.append(LintFinding::of(
            *rule, fk.version, fk.file, fk.line,
            QCoreApplication::translate("MigrationLinter",
                                        "No index of %1 leads with a column of the foreign key "
                                        "(%2), in this migration or a later one.")
                .arg(fk.tableText, fk.columns.join(QStringLiteral(", ")))));
    }
}

} // namespace

LintReport MigrationLinter::lint(const MigrationSet &set)
{
    LintReport report;
    SchemaModel model;
    QList<LintFinding> &findings = report.findings;
    addSetProblems(set, findings);
    for (const MigrationFile &migration : set.migrations()) {
        if (migration.script.isValid())
            FileLinter(migration, model, findings).run();
        if (!migration.isReversible()) {
            const LintRule *rule = LintRule::find(QStringLiteral("irreversible"));
            findings.append(LintFinding::of(
                *rule, migration.version.text(), migration.displayPath, 0,
                QCoreApplication::translate("MigrationLinter", "Declared irreversible: %1")
                    .arg(migration.irreversibleReason)));
        }
    }
    checkForeignKeyIndexes(model, findings);
    for (const MigrationFile &migration : set.migrations())
        applyAcknowledgements(migration, findings);
    std::stable_sort(findings.begin(), findings.end(),
                     [](const LintFinding &a, const LintFinding &b) {
                         if (a.file != b.file)
                             return a.file < b.file;
                         return a.line < b.line;
                     });
    return report;
}

} // namespace fuelsync
