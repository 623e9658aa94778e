#include "MigrationSet.h"

#include "CommentHeader.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <functional>

namespace fuelsync {

namespace {

const QStringList &headerKeys()
{
    static const QStringList keys = {
        QStringLiteral("version"),      QStringLiteral("description"),
        QStringLiteral("scope"),        QStringLiteral("depends"),
        QStringLiteral("transaction"),  QStringLiteral("environments"),
        QStringLiteral("irreversible"), QStringLiteral("lint-ack")
    };
    return keys;
}

struct TextFile
{
    QByteArray bytes;
    QString text; // CRLF read as LF
};

bool readTextFile(const QString &path, TextFile *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("MigrationSet", "cannot read the file: %1")
                     .arg(file.errorString());
        return false;
    }
    out->bytes = file.readAll();
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder(out->bytes);
    if (decoder.hasError()) {
        *error = QCoreApplication::translate("MigrationSet", "the file is not valid UTF-8 text");
        return false;
    }
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    out->text = text;
    return true;
}

struct StatementRule
{
    std::initializer_list<const char *> words;
    const char *what;
};

} // namespace

QString MigrationProblem::lines(const QList<MigrationProblem> &problems, const QString &indent)
{
    QStringList all;
    for (const MigrationProblem &problem : problems)
        all.append(indent + problem.text());
    return all.join(u'\n');
}

QString MigrationProblem::text() const
{
    QString where = file;
    if (line > 0)
        where += u':' + QString::number(line);
    return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
}

QString MigrationSet::checksumOf(const QByteArray &fileContent)
{
    QByteArray normalized = fileContent;
    normalized.replace("\r\n", "\n");
    // '-- lint-ack:' lines of the header say something about the file without changing what it
    // runs: they are left out, so that acknowledging a lint finding in a file that is already
    // applied (or approved) keeps it valid. Everything else counts, comments included.
    if (normalized.contains("lint-ack")) {
        static const QRegularExpression ackLine(QStringLiteral("^--\\s*lint-ack\\s*:"));
        const QList<QByteArray> lines = normalized.split('\n');
        QByteArray kept;
        bool inHeader = true;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QByteArray trimmed = lines.at(i).trimmed();
            inHeader = inHeader && (trimmed.isEmpty() || trimmed.startsWith("--"));
            if (inHeader && ackLine.match(QString::fromUtf8(trimmed)).hasMatch())
                continue;
            kept += lines.at(i);
            if (i + 1 < lines.size())
                kept += '\n';
        }
        normalized = kept;
    }
    return QString::fromLatin1(
        QCryptographicHash::hash(normalized, QCryptographicHash::Sha256).toHex());
}

MigrationSet MigrationSet::load(const QString &migrationsDirectory)
{
    MigrationSet set;
    const QFileInfo root(migrationsDirectory);
    set.m_directory = root.absoluteFilePath();
    set.m_displayRoot = root.fileName().isEmpty() ? set.m_directory : root.fileName();
    if (!root.isDir()) {
        set.m_problems.append({ set.m_displayRoot, 0,
                                QCoreApplication::translate(
                                    "MigrationSet", "the migrations directory does not exist") });
        return set;
    }
    const QDir dir(set.m_directory);
    if (!dir.exists(QStringLiteral("schema"))) {
        set.m_problems.append(
            { set.m_displayRoot, 0,
              QCoreApplication::translate(
                  "MigrationSet", "there is no schema/ directory of migration files here") });
        return set;
    }
    set.loadSchemaFiles(dir.filePath(QStringLiteral("schema")));
    set.loadRollbackFiles(dir.filePath(QStringLiteral("rollbacks")));
    set.checkVersionsAndDependencies();
    return set;
}

