// Benchmark of browsing a big table, FuelSync's keyset pager against Qt's default way, measured in
// the same run on the same cluster (see README, "Speed"):
//
//   set-up    a throwaway PostgreSQL cluster; public and one tenant migrated to the latest version
//             by fuelsync-db; stations, pumps, nozzles and users for the foreign keys; the
//             tenant's nozzle_readings filled with --rows readings (10,000,000) by a few
//             INSERT ... SELECT generate_series statements; VACUUM ANALYZE. Not a figure, but
//             its time is printed. With --cluster-dir the cluster is kept, and reused when it
//             already holds the rows.
//   FuelSync  core/browse's KeysetPager (pages of 200) in a child process of its own: opening a
//             session, reading the TableDefinition and the first page; then, warm, the first,
//             next and last page, and a view sorted by an indexed column (first and last page).
//   baseline  QSqlTableModel on the same table in another child process: setTable() + select()
//             until rows show, fetchMore() until canFetchMore() is false (the "last page"), the
//             same sorted with setSort(), each capped at --cap seconds.
//
// Each side runs in its own process (this program started again with the hidden --child option),
// so that its peak memory (ru_maxrss) is its own. A third child is the desktop application itself
// opening the table (measureDesktopApp()): first rows on screen and its peak memory.
//
// Usage: bench_browse [--rows 10000000] [--repeat 3] [--sort-column nozzle_id] [--cap 120]
//                     [--cluster-dir DIR]

#include "BenchmarkSupport.h"
#include "browse/KeysetPager.h"
#include "browse/TableDefinitionReader.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "sandbox/LocalCluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlField>
#include <QSqlRecord>
#include <QSqlTableModel>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace fuelsync;
using namespace fuelsync::bench;

