#include "report_documents/plot_frame.h"

#include <QFontMetricsF>
#include <QPainterPath>
#include <array>
#include <cmath>

namespace socklens::reports {

namespace {

constexpr double kLeftMargin = 48;
constexpr double kBottomMargin = 34;
constexpr double kTopMargin = 8;

/// 1, 2 or 5 times a power of ten, giving at most `most` steps over `span`.
double niceStep(double span, int most) {
    const double raw = span / most;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (factor * power >= raw)
            return factor * power;
    }
    return 10 * power;
}

QString secondsText(double value, double step) {
    return QString::number(value, 'f', step >= 1 ? 0 : int(std::ceil(-std::log10(step))));
}

} // namespace

SessionClock::SessionClock(std::span<const JournalEntry> journal)
    : journal_(journal)
    , startUs_(journal.empty() ? 0 : journal.front().timeUs)
    , endUs_(journal.empty() ? 0 : journal.back().timeUs) {}

double SessionClock::seconds(Sequence at) const {
    // Entries are numbered from 1 without gaps, so an entry's number is its index + 1.
    const std::uint64_t index = at.value() - 1;
    return index < journal_.size() ? seconds(journal_[index].timeUs) : length();
}

QColor socketColour(SocketId id) {
    // Distinct on white and in grey print (a Tableau-like set).
    static constexpr std::array<QRgb, 10> kColours{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728,
                                                   0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
                                                   0xbcbd22, 0x17becf};
    return QColor::fromRgb(kColours[(id.value() + kColours.size() - 1) % kColours.size()]);
}

PlotFrame::PlotFrame(QPainter& painter, const QRectF& area, double seconds)
    : painter_(painter)
    , area_(area)
    , plot_(area.left() + kLeftMargin, area.top() + kTopMargin,
            area.width() - kLeftMargin - kLegendWidth - 12,
            area.height() - kTopMargin - kBottomMargin)
    , seconds_(std::max(seconds, 0.001)) {
    painter_.setRenderHint(QPainter::Antialiasing);
    painter_.fillRect(area_, Qt::white);
    painter_.setPen(QPen(QColor(0xc8, 0xc8, 0xc8), 1));
    painter_.drawRect(plot_);
    QFont font = painter_.font();
    font.setPixelSize(11);
    painter_.setFont(font);
}

double PlotFrame::x(double seconds) const {
    return plot_.left() + plot_.width() * std::clamp(seconds / seconds_, 0.0, 1.0);
}

double PlotFrame::y(double value) const {
    return plot_.bottom() - plot_.height() * std::clamp(value / top_, 0.0, 1.0);
}

void PlotFrame::drawTimeAxis() {
    const double step = niceStep(seconds_, 8);
    painter_.setPen(QColor(0x44, 0x44, 0x44));
    for (double t = 0; t <= seconds_ + step / 1000; t += step) {
        const double at = x(t);
        painter_.drawLine(QPointF(at, plot_.bottom()), QPointF(at, plot_.bottom() + 4));
        painter_.drawText(QRectF(at - 40, plot_.bottom() + 5, 80, 14), Qt::AlignCenter,
                          secondsText(t, step));
    }
    painter_.drawText(QRectF(plot_.left(), plot_.bottom() + 18, plot_.width(), 14), Qt::AlignCenter,
                      QObject::tr("seconds since the session began"));
}

void PlotFrame::drawValueAxis(int top, const QString& label) {
    top_ = std::max(top, 1);
    const int step = std::max(1, int(niceStep(top_, 5)));
    for (int value = 0; value <= top_; value += step) {
        const double at = y(value);
        painter_.setPen(QPen(QColor(0xe6, 0xe6, 0xe6), 1));
        painter_.drawLine(QPointF(plot_.left(), at), QPointF(plot_.right(), at));
        painter_.setPen(QColor(0x44, 0x44, 0x44));
        painter_.drawText(QRectF(plot_.left() - 30, at - 7, 26, 14),
                          Qt::AlignRight | Qt::AlignVCenter, QString::number(value));
    }
    painter_.save();
    painter_.translate(area_.left() + 10, plot_.center().y());
    painter_.rotate(-90);
    painter_.drawText(QRectF(-plot_.height() / 2, -8, plot_.height(), 16), Qt::AlignCenter, label);
    painter_.restore();
}

void PlotFrame::drawLegend(const std::vector<LegendItem>& items) {
    const double left = plot_.right() + 12;
    double top = plot_.top();
    const QFontMetricsF metrics(painter_.font());
    for (const LegendItem& item : items) {
        const QPointF mark(left + 9, top + 7);
        if (item.mark == LegendItem::Mark::Line) {
            painter_.setPen(QPen(item.colour, 2.5));
            painter_.drawLine(QPointF(left, mark.y()), QPointF(left + 18, mark.y()));
        } else {
            drawMark(painter_, item.mark, mark, item.colour);
        }
        painter_.setPen(QColor(0x22, 0x22, 0x22));
        painter_.drawText(QPointF(left + 24, top + 11),
                          metrics.elidedText(item.text, Qt::ElideRight, kLegendWidth - 28));
        top += 16;
        if (top > area_.bottom() - 16)
            break;
    }
}

void PlotFrame::drawNote(const QString& text) {
    painter_.setPen(QColor(0x77, 0x77, 0x77));
    painter_.drawText(plot_, Qt::AlignCenter | Qt::TextWordWrap, text);
}

void PlotFrame::drawMark(QPainter& painter, LegendItem::Mark mark, QPointF at,
                         const QColor& colour) {
    painter.save();
    switch (mark) {
    case LegendItem::Mark::Cross:
        painter.setPen(QPen(colour, 2.2));
        painter.drawLine(at + QPointF(-4, -4), at + QPointF(4, 4));
        painter.drawLine(at + QPointF(-4, 4), at + QPointF(4, -4));
        break;
    case LegendItem::Mark::UpTriangle:
    case LegendItem::Mark::DownTriangle: {
        const double s = mark == LegendItem::Mark::UpTriangle ? -1 : 1;
        QPainterPath path;
        path.moveTo(at + QPointF(0, 5 * s));
        path.lineTo(at + QPointF(-4.5, -4 * s));
        path.lineTo(at + QPointF(4.5, -4 * s));
        path.closeSubpath();
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawPath(path);
        break;
    }
    case LegendItem::Mark::Line:
        painter.setPen(QPen(colour, 2.5));
        painter.drawLine(at + QPointF(-9, 0), at + QPointF(9, 0));
        break;
    }
    painter.restore();
}

} // namespace socklens::reports