void MigrationSet::loadSchemaFiles(const QString &schemaDirectory)
{
    static const QRegularExpression namePattern(QRegularExpression::anchoredPattern(
        QStringLiteral("([0-9]+(?:\\.[0-9]+)*)_([A-Za-z0-9][A-Za-z0-9_.-]*)\\.sql")));
    const QDir dir(schemaDirectory);
    const QStringList files = dir.entryList({ QStringLiteral("*.sql") }, QDir::Files, QDir::Name);
    for (const QString &fileName : files) {
        const QString display = m_displayRoot + QStringLiteral("/schema/") + fileName;
        const auto nameMatch = namePattern.match(fileName);
        if (!nameMatch.hasMatch()) {
            m_problems.append(
                { display, 0,
                  QCoreApplication::translate("MigrationSet",
                                              "the file name must be <version>_<name>.sql, e.g. "
                                              "006_add_opening_date.sql") });
            continue;
        }
        MigrationFile migration;
        migration.name = nameMatch.captured(2);
        migration.path = dir.filePath(fileName);
        migration.displayPath = display;

        TextFile file;
        QString readError;
        if (!readTextFile(migration.path, &file, &readError)) {
            m_problems.append({ display, 0, readError });
            continue;
        }
        migration.sql = file.text;
        migration.checksum = checksumOf(file.bytes);

        const CommentHeader header =
            CommentHeader::parse(file.text, headerKeys(), { QStringLiteral("lint-ack") });
        for (const CommentHeader::Problem &p : header.problems())
            m_problems.append({ display, p.line, p.message });

        // version
        if (!header.has(QStringLiteral("version"))) {
            m_problems.append({ display, 1,
                                QCoreApplication::translate(
                                    "MigrationSet", "the header has no '-- version:' line") });
        } else {
            const QString text = header.value(QStringLiteral("version"));
            const auto version = MigrationVersion::parse(text);
            if (!version) {
                m_problems.append({ display, header.line(QStringLiteral("version")),
                                    QCoreApplication::translate(
                                        "MigrationSet",
                                        "'%1' is not a version (digits, optionally dot-separated)")
                                        .arg(text) });
            } else if (version->text() != nameMatch.captured(1)) {
                m_problems.append(
                    { display, header.line(QStringLiteral("version")),
                      QCoreApplication::translate(
                          "MigrationSet", "the header says version %1 but the file name says %2")
                          .arg(version->text(), nameMatch.captured(1)) });
            } else {
                migration.version = *version;
            }
        }
        // description
        migration.description = header.value(QStringLiteral("description"));
        if (migration.description.isEmpty()) {
            m_problems.append(
                { display,
                  header.has(QStringLiteral("description"))
                      ? header.line(QStringLiteral("description"))
                      : 1,
                  QCoreApplication::translate(
                      "MigrationSet", "the header has no '-- description:' (or it is empty)") });
        }
        // scope
        if (!header.has(QStringLiteral("scope"))) {
            m_problems.append(
                { display, 1,
                  QCoreApplication::translate(
                      "MigrationSet", "the header has no '-- scope:' line (public or tenant)") });
        } else {
            const QString scope = header.value(QStringLiteral("scope")).toLower();
            if (scope == u"public")
                migration.scope = MigrationScope::Public;
            else if (scope == u"tenant")
                migration.scope = MigrationScope::Tenant;
            else
                m_problems.append({ display, header.line(QStringLiteral("scope")),
                                    QCoreApplication::translate(
                                        "MigrationSet", "scope must be public or tenant, not '%1'")
                                        .arg(header.value(QStringLiteral("scope"))) });
        }
        // depends
        const QString depends = header.value(QStringLiteral("depends"));
        for (const QString &part : depends.split(u',', Qt::SkipEmptyParts)) {
            const auto dependency = MigrationVersion::parse(part);
            if (!dependency) {
                m_problems.append({ display, header.line(QStringLiteral("depends")),
                                    QCoreApplication::translate("MigrationSet",
                                                                "'%1' in depends is not a version")
                                        .arg(part.trimmed()) });
            } else if (!migration.depends.contains(*dependency)) {
                migration.depends.append(*dependency);
            }
        }
        // transaction
        if (header.has(QStringLiteral("transaction"))) {
            const QString mode = header.value(QStringLiteral("transaction")).toLower();
            if (mode == u"per-migration")
                migration.transaction = TransactionMode::PerMigration;
            else if (mode == u"none")
                migration.transaction = TransactionMode::None;
            else
                m_problems.append(
                    { display, header.line(QStringLiteral("transaction")),
                      QCoreApplication::translate(
                          "MigrationSet", "transaction must be per-migration or none, not '%1'")
                          .arg(header.value(QStringLiteral("transaction"))) });
        }
        // environments
        if (header.has(QStringLiteral("environments"))) {
            QString environmentError;
            const auto environments = DeploymentEnvironments::parseList(
                header.value(QStringLiteral("environments")), &environmentError);
            if (!environments)
                m_problems.append(
                    { display, header.line(QStringLiteral("environments")), environmentError });
            else
                migration.environments = *environments;
        }
        // irreversible
        if (header.has(QStringLiteral("irreversible"))) {
            migration.irreversibleReason = header.value(QStringLiteral("irreversible"));
            if (migration.irreversibleReason.isEmpty()) {
                m_problems.append({ display, header.line(QStringLiteral("irreversible")),
                                    QCoreApplication::translate(
                                        "MigrationSet",
                                        "'-- irreversible:' needs a reason, e.g. '-- irreversible: "
                                        "drops the legacy column and its data'") });
            }
        }

        // lint-ack: "<rule> <reason>" (the linter checks the rule and the reason)
        for (const CommentHeader::Field &field : header.all(QStringLiteral("lint-ack"))) {
            LintAcknowledgement ack;
            ack.line = field.line;
            const QString value = field.value.trimmed();
            const qsizetype space = value.indexOf(QRegularExpression(QStringLiteral("[\\s:]")));
            ack.rule = space < 0 ? value : value.left(space);
            if (space >= 0) {
                ack.reason = value.mid(space).trimmed();
                // "rule: reason" and "rule - reason" read as "rule reason"
                while (!ack.reason.isEmpty()
                       && (ack.reason.front() == u':' || ack.reason.front() == u'-'
                           || ack.reason.front() == u'\u2014'))
                    ack.reason = ack.reason.mid(1).trimmed();
            }
            migration.lintAcknowledgements.append(ack);
        }

        migration.script = SqlScript::parse(migration.sql);
        for (const SqlScriptProblem &p : migration.script.problems())
            m_problems.append({ display, p.line, p.message });
        m_problems.append(checkTransactionUse(migration.script, migration.transaction, display));
        if (migration.script.isValid() && migration.script.statements().isEmpty()) {
            m_problems.append({ display, 0,
                                QCoreApplication::translate(
                                    "MigrationSet",
                                    "has no SQL statements yet: write the change (a migration that "
                                    "ran empty could never be filled in later)") });
        }

        if (!migration.version.isNull())
            m_migrations.append(migration);
    }
    std::stable_sort(
        m_migrations.begin(), m_migrations.end(),
        [](const MigrationFile &a, const MigrationFile &b) { return a.version < b.version; });
}

