// The registration timeline of one socket (C7): a lane per process, a bar while it holds
// the FD_READ/FD_WRITE registration labelled with its mask, a red cross where another
// process's registration cancelled it, and ticks where the OS actually notified it. Every mark
// explains itself on hover and names its journal entry on a click.
#pragma once

#include "model/ids.h"
#include "models/registration_timeline.h"
#include "widgets/throttled_plot.h"

#include <QString>
#include <memory>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemRect;
class QCPTextElement;

namespace socklens::ui {

class Session;
class LiveTimeAxis;
class TimelineLabels;
struct ChangeSet;

class RegistrationTimelinePlot : public ThrottledPlot {
    Q_OBJECT
public:
    explicit RegistrationTimelinePlot(const Session& session, QWidget* parent = nullptr);
    ~RegistrationTimelinePlot() override;

    /// Shows this socket's timeline; an invalid id shows none.
    void setSocket(SocketId socket);
    /// The hover text and journal entry of the mark at `pixel` (plot widget coordinates);
    /// an empty text when there is none.
    std::pair<QString, Sequence> markAt(const QPoint& pixel) const;

Q_SIGNALS:
    /// A mark was clicked: the journal entry that recorded it.
    void entryChosen(socklens::Sequence entry);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /// Something the pointer can rest on: a point (ticks, crosses) or a bar's stretch.
    struct Mark {
        double start;
        double end;
        double y;
        double halfHeight; ///< in lanes; points are hit within a few pixels instead
        QString text;
        Sequence at;
        bool ongoing = false; ///< a bar that ends at "now"
    };

    void noteChanges(const ChangeSet& changes);
    void redraw() override;
    void rebuild();
    void addBar(int lane, const TimelineBar& bar, const QString& text);

    const Session& session_;
    QCustomPlot* plot_;
    LiveTimeAxis* time_;
    QCPTextElement* title_;
    QCPGraph* reads_;                   ///< delivered FD_READ ticks
    QCPGraph* writes_;                  ///< delivered FD_WRITE ticks
    QCPGraph* cancels_;                 ///< cancellation crosses
    std::vector<QCPItemRect*> ongoing_; ///< bars that end at "now" and grow with it
    std::vector<ProcessId> lanes_;      ///< whose exit would change the drawing
    std::vector<Mark> marks_;
    std::unique_ptr<TimelineLabels> labels_;
    QPoint pressedAt_;
    SocketId socket_;
    bool stale_ = true;    ///< the timeline must be rebuilt, not only extended to now
    double dataStart_ = 0; ///< the first registration or delivery shown, seconds
};

} // namespace socklens::ui
