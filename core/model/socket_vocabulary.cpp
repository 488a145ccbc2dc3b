#include "model/socket_vocabulary.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace socklens {

namespace {

template <class Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view text) {
    for (const auto& [value, name] : table) {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

template <class Enum, std::size_t N>
std::string_view nameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value)
            return name;
    }
    return "unknown";
}

constexpr std::array<std::pair<SocketKind, std::string_view>, 4> kKindNames{{
    {SocketKind::TcpListener, "tcp-listener"},
    {SocketKind::TcpPair, "tcp-pair"},
    {SocketKind::Udp, "udp"},
    {SocketKind::UnixPair, "unix-pair"},
}};

constexpr std::int64_t kIntMax = 2147483647; // both OSes pass these options as a C int

constexpr SocketOptionTraits traitsFor(SocketOption option, std::string_view name,
                                       OptionValueKind kind) {
    switch (kind) {
    case OptionValueKind::Switch:
        return {option, name, kind, 0, 1, {}};
    case OptionValueKind::Bytes:
        return {option, name, kind, 0, kIntMax, "bytes"};
    case OptionValueKind::LingerSeconds:
        return {option, name, kind, -1, 65535, "s"}; // Winsock's l_linger is a u_short
    case OptionValueKind::Hops:
        return {option, name, kind, 1, 255, "hops"};
    }
    return {option, name, kind, 0, 0, {}};
}

constexpr SocketOptionTraits kOptions[] = {
#define SOCKLENS_SOCKET_OPTION(enumerator, wire, name, kind, ...)                                  \
    traitsFor(SocketOption::enumerator, name, OptionValueKind::kind),
#include "model/socket_options.def"
#undef SOCKLENS_SOCKET_OPTION
};

// The wire numbers options 1..N in the table's order; traitsOf() indexes by it.
constexpr bool numberedInOrder() {
    for (std::size_t i = 0; i < std::size(kOptions); ++i) {
        if (std::size_t(kOptions[i].option) != i + 1)
            return false;
    }
    return true;
}
static_assert(numberedInOrder(), "socket_options.def: wire values must be 1, 2, 3, ... in order");

std::string lowercase(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return result;
}

} // namespace

std::string_view toString(SocketKindSeen kind) {
    switch (kind) {
    case SocketKindSeen::Other:
        return "other";
    case SocketKindSeen::Tcp:
        return "TCP";
    case SocketKindSeen::TcpListener:
        return "TCP listener";
    case SocketKindSeen::TcpConnected:
        return "TCP connected";
    case SocketKindSeen::Udp:
        return "UDP";
    case SocketKindSeen::UnixStream:
        return "Unix stream";
    case SocketKindSeen::UnixDatagram:
        return "Unix datagram";
    case SocketKindSeen::UnixSeqpacket:
        return "Unix seqpacket";
    }
    return "other";
}

std::optional<SocketKindSeen> socketKindSeenFromString(std::string_view text) {
    for (int value = 0; value <= int(SocketKindSeen::UnixSeqpacket); ++value) {
        if (toString(SocketKindSeen(value)) == text)
            return SocketKindSeen(value);
    }
    return std::nullopt;
}

std::string kindText(SocketKindSeen kind, std::int32_t family, std::int32_t type) {
    if (kind != SocketKindSeen::Other)
        return std::string(toString(kind));
    // Helpers always read the numbers; only an attached process's socket that sock_diag does
    // not list comes without them.
    if (family == 0 && type == 0)
        return "socket (not in the kernel's TCP, UDP or Unix lists)";
    return "family " + std::to_string(family) + " type " + std::to_string(type);
}

std::string_view toString(SocketKind kind) {
    return nameOf(kKindNames, kind);
}

std::optional<SocketKind> socketKindFromString(std::string_view text) {
    return lookup(kKindNames, text);
}

const std::vector<SocketOption>& allSocketOptions() {
    static const std::vector<SocketOption> options = [] {
        std::vector<SocketOption> all;
        for (const SocketOptionTraits& traits : kOptions)
            all.push_back(traits.option);
        return all;
    }();
    return options;
}

