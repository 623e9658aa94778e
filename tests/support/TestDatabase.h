#pragma once

#include "TestCluster.h"
#include "common/JobControl.h"
#include "db/ConnectionSettings.h"
#include "db/DbConnection.h"

#include <QString>

#include <memory>

namespace fuelsync::test {

// A JobControl of its own that nobody listens to or cancels, for a long call whose progress a
// test does not look at: `MigrationRunner(settings, set, options).run(unwatched())`. Each call
// gives a new one, kept until the thread ends.
JobControl &unwatched();

// A database of its own for one test, on the test run's cluster: created by the constructor with
// a unique name, dropped (WITH (FORCE), so open sessions do not keep it) by the destructor.
// Tests in different processes never share one, so `ctest -j2` is safe.
//
//     TestDatabase db(QStringLiteral("migrations"));
//     QVERIFY2(db.isValid(), qPrintable(db.errorString()));
//     auto connection = db.connect();
class TestDatabase
{
public:
    // label: a hint for the name ("t_<label>_<pid>_<n>", lower case, at most 63 bytes).
    explicit TestDatabase(const QString &label = QStringLiteral("test"));
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    // False when the cluster was not found or the database could not be created; errorString()
    // then says why.
    bool isValid() const { return m_created; }
    const QString &errorString() const { return m_error; }

    const QString &name() const { return m_name; }
    const TestCluster *cluster() const { return m_cluster; }

    // Superuser over the unix socket.
    ConnectionSettings settings() const;
    // "host='/tmp/...' port='...' user='postgres' dbname='...'", usable as --db.
    QString conninfo() const;
    // postgresql:///<db>?host=%2Ftmp%2F...&port=...&user=...
    QString uri() const;
    // Over TCP to 127.0.0.1 with password authentication.
    ConnectionSettings tcpSettings(const QString &user, const QString &password) const;

    // A new session as superuser; throws DbError when that fails.
    std::unique_ptr<DbConnection> connect(const QString &purpose = QStringLiteral("test")) const;

    // Drops the database now (the destructor then has nothing left to do).
    bool drop(QString *error = nullptr);

    // Migrates it to the newest version with the checkout's migrations and loads a seed set
    // ("basic"), as `runner`; false, with errorString() saying why, when either fails.
    bool migrateAndSeed(const QString &seedSet, const QString &runner);

    // Migrates one tenant up (to the newest) or down to `target` with the checkout's
    // migrations; the run's exit code.
    int migrateTenant(const QString &tenant, bool up, const QString &target = QString(),
                      const QString &runner = QStringLiteral("test")) const;
    // The checkout's tenant-scope migration versions, oldest first.
    static QStringList tenantMigrationVersions();

    // Whether a database of that name exists on the test cluster.
    static bool exists(const QString &name, QString *error = nullptr);

private:
    const TestCluster *m_cluster = nullptr;
    QString m_name;
    QString m_error;
    bool m_created = false;
};

} // namespace fuelsync::test
