// Linux: creating sockets, duplicating, I/O and process facts. Descriptions and options are in
// socket_description_posix.cpp and socket_options_posix.cpp.
#include "platform/os_error.h"
#include "platform/posix/native_fd.h"
#include "platform/posix/unique_fd.h"
#include "platform/socket_api.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace socklens::platform {

namespace {

/// Receives never allocate more than this, whatever a request asks for.
constexpr std::size_t kMaxReceiveBytes = 1024 * 1024;

// The sockets the session makes are left without close-on-exec, as by a program that did not
// ask for it and as Winsock makes them inheritable: a child started inheriting gets them unless
// no-inherit set FD_CLOEXEC, and the descriptor's flag says so (platform::inheritanceOf).
UniqueFd openSocket(int family, int type) {
    UniqueFd fd(::socket(family, type, 0));
    if (!fd.valid())
        throw OsError::fromLastError("socket");
    return fd;
}

sockaddr_in loopbackAnyPort() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    return address;
}

void bindLoopback(int fd) {
    const sockaddr_in address = loopbackAnyPort();
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        throw OsError::fromLastError("bind");
}

UniqueFd makeTcpListener() {
    UniqueFd listener = openSocket(AF_INET, SOCK_STREAM);
    bindLoopback(listener.get());
    if (::listen(listener.get(), SOMAXCONN) != 0)
        throw OsError::fromLastError("listen");
    return listener;
}

std::vector<Handle> makeTcpPair() {
    // The listener only exists to produce the accepted end; it is closed on return.
    const UniqueFd listener = makeTcpListener();
    sockaddr_in address{};
    socklen_t length = sizeof address;
    if (::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw OsError::fromLastError("getsockname");

    UniqueFd client = openSocket(AF_INET, SOCK_STREAM);
    int rc;
    do {
        rc = ::connect(client.get(), reinterpret_cast<const sockaddr*>(&address), length);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0)
        throw OsError::fromLastError("connect");

    UniqueFd accepted;
    do {
        accepted.reset(::accept4(listener.get(), nullptr, nullptr, 0));
    } while (!accepted.valid() && errno == EINTR);
    if (!accepted.valid())
        throw OsError::fromLastError("accept4");
    return {Handle(client.release()), Handle(accepted.release())};
}

std::vector<Handle> makeUnixPair() {
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
        throw OsError::fromLastError("socketpair");
    return {Handle(ends[0]), Handle(ends[1])};
}

OsError winsockOnly(const std::string& call) {
    return OsError(call, EOPNOTSUPP, "EOPNOTSUPP",
                   call + " is a Winsock call; this is a Linux helper (EOPNOTSUPP)");
}

} // namespace

std::vector<Handle> createSockets(SocketKind kind, std::uint32_t /*wsaFlags*/) {
    switch (kind) {
    case SocketKind::TcpListener:
        return {Handle(makeTcpListener().release())};
    case SocketKind::TcpPair:
        return makeTcpPair();
    case SocketKind::Udp: {
        UniqueFd udp = openSocket(AF_INET, SOCK_DGRAM);
        bindLoopback(udp.get());
        return {Handle(udp.release())};
    }
    case SocketKind::UnixPair:
        return makeUnixPair();
    }
    throw OsError("socket", EINVAL, "EINVAL",
                  "socket failed: unknown socket kind " + std::to_string(int(kind)) + " (EINVAL)");
}

std::int64_t registrationOwner(Handle handle) {
    f_owner_ex owner{};
    if (::fcntl(nativeFd(handle, "fcntl(F_GETOWN_EX)"), F_GETOWN_EX, &owner) != 0)
        throw OsError::fromLastError("fcntl(F_GETOWN_EX)");
    // A thread id or process group id is still "who gets the signal"; report it as it is.
    return owner.pid;
}

Handle duplicateInProcess(Handle handle, std::uint32_t /*wsaFlags*/) {
    const int copy = ::dup(nativeFd(handle, "dup"));
    if (copy < 0)
        throw OsError::fromLastError("dup");
    return Handle(copy);
}

std::size_t sendBytes(Handle handle, std::span<const std::uint8_t> bytes) {
    const int fd = nativeFd(handle, "send");
    ssize_t sent;
    do {
        sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0)
        throw OsError::fromLastError("send");
    return std::size_t(sent);
}

std::vector<std::uint8_t> receiveBytes(Handle handle, std::size_t maxBytes,
                                       std::chrono::milliseconds wait) {
    const int fd = nativeFd(handle, "recv");
    if (wait.count() > 0) {
        // Readiness or the timeout, whichever comes first; recv below tells which it was.
        pollfd readable{fd, POLLIN, 0};
        while (::poll(&readable, 1, int(wait.count())) < 0 && errno == EINTR) {
        }
    }
    std::vector<std::uint8_t> bytes(std::min(maxBytes, kMaxReceiveBytes));
    ssize_t received;
    do {
        received = ::recv(fd, bytes.data(), bytes.size(), MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    if (received < 0)
        throw OsError::fromLastError("recv");
    bytes.resize(std::size_t(received));
    return bytes;
}

void closeHandle(Handle handle) {
    // Linux releases the descriptor even when close reports EINTR, so never retry it.
    if (::close(nativeFd(handle, "close")) != 0 && errno != EINTR)
        throw OsError::fromLastError("close");
}

std::vector<std::uint8_t> duplicateForProcess(Handle, std::int64_t) {
    throw winsockOnly("WSADuplicateSocket");
}

Handle importProtocolInfo(std::span<const std::uint8_t>, std::uint32_t) {
    throw winsockOnly("WSASocket(FROM_PROTOCOL_INFO)");
}

std::optional<std::uint32_t> handleCount(Handle) {
    return std::nullopt;
}

std::int64_t currentThreadId() {
    return ::gettid();
}

std::int64_t currentPid() {
    return ::getpid();
}

std::string osVersion() {
    utsname names{};
    if (::uname(&names) != 0)
        throw OsError::fromLastError("uname");
    return std::string("Linux ") + names.release;
}

Platform currentPlatform() {
    return Platform::Linux;
}

} // namespace socklens::platform
