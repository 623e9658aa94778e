// RowWindow, the data grid's page arithmetic, without a model or a database: a table made up in
// memory answers its requests as KeysetPager would. Which page it fetches for a row, how many pages
// it keeps and which it lets go, the cap on the row count, seeking by fraction at the start, in the
// middle and at the end, an empty table, one shorter than a page, and an estimate wrong either way.
// Every change of the row count is checked as a Qt model's would be: told before with the old
// count and after with the new one, and no loaded row changes what it holds.

#include "browser/RowWindow.h"

#include <QtTest>

#include <cmath>
#include <memory>

using namespace fuelsync;

using Fetch = RowWindow::Fetch;
using Request = RowWindow::Request;
using CountChange = RowWindow::CountChange;

Q_DECLARE_METATYPE(RowWindow::Fetch)

namespace fuelsync {

// How QCOMPARE prints a request and a count change that differ.
char *toString(const RowWindow::Request &request)
{
    static const char *const kinds[] = { "First", "Last", "After", "Before", "Seek" };
    const QByteArray text =
        QByteArray(kinds[int(request.kind)]) + ' ' + QByteArray::number(request.row);
    return qstrdup(text.constData());
}

char *toString(const std::optional<RowWindow::Request> &request)
{
    return request ? toString(*request) : qstrdup("nothing");
}

char *toString(const RowWindow::CountChange &change)
{
    const QByteArray text =
        QByteArray(change.kind == RowWindow::CountChange::Insert ? "insert " : "remove ")
        + QByteArray::number(change.first) + ".." + QByteArray::number(change.last);
    return qstrdup(text.constData());
}

} // namespace fuelsync

namespace {

std::optional<Request> fetch(Fetch kind, int row)
{
    return Request { kind, row };
}

// A table of `rows` rows with ids 1..rows in its order, paged `pageSize` rows at a time, answering
// as KeysetPager does: pages are full unless the order is shorter, hasBefore and hasAfter exact,
// a seek to a fraction starts that far into the order (or gives the last page near the end).
class MadeUpTable
{
public:
    MadeUpTable(int rows, int pageSize)
        : m_rows(rows)
        , m_pageSize(pageSize)
    { }

    RowPage first() const { return ids(1, std::min(m_pageSize, m_rows)); }
    RowPage last() const { return ids(std::max(1, m_rows - m_pageSize + 1), m_rows); }
    RowPage after(int id) const { return ids(id + 1, std::min(id + m_pageSize, m_rows)); }
    RowPage before(int id) const { return ids(std::max(1, id - m_pageSize), id - 1); }
    RowPage seek(double fraction) const
    {
        if (fraction <= 0)
            return first();
        const int from = int(std::floor(fraction * m_rows)) + 1;
        if (fraction >= 1 || from + m_pageSize - 1 > m_rows)
            return last();
        return ids(from, from + m_pageSize - 1);
    }

    // What the model's worker reads for the window's request.
    RowPage answer(const RowWindow &window, const Request &request) const
    {
        switch (request.kind) {
        case Fetch::First:
            return first();
        case Fetch::Last:
            return last();
        case Fetch::After:
            return after(window.lastCursor().values.first().toInt());
        case Fetch::Before:
            return before(window.firstCursor().values.first().toInt());
        case Fetch::Seek:
            return seek(window.fractionOf(request.row));
        }
        return {};
    }

private:
    RowPage ids(int from, int to) const
    {
        RowPage page;
        for (int id = from; id <= to; ++id) {
            PageRow row;
            row.cells = QStringList { QString::number(id) };
            row.nulls = QBitArray(1);
            row.truncated = QBitArray(1);
            row.cursor.values = QStringList { QString::number(id) };
            page.rows.append(row);
        }
        page.hasBefore = from > 1 && m_rows > 0;
        page.hasAfter = to < m_rows;
        return page;
    }

    int m_rows;
    int m_pageSize;
};

// Watches a window's count changes the way QAbstractItemModelTester watches a model's: the hook
// before sees the old count and a range that fits it, the hook after sees the count changed by
// the range's size, and every row loaded on both sides of a change holds the same id, moved with
// the rows inserted or removed at the front.
class CountWatcher
{
public:
    CountWatcher(RowWindow &window, QStringList &problemsSeen)
        : problems(problemsSeen)
        , m_window(window)
    {
        window.setCountHooks([this](const CountChange &c) { before(c); },
                             [this](const CountChange &c) { after(c); });
    }

