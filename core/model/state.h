// The session's state: a pure fold of the journal. Views, reports and replay read this; no
// view keeps its own copy of the facts.
#pragma once

#include "model/journal_entry.h"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace socklens {

struct ProcessState {
    ProcessId id;
    OsPid pid;
    std::string name;
    Platform platform = Platform::Linux;
    bool helper = true;
    bool alive = true;
    std::string exitReason;
    std::string osVersion;
    OsPid linuxPid; ///< Winsock: the Linux process running it under Wine (0: unknown)
    /// Attached read-only (ProcessAttached): observed from /proc and sock_diag, never commanded.
    bool foreign = false;
    std::string attachedAs; ///< what selected it: "pid 4242", "port 8080", ...
    std::string limits;     ///< what cannot be read of it and why; empty when nothing is missing
};

struct OptionValue {
    /// The last value set through this descriptor, while the value read is still what that
    /// request gave; empty once anyone else changed it (requested -> effective pairs only a
    /// descriptor's own latest request with its outcome).
    std::optional<std::int64_t> requested;
    std::int64_t value = 0; ///< the last value read through it
    std::int32_t errorCode = 0;
    Sequence at;
    /// Who changed the value since it was last set through this descriptor or first read:
    /// `setThrough` is the session's descriptor whose OptionSet gave this value; a change
    /// that no OptionSet explains is `changedOutside` (another process, or the kernel).
    std::optional<DescriptorRef> setThrough;
    bool changedOutside = false;
};

/// A descriptor's option readings, in option order, with std::map's lookups. A sorted vector:
/// a session holds tens of thousands of descriptors with eight readings each, and map nodes
/// would cost twice the memory.
class OptionReadings {
public:
    using value_type = std::pair<SocketOption, OptionValue>;
    using const_iterator = std::vector<value_type>::const_iterator;

    const_iterator begin() const { return readings_.begin(); }
    const_iterator end() const { return readings_.end(); }
    std::size_t size() const { return readings_.size(); }
    bool empty() const { return readings_.empty(); }
    const_iterator find(SocketOption option) const;
    bool contains(SocketOption option) const { return find(option) != end(); }
    /// Throws std::out_of_range when `option` was never read, as std::map::at.
    const OptionValue& at(SocketOption option) const;
    /// The reading of `option`, made empty on first use, as std::map::operator[].
    OptionValue& operator[](SocketOption option);

private:
    std::vector<value_type> readings_;
};

struct DescriptorState {
    DescriptorRef ref;
    SocketId socket;
    bool open = true;
    DescriptorOrigin origin = DescriptorOrigin::Created;
    std::optional<DescriptorEnd> end; ///< set when it closed
    std::uint32_t wsaFlags = 0; ///< Winsock: the WSASocket flags it was made with (0: socket())
    Sequence openedAt;
    Sequence closedAt;
    OptionReadings options;
    /// An attached process's descriptor: its flags and queues as /proc and sock_diag gave them.
    std::optional<entry::DescriptorObserved> observed;
    /// A helper's descriptor: whether a child gets it, as the helper read it.
    Inheritance inheritance = Inheritance::Unknown;
    /// How it most likely got the descriptor (ProvenanceObserved); empty when not told.
    std::string provenance;
    std::string provenanceEvidence;
};

struct Registration {
    ProcessId owner; ///< invalid when nobody holds it
    OsPid ownerPid;
    DescriptorRef through;
    EventMask mask = 0;
    RegistrationMechanism mechanism = RegistrationMechanism::FcntlSetOwn;
    Sequence at;
    Sequence readAt; ///< the OS reading (OwnerObserved) that made or confirmed it, if any
};

/// One change of the registration; `cancelled` is the registration it replaced, if another
/// process held it (C7).
struct RegistrationChange {
    Registration registration;
    std::optional<Registration> cancelled;
    bool observed = false; ///< true when read from the OS rather than made by a command
};

struct CountPoint {
    Sequence at;
    std::int64_t timeUs = 0;
    std::int32_t count = 0;
    std::int32_t inFlight = 0;
    /// No descriptor, yet the kernel still lists the socket (SocketLifetimeObserved).
    bool withoutDescriptor = false;
};

