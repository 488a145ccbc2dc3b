// The registration timeline of one socket (C7): a lane per process, a bar while it holds
// the FD_READ/FD_WRITE registration labelled with its mask, a red cross where another
// process's registration cancelled it, and ticks where the OS actually notified it.
#pragma once

#include "model/ids.h"
#include "widgets/throttled_plot.h"

#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemRect;
class QCPTextElement;

namespace socklens::ui {

class Session;
class LiveTimeAxis;
struct ChangeSet;

class RegistrationTimelinePlot : public ThrottledPlot {
    Q_OBJECT
public:
    explicit RegistrationTimelinePlot(const Session& session, QWidget* parent = nullptr);
    ~RegistrationTimelinePlot() override;

    /// Shows this socket's timeline; an invalid id shows none.
    void setSocket(SocketId socket);

private:
    void noteChanges(const ChangeSet& changes);
    void redraw() override;
    void rebuild();
    void addBar(int lane, double start, double end, bool ongoing, const QColor& color,
                const QString& label);

    const Session& session_;
    QCustomPlot* plot_;
    LiveTimeAxis* time_;
    QCPTextElement* title_;
    QCPGraph* reads_;                   ///< delivered FD_READ ticks
    QCPGraph* writes_;                  ///< delivered FD_WRITE ticks
    QCPGraph* cancels_;                 ///< cancellation crosses
    std::vector<QCPItemRect*> ongoing_; ///< bars that end at "now" and grow with it
    std::vector<ProcessId> lanes_;      ///< whose exit would change the drawing
    SocketId socket_;
    bool stale_ = true;    ///< the timeline must be rebuilt, not only extended to now
    double dataStart_ = 0; ///< the first registration or delivery shown, seconds
};

} // namespace socklens::ui