    QList<CountChange> changes;
    QStringList &problems;

private:
    void before(const CountChange &c)
    {
        m_oldCount = m_window.count();
        m_loaded.clear();
        for (int row = m_window.blockStart(); row < m_window.blockEnd(); ++row) {
            if (row >= 0 && row < m_oldCount)
                m_loaded.insert(row, id(row));
        }
        const int limit = c.kind == CountChange::Insert ? m_oldCount : m_oldCount - 1;
        if (c.first < 0 || c.last < c.first || c.first > limit
            || (c.kind == CountChange::Remove && c.last >= m_oldCount))
            problems.append(QStringLiteral("rows %1..%2 do not fit a count of %3")
                                .arg(c.first)
                                .arg(c.last)
                                .arg(m_oldCount));
    }

    void after(const CountChange &c)
    {
        changes.append(c);
        const int size = c.last - c.first + 1;
        const int expected = c.kind == CountChange::Insert ? m_oldCount + size : m_oldCount - size;
        if (m_window.count() != expected)
            problems.append(QStringLiteral("count %1 after a change of %2 rows from %3")
                                .arg(m_window.count())
                                .arg(size)
                                .arg(m_oldCount));
        const int shift = c.first > 0 ? 0 : (c.kind == CountChange::Insert ? size : -size);
        for (auto it = m_loaded.cbegin(); it != m_loaded.cend(); ++it) {
            const int row = it.key() + shift;
            if (c.kind == CountChange::Remove && it.key() >= c.first && it.key() <= c.last)
                continue; // removed
            if (!m_window.isLoaded(row) || id(row) != it.value())
                problems.append(QStringLiteral("row %1 held id %2 and is now row %3, holding %4")
                                    .arg(it.key())
                                    .arg(it.value())
                                    .arg(row)
                                    .arg(m_window.isLoaded(row) ? id(row) : -1));
        }
    }

    int id(int row) const { return m_window.rowAt(row).cells.first().toInt(); }

    RowWindow &m_window;
    int m_oldCount = 0;
    QMap<int, int> m_loaded;
};

} // namespace

class RowWindowTest : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void firstPageIsRowZeroAndTheCountTheEstimate();
    void rowsNextToTheBlockFetchAdjoiningPages();
    void keepsFivePagesAndLetsTheFarthestGo();
    void theEstimateIsCappedAtTheRowLimit();
    void pagesPastTheRowLimitGrowTheCount();
    void seeksByFraction_data();
    void seeksByFraction();
    void aJumpForgetsTheEndsItLeft();
    void anEmptyTableHasNoRows();
    void aFilterThatLeavesNothingStartsOver();
    void aSeekAnsweredAfterTheCountShrankLandsInsideIt();
    void fewerRowsThanAPage();
    void anEstimateTooHighShrinksAtTheEnds();
    void anEstimateTooLowGrowsAsPagesCome();
    void aRefinedEstimateNeverDropsRowsRead();

private:
    // A new window, watched; the problems seen so far stay for cleanup() to report.
    void newWindow();
    // Starts over on a made-up table of `tableRows` rows estimated at `estimate`.
    void start(int tableRows, double estimate, int pageSize = 10);
    // Fetches and places pages as the model would (it asks again for the row it was asked for
    // while a page was on its way) until the row is loaded; false when the window stops asking
    // without it loaded (the row is gone) or asks on and on.
    bool load(int row);
    // Places the page the window's request is answered with.
    void answer(const Request &request)
    {
        m_window->place(request, m_table->answer(*m_window, request));
    }
    int idAt(int row) const { return m_window->rowAt(row).cells.first().toInt(); }

    std::unique_ptr<RowWindow> m_window;
    std::unique_ptr<CountWatcher> m_watch;
    std::unique_ptr<MadeUpTable> m_table;
    QStringList m_problems;
};

void RowWindowTest::init()
{
    m_problems.clear();
    newWindow();
}

void RowWindowTest::cleanup()
{
    QVERIFY2(m_problems.isEmpty(), qPrintable(m_problems.join(u'\n')));
}

void RowWindowTest::newWindow()
{
    m_watch.reset();
    m_window = std::make_unique<RowWindow>();
    m_watch = std::make_unique<CountWatcher>(*m_window, m_problems);
}

void RowWindowTest::start(int tableRows, double estimate, int pageSize)
{
    m_table = std::make_unique<MadeUpTable>(tableRows, pageSize);
    m_window->reset(pageSize, estimate);
}