void MigrationSet::loadRollbackFiles(const QString &rollbackDirectory)
{
    static const QRegularExpression namePattern(QRegularExpression::anchoredPattern(
        QStringLiteral("([0-9]+(?:\\.[0-9]+)*)_rollback_([A-Za-z0-9_.-]+)\\.sql")));
    const QDir dir(rollbackDirectory);
    QHash<QString, QString> rollbackByVersion; // version key -> display path
    // Versions used by two schema files: that is reported once, as a duplicate
    // (checkVersionsAndDependencies); their rollback files are paired by name where they can be,
    // and never reported as missing or doubled on top of it.
    QSet<QString> duplicated;
    {
        QSet<QString> seen;
        for (const MigrationFile &migration : std::as_const(m_migrations)) {
            if (!migration.version.isNull() && seen.contains(migration.version.key()))
                duplicated.insert(migration.version.key());
            seen.insert(migration.version.key());
        }
    }
    const QStringList files = dir.exists()
        ? dir.entryList({ QStringLiteral("*.sql") }, QDir::Files, QDir::Name)
        : QStringList();
    for (const QString &fileName : files) {
        const QString display = m_displayRoot + QStringLiteral("/rollbacks/") + fileName;
        const auto match = namePattern.match(fileName);
        const auto version =
            match.hasMatch() ? MigrationVersion::parse(match.captured(1)) : std::nullopt;
        if (!version) {
            m_problems.append(
                { display, 0,
                  QCoreApplication::translate(
                      "MigrationSet",
                      "a rollback file name must be <version>_rollback_<name>.sql") });
            continue;
        }
        const bool isDuplicated = duplicated.contains(version->key());
        if (rollbackByVersion.contains(version->key()) && !isDuplicated) {
            m_problems.append(
                { display, 0,
                  QCoreApplication::translate("MigrationSet",
                                              "version %1 has two rollback files: this one and %2")
                      .arg(version->text(), rollbackByVersion.value(version->key())) });
            continue;
        }
        rollbackByVersion.insert(version->key(), display);

        auto migration =
            std::find_if(m_migrations.begin(), m_migrations.end(),
                         [&](const MigrationFile &m) { return m.version == *version; });
        if (isDuplicated) {
            // The file of that version with the same name, else the first without a rollback.
            const QString name = match.captured(2);
            auto sameName =
                std::find_if(m_migrations.begin(), m_migrations.end(), [&](const MigrationFile &m) {
                    return m.version == *version && m.name == name && m.rollbackPath.isEmpty();
                });
            auto free =
                std::find_if(m_migrations.begin(), m_migrations.end(), [&](const MigrationFile &m) {
                    return m.version == *version && m.rollbackPath.isEmpty();
                });
            migration = sameName != m_migrations.end() ? sameName : free;
            if (migration == m_migrations.end())
                continue; // more rollback files than files of that version: part of the duplicate
        }
        if (migration == m_migrations.end()) {
            m_problems.append(
                { display, 0,
                  QCoreApplication::translate(
                      "MigrationSet", "there is no migration %1 in schema/ for this rollback file")
                      .arg(version->text()) });
            continue;
        }
        if (!migration->isReversible()) {
            m_problems.append({ display, 0,
                                QCoreApplication::translate(
                                    "MigrationSet",
                                    "migration %1 says it is irreversible, yet this rollback file "
                                    "exists: remove one of the two")
                                    .arg(version->text()) });
            continue;
        }
        TextFile file;
        QString readError;
        if (!readTextFile(dir.filePath(fileName), &file, &readError)) {
            m_problems.append({ display, 0, readError });
            continue;
        }
        const CommentHeader header =
            CommentHeader::parse(file.text, { QStringLiteral("rollback") });
        if (header.has(QStringLiteral("rollback"))) {
            const auto declared = MigrationVersion::parse(header.value(QStringLiteral("rollback")));
            if (!declared || !(*declared == *version)) {
                m_problems.append(
                    { display, header.line(QStringLiteral("rollback")),
                      QCoreApplication::translate(
                          "MigrationSet",
                          "the header says this rolls back %1 but the file name says %2")
                          .arg(header.value(QStringLiteral("rollback")), version->text()) });
            }
        }
        migration->rollbackPath = dir.filePath(fileName);
        migration->rollbackDisplayPath = display;
        migration->rollbackSql = file.text;
        migration->rollbackScript = SqlScript::parse(file.text);
        for (const SqlScriptProblem &p : migration->rollbackScript.problems())
            m_problems.append({ display, p.line, p.message });
        m_problems.append(
            checkTransactionUse(migration->rollbackScript, migration->transaction, display));
        if (migration->rollbackScript.isValid()
            && migration->rollbackScript.statements().isEmpty()) {
            m_problems.append(
                { display, 0,
                  QCoreApplication::translate(
                      "MigrationSet",
                      "has no SQL statements: write the SQL that undoes migration %1, "
                      "or mark the migration '-- irreversible: <why>'")
                      .arg(version->text()) });
        }
    }

    for (const MigrationFile &migration : std::as_const(m_migrations)) {
        if (migration.isReversible() && migration.rollbackPath.isEmpty()
            && !migration.version.isNull() && !duplicated.contains(migration.version.key())) {
            m_problems.append(
                { migration.displayPath, 0,
                  QCoreApplication::translate(
                      "MigrationSet",
                      "there is no rollback file: add %1/rollbacks/%2_rollback_%3.sql, or say "
                      "'-- irreversible: <why>' in the header")
                      .arg(m_displayRoot, migration.version.text(), migration.name),
                  QStringLiteral("missing-rollback") });
        }
    }
}

