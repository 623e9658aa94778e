#include "TestCluster.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <mutex>

namespace fuelsync::test {

const TestCluster *TestCluster::shared(QString *error)
{
    static std::once_flag once;
    static std::optional<TestCluster> cluster;
    static QString loadError;
    std::call_once(once, [] {
        const QString path = qEnvironmentVariable("FUELSYNC_TEST_CLUSTER");
        if (path.isEmpty()) {
            loadError = QStringLiteral(
                "FUELSYNC_TEST_CLUSTER is not set, so there is no test cluster: run the tests "
                "with ctest, which starts the cluster");
            return;
        }
        cluster = fromStateFile(path, &loadError);
    });
    if (!cluster && error)
        *error = loadError;
    return cluster ? &*cluster : nullptr;
}

std::optional<TestCluster> TestCluster::fromStateFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = QStringLiteral("cannot read the test cluster's state file %1 (%2): run the "
                                    "tests with ctest, which starts the cluster")
                         .arg(path, file.errorString());
        }
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject json = document.object();
    TestCluster cluster;
    cluster.m_rootDir = json.value(QStringLiteral("rootDir")).toString();
    cluster.m_socketDir = json.value(QStringLiteral("socketDir")).toString();
    cluster.m_port = json.value(QStringLiteral("port")).toInt();
    cluster.m_superuser = json.value(QStringLiteral("superuser")).toString();
    cluster.m_password = json.value(QStringLiteral("password")).toString();
    cluster.m_ownerPid = json.value(QStringLiteral("ownerPid")).toInteger();
    if (parseError.error != QJsonParseError::NoError || cluster.m_rootDir.isEmpty()) {
        if (error) {
            *error = QStringLiteral("the test cluster's state file %1 is not readable: %2")
                         .arg(path, parseError.errorString());
        }
        return std::nullopt;
    }
    return cluster;
}

bool TestCluster::writeStateFile(const QString &path, QString *error) const
{
    QJsonObject json;
    json.insert(QStringLiteral("rootDir"), m_rootDir);
    json.insert(QStringLiteral("socketDir"), m_socketDir);
    json.insert(QStringLiteral("port"), m_port);
    json.insert(QStringLiteral("superuser"), m_superuser);
    json.insert(QStringLiteral("password"), m_password);
    json.insert(QStringLiteral("ownerPid"), m_ownerPid);
    QSaveFile file(path);
    const QByteArray content = QJsonDocument(json).toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()
        || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

ConnectionSettings TestCluster::settings(const QString &database) const
{
    ConnectionSettings settings;
    settings.set(QStringLiteral("host"), m_socketDir);
    settings.set(QStringLiteral("port"), QString::number(m_port));
    settings.set(QStringLiteral("user"), m_superuser);
    settings.set(QStringLiteral("dbname"), database);
    return settings;
}

ConnectionSettings TestCluster::tcpSettings(const QString &database, const QString &user,
                                            const QString &password) const
{
    ConnectionSettings settings;
    settings.set(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    settings.set(QStringLiteral("port"), QString::number(m_port));
    settings.set(QStringLiteral("user"), user);
    settings.set(QStringLiteral("password"), password);
    settings.set(QStringLiteral("dbname"), database);
    return settings;
}

} // namespace fuelsync::test
