// Platform-neutral names for what socklens does to sockets: kinds, options, event masks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socklens {

/// What a "create socket" command makes.
enum class SocketKind : std::uint8_t {
    TcpListener = 1, ///< one listening TCP socket on 127.0.0.1
    TcpPair = 2,     ///< a connected TCP pair over 127.0.0.1: client end, accepted end
    Udp = 3,         ///< one UDP socket bound to 127.0.0.1
    UnixPair = 4,    ///< an AF_UNIX stream pair (Linux only)
};

std::string_view toString(SocketKind kind);
std::optional<SocketKind> socketKindFromString(std::string_view text);

/// What kind of socket a reader of the OS saw (SocketIdentified.kind): a helper's own
/// description, or the kernel's socket lists for an attached process. The family, type and
/// protocol numbers travel beside it; TCP is told apart by whether it listens or has a peer.
enum class SocketKindSeen : std::uint8_t {
    Other = 0, ///< not TCP, UDP or Unix, or not in the kernel's lists: the numbers say more
    Tcp = 1,   ///< neither listening nor connected
    TcpListener = 2,
    TcpConnected = 3,
    Udp = 4,
    UnixStream = 5,
    UnixDatagram = 6,
    UnixSeqpacket = 7,
};

/// "TCP listener", "Unix stream", ..., "other".
std::string_view toString(SocketKindSeen kind);
std::optional<SocketKindSeen> socketKindSeenFromString(std::string_view text);
/// What people read for a socket of `kind`: its name, or for Other its numbers
/// ("family 23 type 5"; a sentence when none were read).
std::string kindText(SocketKindSeen kind, std::int32_t family, std::int32_t type);

/// The options socklens reads through every descriptor (model/socket_options.def).
enum class SocketOption : std::uint8_t {
#define SOCKLENS_SOCKET_OPTION(enumerator, wire, ...) enumerator = wire,
#include "model/socket_options.def"
#undef SOCKLENS_SOCKET_OPTION
};

/// The last line of the table: the wire accepts RcvBuf..kLastSocketOption.
inline constexpr SocketOption kLastSocketOption = [] {
    SocketOption last{};
#define SOCKLENS_SOCKET_OPTION(enumerator, ...) last = SocketOption::enumerator;
#include "model/socket_options.def"
#undef SOCKLENS_SOCKET_OPTION
    return last;
}();

/// One option as read through a descriptor: by a helper (the wire) and in the journal.
struct OptionReading {
    SocketOption option = SocketOption::RcvBuf;
    std::int64_t value = 0;
    std::int32_t errorCode = 0; ///< 0 when read; else the errno / WSA code
    template <class F> void fields(F& f) { f(option), f(value), f(errorCode); }
    bool operator==(const OptionReading&) const = default;
};

/// What an option's value means; decides how it is shown, edited and checked.
enum class OptionValueKind : std::uint8_t {
    Switch,        ///< 0 off, anything else on
    Bytes,         ///< a size in bytes
    LingerSeconds, ///< -1 off, N >= 0 on with N seconds
    Hops,          ///< a hop count
};

/// Everything socklens knows about an option apart from the OS's own constants.
struct SocketOptionTraits {
    SocketOption option;
    std::string_view name; ///< "SO_RCVBUF": journal, scenarios, reports, the CLI
    OptionValueKind kind;
    /// The values an editor offers and a scenario may set without a warning: the range the
    /// value's C type and meaning allow on both OSes. The kernel may still refuse or clamp.
    std::int64_t minimum;
    std::int64_t maximum;
    std::string_view unit; ///< "bytes", "s", "hops"; empty for switches
};

/// All options, in display order (the table's order).
const std::vector<SocketOption>& allSocketOptions();
const SocketOptionTraits& traitsOf(SocketOption option);
std::string_view toString(SocketOption option); ///< "SO_RCVBUF", ...
std::optional<SocketOption> socketOptionFromString(std::string_view name);
/// "SO_RCVBUF, SO_SNDBUF, ...": for sentences that list what is accepted.
std::string socketOptionNames();
/// A value as a person reads it: "on", "off", "24690 bytes", "on, 5 s".
std::string describeOptionValue(SocketOption option, std::int64_t value);
/// A table cell's text: "on", "off", "5 s", "24690".
std::string shortOptionValue(SocketOption option, std::int64_t value);
/// Whether the value lies in the option's range (traitsOf(option).minimum..maximum).
bool optionValueInRange(SocketOption option, std::int64_t value);

/// FD_READ / FD_WRITE, as in WSAEventSelect's lNetworkEvents.
enum EventBits : std::uint32_t {
    FdRead = 1u << 0,
    FdWrite = 1u << 1,
};
using EventMask = std::uint32_t;

std::string eventMaskToString(EventMask mask); ///< "FD_READ|FD_WRITE", "none"
/// Accepts "FD_READ", "read", "FD_READ|FD_WRITE", "read,write", "both", "none".
std::optional<EventMask> eventMaskFromString(std::string_view text);

/// How a registration was made.
enum class RegistrationMechanism : std::uint8_t {
    FcntlSetOwn = 1, ///< Linux: F_SETOWN_EX + F_SETSIG + O_ASYNC
    WsaEventSelect,
    WsaAsyncSelect,
};
std::string_view toString(RegistrationMechanism mechanism);

/// How a duplicate is made.
enum class DuplicationMechanism : std::uint8_t {
    ScmRights = 1,     ///< Linux: sendmsg/recvmsg SCM_RIGHTS through the broker
    DupInProcess,      ///< Linux: dup() inside one process
    WsaDuplicateSocket ///< Winsock: WSADuplicateSocket + WSASocket(FROM_PROTOCOL_INFO)
};
std::string_view toString(DuplicationMechanism mechanism);

enum class Platform : std::uint8_t {
    Linux = 1,
    WinsockWine,
};
std::string_view toString(Platform platform);

/// Whether a child gets a descriptor: on Linux, a program the process executes gets every
/// descriptor without close-on-exec (FD_CLOEXEC); on Windows, a child started with handle
/// inheritance gets every handle with HANDLE_FLAG_INHERIT (the handle table's OBJ_INHERIT).
enum class Inheritance : std::uint8_t { Unknown, Inheritable, NotInheritable };
std::string_view toString(Inheritance inheritance);

} // namespace socklens
