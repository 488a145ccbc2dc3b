// The journal's entries: commands (what was asked), facts (what helpers did and reported),
// observations (what the broker read from the OS) and scenario progress. Entries are plain
// data; the state is a fold of them (state.h) and the session file is them as JSON lines.
#pragma once

#include "model/claim_tags.h"
#include "model/ids.h"
#include "model/journal_vocabulary.h"
#include "model/shared_text.h"
#include "model/socket_vocabulary.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace socklens {

namespace entry {

// ---- commands --------------------------------------------------------------------------

/// A command handed to the broker, as text a person reads ("duplicate P1:5 into P2").
struct CommandIssued {
    static constexpr std::string_view kName = "CommandIssued";
    SharedText text;
};

/// A command that failed; `sentence` is what the user is shown.
struct CommandFailed {
    static constexpr std::string_view kName = "CommandFailed";
    SharedText command;
    SharedText call;     ///< the OS call that failed, if one did
    SharedText codeName; ///< "EBADF", "WSAEINVAL", "timeout", ...
    SharedText sentence;
};

// ---- processes -------------------------------------------------------------------------

/// A process joined the session: a helper the broker started or attached, or another
/// process found holding one of the session's sockets.
struct ProcessStarted {
    static constexpr std::string_view kName = "ProcessStarted";
    ProcessId process;
    OsPid pid;
    SharedText name;
    Platform platform = Platform::Linux;
    bool helper = true;
    SharedText osVersion;
    /// Winsock: the Linux process that runs it under Wine, where it can be told (0: unknown).
    OsPid linuxPid;
};

/// A process the user did not start joined read-only (issue 10): `how` names what selected it
/// ("pid 4242", "tree of pid 4242", "port 8080", "inode 123"); `limits` says, in a sentence,
/// what cannot be read of it and why (empty when everything /proc gives was read).
struct ProcessAttached {
    static constexpr std::string_view kName = "ProcessAttached";
    ProcessId process;
    SharedText how;
    SharedText limits;
};

struct ProcessExited {
    static constexpr std::string_view kName = "ProcessExited";
    ProcessId process;
    SharedText reason; ///< "killed by signal 9 (SIGKILL)", "bad frame: ...", "exited with 0"
};

// ---- sockets and descriptors (facts) ---------------------------------------------------

struct SocketIdentified {
    static constexpr std::string_view kName = "SocketIdentified";
    SocketId socket;
    std::uint64_t identity = 0; ///< Linux: inode of socket:[N]
    SocketKindSeen kind = SocketKindSeen::Other;
    // AF_*, SOCK_* and IPPROTO_* numbers all fit 16 bits; the entry stays small.
    std::int16_t family = 0;
    std::int16_t type = 0;
    std::int16_t protocol = 0;
    SharedText local;
    SharedText peer;
    SharedText tcpState;
};

struct DescriptorOpened {
    static constexpr std::string_view kName = "DescriptorOpened";
    DescriptorRef descriptor;
    SocketId socket;
    DescriptorOrigin how = DescriptorOrigin::Created;
    /// Winsock: the WSASocket flags it was made or imported with (0: by socket()); else 0 (C9).
    std::uint32_t wsaFlags = 0;
};

struct DescriptorClosed {
    static constexpr std::string_view kName = "DescriptorClosed";
    DescriptorRef descriptor;
    DescriptorEnd how = DescriptorEnd::Closed;
};

/// What /proc/PID/fdinfo and sock_diag say of a descriptor of an attached process, read
/// without touching it: its flags, the epoll interest registered through it, and its
/// socket's queues. Journaled when any of it changed.
struct DescriptorObserved {
    static constexpr std::string_view kName = "DescriptorObserved";
    DescriptorRef descriptor;
    bool closeOnExec = false;
    bool nonBlocking = false;
    bool async = false;
    SharedText epoll; ///< "epoll fd 7: read, write; ...", empty when none names it
    std::uint32_t receiveQueue = 0;
    std::uint32_t sendQueue = 0;
};

/// Whether a child gets a helper's descriptor, read by the helper through it (fcntl F_GETFD,
/// GetHandleInformation). Journaled at the first reading and at every change.
struct InheritanceObserved {
    static constexpr std::string_view kName = "InheritanceObserved";
    DescriptorRef descriptor;
    socklens::Inheritance inheritance = socklens::Inheritance::Unknown;
};

/// How an attached process most likely got a descriptor of a socket already seen, with the
/// evidence (sysmap::Provenance: "inherited at fork", "received", "unknown").
struct ProvenanceObserved {
    static constexpr std::string_view kName = "ProvenanceObserved";
    DescriptorRef descriptor;
    SocketId socket;
    SharedText provenance;
    SharedText evidence;
};

// ---- duplication -----------------------------------------------------------------------

struct DuplicationStarted {
    static constexpr std::string_view kName = "DuplicationStarted";
    DuplicationId duplication;
    SocketId socket;
    DescriptorRef source;
    ProcessId target;
    DuplicationMechanism mechanism = DuplicationMechanism::ScmRights;
    bool handOff = false; ///< close in the source afterwards
};

/// One of the seeds' ten steps (C11), with what crossed between the processes.
struct HandoffStep {
    static constexpr std::string_view kName = "HandoffStep";
    DuplicationId duplication;
    std::int32_t step = 0; ///< 1..10, as in the seeds' table
    HandoffActor actor = HandoffActor::Source;
    SharedText text;
    SharedText detail; ///< e.g. the protocol-info bytes in hex, or the fd passed
};

/// A reference inside an SCM_RIGHTS message: counted, but in no process's fd table.
struct ReferenceInFlight {
    static constexpr std::string_view kName = "ReferenceInFlight";
    DuplicationId duplication;
    SocketId socket;
};

struct DuplicationFinished {
    static constexpr std::string_view kName = "DuplicationFinished";
    DuplicationId duplication;
    DescriptorRef result; ///< invalid process when the duplication failed
    SharedText failure;
};

// ---- options ---------------------------------------------------------------------------

struct OptionSet {
    static constexpr std::string_view kName = "OptionSet";
    DescriptorRef descriptor;
    SocketOption option = SocketOption::RcvBuf;
    std::int64_t requested = 0;
    std::int64_t effective = 0; ///< read back through the same descriptor right after
};

/// getsockopt through a descriptor, in its own process.
struct OptionObserved {
    static constexpr std::string_view kName = "OptionObserved";
    DescriptorRef descriptor;
    SocketOption option = SocketOption::RcvBuf;
    std::int64_t value = 0;
    std::int32_t errorCode = 0;
};

/// Several options read through one descriptor in one observation, above all its first
/// reading: one entry instead of one per option (a large session's journal is mostly these).
struct OptionsObserved {
    static constexpr std::string_view kName = "OptionsObserved";
    DescriptorRef descriptor;
    std::vector<OptionReading> readings;
};

// ---- notification registration ---------------------------------------------------------

struct RegistrationMade {
    static constexpr std::string_view kName = "RegistrationMade";
    SocketId socket;
    DescriptorRef through;
    EventMask mask = 0;
    RegistrationMechanism mechanism = RegistrationMechanism::FcntlSetOwn;
};

/// The registration owner as the OS reports it (Linux: F_GETOWN_EX through `through`).
struct OwnerObserved {
    static constexpr std::string_view kName = "OwnerObserved";
    SocketId socket;
    DescriptorRef through;
    OsPid ownerPid;
    ProcessId owner; ///< the session's process with that pid; invalid if none or unknown
};

/// A notification the OS delivered to a process (F_SETSIG signal, WSAEnumNetworkEvents).
struct EventDelivered {
    static constexpr std::string_view kName = "EventDelivered";
    DescriptorRef descriptor;
    SocketId socket;
    EventMask events = 0;
    EventMask registered = 0; ///< what that process had registered for
    std::int64_t band = 0;
};

// ---- data ------------------------------------------------------------------------------

struct DataSent {
    static constexpr std::string_view kName = "DataSent";
    DescriptorRef descriptor;
    std::string bytes;
    std::int32_t thread = 0;   ///< the OS thread that sent (a Linux tid or Windows thread id)
    bool secondThread = false; ///< sent from a thread other than the helper's main one (C2)
};

struct DataReceived {
    static constexpr std::string_view kName = "DataReceived";
    DescriptorRef descriptor;
    std::string bytes;
};

// ---- observations ----------------------------------------------------------------------

using socklens::Inheritance; // model/socket_vocabulary.h: helpers report it too

struct Holder {
    ProcessId process;
    OsPid pid;
    Handle handle;
    Inheritance inheritance = Inheritance::Unknown;
    auto operator<=>(const Holder&) const = default;
};

/// The descriptor count of a socket read from the OS (Linux: /proc/*/fd), plus references
/// in flight, which no fd table shows.
struct CountObserved {
    static constexpr std::string_view kName = "CountObserved";
    SocketId socket;
    std::int32_t count = 0;
    std::int32_t inFlight = 0;
    std::vector<Holder> holders;
    /// Not read but concluded: Winsock's HandleCount needs a handle to ask through, so when no
    /// helper holds one any more the count is taken as zero.
    bool inferred = false;
};

/// Whether the kernel still lists a socket that no fd table shows (sock_diag, by its inode),
/// read when its count falls to zero and while it stays there. Listed: alive with no
/// descriptor (a reference in flight in a Unix socket message, or the kernel keeping it);
/// not listed: gone. The state calls a socket closed only after this says so.
struct SocketLifetimeObserved {
    static constexpr std::string_view kName = "SocketLifetimeObserved";
    SocketId socket;
    bool listed = false;
    SharedText kernelState; ///< the TCP state the kernel lists it in, when listed
    SharedText note;        ///< what the reading cannot tell, if anything
};

/// What the broker believed and what the OS showed differ; the observation wins.
struct Disagreement {
    static constexpr std::string_view kName = "Disagreement";
    SharedText subject;
    SharedText believed;
    SharedText observed;
};

/// A problem that is not a failed command: a helper's bad frame, a scan that could not read.
struct Problem {
    static constexpr std::string_view kName = "Problem";
    SharedText sentence;
};

// ---- scenarios -------------------------------------------------------------------------

struct ScenarioStarted {
    static constexpr std::string_view kName = "ScenarioStarted";
    SharedText name;
    SharedText source; ///< file path or builtin:NAME
};

struct StepStarted {
    static constexpr std::string_view kName = "StepStarted";
    std::int32_t line = 0;
    SharedText text;
    ClaimTags claims;
    /// The step fails on purpose (`fails CODE`) or kills a helper: what goes wrong during it
    /// is its point, not a problem to raise.
    bool troubleExpected = false;
};

struct StepFinished {
    static constexpr std::string_view kName = "StepFinished";
    std::int32_t line = 0;
    bool passed = true;
    SharedText outcome; ///< what was observed, or the error sentence
    ClaimTags claims;
    std::vector<Sequence> evidence;
};

struct ScenarioFinished {
    static constexpr std::string_view kName = "ScenarioFinished";
    bool passed = true;
    SharedText summary;
};

} // namespace entry

