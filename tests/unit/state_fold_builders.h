// For the state-fold tests (test_state_fold_*.cpp): hand-written journals numbered as the broker
// numbers them, and a state summarized as text so two states compare with a readable difference.
#pragma once

#include "model/journal_entry.h"
#include "model/state.h"

#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace socklens::state_fold_builders {

// ---- building journals -----------------------------------------------------------------

constexpr ProcessId kCreator{1};
constexpr ProcessId kWorker{2};
constexpr ProcessId kThird{3};
constexpr OsPid kCreatorPid{1001};
constexpr OsPid kWorkerPid{1002};
constexpr SocketId kConn{1};
constexpr SocketId kPeer{2};
constexpr DuplicationId kDup{1};

constexpr DescriptorRef kCreatorConn{kCreator, Handle(5)};
constexpr DescriptorRef kCreatorPeer{kCreator, Handle(6)};
constexpr DescriptorRef kWorkerConn{kWorker, Handle(7)};

/// A journal as the broker would write it: numbered from 1, a distinct time per entry.
class Entries {
public:
    Sequence add(EntryPayload payload) {
        const Sequence sequence(entries_.size() + 1);
        entries_.push_back(
            JournalEntry{sequence, 1'700'000'000'000'000 + 1000 * std::int64_t(sequence.value()),
                         std::move(payload)});
        return sequence;
    }
    const std::vector<JournalEntry>& all() const { return entries_; }
    State fold() const { return socklens::fold(entries_); }

private:
    std::vector<JournalEntry> entries_;
};

inline entry::ProcessStarted started(ProcessId id, OsPid pid, std::string name) {
    return entry::ProcessStarted{id, pid, std::move(name), Platform::Linux, true, "Linux 6.1"};
}

inline entry::SocketIdentified identified(SocketId id, std::uint64_t identity) {
    return entry::SocketIdentified{id,
                                   identity,
                                   SocketKindSeen::TcpConnected,
                                   2,
                                   1,
                                   6,
                                   "127.0.0.1:4711",
                                   "127.0.0.1:50022",
                                   "ESTABLISHED"};
}

/// Two helpers, a connected pair in the creator, the creator's end duplicated into the worker.
inline void sharedConnection(Entries& entries) {
    entries.add(started(kCreator, kCreatorPid, "creator"));
    entries.add(started(kWorker, kWorkerPid, "worker"));
    entries.add(identified(kConn, 555));
    entries.add(entry::DescriptorOpened{kCreatorConn, kConn, DescriptorOrigin::Created});
    entries.add(identified(kPeer, 556));
    entries.add(entry::DescriptorOpened{kCreatorPeer, kPeer, DescriptorOrigin::Created});
    entries.add(entry::DescriptorOpened{kWorkerConn, kConn, DescriptorOrigin::Duplicated});
}

// ---- comparing states ------------------------------------------------------------------

inline std::string str(const DescriptorRef& ref) {
    return toString(ref);
}

inline std::string str(const Registration& r) {
    std::ostringstream out;
    out << "owner=" << r.owner.value() << " pid=" << r.ownerPid.value()
        << " through=" << str(r.through) << " mask=" << r.mask << " mech=" << int(r.mechanism)
        << " at=" << r.at.value();
    return out.str();
}

/// The state's key fields as text, so two states compare with a readable difference.
inline std::string summarize(const State& state) {
    std::ostringstream out;
    out << "last " << state.last.value() << '\n';
    for (const auto& [id, p] : state.processes)
        out << "process " << id.value() << ' ' << p.id.value() << ' ' << p.pid.value() << ' '
            << p.name << ' ' << int(p.platform) << ' ' << p.helper << ' ' << p.alive << " ["
            << p.exitReason << "] " << p.osVersion << '\n';
    for (const auto& [ref, d] : state.descriptors) {
        out << "descriptor " << str(ref) << ' ' << str(d.ref) << " S" << d.socket.value() << ' '
            << d.open << ' ' << toString(d.origin) << ' ' << (d.end ? toString(*d.end) : "-") << ' '
            << d.openedAt.value() << ' ' << d.closedAt.value();
        for (const auto& [option, value] : d.options)
            out << " {" << int(option) << ' ' << (value.requested ? *value.requested : -999) << ' '
                << value.value << ' ' << value.errorCode << ' ' << value.at.value() << '}';
        out << '\n';
    }
    for (const auto& [id, s] : state.sockets) {
        out << "socket " << id.value() << ' ' << s.id.value() << ' ' << s.identity << ' ' << s.kind
            << ' ' << s.family << ' ' << s.type << ' ' << s.protocol << ' ' << s.local << ' '
            << s.peer << ' ' << s.tcpState << " open=" << s.open << " count=" << s.count << '+'
            << s.inFlight << " holders";
        for (const entry::Holder& h : s.holders)
            out << ' ' << h.process.value() << '/' << h.pid.value() << '/' << h.handle.value();
        out << " history";
        for (const CountPoint& c : s.countHistory)
            out << ' ' << c.at.value() << '@' << c.timeUs << '=' << c.count << '+' << c.inFlight;
        out << "\n  registration " << str(s.registration) << '\n';
        for (const RegistrationChange& c : s.registrationHistory)
            out << "  change " << str(c.registration) << " observed=" << c.observed
                << " cancelled=" << (c.cancelled ? str(*c.cancelled) : "none") << '\n';
    }
    for (const auto& [id, d] : state.duplications) {
        out << "duplication " << id.value() << ' ' << d.id.value() << " S" << d.socket.value()
            << ' ' << str(d.source) << " -> " << d.target.value() << ' ' << int(d.mechanism) << ' '
            << d.handOff << " inFlight=" << d.inFlight << " finished=" << d.finished << ' '
            << str(d.result) << " [" << d.failure << "]\n";
        for (const HandoffStepState& step : d.steps)
            out << "  step " << step.at.value() << '@' << step.timeUs << ' ' << step.step << ' '
                << toString(step.actor) << ' ' << step.text << ' ' << step.detail << '\n';
    }
    for (const DeliveredEvent& e : state.events)
        out << "event " << e.at.value() << '@' << e.timeUs << ' ' << str(e.descriptor) << " S"
            << e.socket.value() << ' ' << e.events << '/' << e.registered << '\n';
    for (const DataTransfer& t : state.transfers)
        out << "transfer " << t.at.value() << ' ' << str(t.descriptor) << ' ' << t.sent << " ["
            << t.bytes << "]\n";
    for (const entry::Disagreement& d : state.disagreements)
        out << "disagreement " << d.subject << '|' << d.believed << '|' << d.observed << '\n';
    for (const StepResult& s : state.steps) {
        out << "step " << s.at.value() << ' ' << s.line << " [" << s.text << "] " << s.passed << ' '
            << s.running << ' ' << s.outcome;
        for (const std::string& claim : s.claims)
            out << ' ' << claim;
        for (Sequence evidence : s.evidence)
            out << " #" << evidence.value();
        out << '\n';
    }
    if (state.scenarioResult)
        out << "scenario " << state.scenarioResult->passed << ' ' << state.scenarioResult->summary
            << '\n';
    return out.str();
}

} // namespace socklens::state_fold_builders
