// The messages between the broker and its helpers. Each struct lists its fields once, in
// fields(), which the codec uses both to write and to read them: no twin encode/decode code.
#pragma once

#include "model/socket_vocabulary.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace socklens::protocol {

/// Bumped on any change to a message's fields. Peers with another version are refused.
inline constexpr std::uint16_t kProtocolVersion = 5;

/// WSA_FLAG_OVERLAPPED: a socket made with socket() is overlapped, so the target of a duplicate
/// passes this flag to WSASocket (C9).
inline constexpr std::uint32_t kWsaFlagOverlapped = 0x01;

/// The flags WSASocket(FROM_PROTOCOL_INFO) gets for a copy of a socket made with `wsaFlags`
/// (0: by socket()): the same flags (C9).
inline constexpr std::uint32_t wsaImportFlags(std::uint32_t wsaFlags) {
    return wsaFlags != 0 ? wsaFlags : kWsaFlagOverlapped;
}

/// One enum of all message types, grouped by direction (high byte).
enum class MessageType : std::uint16_t {
    // broker -> helper: requests; each carries a requestId the reply repeats
    Hello = 0x0101,
    CreateSocket = 0x0102,
    ExportDescriptor = 0x0103, ///< Linux: reply carries the fd by SCM_RIGHTS
    ImportDescriptor = 0x0104, ///< Linux: request carries the fd by SCM_RIGHTS
    DupDescriptor = 0x0105,
    SetOption = 0x0106,
    GetOption = 0x0107,
    RegisterEvents = 0x0108,
    Send = 0x0109,
    Receive = 0x010A,
    CloseDescriptor = 0x010B,
    Observe = 0x010C,
    DuplicateForProcess = 0x010D, ///< Winsock: WSADuplicateSocket(s, pid) -> protocol info
    ImportProtocolInfo = 0x010E,  ///< Winsock: WSASocket(FROM_PROTOCOL_INFO)
    ListHolders = 0x010F,         ///< Winsock: every handle in the system to the same sockets
    StartChild = 0x0110,          ///< Winsock: CreateProcess, inheriting handles or not
    ListProcessSockets = 0x0111,  ///< Winsock: the socket handles of a process of the prefix
    SetInheritable = 0x0112,      ///< HANDLE_FLAG_INHERIT (Winsock) / FD_CLOEXEC (Linux)

    // helper -> broker: replies
    HelloReply = 0x0201,
    DescriptorsReply = 0x0202, ///< new descriptors (created, imported, dup'ed) or none
    OptionReply = 0x0203,
    SendReply = 0x0204,
    ReceiveReply = 0x0205,
    ObservationReply = 0x0206,
    ProtocolInfoReply = 0x0207,
    HoldersReply = 0x0208,
    ChildReply = 0x0209,
    ProcessSocketsReply = 0x020A,
    Failure = 0x02FF,

    // helper -> broker: unsolicited
    NetworkEvent = 0x0301,
};

/// What a helper knows about one socket behind a descriptor, read from its OS.
struct SocketDescription {
    std::uint64_t identity = 0; ///< Linux: inode of socket:[N]; Winsock: 0 (the broker's lineage)
    std::int32_t family = 0;
    std::int32_t type = 0;
    std::int32_t protocol = 0;
    SocketKindSeen kind = SocketKindSeen::Other;
    std::string local;    ///< "127.0.0.1:4711", "" when unbound
    std::string peer;     ///< "" when not connected
    std::string tcpState; ///< "ESTABLISHED", "LISTEN", ... or "" for non-TCP
    template <class F> void fields(F& f) {
        f(identity), f(family), f(type), f(protocol), f(kind), f(local), f(peer), f(tcpState);
    }
    bool operator==(const SocketDescription&) const = default;
};

struct DescriptorDescription {
    std::int64_t handle = 0;
    SocketDescription socket;
    std::uint32_t wsaFlags = 0; ///< Winsock: the WSASocket flags it was made with (0: socket())
    template <class F> void fields(F& f) { f(handle), f(socket), f(wsaFlags); }
    bool operator==(const DescriptorDescription&) const = default;
};

using socklens::OptionReading; // model/socket_vocabulary.h: the journal keeps them too

