#include "report_documents/registration_plot_painter.h"

#include <map>
#include <set>

namespace socklens::reports {

namespace {

const QColor kReadColour(0x15, 0x65, 0xc0);
const QColor kWriteColour(0x2e, 0x7d, 0x32);
const QColor kCancelColour(0xc6, 0x28, 0x28);

bool held(const Registration& registration, bool observed) {
    return registration.owner.valid() && (registration.mask != 0 || observed);
}

/// When the socket's last descriptor went: its first count of 0 after `from`.
double endOf(const SocketState& socket, const SessionClock& clock, double from) {
    for (const CountPoint& point : socket.countHistory) {
        const double at = clock.seconds(point.timeUs);
        if (at >= from && point.count + point.inFlight == 0)
            return at;
    }
    return clock.length();
}

/// Processes that held a registration or were notified, in id order.
std::vector<ProcessId> lanesOf(const State& state) {
    std::set<ProcessId> lanes;
    for (const auto& [id, socket] : state.sockets) {
        for (const RegistrationChange& change : socket.registrationHistory) {
            if (held(change.registration, change.observed))
                lanes.insert(change.registration.owner);
        }
    }
    for (const DeliveredEvent& event : state.events)
        lanes.insert(event.descriptor.process);
    return {lanes.begin(), lanes.end()};
}

} // namespace

PlotPainter registrationPlot(const report::ReportInput& input) {
    return [&input](QPainter& painter, const QRectF& area) {
        const State& state = input.state;
        const SessionClock clock(input.journal);
        PlotFrame frame(painter, area, clock.length());
        frame.drawTimeAxis();
        const std::vector<ProcessId> lanes = lanesOf(state);
        if (lanes.empty()) {
            frame.drawNote(QObject::tr("No registration was made and no event delivered."));
            return;
        }
        const QRectF plot = frame.plotArea();
        const double laneHeight = plot.height() / double(lanes.size());
        std::map<ProcessId, double> laneTop;
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            const double top = plot.top() + laneHeight * double(i);
            laneTop[lanes[i]] = top;
            painter.setPen(QColor(0xe0, 0xe0, 0xe0));
            if (i > 0)
                painter.drawLine(QPointF(plot.left(), top), QPointF(plot.right(), top));
            const ProcessState* process = state.process(lanes[i]);
            painter.setPen(QColor(0x33, 0x33, 0x33));
            painter.drawText(QRectF(area.left(), top, plot.left() - area.left() - 4, laneHeight),
                             Qt::AlignRight | Qt::AlignVCenter,
                             process ? QString::fromStdString(process->name)
                                     : QStringLiteral("P%1").arg(lanes[i].value()));
        }

        std::vector<LegendItem> legend;
        for (const auto& [id, socket] : state.sockets) {
            const auto& history = socket.registrationHistory;
            bool drawn = false;
            for (std::size_t i = 0; i < history.size(); ++i) {
                const RegistrationChange& change = history[i];
                const double from = clock.seconds(change.registration.at);
                if (change.cancelled && change.cancelled->owner.valid() &&
                    change.cancelled->owner != change.registration.owner &&
                    laneTop.contains(change.cancelled->owner))
                    PlotFrame::drawMark(
                        painter, LegendItem::Mark::Cross,
                        {frame.x(from), laneTop[change.cancelled->owner] + laneHeight / 2},
                        kCancelColour);
                if (!held(change.registration, change.observed))
                    continue;
                const double to = i + 1 < history.size()
                                      ? clock.seconds(history[i + 1].registration.at)
                                      : endOf(socket, clock, from);
                const double top = laneTop[change.registration.owner];
                const QRectF bar(
                    QPointF(frame.x(from), top + laneHeight * 0.3),
                    QPointF(std::max(frame.x(to), frame.x(from) + 2), top + laneHeight * 0.7));
                QColor fill = socketColour(id);
                fill.setAlpha(150);
                painter.fillRect(bar, fill);
                drawn = true;
            }
            if (drawn)
                legend.push_back(
                    {socketColour(id), QObject::tr("S%1 registration held").arg(id.value())});
        }
        for (const DeliveredEvent& event : state.events) {
            const auto lane = laneTop.find(event.descriptor.process);
            if (lane == laneTop.end())
                continue;
            const double x = frame.x(clock.seconds(event.timeUs));
            if (event.events & FdRead)
                PlotFrame::drawMark(painter, LegendItem::Mark::UpTriangle,
                                    {x, lane->second + laneHeight * 0.18}, kReadColour);
            if (event.events & FdWrite)
                PlotFrame::drawMark(painter, LegendItem::Mark::DownTriangle,
                                    {x, lane->second + laneHeight * 0.82}, kWriteColour);
        }
        legend.push_back(
            {kCancelColour, QObject::tr("cancelled by another"), LegendItem::Mark::Cross});
        legend.push_back(
            {kReadColour, QObject::tr("FD_READ delivered"), LegendItem::Mark::UpTriangle});
        legend.push_back(
            {kWriteColour, QObject::tr("FD_WRITE delivered"), LegendItem::Mark::DownTriangle});
        frame.drawLegend(legend);
    };
}

} // namespace socklens::reports