void MigrationSet::checkVersionsAndDependencies()
{
    // Duplicates: two files whose versions are numerically equal ("003" and "3").
    QHash<QString, const MigrationFile *> byVersion;
    for (const MigrationFile &migration : std::as_const(m_migrations)) {
        if (migration.version.isNull())
            continue;
        if (const MigrationFile *other = byVersion.value(migration.version.key())) {
            m_problems.append(
                { migration.displayPath, 0,
                  QCoreApplication::translate("MigrationSet",
                                              "version %1 is used twice: by this file and by %2")
                      .arg(migration.version.text(), other->displayPath) });
            continue;
        }
        byVersion.insert(migration.version.key(), &migration);
    }

    // Missing dependencies.
    for (const MigrationFile &migration : std::as_const(m_migrations)) {
        for (const MigrationVersion &dependency : migration.depends) {
            if (!byVersion.contains(dependency.key())) {
                m_problems.append(
                    { migration.displayPath, 0,
                      QCoreApplication::translate(
                          "MigrationSet", "depends on %1, which does not exist in %2/schema")
                          .arg(dependency.text(), m_displayRoot) });
            }
        }
    }

    // Cycles (depth-first search over known versions), each reported once.
    enum class Mark { None, Active, Done };
    QHash<QString, Mark> marks;
    QList<const MigrationFile *> path;
    QSet<QString> inReportedCycle;
    std::function<void(const MigrationFile *)> visit = [&](const MigrationFile *node) {
        marks.insert(node->version.key(), Mark::Active);
        path.append(node);
        for (const MigrationVersion &dependency : node->depends) {
            const MigrationFile *next = byVersion.value(dependency.key());
            if (!next)
                continue;
            const Mark mark = marks.value(next->version.key(), Mark::None);
            if (mark == Mark::Active) {
                QStringList cycle;
                qsizetype from = path.size() - 1;
                while (from > 0 && path.at(from) != next)
                    --from;
                for (qsizetype i = from; i < path.size(); ++i) {
                    cycle.append(path.at(i)->version.text());
                    inReportedCycle.insert(path.at(i)->version.key());
                }
                cycle.append(next->version.text());
                m_problems.append(
                    { next->displayPath, 0,
                      QCoreApplication::translate("MigrationSet", "dependency cycle: %1")
                          .arg(cycle.join(QStringLiteral(" → "))) });
            } else if (mark == Mark::None) {
                visit(next);
            }
        }
        path.removeLast();
        marks.insert(node->version.key(), Mark::Done);
    };
    for (const MigrationFile &migration : std::as_const(m_migrations)) {
        if (!migration.version.isNull() && marks.value(migration.version.key()) == Mark::None)
            visit(&migration);
    }

    // A dependency on a later version can never be honoured by version order.
    for (const MigrationFile &migration : std::as_const(m_migrations)) {
        if (inReportedCycle.contains(migration.version.key()))
            continue;
        for (const MigrationVersion &dependency : migration.depends) {
            if (byVersion.contains(dependency.key()) && !(dependency < migration.version)) {
                m_problems.append(
                    { migration.displayPath, 0,
                      QCoreApplication::translate(
                          "MigrationSet",
                          "depends on %1, which is not an earlier version: migrations "
                          "run in version order, so a dependency must come first")
                          .arg(dependency.text()) });
            }
        }
    }
}

