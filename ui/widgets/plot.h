// The one place that includes QCustomPlot, and what socklens's plots share: a time axis that
// follows the live end of the session, and a legend beside the plot rather than over it.
#pragma once

// qcustomplot.h's templates (plottables<T>(), items<T>()) use Qt's foreach, which the
// project's QT_NO_FOREACH removes; lend them a range-for for the length of the include.
// clang-format off
#define foreach(variable, container) for (variable : container)
#include <qcustomplot.h>
#undef foreach
// clang-format on

#include <algorithm>
#include <chrono>

namespace socklens::ui {

/// How often a plot redraws at most: a live session changes far more often than a person
/// can read a plot, and each replot costs GUI-thread time.
inline constexpr std::chrono::milliseconds kPlotRefreshInterval{250};

/// Keeps the x axis of `plot` on the live end of the session (all of it while it is short,
/// the last minute after that) until the user drags or zooms; a double-click follows again.
/// Dragging and zooming move time only: the other axis always fits what is drawn.
class LiveTimeAxis : public QObject {
public:
    static constexpr double kWindowSeconds = 60;

    explicit LiveTimeAxis(QCustomPlot* plot)
        : QObject(plot)
        , plot_(plot) {
        plot->xAxis->setLabel(QObject::tr("seconds since the session began"));
        plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
        plot->axisRect()->setRangeDrag(Qt::Horizontal);
        plot->axisRect()->setRangeZoom(Qt::Horizontal);
        connect(plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
            if (!moving_)
                following_ = false;
        });
        connect(plot, &QCustomPlot::mouseDoubleClick, this, [this] {
            following_ = true;
            follow(now_);
            plot_->replot(QCustomPlot::rpQueuedReplot);
        });
    }

    bool following() const { return following_; }
    /// Where the plot's data begins (seconds): a following axis starts just before it, so
    /// events late in a long session are not squeezed into its right edge.
    void setDataStart(double start) { start_ = start; }

    /// The session's end moved to `now` (seconds); the axis goes along if it follows.
    void follow(double now) {
        now_ = now;
        if (!following_)
            return;
        double lower = now > kWindowSeconds ? now - kWindowSeconds : 0;
        if (start_ > lower && start_ <= now) // half a second of what came before, at least
            lower = std::max(lower, start_ - std::max((now - start_) * 0.05, 0.5));
        // A short session fills the width too (a demo is over in a fraction of a second).
        const double upper = std::max(now + (now - lower) * 0.03, lower + 0.05);
        moving_ = true;
        plot_->xAxis->setRange(lower, upper);
        moving_ = false;
    }

private:
    QCustomPlot* plot_;
    double now_ = 0;
    double start_ = 0;
    bool following_ = true;
    bool moving_ = false; ///< our own range change, not the user's
};

/// Paints `plot` in the colours of its palette (the desktop's, light or dark) now and
/// whenever the palette changes: background, axes, tick labels, legend and title text.
class PaletteFollower : public QObject {
public:
    explicit PaletteFollower(QCustomPlot* plot)
        : QObject(plot)
        , plot_(plot) {
        plot->installEventFilter(this);
        apply();
    }

    void apply() {
        const QPalette& palette = plot_->palette();
        const QColor text = palette.color(QPalette::WindowText);
        QColor grid = palette.color(QPalette::Mid);
        plot_->setBackground(palette.brush(QPalette::Base));
        for (QCPAxis* axis : plot_->axisRect()->axes()) {
            axis->setBasePen(QPen(text));
            axis->setTickPen(QPen(text));
            axis->setSubTickPen(QPen(text));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
        }
        plot_->legend->setTextColor(text);
        for (int i = 0; i < plot_->plotLayout()->elementCount(); ++i) {
            if (auto* title = qobject_cast<QCPTextElement*>(plot_->plotLayout()->elementAt(i)))
                title->setTextColor(text);
        }
        plot_->replot(QCustomPlot::rpQueuedReplot);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == plot_ && event->type() == QEvent::PaletteChange)
            apply();
        return QObject::eventFilter(watched, event);
    }

private:
    QCustomPlot* plot_;
};

/// Moves the legend out of the axis rect into a column on its right, top-aligned, so it
/// never hides the live end of the data.
inline void placeLegendBeside(QCustomPlot& plot) {
    auto* column = new QCPLayoutGrid;
    plot.plotLayout()->addElement(0, 1, column);
    plot.plotLayout()->setColumnStretchFactor(1, 0.001);
    column->addElement(0, 0, plot.legend); // takes it out of the axis rect's inset layout
    column->addElement(1, 0, new QCPLayoutElement(&plot));
    column->setRowStretchFactor(0, 0.001);
    plot.legend->setVisible(true);
    plot.legend->setBorderPen(Qt::NoPen);
    plot.legend->setBrush(Qt::NoBrush);
    plot.legend->setRowSpacing(0); // seventeen sockets and a note fit a short plot
    QFont font = plot.legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    plot.legend->setFont(font);
}

} // namespace socklens::ui
