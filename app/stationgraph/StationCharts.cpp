#include "StationCharts.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace fuelsync {

namespace {

const QColor Blue(0x1d, 0x4e, 0x89);
const QColor Red(0xc6, 0x28, 0x28);
const QColor Green(0x2e, 0x8b, 0x57);
const QColor Amber(0xd0, 0x8c, 0x1c);
const QColor Grey(0x8a, 0x90, 0x98);

qreal ms(const QDateTime &at)
{
    return qreal(at.toMSecsSinceEpoch());
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    return chart;
}

QDateTimeAxis *timeAxis(QChart *chart, const QDateTime &from, const QDateTime &to)
{
    auto *axis = new QDateTimeAxis;
    axis->setFormat(from.daysTo(to) <= 3 ? QStringLiteral("d MMM HH:mm") : QStringLiteral("d MMM"));
    axis->setRange(from.toLocalTime(), to.toLocalTime());
    axis->setTickCount(std::clamp(int(from.daysTo(to)) + 1, 3, 6));
    chart->addAxis(axis, Qt::AlignBottom);
    return axis;
}

QValueAxis *valueAxis(QChart *chart, const QString &title, Qt::Alignment side, double low,
                      double high)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setTickCount(4);
    if (!(high > low)) {
        high = low + 1;
        low = std::max(0.0, low - 1);
    }
    const double pad = (high - low) * 0.06;
    axis->setRange(low >= 0 ? std::max(0.0, low - pad) : low - pad, high + pad);
    axis->setLabelFormat(high - low >= 100 ? QStringLiteral("%.0f") : QStringLiteral("%.2f"));
    chart->addAxis(axis, side);
    return axis;
}

void attach(QChart *chart, QAbstractSeries *series, QAbstractAxis *x, QAbstractAxis *y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

QScatterSeries *markers(const QString &name, const QColor &colour, double size)
{
    auto *series = new QScatterSeries;
    series->setName(name);
    series->setColor(colour);
    series->setBorderColor(colour);
    series->setMarkerSize(size);
    return series;
}

QLineSeries *line(const QString &name, const QColor &colour, double width,
                  Qt::PenStyle style = Qt::SolidLine)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(colour, width);
    pen.setStyle(style);
    series->setPen(pen);
    return series;
}

} // namespace

QChart *StationCharts::nozzleMeter(const NozzleHistory &history)
{
    QChart *chart = newChart(history.readings.isEmpty() ? tr("Meter readings: none in these days")
                                                        : tr("Meter readings"));
    auto *meter = line(meterSeriesName(), Blue, 1.6);
    auto *down = markers(wentDownSeriesName(), Red, 9);
    double low = 0;
    double high = 0;
    bool first = true;
    QList<QPointF> points;
    points.reserve(history.readings.size());
    for (const NozzleHistory::Reading &r : history.readings) {
        points.append(QPointF(ms(r.at), r.value));
        if (r.wentDown)
            down->append(ms(r.at), r.value);
        low = first ? r.value : std::min(low, r.value);
        high = first ? r.value : std::max(high, r.value);
        first = false;
    }
    meter->replace(points);
    QDateTimeAxis *x = timeAxis(chart, history.from, history.to);
    QValueAxis *y = valueAxis(chart, tr("L"), Qt::AlignLeft, low, high);
    attach(chart, meter, x, y);
    attach(chart, down, x, y);
    return chart;
}