bool RowWindowTest::load(int row)
{
    for (int fetched = 0; fetched < 1000; ++fetched) {
        const std::optional<Request> request = m_window->fetchFor(row);
        if (!request)
            return m_window->isLoaded(row);
        answer(*request);
    }
    return false;
}

void RowWindowTest::firstPageIsRowZeroAndTheCountTheEstimate()
{
    start(1000, 1000);
    QCOMPARE(m_window->count(), 1000);
    QCOMPARE(m_window->loadedRows(), 0);
    QCOMPARE(m_window->fetchFor(500), fetch(Fetch::First, 0)); // nothing held: the top first
    QVERIFY(load(0));
    QCOMPARE(m_window->blockStart(), 0);
    QCOMPARE(m_window->blockEnd(), 10);
    QCOMPARE(idAt(0), 1);
    QCOMPARE(idAt(9), 10);
    QVERIFY(m_window->showsFirst());
    QVERIFY(!m_window->showsLast());
    QVERIFY(!m_window->countIsExact());
    QCOMPARE(m_window->count(), 1000);
    QVERIFY(m_watch->changes.isEmpty());
    QVERIFY(!m_window->fetchFor(0)); // loaded
    QVERIFY(!m_window->fetchFor(-1)); // not rows
    QVERIFY(!m_window->fetchFor(1000));
}

void RowWindowTest::rowsNextToTheBlockFetchAdjoiningPages()
{
    start(1000, 1000);
    QVERIFY(load(0));
    QCOMPARE(m_window->fetchFor(10), fetch(Fetch::After, 10));
    QCOMPARE(m_window->fetchFor(19), fetch(Fetch::After, 10));
    // A page further on is a jump.
    QCOMPARE(m_window->fetchFor(20), fetch(Fetch::Seek, 20));
    QVERIFY(load(15));
    QCOMPARE(m_window->blockStart(), 0);
    QCOMPARE(m_window->blockEnd(), 20);
    QCOMPARE(idAt(15), 16);

    // Before a block in the middle: the previous page.
    QVERIFY(load(500));
    QCOMPARE(m_window->blockStart(), 500);
    QCOMPARE(m_window->fetchFor(495), fetch(Fetch::Before, 500));
    QVERIFY(load(495));
    QCOMPARE(m_window->blockStart(), 490);
    QCOMPARE(idAt(495), 496);
    QCOMPARE(idAt(509), 510);
}

void RowWindowTest::keepsFivePagesAndLetsTheFarthestGo()
{
    QCOMPARE(RowWindow::pagesKept, 5);
    start(1000, 1000);
    // Forward page by page: at most five pages, the first ones go.
    for (int row = 0; row < 70; ++row) {
        QVERIFY(load(row));
        QCOMPARE(idAt(row), row + 1);
        QVERIFY(m_window->loadedRows() <= 50);
    }
    QCOMPARE(m_window->blockStart(), 20);
    QCOMPARE(m_window->blockEnd(), 70);
    QVERIFY(!m_window->isLoaded(19));
    QVERIFY(!m_window->showsFirst());
    QCOMPARE(m_window->fetchFor(19), fetch(Fetch::Before, 20));

    // Back to the top: the last pages go, the first come back where they were.
    for (int row = 69; row >= 0; --row) {
        QVERIFY(load(row));
        QCOMPARE(idAt(row), row + 1);
        QVERIFY(m_window->loadedRows() <= 50);
    }
    QCOMPARE(m_window->blockStart(), 0);
    QCOMPARE(m_window->blockEnd(), 50);
    QVERIFY(!m_window->isLoaded(50));
    QVERIFY(m_window->showsFirst());
    QCOMPARE(m_window->fetchFor(50), fetch(Fetch::After, 50));
    QCOMPARE(m_window->count(), 1000); // the estimate was right: nothing to put right
    QVERIFY(m_watch->changes.isEmpty());

    // Back from the end: once its page has gone, the end is fetched again as the next page.
    newWindow();
    start(60, 60);
    answer(m_window->lastPage());
    QVERIFY(m_window->showsLast());
    for (int row = 59; row >= 0; --row) {
        QVERIFY(load(row));
        QCOMPARE(idAt(row), row + 1);
    }
    QCOMPARE(m_window->blockStart(), 0);
    QCOMPARE(m_window->blockEnd(), 50);
    QVERIFY(!m_window->showsLast());
    QCOMPARE(m_window->fetchFor(59), fetch(Fetch::After, 50));
    QVERIFY(m_window->countIsExact()); // both ends were seen, through adjoining pages
}