/// One descriptor as observed by its own process.
struct DescriptorObservation {
    DescriptorDescription descriptor;
    /// F_GETOWN_EX owner (0 = none); -1: the OS cannot tell (Winsock has no call to read it)
    std::int64_t ownerPid = 0;
    std::vector<OptionReading> options;
    /// Winsock: HandleCount of the socket object (NtQueryObject); 0 where the OS keeps no such
    /// count (Linux: the broker counts /proc/*/fd instead)
    std::uint32_t handleCount = 0;
    /// FD_CLOEXEC (Linux) or HANDLE_FLAG_INHERIT (Windows), read through the descriptor: a
    /// property of the descriptor, not of the socket, so it does not propagate
    Inheritance inheritance = Inheritance::Unknown;
    template <class F> void fields(F& f) {
        f(descriptor), f(ownerPid), f(options), f(handleCount), f(inheritance);
    }
    bool operator==(const DescriptorObservation&) const = default;
};

/// A handle of some process, by the process's (Windows) pid and the handle's value.
struct HandleReference {
    std::int64_t pid = 0;
    std::int64_t handle = 0;
    /// 1: find every handle to its object (each candidate is copied in for a moment, which
    /// others' HandleCount readings see); 0: only its own entry (its inherit flag).
    std::uint8_t search = 1;
    template <class F> void fields(F& f) { f(pid), f(handle), f(search); }
    bool operator==(const HandleReference&) const = default;
};

/// A handle found in the system handle table naming the same object as a reference.
struct HeldHandle {
    std::uint32_t reference = 0; ///< index into ListHolders.references
    std::int64_t pid = 0;
    std::int64_t handle = 0;
    std::uint8_t inheritable = 0; ///< OBJ_INHERIT (HANDLE_FLAG_INHERIT) set: 1
    template <class F> void fields(F& f) { f(reference), f(pid), f(handle), f(inheritable); }
    bool operator==(const HeldHandle&) const = default;
};

/// A process the system handle table lists, with its image name ("server.exe").
struct ListedProcess {
    std::int64_t pid = 0;
    std::string image;
    template <class F> void fields(F& f) { f(pid), f(image); }
    bool operator==(const ListedProcess&) const = default;
};

/// A socket handle of a process that is not a helper, read through a copy in the helper.
struct ForeignSocket {
    std::int64_t handle = 0;
    SocketDescription socket;
    std::uint8_t inheritable = 0; ///< OBJ_INHERIT (HANDLE_FLAG_INHERIT) set: 1
    template <class F> void fields(F& f) { f(handle), f(socket), f(inheritable); }
    bool operator==(const ForeignSocket&) const = default;
};

// ---- requests -------------------------------------------------------------------------

struct Hello {
    static constexpr MessageType kType = MessageType::Hello;
    std::uint32_t requestId = 0;
    template <class F> void fields(F& f) { f(requestId); }
    bool operator==(const Hello&) const = default;
};

struct CreateSocket {
    static constexpr MessageType kType = MessageType::CreateSocket;
    std::uint32_t requestId = 0;
    SocketKind kind = SocketKind::TcpPair;
    std::uint32_t wsaFlags = 0; ///< Winsock: 0 = socket(), else WSASocket(..., flags)
    template <class F> void fields(F& f) { f(requestId), f(kind), f(wsaFlags); }
    bool operator==(const CreateSocket&) const = default;
};

struct ExportDescriptor {
    static constexpr MessageType kType = MessageType::ExportDescriptor;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle); }
    bool operator==(const ExportDescriptor&) const = default;
};

/// Carries exactly one fd by SCM_RIGHTS.
struct ImportDescriptor {
    static constexpr MessageType kType = MessageType::ImportDescriptor;
    std::uint32_t requestId = 0;
    template <class F> void fields(F& f) { f(requestId); }
    bool operator==(const ImportDescriptor&) const = default;
};

struct DupDescriptor {
    static constexpr MessageType kType = MessageType::DupDescriptor;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle); }
    bool operator==(const DupDescriptor&) const = default;
};