QChart *StationCharts::nozzleSales(const NozzleHistory &history)
{
    QString title = history.sales.isEmpty()
        ? tr("Sales and the price in force: no sales in these days")
        : tr("Sales and the price in force");
    if (history.prices.isEmpty())
        title += tr(" (no %1 price was set)").arg(history.fuelType);
    QChart *chart = newChart(title);
    auto *sales = markers(salesSeriesName(), Green, 6);
    auto *off = markers(offSeriesName(), Red, 10);
    double high = 0;
    QList<QPointF> points;
    points.reserve(history.sales.size());
    for (const NozzleHistory::Sale &s : history.sales) {
        points.append(QPointF(ms(s.at), s.volume));
        if (s.withoutReading || s.priceDiffers() || s.volumeDiffers() || !s.priceInForce)
            off->append(ms(s.at), s.volume);
        high = std::max(high, s.volume);
    }
    sales->replace(points);
    // The price as steps: each price holds until the next, to the window's end.
    auto *price = line(priceSeriesName(), Amber, 2);
    double priceLow = 0;
    double priceHigh = 0;
    for (qsizetype i = 0; i < history.prices.size(); ++i) {
        const NozzleHistory::Price &p = history.prices.at(i);
        const QDateTime start = std::max(p.validFrom, history.from);
        const QDateTime end =
            i + 1 < history.prices.size() ? history.prices.at(i + 1).validFrom : history.to;
        price->append(ms(start), p.pricePerLitre);
        price->append(ms(end), p.pricePerLitre);
        priceLow = i == 0 ? p.pricePerLitre : std::min(priceLow, p.pricePerLitre);
        priceHigh = i == 0 ? p.pricePerLitre : std::max(priceHigh, p.pricePerLitre);
    }
    QDateTimeAxis *x = timeAxis(chart, history.from, history.to);
    QValueAxis *litres = valueAxis(chart, tr("L"), Qt::AlignLeft, 0, high);
    QValueAxis *rupees = valueAxis(chart, tr("₹/L"), Qt::AlignRight, std::floor(priceLow - 1),
                                   std::ceil(priceHigh + 1));
    attach(chart, sales, x, litres);
    attach(chart, off, x, litres);
    attach(chart, price, x, rupees);
    return chart;
}

QChart *StationCharts::creditorBalance(const CreditorHistory &history)
{
    QChart *chart = newChart(tr("What %1 owed").arg(history.name));
    auto *owed = line(owedSeriesName(), Blue, 2);
    auto *limit = line(limitSeriesName(), Red, 1.2, Qt::DashLine);
    auto *payments = markers(paymentsSeriesName(), Green, 8);
    auto *over = markers(offSeriesName(), Red, 10);
    double low = std::min(0.0, history.balanceAtStart);
    double high = std::max(history.creditLimit, history.balanceAtStart);
    double balance = history.balanceAtStart;
    owed->append(ms(history.from), balance);
    for (const CreditorHistory::Event &e : history.events) {
        owed->append(ms(e.at), balance); // steps: the balance holds until the event
        owed->append(ms(e.at), e.balanceAfter);
        balance = e.balanceAfter;
        if (e.kind == CreditorHistory::Event::Kind::Payment)
            payments->append(ms(e.at), e.balanceAfter);
        if (e.overLimit)
            over->append(ms(e.at), e.balanceAfter);
        low = std::min(low, balance);
        high = std::max(high, balance);
    }
    owed->append(ms(history.to), balance);
    limit->append(ms(history.from), history.creditLimit);
    limit->append(ms(history.to), history.creditLimit);
    QDateTimeAxis *x = timeAxis(chart, history.from, history.to);
    QValueAxis *y = valueAxis(chart, tr("₹"), Qt::AlignLeft, low, high);
    attach(chart, owed, x, y);
    attach(chart, limit, x, y);
    attach(chart, payments, x, y);
    attach(chart, over, x, y);
    return chart;
}

QChart *StationCharts::stock(const StockHistory &history)
{
    QChart *chart = newChart(tr("%1 stock").arg(history.fuelType));
    auto *book = line(bookStockSeriesName(), Blue, 2);
    auto *minimum = line(minimumSeriesName(), Red, 1.2, Qt::DashLine);
    auto *capacity = line(tr("Capacity"), Grey, 1.2, Qt::DotLine);
    auto *sold = line(soldSeriesName(), Amber, 1.4);
    auto *delivered = markers(deliveredSeriesName(), Green, 9);
    double low = 0;
    double high = history.capacity;
    for (const StockHistory::Day &day : history.days) {
        if (day.bookStock) {
            book->append(ms(day.end), *day.bookStock);
            low = std::min(low, *day.bookStock);
            high = std::max(high, *day.bookStock);
        }
        sold->append(ms(day.end), day.sold);
    }
    for (const StockHistory::Delivery &d : history.deliveries)
        delivered->append(ms(d.at), d.volume);
    minimum->append(ms(history.from), history.minimum);
    minimum->append(ms(history.to), history.minimum);
    capacity->append(ms(history.from), history.capacity);
    capacity->append(ms(history.to), history.capacity);
    QDateTimeAxis *x = timeAxis(chart, history.from, history.to);
    QValueAxis *y = valueAxis(chart, tr("L"), Qt::AlignLeft, low, high);
    for (QAbstractSeries *series :
         std::initializer_list<QAbstractSeries *> { book, minimum, capacity, sold, delivered })
        attach(chart, series, x, y);
    return chart;
}

} // namespace fuelsync