struct SocketState {
    SocketId id;
    std::uint64_t identity = 0;
    std::string kind; ///< for people: kindText() of what was seen
    std::int32_t family = 0;
    std::int32_t type = 0;
    std::int32_t protocol = 0;
    std::string local;
    std::string peer;
    std::string tcpState;
    /// While the kernel has it: some process holds a descriptor, a reference is in flight,
    /// or the kernel still lists it with none (`withoutDescriptor`).
    bool open = true;
    bool withoutDescriptor = false;
    Sequence lifetimeAt;    ///< the last SocketLifetimeObserved, if any
    std::int32_t count = 0; ///< as last observed from the OS
    std::int32_t inFlight = 0;
    std::vector<entry::Holder> holders;
    std::vector<CountPoint> countHistory;
    Registration registration;
    std::vector<RegistrationChange> registrationHistory;
    /// The owner as last read from the OS (Linux: F_GETOWN_EX), whoever set it.
    std::optional<OsPid> ownerRead;
    Sequence ownerReadAt;
    /// The latest OptionSet of each option on this socket: who set what, so a reading
    /// through another descriptor can say who changed it.
    std::vector<entry::OptionSet> lastOptionSets;
};

struct DeliveredEvent {
    Sequence at;
    std::int64_t timeUs = 0;
    DescriptorRef descriptor;
    SocketId socket;
    EventMask events = 0;
    EventMask registered = 0;
};

struct HandoffStepState {
    Sequence at;
    std::int64_t timeUs = 0;
    std::int32_t step = 0;
    HandoffActor actor = HandoffActor::Source;
    std::string text;
    std::string detail;
};

struct DuplicationState {
    DuplicationId id;
    SocketId socket;
    DescriptorRef source;
    ProcessId target;
    DuplicationMechanism mechanism = DuplicationMechanism::ScmRights;
    bool handOff = false;
    bool inFlight = false;
    bool finished = false;
    DescriptorRef result;
    std::string failure;
    std::vector<HandoffStepState> steps;
};

struct DataTransfer {
    Sequence at;
    DescriptorRef descriptor;
    bool sent = true;
    std::string bytes;
};

/// A scenario step; `at` is its StepFinished entry (its StepStarted one while running).
struct StepResult {
    Sequence at;
    std::int32_t line = 0;
    std::string text;
    bool passed = true;
    std::string outcome;
    std::vector<std::string> claims;
    std::vector<Sequence> evidence;
    bool running = false; ///< started, not finished yet
};

struct State {
    Sequence last;
    std::map<ProcessId, ProcessState> processes;
    std::map<DescriptorRef, DescriptorState> descriptors;
    std::map<SocketId, SocketState> sockets;
    /// The latest socket identified with each identity (an inode can be reused once its
    /// socket is gone; the latest is the live one). Kept by the fold for constant-time lookup.
    std::unordered_map<std::uint64_t, SocketId> socketsByIdentity;
    std::map<DuplicationId, DuplicationState> duplications;
    std::vector<DeliveredEvent> events;
    std::vector<DataTransfer> transfers;
    std::vector<entry::Disagreement> disagreements;
    std::vector<StepResult> steps;
    std::optional<entry::ScenarioStarted> scenario;
    std::optional<entry::ScenarioFinished> scenarioResult;

    const ProcessState* process(ProcessId id) const;
    const SocketState* socket(SocketId id) const;
    const DescriptorState* descriptor(const DescriptorRef& ref) const;
    /// Open descriptors of a socket, in process then handle order.
    std::vector<const DescriptorState*> descriptorsOf(SocketId socket) const;
    std::optional<ProcessId> processWithPid(OsPid pid) const;
    std::optional<SocketId> socketWithIdentity(std::uint64_t identity) const;
    /// The other end of a connection made within the session (by local/peer address).
    std::optional<SocketId> peerOf(SocketId socket) const;
};

/// Applies one entry. Entries must come in journal order.
void apply(State& state, const JournalEntry& entry);
State fold(std::span<const JournalEntry> entries);

} // namespace socklens