const SocketOptionTraits& traitsOf(SocketOption option) {
    const std::size_t index = std::size_t(option) - 1;
    // Only a value cast from an unchecked number lands outside; the wire and the journal
    // reader refuse those before they become a SocketOption.
    return kOptions[index < std::size(kOptions) ? index : 0];
}

std::string_view toString(SocketOption option) {
    const std::size_t index = std::size_t(option) - 1;
    return index < std::size(kOptions) ? kOptions[index].name : "unknown";
}

std::optional<SocketOption> socketOptionFromString(std::string_view name) {
    for (const SocketOptionTraits& traits : kOptions) {
        if (traits.name == name)
            return traits.option;
    }
    return std::nullopt;
}

std::string socketOptionNames() {
    std::string names;
    for (const SocketOptionTraits& traits : kOptions)
        names += (names.empty() ? "" : ", ") + std::string(traits.name);
    return names;
}

std::string shortOptionValue(SocketOption option, std::int64_t value) {
    switch (traitsOf(option).kind) {
    case OptionValueKind::Switch:
        return value ? "on" : "off";
    case OptionValueKind::LingerSeconds:
        return value < 0 ? "off" : std::to_string(value) + " s";
    case OptionValueKind::Bytes:
    case OptionValueKind::Hops:
        break;
    }
    return std::to_string(value);
}

std::string describeOptionValue(SocketOption option, std::int64_t value) {
    const SocketOptionTraits& traits = traitsOf(option);
    switch (traits.kind) {
    case OptionValueKind::Switch:
        return shortOptionValue(option, value);
    case OptionValueKind::LingerSeconds:
        return value < 0 ? "off" : "on, " + std::to_string(value) + " s";
    case OptionValueKind::Bytes:
    case OptionValueKind::Hops:
        break;
    }
    return std::to_string(value) + " " + std::string(traits.unit);
}

bool optionValueInRange(SocketOption option, std::int64_t value) {
    const SocketOptionTraits& traits = traitsOf(option);
    return value >= traits.minimum && value <= traits.maximum;
}

std::string eventMaskToString(EventMask mask) {
    if (mask == 0)
        return "none";
    std::string text;
    if (mask & FdRead)
        text = "FD_READ";
    if (mask & FdWrite)
        text += text.empty() ? "FD_WRITE" : "|FD_WRITE";
    return text;
}

std::optional<EventMask> eventMaskFromString(std::string_view text) {
    const std::string lower = lowercase(text);
    if (lower == "none")
        return EventMask{0};
    if (lower == "both")
        return EventMask{FdRead | FdWrite};
    EventMask mask = 0;
    std::size_t start = 0;
    while (start <= lower.size()) {
        const std::size_t end = lower.find_first_of("|,", start);
        const std::string part =
            lower.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (part == "read" || part == "fd_read")
            mask |= FdRead;
        else if (part == "write" || part == "fd_write")
            mask |= FdWrite;
        else
            return std::nullopt;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return mask;
}

std::string_view toString(RegistrationMechanism mechanism) {
    switch (mechanism) {
    case RegistrationMechanism::FcntlSetOwn:
        return "F_SETOWN_EX+F_SETSIG+O_ASYNC";
    case RegistrationMechanism::WsaEventSelect:
        return "WSAEventSelect";
    case RegistrationMechanism::WsaAsyncSelect:
        return "WSAAsyncSelect";
    }
    return "unknown";
}

std::string_view toString(DuplicationMechanism mechanism) {
    switch (mechanism) {
    case DuplicationMechanism::ScmRights:
        return "SCM_RIGHTS";
    case DuplicationMechanism::DupInProcess:
        return "dup";
    case DuplicationMechanism::WsaDuplicateSocket:
        return "WSADuplicateSocket";
    }
    return "unknown";
}

std::string_view toString(Platform platform) {
    switch (platform) {
    case Platform::Linux:
        return "Linux";
    case Platform::WinsockWine:
        return "Winsock (Wine)";
    }
    return "unknown";
}

std::string_view toString(Inheritance inheritance) {
    switch (inheritance) {
    case Inheritance::Unknown:
        break;
    case Inheritance::Inheritable:
        return "inheritable";
    case Inheritance::NotInheritable:
        return "not inheritable";
    }
    return "inheritance unknown";
}

} // namespace socklens
