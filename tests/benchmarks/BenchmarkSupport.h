#pragma once

// What every benchmark in this folder needs: running the project's CLI and other programs with
// their time, a throwaway (or kept) PostgreSQL cluster that is stopped when the benchmark dies,
// medians, and the units the tables print.

#include "sandbox/LocalCluster.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

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