struct SetOption {
    static constexpr MessageType kType = MessageType::SetOption;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    SocketOption option = SocketOption::RcvBuf;
    std::int64_t value = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle), f(option), f(value); }
    bool operator==(const SetOption&) const = default;
};

struct GetOption {
    static constexpr MessageType kType = MessageType::GetOption;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    SocketOption option = SocketOption::RcvBuf;
    template <class F> void fields(F& f) { f(requestId), f(handle), f(option); }
    bool operator==(const GetOption&) const = default;
};

/// Linux: F_SETOWN_EX(self) + F_SETSIG + O_ASYNC through handle. Winsock: WSAEventSelect.
struct RegisterEvents {
    static constexpr MessageType kType = MessageType::RegisterEvents;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    EventMask mask = 0;
    RegistrationMechanism mechanism = RegistrationMechanism::FcntlSetOwn;
    template <class F> void fields(F& f) { f(requestId), f(handle), f(mask), f(mechanism); }
    bool operator==(const RegisterEvents&) const = default;
};

/// `fromSecondThread`: the helper sends from a thread of its own, through the same
/// descriptor, without duplicating it (C2).
struct Send {
    static constexpr MessageType kType = MessageType::Send;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    std::vector<std::uint8_t> bytes;
    std::uint8_t fromSecondThread = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle), f(bytes), f(fromSecondThread); }
    bool operator==(const Send&) const = default;
};

/// Receive of at most maxBytes, waiting up to waitMs for data to arrive; fails with
/// EAGAIN/WSAEWOULDBLOCK when none came.
struct Receive {
    static constexpr MessageType kType = MessageType::Receive;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    std::uint32_t maxBytes = 0;
    std::uint32_t waitMs = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle), f(maxBytes), f(waitMs); }
    bool operator==(const Receive&) const = default;
};

struct CloseDescriptor {
    static constexpr MessageType kType = MessageType::CloseDescriptor;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle); }
    bool operator==(const CloseDescriptor&) const = default;
};

/// Read socket descriptors the helper holds: identity, owner and every option.
struct Observe {
    static constexpr MessageType kType = MessageType::Observe;
    std::uint32_t requestId = 0;
    /// Which of the held descriptors to read; empty: all of them. Handles the helper does
    /// not hold are left out of the reply.
    std::vector<std::int64_t> handles;
    template <class F> void fields(F& f) { f(requestId), f(handles); }
    bool operator==(const Observe&) const = default;
};

/// Winsock: WSADuplicateSocket(handle, targetPid), answered with the WSAPROTOCOL_INFOW bytes.
struct DuplicateForProcess {
    static constexpr MessageType kType = MessageType::DuplicateForProcess;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    std::int64_t targetPid = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle), f(targetPid); }
    bool operator==(const DuplicateForProcess&) const = default;
};

/// `probe`: only see what the platform does with (reused) protocol info: a SOCKET the helper
/// did not hold before is closed at once and not kept (C8).
struct ImportProtocolInfo {
    static constexpr MessageType kType = MessageType::ImportProtocolInfo;
    std::uint32_t requestId = 0;
    std::vector<std::uint8_t> protocolInfo;
    std::uint32_t wsaFlags = 0;
    std::uint8_t probe = 0;
    template <class F> void fields(F& f) { f(requestId), f(protocolInfo), f(wsaFlags), f(probe); }
    bool operator==(const ImportProtocolInfo&) const = default;
};

/// Winsock: reads the system handle table and names every handle, in every process, to the
/// same object as each reference. The helper copies handles in to compare them and closes the
/// copies at once; they are not in the reply.
struct ListHolders {
    static constexpr MessageType kType = MessageType::ListHolders;
    std::uint32_t requestId = 0;
    std::vector<HandleReference> references;
    template <class F> void fields(F& f) { f(requestId), f(references); }
    bool operator==(const ListHolders&) const = default;
};

/// Winsock: CreateProcess of a child that only holds what it inherited (bInheritHandles =
/// `inheritHandles`) and waits; it ends by itself after `lifetimeMs`.
struct StartChild {
    static constexpr MessageType kType = MessageType::StartChild;
    std::uint32_t requestId = 0;
    std::uint8_t inheritHandles = 1;
    std::uint32_t lifetimeMs = 0;
    template <class F> void fields(F& f) { f(requestId), f(inheritHandles), f(lifetimeMs); }
    bool operator==(const StartChild&) const = default;
};

