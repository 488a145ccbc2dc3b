// Descriptor count per socket over time, as the OS reported it (C6): one step line per
// socket, following the live end. Only the busiest sockets get a line, so the plot stays
// readable and cheap with thousands of sockets; the selected one always does.
#pragma once

#include "model/ids.h"
#include "widgets/throttled_plot.h"

#include <map>
#include <set>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemText;

namespace socklens::ui {

class Session;
class LiveTimeAxis;
struct ChangeSet;

class CountPlot : public ThrottledPlot {
    Q_OBJECT
public:
    /// Sockets drawn at most, besides the selected one.
    static constexpr int kMaxLines = 16;

    explicit CountPlot(const Session& session, QWidget* parent = nullptr);
    ~CountPlot() override;

    /// Draws this socket's line on top and thicker (and draws it even if it is not among
    /// the busiest); an invalid id selects none.
    void setSelectedSocket(SocketId socket);

private:
    struct Line {
        QCPGraph* graph = nullptr;
        /// Dashed along zero where the socket had no descriptor and the kernel still had it.
        QCPGraph* withoutDescriptor = nullptr;
        int peak = 0;          ///< the highest count in its history, for the value axis
        bool trailing = false; ///< the last point is "now", extending the open socket's step
    };
    /// Busiest first: higher count, then the older socket.
    using Rank = std::pair<int, SocketId>;
    struct BusierFirst {
        bool operator()(const Rank& a, const Rank& b) const {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        }
    };

    void noteChanges(const ChangeSet& changes);
    void redraw() override;
    void rerank(SocketId socket);
    std::vector<SocketId> socketsToShow() const;
    void fill(SocketId socket, Line& line, double now);
    void restyle();
    void relegend(const std::vector<SocketId>& shown);

    const Session& session_;
    QCustomPlot* plot_;
    LiveTimeAxis* time_;
    QCPGraph* more_;           ///< legend-only entry saying how many sockets are not drawn
    QCPItemText* hint_;        ///< shown while there is nothing to plot
    std::set<SocketId> dirty_; ///< changed since the last refresh
    std::map<SocketId, int> rankedCount_;
    std::set<Rank, BusierFirst> ranking_;
    std::map<SocketId, Line> lines_;
    std::vector<SocketId> legendOrder_;
    SocketId selected_;
};

} // namespace socklens::ui
