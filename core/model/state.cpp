#include "model/state.h"

#include <algorithm>
#include <stdexcept>

namespace socklens {

namespace {

struct Folder {
    State& state;
    const JournalEntry& entry;

    void operator()(const entry::CommandIssued&) {}
    void operator()(const entry::CommandFailed&) {}
    void operator()(const entry::Problem&) {}
    void operator()(const entry::ScenarioStarted& e) { state.scenario = e; }
    void operator()(const entry::ProcessStarted& e) {
        state.processes[e.process] =
            ProcessState{e.process, e.pid,       e.name,     e.platform, e.helper, true,
                         {},        e.osVersion, e.linuxPid, false,      {},       {}};
    }

    void operator()(const entry::ProcessAttached& e) {
        auto it = state.processes.find(e.process);
        if (it == state.processes.end())
            return;
        it->second.foreign = true;
        it->second.attachedAs = e.how;
        it->second.limits = e.limits;
    }

    void operator()(const entry::DescriptorObserved& e) {
        auto it = state.descriptors.find(e.descriptor);
        if (it != state.descriptors.end())
            it->second.observed = e;
    }

    void operator()(const entry::InheritanceObserved& e) {
        auto it = state.descriptors.find(e.descriptor);
        if (it != state.descriptors.end())
            it->second.inheritance = e.inheritance;
    }

    void operator()(const entry::ProvenanceObserved& e) {
        auto it = state.descriptors.find(e.descriptor);
        if (it == state.descriptors.end())
            return;
        it->second.provenance = e.provenance;
        it->second.provenanceEvidence = e.evidence;
    }

    void operator()(const entry::ProcessExited& e) {
        auto it = state.processes.find(e.process);
        if (it == state.processes.end())
            return;
        it->second.alive = false;
        it->second.exitReason = e.reason;
        // Its descriptors went with it; the sockets live on if others hold them (C6).
        for (auto& [ref, descriptor] : state.descriptors) {
            if (ref.process == e.process && descriptor.open)
                close(descriptor, DescriptorEnd::ProcessExited);
        }
        // ... and it holds none from now on: counts and reports drop it at once; whether a
        // socket outlived it is for the next observation to say.
        for (auto& [id, socket] : state.sockets) {
            const auto held = std::erase_if(socket.holders, [&](const entry::Holder& holder) {
                return holder.process == e.process;
            });
            if (held == 0)
                continue;
            socket.count = std::max(0, socket.count - std::int32_t(held));
            socket.countHistory.push_back(CountPoint{entry.sequence, entry.timeUs, socket.count,
                                                     socket.inFlight, socket.withoutDescriptor});
        }
    }

    void operator()(const entry::SocketIdentified& e) {
        SocketState& socket = this->socket(e.socket);
        socket.identity = e.identity;
        if (e.identity != 0)
            state.socketsByIdentity[e.identity] = e.socket;
        socket.kind = kindText(e.kind, e.family, e.type);
        socket.family = e.family;
        socket.type = e.type;
        socket.protocol = e.protocol;
        socket.local = e.local;
        socket.peer = e.peer;
        socket.tcpState = e.tcpState;
    }

    void operator()(const entry::DescriptorOpened& e) {
        DescriptorState descriptor;
        descriptor.ref = e.descriptor;
        descriptor.socket = e.socket;
        descriptor.origin = e.how;
        descriptor.wsaFlags = e.wsaFlags;
        descriptor.openedAt = entry.sequence;
        state.descriptors[e.descriptor] = std::move(descriptor);
    }

    void operator()(const entry::DescriptorClosed& e) {
        auto it = state.descriptors.find(e.descriptor);
        if (it != state.descriptors.end() && it->second.open)
            close(it->second, e.how);
    }

    void operator()(const entry::DuplicationStarted& e) {
        DuplicationState& duplication = state.duplications[e.duplication];
        duplication.id = e.duplication;
        duplication.socket = e.socket;
        duplication.source = e.source;
        duplication.target = e.target;
        duplication.mechanism = e.mechanism;
        duplication.handOff = e.handOff;
    }

    void operator()(const entry::HandoffStep& e) {
        state.duplications[e.duplication].steps.push_back(
            HandoffStepState{entry.sequence, entry.timeUs, e.step, e.actor, e.text, e.detail});
    }

    void operator()(const entry::ReferenceInFlight& e) {
        state.duplications[e.duplication].inFlight = true;
    }

    void operator()(const entry::DuplicationFinished& e) {
        DuplicationState& duplication = state.duplications[e.duplication];
        duplication.inFlight = false;
        duplication.finished = true;
        duplication.result = e.result;
        duplication.failure = e.failure;
    }

