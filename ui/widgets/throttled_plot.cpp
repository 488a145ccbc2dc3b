#include "widgets/throttled_plot.h"

#include "widgets/plot.h"

namespace socklens::ui {

ThrottledPlot::ThrottledPlot(QWidget* parent)
    : QWidget(parent) {
    timer_.setSingleShot(true);
    timer_.setInterval(kPlotRefreshInterval);
    connect(&timer_, &QTimer::timeout, this, &ThrottledPlot::refresh);
}

void ThrottledPlot::scheduleRefresh() {
    if (!timer_.isActive())
        timer_.start();
}

void ThrottledPlot::refresh() {
    if (!isVisible())
        return; // a hidden plot costs nothing; showEvent catches up
    timer_.stop();
    redraw();
}

void ThrottledPlot::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh(); // changes that came while hidden were only noted
}

} // namespace socklens::ui
