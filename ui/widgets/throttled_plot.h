// What both plots share about when they redraw: at most every kPlotRefreshInterval however
// many batches arrive, never while hidden (showing the plot catches up).
#pragma once

#include <QTimer>
#include <QWidget>

namespace socklens::ui {

class ThrottledPlot : public QWidget {
    Q_OBJECT
public:
    explicit ThrottledPlot(QWidget* parent = nullptr);

protected:
    /// One redraw within the interval, for any number of calls.
    void scheduleRefresh();
    /// Redraws now when shown; a hidden plot only waits for showEvent.
    void refresh();
    /// Draws what changed; called by refresh() only while the plot is visible.
    virtual void redraw() = 0;
    void showEvent(QShowEvent* event) override;

private:
    QTimer timer_;
};

} // namespace socklens::ui
