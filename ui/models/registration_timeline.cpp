#include "models/registration_timeline.h"

#include "models/text.h"

#include <QCoreApplication>
#include <QStringList>
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
                             .arg(canceller.name),
                         change.registration.at});
            }
            if (holds(change.registration)) {
                const Registration& registration = change.registration;
                TimelineBar bar;
                bar.start = time;
                bar.mask = registration.mask;
                bar.observed = change.observed;
                bar.at = registration.at;
                bar.through = registration.through;
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
                if (ref.process == owner.process && descriptor.end == DescriptorEnd::ProcessExited)
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
                .ticks.push_back(
                    {clock_.seconds(event.timeUs), events, event.descriptor, event.at});
        }
    }

    const State& state_;
    SessionClock clock_;
    SocketId socket_;
    std::map<LaneKey, TimelineLane> lanes_;
};

QString tr(const char* text) {
    return QCoreApplication::translate("RegistrationTimeline", text);
}

/// "B (pid 1002)", or "pid 9999" for an owner the session does not know.
QString who(const TimelineLane& lane) {
    return lane.process.valid() ? tr("%1 (pid %2)").arg(lane.name).arg(lane.pid.value())
                                : lane.name;
}

QString when(double seconds, Sequence at) {
    return tr("at %1 s, journal entry #%2").arg(seconds, 0, 'f', 3).arg(at.value());
}

QString descriptorText(const DescriptorRef& descriptor) {
    return tr("descriptor %1").arg(descriptor.handle.value());
}

} // namespace

QString describeTick(const TimelineLane& lane, const TimelineTick& tick) {
    QStringList what;
    if (tick.events & FdRead)
        what << tr("FD_READ (data to read)");
    if (tick.events & FdWrite)
        what << tr("FD_WRITE (ready to write)");
    return tr("The OS notified %1 of %2 through its %3\n%4")
        .arg(who(lane), what.join(tr(" and ")), descriptorText(tick.descriptor),
             when(tick.time, tick.at));
}

QString describeBar(const TimelineLane& lane, const TimelineBar& bar) {
    const QString held =
        bar.observed
            ? tr("%1 held the registration, as the OS reports (its mask is unknown)").arg(who(lane))
            : tr("%1 registered for %2 through its %3")
                  .arg(who(lane), bar.label, descriptorText(bar.through));
    const QString until = bar.ongoing ? tr("still held") : tr("until %1 s").arg(bar.end, 0, 'f', 3);
    return tr("%1\nfrom %2; %3").arg(held, when(bar.start, bar.at), until);
}

QString describeCancellation(const TimelineLane& lane, const TimelineCancellation& cancellation) {
    return tr("%1's registration was replaced: %2\n%3")
        .arg(who(lane), cancellation.label, when(cancellation.time, cancellation.at));
}

RegistrationTimeline buildRegistrationTimeline(const State& state,
                                               std::span<const JournalEntry> entries,
                                               SocketId socket) {
    return Builder(state, entries, socket).build();
}

} // namespace socklens::ui