    void operator()(const entry::OptionSet& e) {
        OptionValue* found = option(e.descriptor, e.option);
        if (!found)
            return;
        OptionValue& value = *found;
        value.requested = e.requested;
        value.value = e.effective;
        value.errorCode = 0;
        value.at = entry.sequence;
        value.setThrough.reset();
        value.changedOutside = false;
        if (const DescriptorState* descriptor = state.descriptor(e.descriptor)) {
            std::vector<entry::OptionSet>& sets = socket(descriptor->socket).lastOptionSets;
            std::erase_if(sets,
                          [&](const entry::OptionSet& set) { return set.option == e.option; });
            sets.push_back(e);
        }
    }

    void operator()(const entry::OptionObserved& e) {
        observed(e.descriptor, {e.option, e.value, e.errorCode});
    }

    void operator()(const entry::OptionsObserved& e) {
        for (const OptionReading& reading : e.readings)
            observed(e.descriptor, reading);
    }

    void observed(const DescriptorRef& descriptor, const OptionReading& reading) {
        OptionValue* found = option(descriptor, reading.option);
        if (!found)
            return;
        OptionValue& value = *found;
        const bool firstReading = value.at == Sequence();
        if (!firstReading && reading.errorCode == 0 && reading.value != value.value)
            changedBySomeoneElse(descriptor, reading, value);
        value.value = reading.value;
        value.errorCode = reading.errorCode;
        value.at = entry.sequence;
    }

    /// A reading differs from the last one through this descriptor: whoever changed it, it
    /// was not this descriptor's own request (that one is journaled as OptionSet).
    void changedBySomeoneElse(const DescriptorRef& descriptor, const OptionReading& reading,
                              OptionValue& value) {
        value.requested.reset();
        value.setThrough.reset();
        value.changedOutside = true;
        const DescriptorState* held = state.descriptor(descriptor);
        if (!held)
            return;
        for (const entry::OptionSet& set : socket(held->socket).lastOptionSets) {
            if (set.option == reading.option && set.descriptor != descriptor &&
                set.effective == reading.value) {
                value.setThrough = set.descriptor;
                value.changedOutside = false;
            }
        }
    }

    void operator()(const entry::RegistrationMade& e) {
        Registration registration;
        if (e.mask != 0) { // an empty mask cancels: nobody holds the registration afterwards
            registration.owner = e.through.process;
            if (const ProcessState* process = state.process(e.through.process))
                registration.ownerPid = process->pid;
        }
        registration.through = e.through;
        registration.mask = e.mask;
        registration.mechanism = e.mechanism;
        registration.at = entry.sequence;
        change(socket(e.socket), registration, false);
    }

    void operator()(const entry::OwnerObserved& e) {
        SocketState& socket = this->socket(e.socket);
        socket.ownerRead = e.ownerPid;
        socket.ownerReadAt = entry.sequence;
        if (socket.registration.ownerPid == e.ownerPid && socket.registration.owner == e.owner) {
            socket.registration.readAt = entry.sequence; // the OS confirms it
            return;
        }
        // The OS names another owner than the last registration we know of: observation wins.
        Registration registration;
        registration.owner = e.owner;
        registration.ownerPid = e.ownerPid;
        registration.through = e.through;
        registration.at = entry.sequence;
        registration.readAt = entry.sequence;
        change(socket, registration, true);
    }

    void operator()(const entry::EventDelivered& e) {
        state.events.push_back(DeliveredEvent{entry.sequence, entry.timeUs, e.descriptor, e.socket,
                                              e.events, e.registered});
    }

    void operator()(const entry::DataSent& e) {
        state.transfers.push_back(DataTransfer{entry.sequence, e.descriptor, true, e.bytes});
    }

    void operator()(const entry::DataReceived& e) {
        state.transfers.push_back(DataTransfer{entry.sequence, e.descriptor, false, e.bytes});
    }

    void operator()(const entry::CountObserved& e) {
        SocketState& socket = this->socket(e.socket);
        socket.count = e.count;
        socket.inFlight = e.inFlight;
        socket.holders = e.holders;
        if (e.count + e.inFlight > 0)
            socket.withoutDescriptor = false; // held again
        socket.open = e.count + e.inFlight > 0 || socket.withoutDescriptor;
        socket.countHistory.push_back(CountPoint{entry.sequence, entry.timeUs, e.count, e.inFlight,
                                                 socket.withoutDescriptor});
    }

    // Read before the count that fell to zero is journaled, so the socket never looks closed
    // while the kernel still has it.
    void operator()(const entry::SocketLifetimeObserved& e) {
        SocketState& socket = this->socket(e.socket);
        socket.withoutDescriptor = e.listed;
        socket.open = socket.count + socket.inFlight > 0 || e.listed;
        socket.lifetimeAt = entry.sequence;
        if (e.listed && !e.kernelState.empty())
            socket.tcpState = e.kernelState;
        // Read just before a zero count, the count's own entry draws the change; read while at
        // zero, it ends (or begins) the stretch with no descriptor.
        if (socket.count + socket.inFlight == 0)
            socket.countHistory.push_back(
                CountPoint{entry.sequence, entry.timeUs, socket.count, socket.inFlight, e.listed});
    }

    void operator()(const entry::Disagreement& e) { state.disagreements.push_back(e); }

