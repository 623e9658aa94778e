#include "TableRestorer.h"

#include "TestDatabase.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlIdentifier.h"

#include <QTest>

namespace fuelsync::test {

TableRestorer::TableRestorer(const TestDatabase &db, const QStringList &tables)
    : m_db(db)
{
    auto c = db.connect(QStringLiteral("restorer"));
    for (const QString &name : tables) {
        Saved saved;
        saved.table = SqlIdentifier::quote(name.section(u'.', 0, 0)) + u'.'
            + SqlIdentifier::quote(name.section(u'.', 1));
        saved.rows = c->scalar(QStringLiteral(
                                   "SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]')::text FROM %1 t")
                                   .arg(saved.table))
                         .toString();
        QSqlQuery columns = c->exec(
            QStringLiteral("SELECT quote_ident(attname::text) FROM pg_attribute WHERE attrelid = "
                           "?::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' "
                           "ORDER BY attnum"),
            { saved.table });
        while (columns.next())
            saved.columns.append(columns.value(0).toString());
        QSqlQuery constraints = c->exec(
            QStringLiteral("SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = ?::regclass ORDER BY conname"),
            { saved.table });
        while (constraints.next())
            saved.constraints.append(
                { constraints.value(0).toString(), constraints.value(1).toString() });
        m_saved.append(saved);
    }
}

TableRestorer::~TableRestorer()
{
    try {
        auto c = m_db.connect(QStringLiteral("restorer"));
        // No trigger fires, no foreign key checks or cascades: the rows go back as they were.
        c->exec(QStringLiteral("SET session_replication_role = replica"));
        Transaction transaction(*c);
        for (const Saved &saved : std::as_const(m_saved)) {
            c->exec(QStringLiteral("DELETE FROM %1").arg(saved.table));
            const QString columns = saved.columns.join(QStringLiteral(", "));
            c->exec(QStringLiteral("INSERT INTO %1 (%2) OVERRIDING SYSTEM VALUE SELECT %2 FROM "
                                   "jsonb_populate_recordset(NULL::%1, ?::jsonb)")
                        .arg(saved.table, columns),
                    { saved.rows });
            for (const auto &[name, definition] : saved.constraints) {
                const bool present =
                    c->scalar(QStringLiteral("SELECT EXISTS (SELECT FROM pg_constraint WHERE "
                                             "conrelid = ?::regclass AND conname = ?)"),
                              { saved.table, name })
                        .toBool();
                if (!present)
                    c->exec(QStringLiteral("ALTER TABLE %1 ADD CONSTRAINT %2 %3")
                                .arg(saved.table, SqlIdentifier::quote(name), definition));
            }
        }
        transaction.commit();
    } catch (const DbError &e) {
        // The next tests would see a changed fixture: the test fails.
        QTest::qFail(
            qPrintable(QStringLiteral("TableRestorer could not put the tables back: ") + e.text()),
            __FILE__, __LINE__);
    }
}

} // namespace fuelsync::test
