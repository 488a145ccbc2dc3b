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

constexpr std::array<std::pair<SocketOption, std::string_view>, 8> kOptionNames{{
    {SocketOption::RcvBuf, "SO_RCVBUF"},
    {SocketOption::SndBuf, "SO_SNDBUF"},
    {SocketOption::KeepAlive, "SO_KEEPALIVE"},
    {SocketOption::ReuseAddr, "SO_REUSEADDR"},
    {SocketOption::Linger, "SO_LINGER"},
    {SocketOption::RcvLowat, "SO_RCVLOWAT"},
    {SocketOption::TcpNoDelay, "TCP_NODELAY"},
    {SocketOption::IpTtl, "IP_TTL"},
}};

std::string lowercase(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return result;
}

} // namespace

std::string_view toString(SocketKind kind) {
    return nameOf(kKindNames, kind);
}

std::optional<SocketKind> socketKindFromString(std::string_view text) {
    return lookup(kKindNames, text);
}

const std::vector<SocketOption>& allSocketOptions() {
    static const std::vector<SocketOption> options = [] {
        std::vector<SocketOption> all;
        for (const auto& entry : kOptionNames)
            all.push_back(entry.first);
        return all;
    }();
    return options;
}

std::string_view toString(SocketOption option) {
    return nameOf(kOptionNames, option);
}

std::optional<SocketOption> socketOptionFromString(std::string_view name) {
    return lookup(kOptionNames, name);
}

std::string describeOptionValue(SocketOption option, std::int64_t value) {
    switch (option) {
    case SocketOption::KeepAlive:
    case SocketOption::ReuseAddr:
    case SocketOption::TcpNoDelay:
        return value ? "on" : "off";
    case SocketOption::Linger:
        return value < 0 ? "off" : "on, " + std::to_string(value) + " s";
    case SocketOption::RcvBuf:
    case SocketOption::SndBuf:
    case SocketOption::RcvLowat:
        return std::to_string(value) + " bytes";
    case SocketOption::IpTtl:
        return std::to_string(value) + " hops";
    }
    return std::to_string(value);
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

} // namespace socklens