    void operator()(const entry::StepStarted& e) {
        state.steps.push_back(
            StepResult{entry.sequence, e.line, e.text, true, {}, e.claims.list(), {}, true});
    }

    void operator()(const entry::StepFinished& e) {
        if (state.steps.empty() || !state.steps.back().running || state.steps.back().line != e.line)
            state.steps.push_back(StepResult{{}, e.line, {}, true, {}, e.claims.list(), {}, false});
        StepResult& step = state.steps.back();
        step.at = entry.sequence;
        step.passed = e.passed;
        step.outcome = e.outcome;
        step.claims = e.claims.list();
        step.evidence = e.evidence;
        step.running = false;
    }

    void operator()(const entry::ScenarioFinished& e) { state.scenarioResult = e; }

    /// The socket's record, made on first mention so its id is always set.
    SocketState& socket(SocketId id) {
        SocketState& socket = state.sockets[id];
        socket.id = id;
        return socket;
    }

    /// Option readings only make sense for a descriptor the journal has opened.
    OptionValue* option(const DescriptorRef& ref, SocketOption option) {
        auto it = state.descriptors.find(ref);
        return it == state.descriptors.end() ? nullptr : &it->second.options[option];
    }

    void close(DescriptorState& descriptor, DescriptorEnd end) {
        descriptor.open = false;
        descriptor.end = end;
        descriptor.closedAt = entry.sequence;
    }

    void change(SocketState& socket, const Registration& registration, bool observed) {
        RegistrationChange change{registration, std::nullopt, observed};
        if (socket.registration.owner.valid() || socket.registration.ownerPid.value() != 0)
            change.cancelled = socket.registration;
        socket.registration = registration;
        socket.registrationHistory.push_back(std::move(change));
    }
};

/// The first reading not ordered before `option`.
template <class Readings> auto lowerBound(Readings& readings, SocketOption option) {
    return std::lower_bound(
        readings.begin(), readings.end(), option,
        [](const auto& reading, SocketOption wanted) { return reading.first < wanted; });
}

} // namespace

OptionReadings::const_iterator OptionReadings::find(SocketOption option) const {
    const auto it = lowerBound(readings_, option);
    return it != end() && it->first == option ? it : end();
}

const OptionValue& OptionReadings::at(SocketOption option) const {
    const auto it = find(option);
    if (it == end())
        throw std::out_of_range("no reading of " + std::string(toString(option)));
    return it->second;
}

OptionValue& OptionReadings::operator[](SocketOption option) {
    // Readings come all options at once: one allocation instead of four growing ones.
    if (readings_.empty())
        readings_.reserve(allSocketOptions().size());
    auto it = lowerBound(readings_, option);
    if (it != readings_.end() && it->first == option)
        return it->second;
    return readings_.insert(it, value_type{option, OptionValue{}})->second;
}

const ProcessState* State::process(ProcessId id) const {
    auto it = processes.find(id);
    return it == processes.end() ? nullptr : &it->second;
}

const SocketState* State::socket(SocketId id) const {
    auto it = sockets.find(id);
    return it == sockets.end() ? nullptr : &it->second;
}

const DescriptorState* State::descriptor(const DescriptorRef& ref) const {
    auto it = descriptors.find(ref);
    return it == descriptors.end() ? nullptr : &it->second;
}

std::vector<const DescriptorState*> State::descriptorsOf(SocketId socket) const {
    std::vector<const DescriptorState*> result;
    for (const auto& [ref, descriptor] : descriptors) {
        if (descriptor.socket == socket && descriptor.open)
            result.push_back(&descriptor);
    }
    return result;
}

std::optional<ProcessId> State::processWithPid(OsPid pid) const {
    // A pid can be reused after a process died: prefer the live one.
    std::optional<ProcessId> found;
    for (const auto& [id, process] : processes) {
        if (process.pid == pid && (!found || process.alive))
            found = id;
    }
    return found;
}

std::optional<SocketId> State::socketWithIdentity(std::uint64_t identity) const {
    const auto it = socketsByIdentity.find(identity);
    return it == socketsByIdentity.end() ? std::nullopt : std::optional(it->second);
}

std::optional<SocketId> State::peerOf(SocketId id) const {
    const SocketState* socket = this->socket(id);
    // Unnamed AF_UNIX ends have no address to match by.
    if (!socket || socket->peer.empty() || socket->local.empty() || socket->local == socket->peer)
        return std::nullopt;
    for (const auto& [otherId, other] : sockets) {
        if (otherId != id && other.open && other.local == socket->peer &&
            other.peer == socket->local)
            return otherId;
    }
    return std::nullopt;
}

void apply(State& state, const JournalEntry& entry) {
    std::visit(Folder{state, entry}, entry.payload);
    state.last = entry.sequence;
}

State fold(std::span<const JournalEntry> entries) {
    State state;
    for (const JournalEntry& entry : entries)
        apply(state, entry);
    return state;
}

} // namespace socklens
