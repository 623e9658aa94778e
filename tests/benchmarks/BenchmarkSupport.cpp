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
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

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

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

ChildRun runChild(const QString &program, const QStringList &arguments, int timeoutSeconds)
{
    ChildRun run;
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0)
        die(QStringLiteral("pipe2 failed"));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);
    QList<QByteArray> argumentBytes { QFile::encodeName(program) };
    for (const QString &argument : arguments)
        argumentBytes.append(argument.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &argument : argumentBytes)
        argv.push_back(argument.data());
    argv.push_back(nullptr);

    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argumentBytes.first().constData(), &actions, nullptr,
                                    argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (spawned != 0) {
        ::close(pipeFds[0]);
        die(QStringLiteral("cannot start %1: %2")
                .arg(program, QString::fromLocal8Bit(strerror(spawned))));
    }

    QByteArray output;
    const qint64 deadline = qint64(timeoutSeconds) * 1000;
    for (;;) {
        const qint64 left = deadline - timer.elapsed();
        if (left <= 0) {
            run.timedOut = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fd { pipeFds[0], POLLIN, 0 };
        const int ready = ::poll(&fd, 1, int(std::min<qint64>(left, 1000)));
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        char buffer[4096];
        const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        output.append(buffer, n);
    }
    ::close(pipeFds[0]);
    int status = 0;
    rusage usage {};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) { }
    run.wallMs = elapsedMs(timer);
    run.peakRssMb = double(usage.ru_maxrss) / 1024.0;
    if (WIFEXITED(status))
        run.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        run.signal = WTERMSIG(status);

    QStringList other;
    for (const QString &line : QString::fromUtf8(output).split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(QStringLiteral("FIGURE "))) {
            const qsizetype space = line.indexOf(u' ', 7);
            run.figures.insert(line.mid(7, space - 7), space < 0 ? QString() : line.mid(space + 1));
        } else {
            other.append(line);
        }
    }
    run.otherOutput = other.join(u'\n');
    return run;
}

void fillNozzleReadings(DbConnection &c, const QString &schema, qint64 rows)
{
    QTextStream out(stdout);
    const QString s = schema;
    c.exec(QStringLiteral(
               "INSERT INTO %1.users (email, password_hash, name, role) "
               "SELECT 'user' || i || '@bench.example', '$2b$12$' || md5(i::text), 'User ' || i, "
               "CASE WHEN i = 1 THEN 'owner' WHEN i <= 7 THEN 'manager' ELSE 'attendant' END "
               "FROM generate_series(1, 25) AS i")
               .arg(s));
    c.exec(QStringLiteral(
               "INSERT INTO %1.stations (name, city, state) "
               "SELECT 'Station ' || i, "
               "(ARRAY['Pune','Nashik','Nagpur','Indore','Surat','Vadodara'])[i], "
               "(ARRAY['Maharashtra','Maharashtra','Maharashtra','Madhya Pradesh','Gujarat',"
               "'Gujarat'])[i] FROM generate_series(1, 6) AS i")
               .arg(s));
    c.exec(QStringLiteral("INSERT INTO %1.pumps (station_id, label, serial_number) "
                          "SELECT st.id, 'P0' || p, 'SN-' || st.id || '-' || p "
                          "FROM %1.stations AS st CROSS JOIN generate_series(1, 4) AS p")
               .arg(s));
    c.exec(QStringLiteral("INSERT INTO %1.nozzles (pump_id, nozzle_number, fuel_type) "
                          "SELECT p.id, n, CASE WHEN n = 1 THEN 'petrol' WHEN p.label = 'P04' "
                          "THEN 'premium' ELSE 'diesel' END "
                          "FROM %1.pumps AS p CROSS JOIN generate_series(1, 2) AS n")
               .arg(s));

    // Reading number i (0-based) is the (i / n)-th reading of nozzle i % n.
    const QString insert =
        QStringLiteral(
            "INSERT INTO %1.nozzle_readings "
            "(nozzle_id, reading, recorded_at, recorded_by, notes, created_at, updated_at) "
            "SELECT k.nozzles[1 + (g.i % k.n)::int], "
            "round(1000 * (1 + g.i % k.n) + (g.i / k.n) * 20 "
            "+ ((g.i * 2654435761) % 15000) / 1000.0, 3), "
            "r.at, k.users[1 + ((g.i / k.n / 48 + g.i % k.n) % k.u)::int], "
            "CASE WHEN g.i % 1009 = 0 THEN 'Meter read again after pump maintenance' END, "
            "r.at + make_interval(secs => 5 + g.i % 55), r.at + make_interval(secs => 5 + g.i % "
            "55) "
            "FROM (SELECT (SELECT array_agg(id ORDER BY station_id, pump_id, nozzle_number) "
            "FROM %1.nozzles) AS nozzles, (SELECT count(*) FROM %1.nozzles) AS n, "
            "(SELECT array_agg(id ORDER BY email) FROM %1.users WHERE role = 'attendant') AS "
            "users, "
            "(SELECT count(*) FROM %1.users WHERE role = 'attendant') AS u) AS k "
            "CROSS JOIN generate_series(CAST(? AS bigint), CAST(? AS bigint)) AS g(i) "
            "CROSS JOIN LATERAL (SELECT timestamptz '2021-01-01 06:00:00+05:30' "
            "+ (g.i / k.n) * interval '10 minutes' + (g.i % k.n) * interval '7 seconds' AS at) AS "
            "r")
            .arg(s);
    const qint64 chunk = 2'500'000;
    QElapsedTimer timer;
    timer.start();
    for (qint64 from = 0; from < rows; from += chunk) {
        const qint64 to = std::min(rows, from + chunk) - 1;
        c.exec(insert, { from, to });
        out << "  filled " << count(to + 1) << " / " << count(rows) << " rows ("
            << duration(double(timer.elapsed())) << ")" << Qt::endl;
    }
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