/// Winsock: the processes of the prefix and, for `pid` (0: none), its socket handles, each
/// copied into the helper, read (getsockname, getpeername, getsockopt) and closed at once.
struct ListProcessSockets {
    static constexpr MessageType kType = MessageType::ListProcessSockets;
    std::uint32_t requestId = 0;
    std::int64_t pid = 0;
    template <class F> void fields(F& f) { f(requestId), f(pid); }
    bool operator==(const ListProcessSockets&) const = default;
};

/// Sets whether a child started later inherits `handle`: Winsock SetHandleInformation
/// (HANDLE_FLAG_INHERIT), Linux fcntl(F_SETFD, FD_CLOEXEC). Answered with no descriptors.
struct SetInheritable {
    static constexpr MessageType kType = MessageType::SetInheritable;
    std::uint32_t requestId = 0;
    std::int64_t handle = 0;
    std::uint8_t inheritable = 0;
    template <class F> void fields(F& f) { f(requestId), f(handle), f(inheritable); }
    bool operator==(const SetInheritable&) const = default;
};

// ---- replies --------------------------------------------------------------------------

struct HelloReply {
    static constexpr MessageType kType = MessageType::HelloReply;
    std::uint32_t requestId = 0;
    std::int64_t pid = 0;
    Platform platform = Platform::Linux;
    std::string helperVersion;
    std::string osVersion; ///< kernel release, or Windows/Wine version
    template <class F> void fields(F& f) {
        f(requestId), f(pid), f(platform), f(helperVersion), f(osVersion);
    }
    bool operator==(const HelloReply&) const = default;
};

struct DescriptorsReply {
    static constexpr MessageType kType = MessageType::DescriptorsReply;
    std::uint32_t requestId = 0;
    /// The descriptors the request made, took in or passed on, each read through itself at
    /// once, so that the command's observation need not ask again.
    std::vector<DescriptorObservation> descriptors;
    template <class F> void fields(F& f) { f(requestId), f(descriptors); }
    bool operator==(const DescriptorsReply&) const = default;
};

/// The value read back through the descriptor after a SetOption or a GetOption.
struct OptionReply {
    static constexpr MessageType kType = MessageType::OptionReply;
    std::uint32_t requestId = 0;
    OptionReading reading;
    template <class F> void fields(F& f) { f(requestId), f(reading); }
    bool operator==(const OptionReply&) const = default;
};

struct SendReply {
    static constexpr MessageType kType = MessageType::SendReply;
    std::uint32_t requestId = 0;
    std::uint64_t sent = 0;
    std::int64_t threadId = 0; ///< the OS thread that called send
    template <class F> void fields(F& f) { f(requestId), f(sent), f(threadId); }
    bool operator==(const SendReply&) const = default;
};

struct ReceiveReply {
    static constexpr MessageType kType = MessageType::ReceiveReply;
    std::uint32_t requestId = 0;
    std::vector<std::uint8_t> bytes;
    template <class F> void fields(F& f) { f(requestId), f(bytes); }
    bool operator==(const ReceiveReply&) const = default;
};

struct ObservationReply {
    static constexpr MessageType kType = MessageType::ObservationReply;
    std::uint32_t requestId = 0;
    std::vector<DescriptorObservation> descriptors;
    /// Held descriptors the OS no longer knows as sockets (closed behind the helper's back).
    std::vector<std::int64_t> unreadable;
    template <class F> void fields(F& f) { f(requestId), f(descriptors), f(unreadable); }
    bool operator==(const ObservationReply&) const = default;
};

struct ProtocolInfoReply {
    static constexpr MessageType kType = MessageType::ProtocolInfoReply;
    std::uint32_t requestId = 0;
    std::vector<std::uint8_t> protocolInfo;
    template <class F> void fields(F& f) { f(requestId), f(protocolInfo); }
    bool operator==(const ProtocolInfoReply&) const = default;
};

