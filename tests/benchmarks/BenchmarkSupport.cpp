#include "BenchmarkSupport.h"

#include "db/DbConnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocale>
#include <QProcess>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>

namespace fuelsync::bench {

namespace {

QString programName = QStringLiteral("benchmark");
LocalCluster *startedCluster = nullptr; // stopped by die()
bool keepStartedCluster = false;

} // namespace

void setProgramName(const QString &name)
{
    programName = name;
}

void die(const QString &message)
{
    std::fflush(stdout);
    QTextStream(stderr) << programName << ": " << message << Qt::endl;
    if (startedCluster) {
        QString ignored;
        startedCluster->stop(&ignored, LocalCluster::StopMode::Fast);
        if (!keepStartedCluster)
            startedCluster->destroy(&ignored);
    }
    std::exit(1);
}

Timed runProcess(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    if (!process.waitForStarted(10000))
        die(QStringLiteral("cannot start %1: %2").arg(program, process.errorString()));
    process.waitForFinished(-1);
    Timed result;
    result.ms = timer.elapsed();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = QString::fromUtf8(process.readAll());
    return result;
}

QString fuelsyncCli()
{
    const QString cli = qEnvironmentVariable("FUELSYNC_CLI",
                                             QCoreApplication::applicationDirPath()
                                                 + QStringLiteral("/../../bin/fuelsync-db"));
    if (!QFile::exists(cli))
        die(QStringLiteral("fuelsync-db not found at %1 (build it, or set FUELSYNC_CLI)").arg(cli));
    return cli;
}

QString migrationsDirectory()
{
    return qEnvironmentVariable("FUELSYNC_MIGRATIONS_DIR",
                                QStringLiteral(FUELSYNC_SOURCE_MIGRATIONS));
}

std::unique_ptr<QTemporaryDir> workDirectory()
{
    auto work = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/fuelsync-bench-XXXXXX"));
    if (!work->isValid())
        die(QStringLiteral("cannot create a folder under /tmp: %1").arg(work->errorString()));
    QFile::setPermissions(work->path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                              | QFileDevice::ReadOther | QFileDevice::ExeOther);
    return work;
}

ClusterOptions bigTableClusterOptions(const QTemporaryDir &work, const QString &keptDirectory)
{
    ClusterOptions options;
    options.root = work.filePath(QStringLiteral("cluster"));
    if (!keptDirectory.isEmpty()) {
        options.root = QDir(keptDirectory).absolutePath();
        options.keep = true;
    }
    // Reading is what is measured; a larger WAL only spares checkpoints while loading.
    options.settings = { QStringLiteral("max_wal_size=4GB") };
    return options;
}

bool reuseOrCreateDatabase(LocalCluster &cluster, const QString &database, const QString &table,
                           qint64 rows)
{
    auto admin = DbConnection::open(cluster.connectionSettings(QStringLiteral("postgres")),
                                    QStringLiteral("bench-admin"));
    const bool exists =
        admin
            ->scalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = ?"),
                     { database })
            .toInt()
        > 0;
    if (exists) {
        {
            auto c = DbConnection::open(cluster.connectionSettings(database),
                                        QStringLiteral("bench-reuse"));
            if (c->scalar(QStringLiteral("SELECT to_regclass(?) IS NOT NULL"), { table }).toBool()
                && c->scalar(QStringLiteral("SELECT count(*) FROM %1").arg(table)).toLongLong()
                    == rows)
                return true;
        }
        admin->exec(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(database));
    }
    admin->exec(QStringLiteral("CREATE DATABASE %1").arg(database));
    return false;
}

std::unique_ptr<LocalCluster> startCluster(const ClusterOptions &options)
{
    auto cluster = std::make_unique<LocalCluster>(options.root);
    QString error;
    if (!cluster->isInitialized()) {
        LocalClusterOptions initOptions;
        initOptions.settings = options.settings;
        if (!cluster->initialize(initOptions, &error))
            die(error);
    }
    if (!cluster->start(&error))
        die(error);
    startedCluster = cluster.get();
    keepStartedCluster = options.keep;
    return cluster;
}

void finishCluster(std::unique_ptr<LocalCluster> cluster)
{
    if (!cluster)
        return;
    QString ignored;
    cluster->stop(&ignored, LocalCluster::StopMode::Fast);
    if (!keepStartedCluster)
        cluster->destroy(&ignored);
    if (startedCluster == cluster.get())
        startedCluster = nullptr;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values.at(middle) : (values.at(middle - 1) + values.at(middle)) / 2;
}

double median(const QList<qint64> &values)
{
    QList<double> asDouble;
    asDouble.reserve(values.size());
    for (qint64 value : values)
        asDouble.append(double(value));
    return median(asDouble);
}

double peakRssMb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // kilobytes on Linux
}

QString fixed(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

QString seconds(double ms)
{
    return fixed(ms / 1000.0, 2) + QStringLiteral(" s");
}

QString duration(double ms)
{
    return ms < 1000.0 ? fixed(ms) + QStringLiteral(" ms") : seconds(ms);
}

QString count(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

} // namespace fuelsync::bench
