// What the report's plots share: a time axis in seconds since the session began, a value or
// lane axis, a legend column on the right and one palette, drawn with QPainter so the same
// code makes the HTML's SVG and the PDF's image.
#pragma once

#include "model/journal_entry.h"

#include <QColor>
#include <QObject>
#include <QPainter>
#include <QRectF>
#include <QString>
#include <functional>
#include <span>
#include <vector>

namespace socklens::reports {

/// Paints one plot into `area` of any paint device.
using PlotPainter = std::function<void(QPainter&, const QRectF& area)>;

/// Seconds since the session's first entry.
class SessionClock {
public:
    explicit SessionClock(std::span<const JournalEntry> journal);
    double seconds(std::int64_t timeUs) const { return double(timeUs - startUs_) / 1e6; }
    /// When entry `at` was journaled.
    double seconds(Sequence at) const;
    double length() const { return seconds(endUs_); }

private:
    std::span<const JournalEntry> journal_;
    std::int64_t startUs_ = 0;
    std::int64_t endUs_ = 0;
};

/// The colour of socket `id` in every plot and table of a report.
QColor socketColour(SocketId id);

struct LegendItem {
    QColor colour;
    QString text;
    enum class Mark { Line, Cross, UpTriangle, DownTriangle } mark = Mark::Line;
};

class PlotFrame {
public:
    static constexpr double kLegendWidth = 170;

    /// `seconds`: the session's length; the plot area leaves room for labels and legend.
    PlotFrame(QPainter& painter, const QRectF& area, double seconds);

    const QRectF& plotArea() const { return plot_; }
    double x(double seconds) const;

    /// The time axis below the plot, with its label.
    void drawTimeAxis();
    /// A value axis from 0 to `top` with whole-number ticks.
    void drawValueAxis(int top, const QString& label);
    double y(double value) const;
    void drawLegend(const std::vector<LegendItem>& items);
    /// A sentence in the middle of the plot, for an empty one.
    void drawNote(const QString& text);
    static void drawMark(QPainter& painter, LegendItem::Mark mark, QPointF at,
                         const QColor& colour);

private:
    QPainter& painter_;
    QRectF area_;
    QRectF plot_;
    double seconds_;
    int top_ = 1;
};

} // namespace socklens::reports
