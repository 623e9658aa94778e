#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace fuelsync::test {

class TestDatabase;

// Puts tables of a database that several tests share back as they were when it was made, however
// the test ends (a failed QVERIFY returns early): their rows, restored with triggers and
// foreign-key actions off so that nothing cascades, and their constraints (one a test dropped is
// added again). Made before a test changes the fixture:
//
//     const TableRestorer restore(*m_db, { m_schema + QStringLiteral(".creditors") });
//     c->exec("UPDATE ... SET credit_limit = 1 ...");
//
// It restores as the database's superuser (session_replication_role), as TestDatabase connects;
// a restore that fails fails the test.
class TableRestorer
{
public:
    // `tables`: schema.table, each part as the catalog spells it (not quoted).
    TableRestorer(const TestDatabase &db, const QStringList &tables);
    ~TableRestorer();
    TableRestorer(const TableRestorer &) = delete;
    TableRestorer &operator=(const TableRestorer &) = delete;

private:
    struct Saved
    {
        QString table; // quoted, schema.table
        QString rows; // jsonb array
        QStringList columns; // quoted; generated columns left out
        QList<QPair<QString, QString>> constraints; // name, definition
    };
    const TestDatabase &m_db;
    QList<Saved> m_saved;
};

} // namespace fuelsync::test
