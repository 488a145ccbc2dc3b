// Linux: what one socket descriptor names, read back from the kernel.
#include "platform/os_error.h"
#include "platform/posix/native_fd.h"
#include "platform/socket_api.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

namespace socklens::platform {

namespace {

int intOption(int fd, int level, int name, const char* call) {
    int value = 0;
    socklen_t length = sizeof value;
    if (::getsockopt(fd, level, name, &value, &length) != 0)
        throw OsError::fromLastError(call);
    return value;
}

std::string formatInet(const sockaddr_in& address) {
    if (address.sin_port == 0 && address.sin_addr.s_addr == htonl(INADDR_ANY))
        return "";
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(address.sin_port));
}

std::string formatInet6(const sockaddr_in6& address) {
    if (address.sin6_port == 0 && IN6_IS_ADDR_UNSPECIFIED(&address.sin6_addr))
        return "";
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, &address.sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(address.sin6_port));
}

std::string formatUnix(const sockaddr_un& address, socklen_t length) {
    if (length <= offsetof(sockaddr_un, sun_path))
        return "(unnamed)";
    const std::size_t pathLength = length - offsetof(sockaddr_un, sun_path);
    if (address.sun_path[0] == '\0') // Linux abstract namespace, shown the way ss(8) does
        return "@" + std::string(address.sun_path + 1, pathLength - 1);
    return std::string(address.sun_path, strnlen(address.sun_path, pathLength));
}

std::string formatAddress(const sockaddr_storage& address, socklen_t length) {
    switch (address.ss_family) {
    case AF_INET:
        return formatInet(reinterpret_cast<const sockaddr_in&>(address));
    case AF_INET6:
        return formatInet6(reinterpret_cast<const sockaddr_in6&>(address));
    case AF_UNIX:
        return formatUnix(reinterpret_cast<const sockaddr_un&>(address), length);
    default:
        return "";
    }
}

std::string localAddress(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw OsError::fromLastError("getsockname");
    return formatAddress(address, length);
}

/// "" when not connected: that is an answer, not a failure.
std::string peerAddress(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (errno == ENOTCONN)
            return "";
        throw OsError::fromLastError("getpeername");
    }
    return formatAddress(address, length);
}

std::string tcpStateName(std::uint8_t state) {
    switch (state) {
    case TCP_ESTABLISHED:
        return "ESTABLISHED";
    case TCP_SYN_SENT:
        return "SYN_SENT";
    case TCP_SYN_RECV:
        return "SYN_RECV";
    case TCP_FIN_WAIT1:
        return "FIN_WAIT1";
    case TCP_FIN_WAIT2:
        return "FIN_WAIT2";
    case TCP_TIME_WAIT:
        return "TIME_WAIT";
    case TCP_CLOSE:
        return "CLOSE";
    case TCP_CLOSE_WAIT:
        return "CLOSE_WAIT";
    case TCP_LAST_ACK:
        return "LAST_ACK";
    case TCP_LISTEN:
        return "LISTEN";
    case TCP_CLOSING:
        return "CLOSING";
    default:
        return "state " + std::to_string(state);
    }
}

std::string tcpState(int fd) {
    tcp_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0)
        throw OsError::fromLastError("getsockopt(TCP_INFO)");
    return tcpStateName(info.tcpi_state);
}

SocketKindSeen kindOf(const protocol::SocketDescription& socket, int fd) {
    const bool inet = socket.family == AF_INET || socket.family == AF_INET6;
    if (inet && socket.type == SOCK_STREAM) {
        if (intOption(fd, SOL_SOCKET, SO_ACCEPTCONN, "getsockopt(SO_ACCEPTCONN)"))
            return SocketKindSeen::TcpListener;
        return socket.peer.empty() ? SocketKindSeen::Tcp : SocketKindSeen::TcpConnected;
    }
    if (inet && socket.type == SOCK_DGRAM)
        return SocketKindSeen::Udp;
    if (socket.family == AF_UNIX) {
        switch (socket.type) {
        case SOCK_STREAM:
            return SocketKindSeen::UnixStream;
        case SOCK_DGRAM:
            return SocketKindSeen::UnixDatagram;
        case SOCK_SEQPACKET:
            return SocketKindSeen::UnixSeqpacket;
        }
    }
    return SocketKindSeen::Other; // the family and type numbers say which
}

} // namespace

protocol::SocketDescription describeSocket(Handle handle) {
    const int fd = nativeFd(handle, "fstat");
    struct stat status {};
    if (::fstat(fd, &status) != 0)
        throw OsError::fromLastError("fstat");
    if (!S_ISSOCK(status.st_mode))
        throw OsError("fstat", ENOTSOCK, "ENOTSOCK",
                      "fstat: descriptor " + std::to_string(fd) +
                          " is not a socket: Socket operation on non-socket (ENOTSOCK)");

    protocol::SocketDescription socket;
    socket.identity = status.st_ino;
    socket.family = intOption(fd, SOL_SOCKET, SO_DOMAIN, "getsockopt(SO_DOMAIN)");
    socket.type = intOption(fd, SOL_SOCKET, SO_TYPE, "getsockopt(SO_TYPE)");
    socket.protocol = intOption(fd, SOL_SOCKET, SO_PROTOCOL, "getsockopt(SO_PROTOCOL)");
    socket.local = localAddress(fd);
    socket.peer = peerAddress(fd);
    socket.kind = kindOf(socket, fd);
    if (socket.protocol == IPPROTO_TCP)
        socket.tcpState = tcpState(fd);
    return socket;
}

} // namespace socklens::platform