struct HoldersReply {
    static constexpr MessageType kType = MessageType::HoldersReply;
    std::uint32_t requestId = 0;
    std::vector<HeldHandle> holders;
    /// Every process the handle table lists: names the holders; one not listed has ended.
    std::vector<ListedProcess> processes;
    /// Per reference: HandleCount of its object, without the helper's own copy; 0: unread.
    std::vector<std::uint32_t> handleCounts;
    /// What the platform does not report, in sentences (Wine: no object addresses).
    std::vector<std::string> notes;
    template <class F> void fields(F& f) {
        f(requestId), f(holders), f(processes), f(handleCounts), f(notes);
    }
    bool operator==(const HoldersReply&) const = default;
};

struct ChildReply {
    static constexpr MessageType kType = MessageType::ChildReply;
    std::uint32_t requestId = 0;
    ListedProcess child;
    template <class F> void fields(F& f) { f(requestId), f(child); }
    bool operator==(const ChildReply&) const = default;
};

struct ProcessSocketsReply {
    static constexpr MessageType kType = MessageType::ProcessSocketsReply;
    std::uint32_t requestId = 0;
    std::vector<ListedProcess> processes; ///< every process of the prefix
    std::vector<ForeignSocket> sockets;   ///< the asked process's socket handles
    std::vector<std::string> notes;       ///< what the platform does not report, in sentences
    template <class F> void fields(F& f) { f(requestId), f(processes), f(sockets), f(notes); }
    bool operator==(const ProcessSocketsReply&) const = default;
};

/// A request failed in the helper's OS call.
struct Failure {
    static constexpr MessageType kType = MessageType::Failure;
    std::uint32_t requestId = 0;
    std::string call;      ///< "setsockopt(SO_RCVBUF)"
    std::int32_t code = 0; ///< errno or WSA error code
    std::string codeName;  ///< "EINVAL", "WSAENOTSOCK"
    std::string sentence;  ///< a sentence for a person
    template <class F> void fields(F& f) {
        f(requestId), f(call), f(code), f(codeName), f(sentence);
    }
    bool operator==(const Failure&) const = default;
};

/// Delivered to the registration owner by the OS (F_SETSIG signal / WSAEnumNetworkEvents /
/// a WSAAsyncSelect window message).
struct NetworkEvent {
    static constexpr MessageType kType = MessageType::NetworkEvent;
    std::int64_t handle = 0;
    std::uint64_t identity = 0; ///< as in SocketDescription (Winsock: 0)
    EventMask events = 0;       ///< FD_READ/FD_WRITE the OS reported (Linux: from si_band)
    EventMask registered = 0;   ///< the mask this helper registered for the socket
    std::int64_t band = 0;      ///< Linux si_band as delivered
    template <class F> void fields(F& f) {
        f(handle), f(identity), f(events), f(registered), f(band);
    }
    bool operator==(const NetworkEvent&) const = default;
};

using Message =
    std::variant<Hello, CreateSocket, ExportDescriptor, ImportDescriptor, DupDescriptor, SetOption,
                 GetOption, RegisterEvents, Send, Receive, CloseDescriptor, Observe,
                 DuplicateForProcess, ImportProtocolInfo, ListHolders, StartChild,
                 ListProcessSockets, SetInheritable, HelloReply, DescriptorsReply, OptionReply,
                 SendReply, ReceiveReply, ObservationReply, ProtocolInfoReply, HoldersReply,
                 ChildReply, ProcessSocketsReply, Failure, NetworkEvent>;

MessageType typeOf(const Message& message);
std::string_view toString(MessageType type);
/// The requestId of a request or reply; 0 for unsolicited messages.
std::uint32_t requestIdOf(const Message& message);

/// A reply (0x02xx), as opposed to a request or an unsolicited message.
constexpr bool isReply(MessageType type) {
    return (std::uint16_t(type) >> 8) == 0x02;
}

/// What a helper answers a request with when it succeeds (else a Failure), and how many
/// descriptors travel with that answer. A reply of any other shape breaks the protocol.
struct ReplyShape {
    MessageType type;
    std::uint8_t descriptors = 0;
};
/// The shape of the reply to `request`; nullopt for a message that is not a request.
std::optional<ReplyShape> expectedReply(MessageType request);

} // namespace socklens::protocol
