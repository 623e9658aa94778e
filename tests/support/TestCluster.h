#pragma once

#include "db/ConnectionSettings.h"

#include <QString>

#include <optional>

namespace fuelsync::test {

// The throwaway PostgreSQL cluster of one test run, as fuelsync-testcluster described it in the
// state file that ctest names in FUELSYNC_TEST_CLUSTER.
class TestCluster
{
public:
    // The cluster of this test run, read once per process. Fails (with a message for the test
    // output) when FUELSYNC_TEST_CLUSTER is unset or its file is missing.
    static const TestCluster *shared(QString *error);

    static std::optional<TestCluster> fromStateFile(const QString &path, QString *error);
    bool writeStateFile(const QString &path, QString *error) const;

    const QString &rootDir() const { return m_rootDir; }
    const QString &socketDir() const { return m_socketDir; }
    int port() const { return m_port; }
    const QString &superuser() const { return m_superuser; }
    const QString &password() const { return m_password; }
    // The process that owns the cluster (the ctest run that started it).
    qint64 ownerPid() const { return m_ownerPid; }

    // Superuser over the unix socket.
    ConnectionSettings settings(const QString &database) const;
    // Over TCP to 127.0.0.1, with password authentication.
    ConnectionSettings tcpSettings(const QString &database, const QString &user,
                                   const QString &password) const;

    void setRootDir(const QString &dir) { m_rootDir = dir; }
    void setSocketDir(const QString &dir) { m_socketDir = dir; }
    void setPort(int port) { m_port = port; }
    void setSuperuser(const QString &user) { m_superuser = user; }
    void setPassword(const QString &password) { m_password = password; }
    void setOwnerPid(qint64 pid) { m_ownerPid = pid; }

private:
    QString m_rootDir;
    QString m_socketDir;
    int m_port = 0;
    QString m_superuser;
    QString m_password;
    qint64 m_ownerPid = 0;
};

} // namespace fuelsync::test
