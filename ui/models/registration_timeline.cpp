#include "models/registration_timeline.h"

#include "models/text.h"

#include <QCoreApplication>
#include <algorithm>
#include <map>
#include <optional>

namespace socklens::ui {

SessionClock::SessionClock(std::span<const JournalEntry> entries)
    : entries_(entries) {
    if (!entries.empty()) {
        originUs_ = entries.front().timeUs;
        now_ = seconds(entries.back().timeUs);
    }
}

double SessionClock::secondsAt(Sequence sequence) const {
    // Journals are numbered from 1 without gaps, so an entry's number is its position.
    const std::uint64_t index = sequence.value() - 1;
    if (!sequence.valid() || index >= entries_.size())
        return 0;
    return seconds(entries_[index].timeUs);
}

const TimelineLane* RegistrationTimeline::lane(ProcessId process) const {
    auto it = std::find_if(lanes.begin(), lanes.end(),
                           [&](const TimelineLane& lane) { return lane.process == process; });
    return it == lanes.end() ? nullptr : &*it;
}

namespace {

/// A lane is a session process, or (when the OS names an owner the session does not know)
/// a bare pid; those sort last.
struct LaneKey {
    bool unknown = false;
    ProcessId process;
    OsPid pid;
    auto operator<=>(const LaneKey&) const = default;
};

bool holds(const Registration& registration) {
    return registration.owner.valid() || registration.ownerPid.value() != 0;
}

LaneKey ownerKey(const Registration& registration) {
    if (registration.owner.valid())
        return {false, registration.owner, {}};
    return {true, {}, registration.ownerPid};
}

/// Who made the change: the new owner the OS reports, or the process whose call it was
/// (which, with an empty mask, holds nothing afterwards).
std::optional<LaneKey> changerKey(const RegistrationChange& change) {
    if (!change.observed)
        return LaneKey{false, change.registration.through.process, {}};
    if (holds(change.registration))
        return ownerKey(change.registration);
    return std::nullopt;
}

class Builder {
public:
    Builder(const State& state, std::span<const JournalEntry> entries, SocketId socket)
        : state_(state)
        , clock_(entries)
        , socket_(socket) {}

    RegistrationTimeline build() {
        RegistrationTimeline timeline;
        timeline.socket = socket_;
        timeline.now = clock_.secondsAt(state_.last);
        if (const SocketState* socket = state_.socket(socket_))
            addRegistrations(*socket, timeline.now);
        addTicks();
        for (auto& [key, lane] : lanes_)
            timeline.lanes.push_back(std::move(lane));
        return timeline;
    }

private:
    TimelineLane& lane(const LaneKey& key) {
        auto [it, added] = lanes_.try_emplace(key);
        TimelineLane& lane = it->second;
        if (added) {
            lane.process = key.process;
            lane.pid = key.pid;
            lane.name = nameOf(key);
            if (const ProcessState* process = state_.process(key.process))
                lane.pid = process->pid;
        }
        return lane;
    }

    QString nameOf(const LaneKey& key) const {
        if (key.unknown)
            return QCoreApplication::translate("RegistrationTimeline", "pid %1")
                .arg(key.pid.value());
        const ProcessState* process = state_.process(key.process);
        return process && !process->name.empty() ? qs(process->name)
                                                 : QStringLiteral("P%1").arg(key.process.value());
    }

    void addRegistrations(const SocketState& socket, double now) {
        std::optional<std::pair<LaneKey, TimelineBar>> open;
        for (const RegistrationChange& change : socket.registrationHistory) {
            const double time = clock_.secondsAt(change.registration.at);
            if (open) {
                open->second.end = time;
                lane(open->first).bars.push_back(open->second);
                open.reset();
            }
            const std::optional<LaneKey> changer = changerKey(change);
            if (change.cancelled && changer && *changer != ownerKey(*change.cancelled)) {
                TimelineLane& canceller = lane(*changer);
                lane(ownerKey(*change.cancelled))
                    .cancellations.push_back(
                        {time, canceller.process, canceller.pid,
                         QCoreApplication::translate("RegistrationTimeline", "cancelled by %1")
                             .arg(canceller.name)});
            }
            if (holds(change.registration)) {
                const Registration& registration = change.registration;
                TimelineBar bar;
                bar.start = time;
                bar.mask = registration.mask;
                bar.observed = change.observed;
                bar.label = change.observed ? QStringLiteral("?")
                                            : qs(eventMaskToString(registration.mask));
                open.emplace(ownerKey(registration), bar);
            }
        }
        if (open) {
            TimelineBar& bar = open->second;
            const std::optional<double> ended = endOfHolding(socket, open->first);
            bar.ongoing = !ended;
            bar.end = std::max(bar.start, ended.value_or(now));
            lane(open->first).bars.push_back(bar);
        }
    }

    /// When a registration nobody replaced stopped mattering: the socket's last descriptor
    /// closed, or its owner ended. nullopt while it is still held.
    std::optional<double> endOfHolding(const SocketState& socket, const LaneKey& owner) const {
        std::optional<double> end;
        if (!socket.open && !socket.countHistory.empty())
            end = clock_.seconds(socket.countHistory.back().timeUs);
        const ProcessState* process = state_.process(owner.process);
        if (process && !process->alive) {
            // The state keeps no exit time, but the fold closes the process's descriptors at
            // its exit entry, with this reason.
            Sequence exited;
            for (const auto& [ref, descriptor] : state_.descriptors) {
                if (ref.process == owner.process && descriptor.how == "process exited")
                    exited = std::max(exited, descriptor.closedAt);
            }
            if (exited.valid()) {
                const double exitTime = clock_.secondsAt(exited);
                end = end ? std::min(*end, exitTime) : exitTime;
            }
        }
        return end;
    }

    void addTicks() {
        for (const DeliveredEvent& event : state_.events) {
            const EventMask events = event.events & (FdRead | FdWrite);
            if (event.socket != socket_ || events == 0)
                continue;
            lane({false, event.descriptor.process, {}})
                .ticks.push_back({clock_.seconds(event.timeUs), events, event.descriptor});
        }
    }

    const State& state_;
    SessionClock clock_;
    SocketId socket_;
    std::map<LaneKey, TimelineLane> lanes_;
};

} // namespace

RegistrationTimeline buildRegistrationTimeline(const State& state,
                                               std::span<const JournalEntry> entries,
                                               SocketId socket) {
    return Builder(state, entries, socket).build();
}

} // namespace socklens::ui