namespace {

QTextStream out(stdout);
const QString tenantSchema = QStringLiteral("browse");
const QString tableName = QStringLiteral("nozzle_readings");
const QString databaseName = QStringLiteral("fuelsync_bench_browse");
constexpr int baselineMemoryCapMb = 16384; // address space of the QSqlTableModel child

// ---------------------------------------------------------------------------------------------
// Child side: each measured side prints "FIGURE <key> <value>" lines on its standard output.
// ---------------------------------------------------------------------------------------------

std::mutex figureMutex;

void figure(const QString &key, const QString &value)
{
    const QByteArray line = QStringLiteral("FIGURE %1 %2\n").arg(key, value).toUtf8();
    std::lock_guard lock(figureMutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

QString joinSamples(const QList<double> &samples)
{
    QStringList texts;
    for (double s : samples)
        texts.append(fixed(s, 2));
    return texts.join(u',');
}

struct ChildOptions
{
    QString uri;
    QString schema;
    QString table;
    QString sortColumn;
    int pageSize = 200;
    int samples = 5;
    int capSeconds = 120;
};

// The FuelSync side: what the application's table page does through core/browse.
int runPagerChild(const ChildOptions &options)
{
    ConnectionSettings settings;
    QString error;
    if (!ConnectionSettings::parse(options.uri, &settings, &error))
        die(error);
    try {
        QElapsedTimer timer;
        timer.start();
        auto connection = DbConnection::open(settings, QStringLiteral("bench-browse"));
        const TableDefinition definition =
            TableDefinitionReader::read(*connection, options.schema, options.table);
        const KeysetPager pager(definition, {}, options.pageSize);
        const RowPage opened = pager.first(*connection);
        figure(QStringLiteral("pager.open_first_ms"), fixed(elapsedMs(timer), 2));
        figure(QStringLiteral("pager.open_first_rows"), QString::number(opened.rows.size()));

        BrowseOrder sorted;
        sorted.sortColumn = options.sortColumn;
        const KeysetPager sortedPager(definition, sorted, options.pageSize);

        auto sample = [&](const QString &key, auto &&read) {
            QList<double> samples;
            RowPage page;
            for (int i = 0; i < options.samples; ++i) {
                timer.restart();
                page = read();
                samples.append(elapsedMs(timer));
            }
            figure(QStringLiteral("pager.%1_ms").arg(key), joinSamples(samples));
            figure(QStringLiteral("pager.%1_rows").arg(key), QString::number(page.rows.size()));
            return page;
        };
        const RowPage first =
            sample(QStringLiteral("first"), [&] { return pager.first(*connection); });
        sample(QStringLiteral("next"),
               [&] { return pager.after(*connection, first.lastCursor()); });
        const RowPage last =
            sample(QStringLiteral("last"), [&] { return pager.last(*connection); });
        const RowPage sortedFirst =
            sample(QStringLiteral("sorted_first"), [&] { return sortedPager.first(*connection); });
        const RowPage sortedLast =
            sample(QStringLiteral("sorted_last"), [&] { return sortedPager.last(*connection); });
        figure(QStringLiteral("pager.peak_rss_mb"), fixed(peakRssMb()));

        // Not timed: the pages are the ones plain SQL gives.
        const int key = definition.columnIndex(definition.primaryKey.value(0));
        const int sortIndex = definition.columnIndex(options.sortColumn);
        QStringList problems;
        auto expect = [&](const RowPage &page, int column, const QString &sql, const char *what) {
            const QString wanted = connection->scalar(sql).toString();
            const QString got =
                page.rows.isEmpty() ? QString() : page.rows.last().cells.value(column);
            if (got != wanted)
                problems.append(QStringLiteral("%1: %2 instead of %3")
                                    .arg(QLatin1StringView(what), got, wanted));
        };
        const QString from = QStringLiteral("%1.%2").arg(options.schema, options.table);
        const QString keyName = definition.primaryKey.value(0);
        expect(
            last, key,
            QStringLiteral("SELECT %1::text FROM %2 ORDER BY %1 DESC LIMIT 1").arg(keyName, from),
            "last page ends");
        expect(sortedLast, sortIndex,
               QStringLiteral("SELECT %1::text FROM %2 ORDER BY %1 DESC LIMIT 1")
                   .arg(options.sortColumn, from),
               "sorted last page ends");
        if (last.rows.size() != qsizetype(options.pageSize) || !last.hasBefore || last.hasAfter)
            problems.append(QStringLiteral("last page is not a full last page"));
        if (sortedFirst.rows.isEmpty()
            || sortedFirst.rows.first().cells.value(sortIndex)
                != connection
                       ->scalar(QStringLiteral("SELECT %1::text FROM %2 ORDER BY %1 LIMIT 1")
                                    .arg(options.sortColumn, from))
                       .toString())
            problems.append(QStringLiteral("sorted first page does not start at the minimum"));
        figure(QStringLiteral("pager.check"),
               problems.isEmpty() ? QStringLiteral("ok") : problems.join(QStringLiteral("; ")));
    } catch (const std::exception &e) {
        figure(QStringLiteral("pager.error"), QString::fromUtf8(e.what()).simplified());
        return 1;
    }
    return 0;
}

// Ends the process when a blocking call of the baseline outlives the cap: select() cannot be
// interrupted from its own thread. Reports the phase as timed out, and the memory reached.
class Watchdog
{
public:
    Watchdog(const QString &phase, int capSeconds)
        : m_thread([this, phase, capSeconds] {
            std::unique_lock lock(m_mutex);
            if (m_done.wait_for(lock, std::chrono::seconds(capSeconds),
                                [this] { return m_finished; }))
                return;
            figure(QStringLiteral("qt.%1_ms").arg(phase),
                   QStringLiteral("timeout>%1").arg(capSeconds * 1000));
            figure(QStringLiteral("qt.peak_rss_mb"), fixed(peakRssMb()));
            std::_Exit(3);
        })
    { }
    ~Watchdog()
    {
        {
            std::lock_guard lock(m_mutex);
            m_finished = true;
        }
        m_done.notify_all();
        m_thread.join();
    }
    Watchdog(const Watchdog &) = delete;
    Watchdog &operator=(const Watchdog &) = delete;

private:
    std::mutex m_mutex;
    std::condition_variable m_done;
    bool m_finished = false;
    std::thread m_thread;
};

// The baseline: Qt's default way to show a table, QSqlTableModel on a plain QPSQL connection.
int runTableModelChild(const ChildOptions &options)
{
    ConnectionSettings settings;
    QString error;
    if (!ConnectionSettings::parse(options.uri, &settings, &error))
        die(error);
    // A safety net for the machine, far above what the result should need: beyond it malloc
    // fails and select() reports libpq's "out of memory", instead of the OOM killer striking.
    const rlimit memoryCap { rlim_t(baselineMemoryCapMb) << 20, rlim_t(baselineMemoryCapMb) << 20 };
    setrlimit(RLIMIT_AS, &memoryCap);
    QElapsedTimer timer;
    timer.start();
    QSqlDatabase db =
        QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("baseline"));
    db.setHostName(settings.host());
    db.setPort(settings.port().toInt());
    db.setUserName(settings.user());
    db.setDatabaseName(settings.database());
    if (!db.open()) {
        figure(QStringLiteral("qt.error"), db.lastError().text().simplified());
        return 1;
    }
    QSqlTableModel model(nullptr, db);
    model.setEditStrategy(QSqlTableModel::OnManualSubmit);
    model.setTable(options.schema + u'.' + options.table);
    const int columns = model.columnCount();
    // What a view shows: the data of a page of rows.
    auto readRows = [&](int from, int to) {
        qsizetype characters = 0;
        for (int r = std::max(0, from); r < to; ++r)
            for (int c = 0; c < columns; ++c)
                characters += model.data(model.index(r, c)).toString().size();
        return characters;
    };
    auto selectPhase = [&](const QString &phase) {
        {
            Watchdog watchdog(phase, options.capSeconds);
            if (!model.select()) {
                figure(QStringLiteral("qt.error"),
                       QStringLiteral("%1: select() failed: %2")
                           .arg(phase, model.lastError().text().simplified()));
                return false;
            }
        }
        readRows(0, options.pageSize);
        if (model.rowCount() <= 0) {
            figure(QStringLiteral("qt.error"), phase + QStringLiteral(": no rows"));
            return false;
        }
        figure(QStringLiteral("qt.%1_ms").arg(phase), fixed(elapsedMs(timer), 2));
        figure(QStringLiteral("qt.%1_row_count").arg(phase), QString::number(model.rowCount()));
        figure(QStringLiteral("qt.%1_can_fetch_more").arg(phase),
               model.canFetchMore() ? QStringLiteral("yes") : QStringLiteral("no"));
        figure(QStringLiteral("qt.%1_rss_mb").arg(phase), fixed(peakRssMb()));
        return true;
    };
    auto toTheEnd = [&](const QString &phase) {
        timer.restart();
        int calls = 0;
        bool capped = false;
        while (model.canFetchMore()) {
            if (timer.elapsed() > qint64(options.capSeconds) * 1000) {
                capped = true;
                break;
            }
            model.fetchMore();
            ++calls;
        }
        readRows(model.rowCount() - options.pageSize, model.rowCount());
        figure(QStringLiteral("qt.%1_ms").arg(phase),
               capped ? QStringLiteral("timeout>%1").arg(options.capSeconds * 1000)
                      : fixed(elapsedMs(timer), 2));
        figure(QStringLiteral("qt.%1_fetch_more_calls").arg(phase), QString::number(calls));
        figure(QStringLiteral("qt.%1_row_count").arg(phase), QString::number(model.rowCount()));
    };

    if (!selectPhase(QStringLiteral("first")))
        return 1;
    toTheEnd(QStringLiteral("last"));
    figure(QStringLiteral("qt.last_rss_mb"), fixed(peakRssMb()));
    timer.restart();
    model.setSort(model.fieldIndex(options.sortColumn), Qt::AscendingOrder);
    if (!selectPhase(QStringLiteral("sorted_first")))
        return 1;
    toTheEnd(QStringLiteral("sorted_last"));
    figure(QStringLiteral("qt.peak_rss_mb"), fixed(peakRssMb()));
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Parent side
// ---------------------------------------------------------------------------------------------

struct Target
{
    QString uri;
    QString schema;
    QString table;
    QString sortColumn;
    int pageSize = 200;
    int samples = 5;
    int capSeconds = 120;
};

QStringList childArguments(const QString &mode, const Target &target)
{
    return { QStringLiteral("--child"),       mode,
             QStringLiteral("--db"),          target.uri,
             QStringLiteral("--table"),       target.schema + u'.' + target.table,
             QStringLiteral("--sort-column"), target.sortColumn,
             QStringLiteral("--page-size"),   QString::number(target.pageSize),
             QStringLiteral("--samples"),     QString::number(target.samples),
             QStringLiteral("--cap"),         QString::number(target.capSeconds) };
}

ChildRun measurePager(const Target &target)
{
    return runChild(QCoreApplication::applicationFilePath(),
                    childArguments(QStringLiteral("pager"), target), 900);
}

ChildRun measureTableModel(const Target &target)
{
    // Four capped phases, and the kernel's time to hand back gigabytes.
    return runChild(QCoreApplication::applicationFilePath(),
                    childArguments(QStringLiteral("table-model"), target),
                    4 * target.capSeconds + 120);
}

// The third measured child, still to write: the desktop application opening the same table,
//
//   fuelsync-admin --db URI --open-table SCHEMA.TABLE --screenshot FILE
//
// run through runChild() (so ChildRun::wallMs is its wall time from start to exit, and
// ChildRun::peakRssMb its own ru_maxrss from wait4), with QT_QPA_PLATFORM=offscreen when there is
// no display (runChild() passes this process's environment on); check that FILE was written and
// shows rows, then give it a column in runBenchmark()'s table. Until fuelsync-admin exists it
// reports nothing.
std::optional<ChildRun> measureDesktopApp(const QString &appPath, const Target &target,
                                          const QString &screenshotFile)
{
    if (!QFile::exists(appPath))
        return std::nullopt;
    qputenv("FUELSYNC_NO_KEYCHAIN", "1");
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    ChildRun run = runChild(appPath,
                            { QStringLiteral("--db"), target.uri, QStringLiteral("--open-table"),
                              target.schema + u'.' + target.table, QStringLiteral("--screenshot"),
                              screenshotFile, QStringLiteral("--report-timings") },
                            target.capSeconds);
    // "first-rows <ms since the process started> ms (opened <ms since the table was opened> ms,
    // page <ms> ms)"
    const QRegularExpression firstRows(
        QStringLiteral("first-rows (\\d+) ms \\(opened (\\d+) ms, page (\\d+) ms\\)"));
    const QRegularExpressionMatch match = firstRows.match(run.otherOutput);
    if (match.hasMatch()) {
        run.figures.insert(QStringLiteral("app.first_rows_ms"), match.captured(1));
        run.figures.insert(QStringLiteral("app.opened_ms"), match.captured(2));
        run.figures.insert(QStringLiteral("app.page_ms"), match.captured(3));
    }
    if (!QFileInfo(screenshotFile).size())
        run.figures.insert(QStringLiteral("app.error"), QStringLiteral("no screenshot written"));
    return run;
}

// A libpq URI for a child: postgresql://user@/db?host=<socket dir>&port=N.
QString uriOf(const ConnectionSettings &settings)
{
    QString uri =
        QStringLiteral("postgresql://%1@/%2?host=%3&port=%4")
            .arg(QString::fromLatin1(QUrl::toPercentEncoding(settings.user())),
                 QString::fromLatin1(QUrl::toPercentEncoding(settings.database())),
                 QString::fromLatin1(QUrl::toPercentEncoding(settings.host())), settings.port());
    return uri;
}

// The parent: set-up, the measured children in turn, the table.
int runBenchmark(const QCommandLineParser &parser)
{
    const QString sortColumn = parser.value(QStringLiteral("sort-column"));
    const int capSeconds = std::max(1, parser.value(QStringLiteral("cap")).toInt());
    const qint64 rows = std::max<qint64>(1000, parser.value(QStringLiteral("rows")).toLongLong());
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    const QString cli = fuelsyncCli();
    const QString migrations = migrationsDirectory();

    // ---- Set-up ----
    QElapsedTimer setupTimer;
    setupTimer.start();
    const auto work = workDirectory();
    const ClusterOptions clusterOptions =
        bigTableClusterOptions(*work, parser.value(QStringLiteral("cluster-dir")));
    auto started = startCluster(clusterOptions);
    LocalCluster &cluster = *started;
    const qint64 clusterMs = setupTimer.elapsed();
    const ConnectionSettings settings = cluster.connectionSettings(databaseName);
    const QString qualified = tenantSchema + u'.' + tableName;
    const bool reused = reuseOrCreateDatabase(cluster, databaseName, qualified, rows);

    // public and the tenant migrated to the latest version by the project's runner.
    QElapsedTimer step;
    step.start();
    const QStringList cliBase { QStringLiteral("--db"), settings.conninfoWithoutPassword(),
                                QStringLiteral("--migrations"), migrations,
                                QStringLiteral("--quiet") };
    const Timed up =
        runProcess(cli, cliBase + QStringList { QStringLiteral("migrate"), QStringLiteral("up") });
    if (up.exitCode != 0)
        die(QStringLiteral("fuelsync-db migrate up failed:\n") + up.output);
    if (!reused) {
        const Timed created = runProcess(
            cli,
            cliBase
                + QStringList { QStringLiteral("tenant"), QStringLiteral("create"), tenantSchema,
                                QStringLiteral("--name=Browse benchmark") });
        if (created.exitCode != 0)
            die(QStringLiteral("fuelsync-db tenant create failed:\n") + created.output);
    }
    const qint64 migrateMs = step.elapsed();

    qint64 fillMs = 0;
    qint64 vacuumMs = 0;
    {
        auto c = DbConnection::open(settings, QStringLiteral("bench"));
        if (!reused) {
            step.restart();
            fillNozzleReadings(*c, tenantSchema, rows);
            fillMs = step.elapsed();
            step.restart();
            c->exec(QStringLiteral("VACUUM ANALYZE"));
            vacuumMs = step.elapsed();
        }
    }
    const qint64 setupMs = setupTimer.elapsed();

    // What the sorted view can use: an index that leads with the sort column.
    auto c = DbConnection::open(settings, QStringLiteral("bench"));
    const TableDefinition definition = TableDefinitionReader::read(*c, tenantSchema, tableName);
    if (!definition.column(sortColumn))
        die(QStringLiteral("%1 has no column %2").arg(qualified, sortColumn));
    QString sortIndex;
    for (const TableIndex &index : definition.indexes) {
        const QString columns = index.definition.section(u'(', 1).section(u')', 0, 0);
        if (columns.section(u',', 0, 0).trimmed() == sortColumn)
            sortIndex += (sortIndex.isEmpty() ? QString() : QStringLiteral(", ")) + index.name
                + QStringLiteral(" (") + columns + u')';
    }
    const QString tableSize =
        c->scalar(QStringLiteral("SELECT pg_size_pretty(pg_total_relation_size(?::regclass))"),
                  { qualified })
            .toString();
    const QString serverVersion = c->serverVersion();
    const qint64 nozzles =
        c->scalar(QStringLiteral("SELECT count(*) FROM %1.nozzles").arg(tenantSchema)).toLongLong();
    c.reset();

    out << "FuelSync Admin browse benchmark — PostgreSQL " << serverVersion << ", "
        << QThread::idealThreadCount() << " CPU cores, stock server settings" << Qt::endl
        << qualified << ": " << count(rows) << " rows from " << nozzles << " nozzles, " << tableSize
        << " with indexes; primary key " << definition.primaryKey.join(QStringLiteral(", "))
        << " (uuid)" << Qt::endl
        << "Sorted view by " << sortColumn
        << ", index: " << (sortIndex.isEmpty() ? QStringLiteral("NONE") : sortIndex) << Qt::endl
        << Qt::endl;

    Target target;
    target.uri = uriOf(settings);
    target.schema = tenantSchema;
    target.table = tableName;
    target.sortColumn = sortColumn;
    target.capSeconds = capSeconds;

    // Alternate the two sides so neither always runs on a warmer server.
    QList<ChildRun> pagerRuns;
    QList<ChildRun> modelRuns;
    auto describe = [](const ChildRun &run) {
        QString text = duration(run.wallMs);
        if (run.timedOut)
            text += QStringLiteral(", killed after its time limit");
        else if (run.signal)
            text += QStringLiteral(", ended by signal %1").arg(run.signal);
        else if (run.exitCode != 0)
            text += QStringLiteral(", exit code %1").arg(run.exitCode);
        return text;
    };
    for (int r = 0; r < repeat; ++r) {
        for (int side = 0; side < 2; ++side) {
            if ((side + r) % 2 == 0)
                pagerRuns.append(measurePager(target));
            else
                modelRuns.append(measureTableModel(target));
        }
        out << "  run " << r + 1 << ": FuelSync child " << describe(pagerRuns.last())
            << ", QSqlTableModel child " << describe(modelRuns.last()) << Qt::endl;
        for (const ChildRun *run : { &pagerRuns.last(), &modelRuns.last() }) {
            const QString problem = run->figures.value(
                QStringLiteral("pager.error"), run->figures.value(QStringLiteral("qt.error")));
            if (!problem.isEmpty())
                out << "    error: " << problem << Qt::endl;
            if (!run->otherOutput.isEmpty())
                out << "    output: " << run->otherOutput.left(2000) << Qt::endl;
        }
    }
    const QString appPath = qEnvironmentVariable("FUELSYNC_ADMIN",
                                                 QCoreApplication::applicationDirPath()
                                                     + QStringLiteral("/../../bin/fuelsync-admin"));
    const std::optional<ChildRun> appRun =
        measureDesktopApp(appPath, target, work->filePath(QStringLiteral("bench-app.png")));

    // Samples of a figure over all runs of one side (a figure holds one sample or a list).
    auto samplesOf = [](const QList<ChildRun> &runs, const QString &key) {
        QList<double> values;
        for (const ChildRun &run : runs) {
            for (const QString &text : run.figures.value(key).split(u',', Qt::SkipEmptyParts)) {
                bool ok = false;
                const double value = text.toDouble(&ok);
                if (ok)
                    values.append(value);
            }
        }
        return values;
    };
    auto timedOut = [](const QList<ChildRun> &runs, const QString &key) {
        for (const ChildRun &run : runs)
            if (run.figures.value(key).startsWith(QStringLiteral("timeout")))
                return true;
        return false;
    };
    auto sampleCount = [&](const QList<ChildRun> &runs, const QString &key) {
        return samplesOf(runs, key).size();
    };
    // The median, "> cap" when a run hit the cap, "failed" when no run measured it.
    auto cell = [&](const QList<ChildRun> &runs, const QString &key) {
        if (timedOut(runs, key))
            return QStringLiteral("> %1 s").arg(capSeconds);
        const QList<double> values = samplesOf(runs, key);
        if (values.isEmpty())
            return QStringLiteral("failed");
        return duration(median(values));
    };
    auto mb = [&](const QList<ChildRun> &runs, const QString &key) {
        const QList<double> values = samplesOf(runs, key);
        return values.isEmpty()
            ? QStringLiteral("—")
            : fixed(*std::max_element(values.begin(), values.end())) + QStringLiteral(" MB");
    };
    auto worst = [&](const QList<ChildRun> &runs, const QString &key) {
        const QList<double> values = samplesOf(runs, key);
        return values.isEmpty() ? 1e12 : *std::max_element(values.begin(), values.end());
    };
    auto last = [](const QList<ChildRun> &runs, const QString &key) {
        for (qsizetype i = runs.size() - 1; i >= 0; --i)
            if (runs.at(i).figures.contains(key))
                return runs.at(i).figures.value(key);
        return QStringLiteral("?");
    };
    auto pagerMedian = [&](const QString &key) {
        const QList<double> values = samplesOf(pagerRuns, key);
        return values.isEmpty() ? 1e12 : median(values);
    };

    const QString warm = QStringLiteral("median of %1, warm session")
                             .arg(sampleCount(pagerRuns, QStringLiteral("pager.last_ms")));
    out << Qt::endl
        << "| Figure | FuelSync (KeysetPager, pages of 200) | QSqlTableModel baseline (same run) "
           "| Target |"
        << Qt::endl
        << "|---|---|---|---|" << Qt::endl;
    out << "| First rows: open a session, read the table, first page (new process, median of "
        << repeat << ") | " << cell(pagerRuns, QStringLiteral("pager.open_first_ms"))
        << " | open + setTable() + select() until rowCount() > 0 and 200 rows read: "
        << cell(modelRuns, QStringLiteral("qt.first_ms")) << " | under 200 ms |" << Qt::endl;
    out << "| Last page (" << warm
        << ") | `last()`: " << cell(pagerRuns, QStringLiteral("pager.last_ms"))
        << " | fetchMore() until canFetchMore() is false ("
        << last(modelRuns, QStringLiteral("qt.last_fetch_more_calls"))
        << " calls), then the last 200 rows read: " << cell(modelRuns, QStringLiteral("qt.last_ms"))
        << " | under 200 ms |" << Qt::endl;
    out << "| Sorted by " << sortColumn << ", first page (" << warm << ") | "
        << cell(pagerRuns, QStringLiteral("pager.sorted_first_ms"))
        << " | setSort() + select() until rowCount() > 0 and 200 rows read: "
        << cell(modelRuns, QStringLiteral("qt.sorted_first_ms")) << " | under 200 ms |" << Qt::endl;
    out << "| Sorted by " << sortColumn << ", last page (" << warm << ") | "
        << cell(pagerRuns, QStringLiteral("pager.sorted_last_ms")) << " | fetchMore() to the end ("
        << last(modelRuns, QStringLiteral("qt.sorted_last_fetch_more_calls"))
        << " calls), last 200 rows read: " << cell(modelRuns, QStringLiteral("qt.sorted_last_ms"))
        << " | under 200 ms |" << Qt::endl;
    out << "| Peak memory of the process (ru_maxrss, highest of " << repeat << " runs) | "
        << mb(pagerRuns, QStringLiteral("pager.peak_rss_mb"))
        << " (all of the above) | after reaching the end: "
        << mb(modelRuns, QStringLiteral("qt.last_rss_mb"))
        << "; after the sorted select() too: " << mb(modelRuns, QStringLiteral("qt.peak_rss_mb"))
        << " | under 150 MB |" << Qt::endl;

    // Figures behind the table.
    auto list = [&](const QList<ChildRun> &runs, const QString &key) {
        QStringList texts;
        for (double v : samplesOf(runs, key))
            texts.append(fixed(v));
        return texts.join(QStringLiteral(", "));
    };
    out << Qt::endl
        << "FuelSync samples (ms): first rows in a new process "
        << list(pagerRuns, QStringLiteral("pager.open_first_ms")) << Qt::endl
        << "  first page " << list(pagerRuns, QStringLiteral("pager.first_ms")) << " (median "
        << duration(pagerMedian(QStringLiteral("pager.first_ms"))) << ")" << Qt::endl
        << "  next page " << list(pagerRuns, QStringLiteral("pager.next_ms")) << " (median "
        << duration(pagerMedian(QStringLiteral("pager.next_ms"))) << ")" << Qt::endl
        << "  last page " << list(pagerRuns, QStringLiteral("pager.last_ms")) << Qt::endl
        << "  sorted first page " << list(pagerRuns, QStringLiteral("pager.sorted_first_ms"))
        << Qt::endl
        << "  sorted last page " << list(pagerRuns, QStringLiteral("pager.sorted_last_ms"))
        << Qt::endl
        << "  pages checked against plain SQL: " << last(pagerRuns, QStringLiteral("pager.check"))
        << Qt::endl;
    out << "QSqlTableModel: rowCount() right after select(): "
        << last(modelRuns, QStringLiteral("qt.first_row_count"))
        << ", canFetchMore(): " << last(modelRuns, QStringLiteral("qt.first_can_fetch_more"))
        << ", peak memory when select() returned: "
        << mb(modelRuns, QStringLiteral("qt.first_rss_mb")) << Qt::endl
        << "  first rows " << list(modelRuns, QStringLiteral("qt.first_ms")) << " ms; to the end "
        << list(modelRuns, QStringLiteral("qt.last_ms")) << " ms; sorted first rows "
        << list(modelRuns, QStringLiteral("qt.sorted_first_ms")) << " ms; sorted to the end "
        << list(modelRuns, QStringLiteral("qt.sorted_last_ms")) << " ms" << Qt::endl
        << "  (its address space is capped at " << baselineMemoryCapMb
        << " MB as a safety net for the machine)" << Qt::endl;
    if (last(modelRuns, QStringLiteral("qt.first_can_fetch_more")) == u"no"
        && last(modelRuns, QStringLiteral("qt.first_row_count")) == QString::number(rows))
        out << "  QPSQL read the whole result in select() (not forward-only: rowCount() is every "
               "row at once), so the baseline's last page is already in memory when its first "
               "rows show; it pays for it in the first-rows time and the memory."
            << Qt::endl;
    QStringList waited;
    for (const ChildRun &run : pagerRuns)
        waited.append(QStringLiteral("FuelSync ") + fixed(run.peakRssMb) + QStringLiteral(" MB"));
    for (const ChildRun &run : modelRuns)
        waited.append(QStringLiteral("QSqlTableModel ") + fixed(run.peakRssMb)
                      + QStringLiteral(" MB"));
    out << "Peak memory per child as wait4() reports it: " << waited.join(QStringLiteral(", "))
        << Qt::endl;
    out << "Desktop app (fuelsync-admin --db URI --open-table TABLE --screenshot): ";
    if (!appRun)
        out << "not found (build fuelsync-admin, or set FUELSYNC_ADMIN)";
    else if (appRun->figures.contains(QStringLiteral("app.first_rows_ms")))
        out << "first rows on screen " << appRun->figures.value(QStringLiteral("app.first_rows_ms"))
            << " ms after the process started, "
            << appRun->figures.value(QStringLiteral("app.opened_ms"))
            << " ms after the table was opened (session, definition, first page; target under "
               "200 ms; the page query itself "
            << appRun->figures.value(QStringLiteral("app.page_ms")) << " ms), whole run "
            << duration(appRun->wallMs) << ", peak memory " << fixed(appRun->peakRssMb)
            << " MB (target under 150 MB)"
            << (appRun->figures.contains(QStringLiteral("app.error"))
                    ? QStringLiteral("; ") + appRun->figures.value(QStringLiteral("app.error"))
                    : QString());
    else
        out << "failed: exit " << appRun->exitCode << ": " << appRun->otherOutput.left(500);
    out << Qt::endl;
    out << "Set-up: " << duration(double(setupMs)) << " (cluster " << duration(double(clusterMs))
        << ", migrate public + create tenant " << duration(double(migrateMs));
    if (reused)
        out << ", " << count(rows) << " rows reused from " << clusterOptions.root;
    else
        out << ", fill " << count(rows) << " rows " << duration(double(fillMs))
            << ", VACUUM ANALYZE " << duration(double(vacuumMs));
    out << ")" << Qt::endl;

    finishCluster(std::move(started));

    const bool checked = last(pagerRuns, QStringLiteral("pager.check")) == u"ok";
    const bool met = checked && worst(pagerRuns, QStringLiteral("pager.open_first_ms")) >= 0
        && median(samplesOf(pagerRuns, QStringLiteral("pager.open_first_ms"))) < 200
        && pagerMedian(QStringLiteral("pager.last_ms")) < 200
        && pagerMedian(QStringLiteral("pager.sorted_first_ms")) < 200
        && pagerMedian(QStringLiteral("pager.sorted_last_ms")) < 200
        && worst(pagerRuns, QStringLiteral("pager.peak_rss_mb")) < 150;
    out << (met ? "All targets met." : "A target was missed.") << Qt::endl;
    return met ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setProgramName(QStringLiteral("bench_browse"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Benchmarks browsing a big table: FuelSync's keyset pager against QSqlTableModel."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("rows"), QStringLiteral("Rows in nozzle_readings."),
                       QStringLiteral("n"), QStringLiteral("10000000") });
    parser.addOption({ QStringLiteral("repeat"),
                       QStringLiteral("Runs of each measured child, alternating."),
                       QStringLiteral("n"), QStringLiteral("3") });
    parser.addOption({ QStringLiteral("sort-column"),
                       QStringLiteral("Column of the sorted view (one that leads an index)."),
                       QStringLiteral("name"), QStringLiteral("nozzle_id") });
    parser.addOption({ QStringLiteral("cap"),
                       QStringLiteral("Seconds the baseline may take per step before it is "
                                      "reported as over the cap."),
                       QStringLiteral("s"), QStringLiteral("120") });
    parser.addOption({ QStringLiteral("cluster-dir"),
                       QStringLiteral("Keep the cluster in DIR, and reuse it when it already "
                                      "holds the rows (default: a temporary one)."),
                       QStringLiteral("dir") });
    // The measured children: this program started again.
    QCommandLineOption child(QStringLiteral("child"), QString(), QStringLiteral("mode"));
    QCommandLineOption db(QStringLiteral("db"), QString(), QStringLiteral("uri"));
    QCommandLineOption table(QStringLiteral("table"), QString(), QStringLiteral("schema.table"));
    QCommandLineOption pageSize(QStringLiteral("page-size"), QString(), QStringLiteral("n"),
                                QStringLiteral("200"));
    QCommandLineOption samples(QStringLiteral("samples"), QString(), QStringLiteral("n"),
                               QStringLiteral("5"));
    for (QCommandLineOption *hidden : { &child, &db, &table, &pageSize, &samples }) {
        hidden->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(*hidden);
    }
    parser.process(app);
    const QString sortColumn = parser.value(QStringLiteral("sort-column"));
    const int capSeconds = std::max(1, parser.value(QStringLiteral("cap")).toInt());

    if (parser.isSet(child)) {
        ChildOptions options;
        options.uri = parser.value(db);
        const QString qualified = parser.value(table);
        options.schema = qualified.section(u'.', 0, 0);
        options.table = qualified.section(u'.', 1);
        options.sortColumn = sortColumn;
        options.pageSize = std::max(1, parser.value(pageSize).toInt());
        options.samples = std::max(1, parser.value(samples).toInt());
        options.capSeconds = capSeconds;
        if (parser.value(child) == u"pager")
            return runPagerChild(options);
        if (parser.value(child) == u"table-model")
            return runTableModelChild(options);
        die(QStringLiteral("unknown child mode %1").arg(parser.value(child)));
    }

    try {
        return runBenchmark(parser);
    } catch (const std::exception &e) {
        die(QString::fromUtf8(e.what()));
    }
}
