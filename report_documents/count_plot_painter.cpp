#include "report_documents/count_plot_painter.h"

#include <QPainterPath>
#include <algorithm>

namespace socklens::reports {

namespace {

int peakOf(const SocketState& socket) {
    int peak = 0;
    for (const CountPoint& point : socket.countHistory)
        peak = std::max(peak, point.count + point.inFlight);
    return peak;
}

/// The busiest sockets with a history, in id order.
std::vector<const SocketState*> socketsToDraw(const State& state) {
    std::vector<const SocketState*> sockets;
    for (const auto& [id, socket] : state.sockets) {
        if (!socket.countHistory.empty())
            sockets.push_back(&socket);
    }
    if (sockets.size() > kMaxPlottedSockets) {
        std::stable_sort(sockets.begin(), sockets.end(),
                         [](const auto* a, const auto* b) { return peakOf(*a) > peakOf(*b); });
        sockets.resize(kMaxPlottedSockets);
        std::sort(sockets.begin(), sockets.end(),
                  [](const auto* a, const auto* b) { return a->id < b->id; });
    }
    return sockets;
}

} // namespace

PlotPainter countPlot(const report::ReportInput& input) {
    return [&input](QPainter& painter, const QRectF& area) {
        const SessionClock clock(input.journal);
        PlotFrame frame(painter, area, clock.length());
        const std::vector<const SocketState*> sockets = socketsToDraw(input.state);
        int top = 1;
        for (const SocketState* socket : sockets)
            top = std::max(top, peakOf(*socket));
        frame.drawValueAxis(top + 1, QObject::tr("descriptors"));
        frame.drawTimeAxis();
        if (sockets.empty()) {
            frame.drawNote(QObject::tr("No descriptor count was observed in this session."));
            return;
        }
        std::vector<LegendItem> legend;
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            const SocketState& socket = *sockets[i];
            // Sockets with equal counts would hide each other: shift each line a little.
            const double shift = (double(i) - double(sockets.size() - 1) / 2) * 2.0;
            QPainterPath path;
            double lastY = 0;
            for (const CountPoint& point : socket.countHistory) {
                const double x = frame.x(clock.seconds(point.timeUs));
                const double y = frame.y(point.count + point.inFlight) + shift;
                if (path.elementCount() == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, lastY);
                    path.lineTo(x, y);
                }
                lastY = y;
            }
            path.lineTo(frame.x(clock.length()), lastY);
            painter.setPen(QPen(socketColour(socket.id), 2.2));
            painter.setBrush(Qt::NoBrush);
            painter.drawPath(path);
            legend.push_back(
                {socketColour(socket.id), QStringLiteral("S%1 %2")
                                              .arg(socket.id.value())
                                              .arg(QString::fromStdString(socket.kind))});
        }
        const std::size_t withHistory =
            std::count_if(input.state.sockets.begin(), input.state.sockets.end(),
                          [](const auto& item) { return !item.second.countHistory.empty(); });
        if (withHistory > sockets.size())
            legend.push_back(
                {QColor(Qt::transparent),
                 QObject::tr("+%1 quieter sockets not drawn").arg(withHistory - sockets.size())});
        frame.drawLegend(legend);
    };
}

} // namespace socklens::reports