QList<MigrationProblem> MigrationSet::checkTransactionUse(const SqlScript &script,
                                                          TransactionMode mode,
                                                          const QString &displayPath)
{
    QList<MigrationProblem> problems;
    if (mode != TransactionMode::PerMigration)
        return problems;
    for (const SqlStatement &statement : script.statements()) {
        const QStringList words = statement.leadingWords(4);
        if (words.isEmpty())
            continue;
        const QString &first = words.first();
        const QString second = words.value(1);
        // Transaction control would end the runner's transaction mid-way.
        const bool transactionControl = first == u"BEGIN" || first == u"COMMIT" || first == u"END"
            || first == u"ABORT" || (first == u"START" && second == u"TRANSACTION")
            || (first == u"ROLLBACK" && second != u"TO")
            || (first == u"PREPARE" && second == u"TRANSACTION");
        if (transactionControl) {
            problems.append(
                { displayPath, statement.line,
                  QCoreApplication::translate(
                      "MigrationSet",
                      "%1 inside a migration the runner already runs in one transaction would end "
                      "that transaction mid-way: remove it (or say '-- transaction: none' and "
                      "manage transactions yourself)")
                      .arg(words.mid(0, first == u"START" || first == u"PREPARE" ? 2 : 1)
                               .join(u' ')),
                  QStringLiteral("transaction-control") });
            continue;
        }
        // Statements PostgreSQL refuses inside a transaction block.
        QString what;
        if (first == u"CREATE" && statement.hasTopLevelWord("INDEX")
            && statement.hasTopLevelWord("CONCURRENTLY"))
            what = QStringLiteral("CREATE INDEX CONCURRENTLY");
        else if (first == u"DROP" && second == u"INDEX" && words.value(2) == u"CONCURRENTLY")
            what = QStringLiteral("DROP INDEX CONCURRENTLY");
        else if (first == u"REINDEX") {
            const bool concurrently =
                std::any_of(statement.tokens.cbegin(), statement.tokens.cend(),
                            [](const SqlToken &t) { return t.isWord("CONCURRENTLY"); });
            if (concurrently)
                what = QStringLiteral("REINDEX ... CONCURRENTLY");
            else if (second == u"DATABASE" || second == u"SYSTEM" || second == u"SCHEMA")
                what = QStringLiteral("REINDEX ") + second;
        } else if (first == u"ALTER" && second == u"TABLE" && statement.hasTopLevelWord("DETACH")
                   && statement.hasTopLevelWord("CONCURRENTLY"))
            what = QStringLiteral("ALTER TABLE ... DETACH PARTITION CONCURRENTLY");
        else if ((first == u"CREATE" || first == u"DROP")
                 && (second == u"DATABASE" || second == u"TABLESPACE"))
            what = first + u' ' + second;
        else if (first == u"ALTER" && second == u"SYSTEM")
            what = QStringLiteral("ALTER SYSTEM");
        else if (first == u"VACUUM")
            what = QStringLiteral("VACUUM");
        else if (first == u"CLUSTER" && statement.tokens.size() <= 2)
            what = QStringLiteral("CLUSTER");
        if (!what.isEmpty()) {
            problems.append({ displayPath, statement.line,
                              QCoreApplication::translate(
                                  "MigrationSet",
                                  "%1 cannot run inside a transaction block: give this file the "
                                  "header '-- transaction: none'")
                                  .arg(what),
                              QStringLiteral("concurrently-in-transaction") });
        }
    }
    return problems;
}

const MigrationFile *MigrationSet::find(const MigrationVersion &version) const
{
    for (const MigrationFile &migration : m_migrations) {
        if (migration.version == version)
            return &migration;
    }
    return nullptr;
}

std::optional<MigrationVersion> MigrationSet::latest() const
{
    if (m_migrations.isEmpty())
        return std::nullopt;
    return m_migrations.last().version;
}

std::optional<MigrationVersion> MigrationSet::latest(MigrationScope scope) const
{
    const auto found = std::find_if(m_migrations.crbegin(), m_migrations.crend(),
                                    [scope](const MigrationFile &m) { return m.scope == scope; });
    if (found == m_migrations.crend())
        return std::nullopt;
    return found->version;
}

} // namespace fuelsync
