#include "widgets/timeline_labels.h"

#include "widgets/plot.h"

#include <QFontMetrics>
#include <map>

namespace socklens::ui {

void TimelineLabels::add(QCPItemText* label, double start, double end, double y) {
    labels_.push_back({label, start, end, y});
}

void TimelineLabels::place() {
    const QRect area = plot_.axisRect()->rect();
    if (area.width() <= 0)
        return;
    // Per row (a lane's bar row or its cancellation row), the right end of the last tag shown.
    std::map<double, double> rowEnd;
    for (const Label& label : labels_) {
        QCPItemText& item = *label.item;
        const QFontMetrics metrics(item.font());
        const QMargins padding = item.padding();
        const double width =
            metrics.horizontalAdvance(item.text()) + padding.left() + padding.right() + 2;
        const double left = plot_.xAxis->coordToPixel(label.start);
        const double right = plot_.xAxis->coordToPixel(label.end);
        // Begin where the mark begins, shifted right if it began before the visible range and
        // left if the tag would run past the right edge.
        double x = std::max(left, double(area.left()) + 1);
        x = std::min(x, double(area.right()) - width);
        const bool visible = right >= area.left() && left <= area.right() && x >= area.left() &&
                             (!rowEnd.count(label.y) || x > rowEnd[label.y]);
        item.setVisible(visible);
        if (!visible)
            continue;
        rowEnd[label.y] = x + width + 2;
        item.setPositionAlignment(Qt::AlignLeft |
                                  (item.positionAlignment() & Qt::AlignVertical_Mask));
        item.position->setCoords(plot_.xAxis->pixelToCoord(x), label.y);
    }
}

int TimelineLabels::shown() const {
    int count = 0;
    for (const Label& label : labels_)
        count += label.item->visible() ? 1 : 0;
    return count;
}

} // namespace socklens::ui
