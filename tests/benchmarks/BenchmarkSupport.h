#pragma once

// What every benchmark in this folder needs: running the project's CLI and other programs with
// their time, a throwaway (or kept) PostgreSQL cluster that is stopped when the benchmark dies,
// medians, and the units the tables print.

#include "sandbox/LocalCluster.h"

#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace fuelsync {
class DbConnection;
}

namespace fuelsync::bench {

// The program's name in die()'s messages ("bench_browse: ...").
void setProgramName(const QString &name);

// Prints the message on stderr, stops the cluster startCluster() started (and deletes it unless
// it was asked to be kept), then exits with 1.
[[noreturn]] void die(const QString &message);

struct Timed
{
    qint64 ms = 0;
    int exitCode = 0;
    QString output; // standard output and error, merged
};

// Runs a program to its end; dies when it cannot be started.
Timed runProcess(const QString &program, const QStringList &arguments);

// One measured child process, as its parent saw it.
struct ChildRun
{
    bool timedOut = false;
    int exitCode = -1; // -1: ended by a signal
    int signal = 0;
    double wallMs = 0;
    double peakRssMb = 0; // ru_maxrss of this child alone (wait4)
    QMap<QString, QString> figures; // its "FIGURE key value" lines
    QString otherOutput; // everything else it printed (stdout and stderr)
};

// Starts program with arguments and this process's environment, collects what it prints, and
// waits for it at most timeoutSeconds (then kills it). wait4() gives this child's own resource
// usage, whatever else ran before.
ChildRun runChild(const QString &program, const QStringList &arguments, int timeoutSeconds);

double elapsedMs(const QElapsedTimer &timer);

// The fuelsync-db next to the benchmark's build (or $FUELSYNC_CLI); dies when there is none.
QString fuelsyncCli();
// The migrations of this checkout (or $FUELSYNC_MIGRATIONS_DIR).
QString migrationsDirectory();

// A temporary folder under /tmp that the postgres user can traverse, for a cluster run as that
// user when the benchmark runs as root.
std::unique_ptr<QTemporaryDir> workDirectory();

struct ClusterOptions
{
    QString root; // the cluster's folder
    QStringList settings; // postgresql.conf lines, used when it is initialized
    bool keep = false; // reuse and keep it: stopped, not deleted, at the end or on die()
};

// In `work`, or kept in `keptDirectory` (a --cluster-dir) when it is not empty; a durable server
// with stock settings, where only the WAL may grow further while rows are loaded.
ClusterOptions bigTableClusterOptions(const QTemporaryDir &work, const QString &keptDirectory);

// Initializes the cluster unless it already is, and starts it; dies on failure.
std::unique_ptr<LocalCluster> startCluster(const ClusterOptions &options);
// Whether `database` already holds `table` (schema.table) with exactly `rows` rows, from an
// earlier run on a kept cluster; if not, it is made again, empty.
bool reuseOrCreateDatabase(LocalCluster &cluster, const QString &database, const QString &table,
                           qint64 rows);

// Fills `schema` (a migrated tenant) with the rows nozzle_readings needs (25 users, 6 stations of
// 4 pumps of 2 nozzles), then `rows` readings: time-ordered (every nozzle read every 10 minutes
// from 2021 on, so the heap is in insertion order as in production), meters that only go up, one
// reading per nozzle per instant, the attendant on shift as recorded_by. Foreign keys and indexes
// stay in place and are checked row by row, as in production. Prints its progress.
void fillNozzleReadings(DbConnection &c, const QString &schema, qint64 rows);

// Stops the cluster and deletes it unless it is kept.
void finishCluster(std::unique_ptr<LocalCluster> cluster);

// The middle value (the mean of the two middle ones for an even count); -1 when empty.
double median(QList<double> values);
double median(const QList<qint64> &values);

// This process's peak resident memory so far, in MB.
double peakRssMb();

QString fixed(double value, int decimals = 1);
QString seconds(double ms); // "1.23 s"
QString duration(double ms); // "12.3 ms" under a second, else "1.23 s"
QString count(qint64 n); // "10,000,000"

} // namespace fuelsync::bench