void RowWindowTest::theEstimateIsCappedAtTheRowLimit()
{
    m_window->setVirtualRowLimit(100);
    QCOMPARE(m_window->virtualRowLimit(), 100);
    start(3000, 3000);
    QCOMPARE(m_window->count(), 100);
    QVERIFY(!m_window->countIsExact());
    m_window->refineEstimate(10'000'000);
    QCOMPARE(m_window->count(), 100);
    m_window->refineEstimate(60);
    QCOMPARE(m_window->count(), 60);
    m_window->setVirtualRowLimit(0); // at least one row
    QCOMPARE(m_window->virtualRowLimit(), 1);

    newWindow();
    QCOMPARE(m_window->virtualRowLimit(), 200'000);
    start(20'000'000, 1e7);
    QCOMPARE(m_window->count(), 200'000);
}

void RowWindowTest::pagesPastTheRowLimitGrowTheCount()
{
    m_window->setVirtualRowLimit(128);
    start(384, 384);
    QCOMPARE(m_window->count(), 128);
    // Row 96 of 128 stands for 75 % of the order.
    QVERIFY(load(96));
    QCOMPARE(m_window->fractionOf(96), 0.75);
    QCOMPARE(m_window->blockStart(), 96);
    QCOMPARE(idAt(96), 289);

    // From the top, row after row: every id, and the count a page ahead of the block.
    for (int row = 0; row < 150; ++row) {
        QVERIFY2(load(row), qPrintable(m_window->describe()));
        QCOMPARE(idAt(row), row + 1);
    }
    QCOMPARE(m_window->blockEnd(), 150);
    QCOMPARE(m_window->count(), 160);
    QVERIFY(m_window->loadedRows() <= 50);
    QVERIFY(!m_window->countIsExact());
    QCOMPARE(m_watch->changes,
             (QList<CountChange> { { CountChange::Insert, 128, 129 },
                                   { CountChange::Insert, 130, 139 },
                                   { CountChange::Insert, 140, 149 },
                                   { CountChange::Insert, 150, 159 } }));

    // The last page is the table's last rows, at the count's end.
    answer(m_window->lastPage());
    QCOMPARE(m_window->blockStart(), 150);
    QCOMPARE(idAt(159), 384);
    QVERIFY(m_window->showsLast());
    QCOMPARE(m_window->count(), 160);
}

void RowWindowTest::seeksByFraction_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<Fetch>("kind");
    QTest::addColumn<int>("blockStart");
    QTest::addColumn<int>("firstId"); // at the block's start

    // 3,072 rows under a cap of 1,024 rows: row r stands for r / 1,024 of the order, the rows
    // from id 3r + 1.
    QTest::newRow("start: the first page") << 5 << Fetch::First << 0 << 1;
    QTest::newRow("just past the first page") << 10 << Fetch::Seek << 10 << 31;
    QTest::newRow("middle") << 512 << Fetch::Seek << 512 << 1537;
    QTest::newRow("a page from the end: still a seek") << 1013 << Fetch::Seek << 1013 << 3040;
    QTest::newRow("end: the last page") << 1014 << Fetch::Last << 1014 << 3063;
    QTest::newRow("the last row") << 1023 << Fetch::Last << 1014 << 3063;
}

void RowWindowTest::seeksByFraction()
{
    QFETCH(int, row);
    QFETCH(Fetch, kind);
    QFETCH(int, blockStart);
    QFETCH(int, firstId);
    m_window->setVirtualRowLimit(1024);
    start(3072, 3072);
    QVERIFY(load(300)); // somewhere else first, so that nothing adjoins the row
    QCOMPARE(m_window->blockStart(), 300);
    const std::optional<Request> request = m_window->fetchFor(row);
    QVERIFY(request);
    QCOMPARE(request->kind, kind);
    answer(*request);
    QVERIFY(m_window->isLoaded(row));
    QCOMPARE(m_window->blockStart(), blockStart);
    QCOMPARE(idAt(blockStart), firstId);
    QCOMPARE(m_window->loadedRows(), 10);
    QCOMPARE(m_window->count(), 1024);
    QCOMPARE(m_window->showsFirst(), kind == Fetch::First);
    QCOMPARE(m_window->showsLast(), kind == Fetch::Last);
}

void RowWindowTest::aJumpForgetsTheEndsItLeft()
{
    start(30, 30);
    for (int row = 0; row < 30; ++row)
        QVERIFY(load(row));
    QVERIFY(m_window->countIsExact());
    QVERIFY(m_window->showsFirst() && m_window->showsLast());

    // The last page by a jump: row 0 is no longer known to be the first row.
    answer(m_window->lastPage());
    QCOMPARE(m_window->blockStart(), 20);
    QVERIFY(!m_window->countIsExact());
    // Back through adjoining pages: known again.
    QCOMPARE(m_window->fetchFor(19), fetch(Fetch::Before, 20));
    QVERIFY(load(19));
    QVERIFY(load(9));
    QCOMPARE(m_window->blockStart(), 0);
    QVERIFY(m_window->countIsExact());

    // The first page by a jump (row 0 is not next to the block): the end is no longer known.
    answer({ Fetch::Last, 30 });
    QCOMPARE(m_window->fetchFor(0), fetch(Fetch::First, 0));
    QVERIFY(load(0));
    QVERIFY(!m_window->countIsExact());
    for (int row = 10; row < 30; ++row) // forward page by page: known again
        QVERIFY(load(row));
    QVERIFY(m_window->countIsExact());

    // A seek forgets both ends.
    answer({ Fetch::Seek, 15 });
    QCOMPARE(m_window->blockStart(), 15);
    QCOMPARE(idAt(15), 16);
    QVERIFY(!m_window->countIsExact());
    QCOMPARE(m_window->count(), 30);
}

void RowWindowTest::anEmptyTableHasNoRows()
{
    start(0, 0);
    QCOMPARE(m_window->count(), 0);
    QVERIFY(!m_window->fetchFor(0));
    QCOMPARE(m_window->fractionOf(0), 0.0);
    // The model reads the first page anyway: it says there is nothing.
    answer(m_window->firstPage());
    QCOMPARE(m_window->count(), 0);
    QVERIFY(m_window->countIsExact());
    QVERIFY(!m_window->showsFirst());
    QVERIFY(!m_window->showsLast());
    QVERIFY(m_watch->changes.isEmpty());

    // Estimated at 1,000 (statistics from before a DELETE): the rows all go.
    newWindow();
    start(0, 1000);
    answer(m_window->firstPage());
    QCOMPARE(m_window->count(), 0);
    QVERIFY(m_window->countIsExact());
    QCOMPARE(m_watch->changes, (QList<CountChange> { { CountChange::Remove, 0, 999 } }));
}

void RowWindowTest::aFilterThatLeavesNothingStartsOver()
{
    start(1000, 1000);
    QVERIFY(load(0));
    const std::optional<Request> seek = m_window->fetchFor(500);
    QCOMPARE(seek, fetch(Fetch::Seek, 500));
    m_window->place(*seek, RowPage()); // the rows went meanwhile
    QCOMPARE(m_window->count(), 0);
    QCOMPARE(m_window->loadedRows(), 0);
    QVERIFY(m_window->countIsExact());
    QCOMPARE(m_watch->changes, (QList<CountChange> { { CountChange::Remove, 0, 999 } }));
}

// TablePage refines the estimate while the first pages are on their way: a seek asked for near
// the end of the old count is placed at the end of the new one.
void RowWindowTest::aSeekAnsweredAfterTheCountShrankLandsInsideIt()
{
    start(3000, 3000);
    QVERIFY(load(0));
    const std::optional<Request> seek = m_window->fetchFor(2500);
    QCOMPARE(seek, fetch(Fetch::Seek, 2500));
    const double fraction = m_window->fractionOf(2500);
    m_window->refineEstimate(1000);
    QCOMPARE(m_window->count(), 1000);
    m_window->place(*seek, m_table->seek(fraction));
    QCOMPARE(m_window->blockStart(), 990);
    QCOMPARE(m_window->blockEnd(), 1000);
    QCOMPARE(idAt(990), 2501);
    QCOMPARE(m_window->count(), 1010); // not the end yet: a page more after the block
}

void RowWindowTest::fewerRowsThanAPage()
{
    start(7, 1000);
    QVERIFY(load(0));
    QCOMPARE(m_window->count(), 7);
    QVERIFY(m_window->countIsExact());
    QVERIFY(m_window->showsFirst() && m_window->showsLast());
    QCOMPARE(idAt(6), 7);
    QCOMPARE(m_watch->changes, (QList<CountChange> { { CountChange::Remove, 7, 999 } }));

    // Never analyzed (-1): no rows until the first page says how many.
    newWindow();
    start(7, -1);
    QCOMPARE(m_window->count(), 0);
    answer(m_window->firstPage());
    QCOMPARE(m_window->count(), 7);
    QVERIFY(m_window->countIsExact());
    QCOMPARE(m_watch->changes, (QList<CountChange> { { CountChange::Insert, 0, 6 } }));
}

void RowWindowTest::anEstimateTooHighShrinksAtTheEnds()
{
    // Forward from the top: the end comes early and the count stops there.
    start(30, 1000);
    for (int row = 0; row < 30; ++row)
        QVERIFY(load(row));
    QCOMPARE(m_window->count(), 30);
    QVERIFY(m_window->countIsExact());
    QCOMPARE(m_watch->changes, (QList<CountChange> { { CountChange::Remove, 30, 999 } }));

    // Back from the end: the top comes early, and the rows before it go from the front.
    newWindow();
    start(30, 1000);
    QVERIFY(load(0));
    QVERIFY(load(999));
    QCOMPARE(m_window->blockStart(), 990);
    QCOMPARE(idAt(999), 30);
    QVERIFY(load(989));
    QVERIFY(!load(979)); // no such row any more: the first row came 970 rows early
    QCOMPARE(m_window->count(), 30);
    QCOMPARE(m_window->blockStart(), 0);
    QVERIFY(m_window->countIsExact());
    for (int row = 0; row < 30; ++row)
        QCOMPARE(idAt(row), row + 1);
    QCOMPARE(m_watch->changes, (QList<CountChange> { { CountChange::Remove, 0, 969 } }));

    // A seek that lands on the first rows: they move up to row 0, the end still unknown.
    newWindow();
    start(30, 1000);
    QVERIFY(load(0));
    m_window->place({ Fetch::Seek, 500 }, m_table->seek(0.01));
    QCOMPARE(m_window->blockStart(), 0);
    QCOMPARE(idAt(0), 1);
    QCOMPARE(m_window->count(), 500);
    QCOMPARE(m_watch->changes, (QList<CountChange> { { CountChange::Remove, 0, 499 } }));
}

void RowWindowTest::anEstimateTooLowGrowsAsPagesCome()
{
    // Forward: a page more each time the block reaches the count, until the end.
    start(50, 20);
    QCOMPARE(m_window->count(), 20);
    for (int row = 0; row < 50; ++row) {
        QVERIFY2(load(row), qPrintable(m_window->describe()));
        QCOMPARE(idAt(row), row + 1);
    }
    QCOMPARE(m_window->count(), 50);
    QVERIFY(m_window->countIsExact());
    QCOMPARE(m_watch->changes,
             (QList<CountChange> { { CountChange::Insert, 20, 29 },
                                   { CountChange::Insert, 30, 39 },
                                   { CountChange::Insert, 40, 49 } }));

    // Back from a jump to the end: room is made at the front for each page before the block.
    newWindow();
    start(50, 20);
    answer(m_window->lastPage());
    QCOMPARE(m_window->blockStart(), 10);
    QCOMPARE(idAt(19), 50);
    QVERIFY(load(9));
    QCOMPARE(m_window->count(), 50);
    QCOMPARE(m_window->blockStart(), 0);
    QVERIFY(m_window->countIsExact());
    for (int row = 0; row < 50; ++row)
        QCOMPARE(idAt(row), row + 1);
    QCOMPARE(m_watch->changes,
             (QList<CountChange> { { CountChange::Insert, 0, 9 },
                                   { CountChange::Insert, 0, 9 },
                                   { CountChange::Insert, 0, 9 } }));
}

void RowWindowTest::aRefinedEstimateNeverDropsRowsRead()
{
    start(1000, 1000);
    for (int row = 0; row < 40; ++row)
        QVERIFY(load(row));
    m_window->refineEstimate(5);
    QCOMPARE(m_window->count(), 41); // the rows read and one more: the end was not seen
    m_window->refineEstimate(-1); // unknown: kept as it is
    QCOMPARE(m_window->count(), 41);
    m_window->refineEstimate(800);
    QCOMPARE(m_window->count(), 800);

    // Once the end is known, the count is exact and no estimate changes it.
    newWindow();
    start(30, 30);
    for (int row = 0; row < 30; ++row)
        QVERIFY(load(row));
    m_window->refineEstimate(5000);
    QCOMPARE(m_window->count(), 30);
}

QTEST_GUILESS_MAIN(RowWindowTest)
#include "tst_rowwindow.moc"
