// Who held a socket's FD_READ/FD_WRITE registration when, who cancelled whom, and which
// process the OS actually notified (C7), laid out as lanes for the timeline plot. Computed
// from the folded state; the journal serves only as the clock.
#pragma once

#include "model/journal_entry.h"
#include "model/state.h"

#include <QString>
#include <span>
#include <vector>

namespace socklens::ui {

/// Session time: seconds since the first journal entry, "now" being the last one's time.
class SessionClock {
public:
    explicit SessionClock(std::span<const JournalEntry> entries);

    double seconds(std::int64_t timeUs) const { return double(timeUs - originUs_) / 1e6; }
    /// The time of an entry of the journal (0 when it is not in it).
    double secondsAt(Sequence sequence) const;
    double now() const { return now_; }

private:
    std::span<const JournalEntry> entries_;
    std::int64_t originUs_ = 0;
    double now_ = 0;
};

/// A stretch of time during which one process held the registration.
struct TimelineBar {
    double start = 0;
    double end = 0;       ///< the next change, the socket's close, or now
    bool ongoing = false; ///< still held at the end of the journal
    EventMask mask = 0;
    bool observed = false; ///< the owner was read from the OS: its mask is unknown
    QString label;         ///< "FD_READ", "FD_READ|FD_WRITE", "?"
    Sequence at;           ///< the journal entry that began it
    DescriptorRef through; ///< the descriptor the registration was made through
};

/// Where another process's registration replaced this lane's one.
struct TimelineCancellation {
    double time = 0;
    ProcessId canceller;
    OsPid cancellerPid;
    QString label; ///< "cancelled by B"
    Sequence at;   ///< the journal entry of the cancelling registration
};

/// A notification the OS delivered to this lane's process.
struct TimelineTick {
    double time = 0;
    EventMask events = 0; ///< FD_READ and/or FD_WRITE
    DescriptorRef descriptor;
    Sequence at; ///< the journal entry that recorded the delivery
};

/// One process: it held the registration at some point or was notified through the socket.
struct TimelineLane {
    ProcessId process; ///< invalid for an owner the OS named that the session does not know
    OsPid pid;
    QString name;
    std::vector<TimelineBar> bars;
    std::vector<TimelineCancellation> cancellations;
    std::vector<TimelineTick> ticks;
};

struct RegistrationTimeline {
    SocketId socket;
    double now = 0;
    std::vector<TimelineLane> lanes; ///< in process order; unknown owners (by pid) last

    const TimelineLane* lane(ProcessId process) const;
};

/// What a mark of `lane` says on hover: what happened, to whom, when, and which journal entry.
QString describeTick(const TimelineLane& lane, const TimelineTick& tick);
QString describeBar(const TimelineLane& lane, const TimelineBar& bar);
QString describeCancellation(const TimelineLane& lane, const TimelineCancellation& cancellation);

/// The timeline of `socket` in `state`, timed by `entries` (the journal `state` was folded
/// from, or a prefix of it at least as long as `state.last`).
RegistrationTimeline buildRegistrationTimeline(const State& state,
                                               std::span<const JournalEntry> entries,
                                               SocketId socket);

} // namespace socklens::ui