using EntryPayload =
    std::variant<entry::CommandIssued, entry::CommandFailed, entry::ProcessStarted,
                 entry::ProcessExited, entry::SocketIdentified, entry::DescriptorOpened,
                 entry::DescriptorClosed, entry::DuplicationStarted, entry::HandoffStep,
                 entry::ReferenceInFlight, entry::DuplicationFinished, entry::OptionSet,
                 entry::OptionObserved, entry::OptionsObserved, entry::RegistrationMade,
                 entry::OwnerObserved, entry::EventDelivered, entry::DataSent, entry::DataReceived,
                 entry::CountObserved, entry::SocketLifetimeObserved, entry::Disagreement,
                 entry::Problem, entry::ScenarioStarted, entry::StepStarted, entry::StepFinished,
                 entry::ScenarioFinished, entry::ProcessAttached, entry::DescriptorObserved,
                 entry::ProvenanceObserved, entry::InheritanceObserved>;

enum class EntryCategory { Command, Fact, Observation, Scenario };

struct JournalEntry {
    Sequence sequence;
    std::int64_t timeUs = 0; ///< wall clock, microseconds since the epoch
    EntryPayload payload;
};

std::string_view nameOf(const EntryPayload& payload);
EntryCategory categoryOf(const EntryPayload& payload);
/// Whether the entry is what the OS returned (a reading, a delivery, bytes received, a value
/// read back, an OS call's failure) rather than what socklens asked or concluded.
bool isOsReading(const EntryPayload& payload);
std::string_view toString(EntryCategory category);

} // namespace socklens
