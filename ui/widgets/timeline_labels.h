// The text tags of the registration timeline, laid out in pixels on every replot: a tag never
// runs past the plot's edges and never covers another tag of its row; one that cannot fit is
// hidden (its mark keeps the text as a tooltip).
#pragma once

#include <vector>

class QCustomPlot;
class QCPItemText;

namespace socklens::ui {

class TimelineLabels {
public:
    explicit TimelineLabels(QCustomPlot& plot)
        : plot_(plot) {}

    /// A tag for the stretch [start, end] (seconds; start == end for a point) of lane `lane`,
    /// on the row `y` (plot coordinates). Tags are placed in the order they are added.
    void add(QCPItemText* label, double start, double end, double y);
    void clear() { labels_.clear(); }
    /// Places every tag for the axes' current ranges and the axis rect's current size.
    void place();
    /// How many tags are shown, and how many were hidden for want of room.
    int shown() const;

private:
    struct Label {
        QCPItemText* item;
        double start;
        double end;
        double y;
    };
    QCustomPlot& plot_;
    std::vector<Label> labels_;
};

} // namespace socklens::ui
