// Winsock: creating sockets, duplicating them between processes, I/O and process facts.
// Descriptions, options and handle counts are in socket_description_win32.cpp,
// socket_options_win32.cpp and handle_count_win32.cpp.
#include "platform/os_error.h"
#include "platform/socket_api.h"
#include "platform/win32/native_socket.h"
#include "platform/win32/ntdll.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstring>
#include <utility>
#include <ws2tcpip.h>

namespace socklens::platform {

// broker/protocol_info.cpp decodes these bytes on Linux by these offsets.
static_assert(sizeof(WSAPROTOCOL_INFOW) == 628);
static_assert(offsetof(WSAPROTOCOL_INFOW, dwServiceFlags3) == 8);
static_assert(offsetof(WSAPROTOCOL_INFOW, ProviderId) == 20);
static_assert(offsetof(WSAPROTOCOL_INFOW, dwCatalogEntryId) == 36);
static_assert(offsetof(WSAPROTOCOL_INFOW, iVersion) == 72);
static_assert(offsetof(WSAPROTOCOL_INFOW, iAddressFamily) == 76);
static_assert(offsetof(WSAPROTOCOL_INFOW, dwProviderReserved) == 112);
static_assert(offsetof(WSAPROTOCOL_INFOW, szProtocol) == 116);

namespace {

/// Receives never allocate more than this, whatever a request asks for.
constexpr std::size_t kMaxReceiveBytes = 1024 * 1024;

class UniqueSocket {
public:
    explicit UniqueSocket(SOCKET socket)
        : socket_(socket) {}
    UniqueSocket(UniqueSocket&& other) noexcept
        : socket_(std::exchange(other.socket_, INVALID_SOCKET)) {}
    UniqueSocket& operator=(UniqueSocket&&) = delete;
    ~UniqueSocket() {
        if (socket_ != INVALID_SOCKET)
            ::closesocket(socket_);
    }
    SOCKET get() const { return socket_; }
    Handle release() { return handleOf(std::exchange(socket_, INVALID_SOCKET)); }

private:
    SOCKET socket_;
};

/// socket() when `wsaFlags` is 0, else WSASocket(..., wsaFlags): C9 shows which one made it.
UniqueSocket openSocket(int type, int protocol, std::uint32_t wsaFlags) {
    const SOCKET socket = wsaFlags == 0
                              ? ::socket(AF_INET, type, protocol)
                              : ::WSASocketW(AF_INET, type, protocol, nullptr, 0, DWORD(wsaFlags));
    if (socket == INVALID_SOCKET)
        throw OsError::fromLastError(wsaFlags == 0 ? "socket" : "WSASocket");
    return UniqueSocket(socket);
}

sockaddr_in loopbackAnyPort() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

void bindLoopback(SOCKET socket) {
    const sockaddr_in address = loopbackAnyPort();
    if (::bind(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        throw OsError::fromLastError("bind");
}

UniqueSocket makeTcpListener(std::uint32_t wsaFlags) {
    UniqueSocket listener = openSocket(SOCK_STREAM, IPPROTO_TCP, wsaFlags);
    bindLoopback(listener.get());
    if (::listen(listener.get(), SOMAXCONN) != 0)
        throw OsError::fromLastError("listen");
    return listener;
}

std::vector<Handle> makeTcpPair(std::uint32_t wsaFlags) {
    // The listener only exists to produce the accepted end, which inherits its flags.
    const UniqueSocket listener = makeTcpListener(wsaFlags);
    sockaddr_in address{};
    int length = sizeof address;
    if (::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw OsError::fromLastError("getsockname");
    UniqueSocket client = openSocket(SOCK_STREAM, IPPROTO_TCP, wsaFlags);
    if (::connect(client.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0)
        throw OsError::fromLastError("connect");
    UniqueSocket accepted(::accept(listener.get(), nullptr, nullptr));
    if (accepted.get() == INVALID_SOCKET)
        throw OsError::fromLastError("accept");
    return {client.release(), accepted.release()};
}

OsError wouldBlock(std::chrono::milliseconds waited) {
    return OsError("recv", WSAEWOULDBLOCK, "WSAEWOULDBLOCK",
                   "recv failed: no data arrived within " + std::to_string(waited.count()) +
                       " ms (WSAEWOULDBLOCK)");
}

std::string wineVersion() {
    using GetVersion = const char*(CDECL*)();
    const auto getVersion = ntdllFunction<GetVersion>("wine_get_version");
    return getVersion ? std::string("Wine ") + getVersion() : std::string();
}

std::string windowsVersion() {
    // RtlGetVersion tells the truth where GetVersionEx answers what the manifest asks for.
    using GetVersion = LONG(WINAPI*)(OSVERSIONINFOW*);
    OSVERSIONINFOW version{};
    version.dwOSVersionInfoSize = sizeof version;
    const auto getVersion = ntdllFunction<GetVersion>("RtlGetVersion");
    if (!getVersion || getVersion(&version) != 0)
        return "Windows (version unknown)";
    return "Windows " + std::to_string(version.dwMajorVersion) + "." +
           std::to_string(version.dwMinorVersion) + "." + std::to_string(version.dwBuildNumber);
}

} // namespace

std::vector<Handle> createSockets(SocketKind kind, std::uint32_t wsaFlags) {
    switch (kind) {
    case SocketKind::TcpListener:
        return {makeTcpListener(wsaFlags).release()};
    case SocketKind::TcpPair:
        return makeTcpPair(wsaFlags);
    case SocketKind::Udp: {
        UniqueSocket udp = openSocket(SOCK_DGRAM, IPPROTO_UDP, wsaFlags);
        bindLoopback(udp.get());
        return {udp.release()};
    }
    case SocketKind::UnixPair:
        throw OsError("socketpair", WSAEAFNOSUPPORT, "WSAEAFNOSUPPORT",
                      "socketpair failed: an AF_UNIX pair is a Linux kind; Winsock has no "
                      "socketpair (WSAEAFNOSUPPORT)");
    }
    throw OsError("socket", WSAEINVAL, "WSAEINVAL",
                  "socket failed: unknown socket kind " + std::to_string(int(kind)) +
                      " (WSAEINVAL)");
}

std::int64_t registrationOwner(Handle) {
    // Winsock has no call that reads back who registered: the helpers report their own calls.
    return -1;
}

std::vector<std::uint8_t> duplicateForProcess(Handle handle, std::int64_t targetPid) {
    if (targetPid < 0 || targetPid > std::int64_t(UINT32_MAX))
        throw OsError("WSADuplicateSocket", WSAEINVAL, "WSAEINVAL",
                      "WSADuplicateSocket failed: " + std::to_string(targetPid) +
                          " cannot be a Windows process id (WSAEINVAL)");
    WSAPROTOCOL_INFOW info{};
    if (::WSADuplicateSocketW(nativeSocket(handle), DWORD(targetPid), &info) != 0)
        throw OsError::fromLastError("WSADuplicateSocket");
    // The structure is the blob the target needs, byte for byte.
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&info);
    return std::vector<std::uint8_t>(bytes, bytes + sizeof info);
}

Handle importProtocolInfo(std::span<const std::uint8_t> bytes, std::uint32_t wsaFlags) {
    WSAPROTOCOL_INFOW info{};
    if (bytes.size() != sizeof info)
        throw OsError("WSASocket(FROM_PROTOCOL_INFO)", WSAEINVAL, "WSAEINVAL",
                      "WSASocket(FROM_PROTOCOL_INFO) failed: the protocol info has " +
                          std::to_string(bytes.size()) + " bytes, a WSAPROTOCOL_INFOW has " +
                          std::to_string(sizeof info) + " (WSAEINVAL)");
    std::memcpy(&info, bytes.data(), sizeof info);
    const SOCKET socket = ::WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                                       &info, 0, DWORD(wsaFlags));
    if (socket == INVALID_SOCKET)
        throw OsError::fromLastError("WSASocket(FROM_PROTOCOL_INFO)");
    return handleOf(socket);
}

Handle duplicateInProcess(Handle handle, std::uint32_t wsaFlags) {
    // Winsock's only way to another SOCKET for the same socket, also within one process.
    return importProtocolInfo(duplicateForProcess(handle, currentPid()), wsaFlags);
}

std::size_t sendBytes(Handle handle, std::span<const std::uint8_t> bytes) {
    const int length = int(std::min<std::size_t>(bytes.size(), INT_MAX));
    const int sent =
        ::send(nativeSocket(handle), reinterpret_cast<const char*>(bytes.data()), length, 0);
    if (sent == SOCKET_ERROR)
        throw OsError::fromLastError("send");
    return std::size_t(sent);
}

std::vector<std::uint8_t> receiveBytes(Handle handle, std::size_t maxBytes,
                                       std::chrono::milliseconds wait) {
    const SOCKET socket = nativeSocket(handle);
    // A blocking socket must not be read before it is readable: select decides.
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(socket, &readable);
    timeval timeout{long(wait.count() / 1000), long(wait.count() % 1000 * 1000)};
    const int ready = ::select(0, &readable, nullptr, nullptr, &timeout);
    if (ready == SOCKET_ERROR)
        throw OsError::fromLastError("select");
    if (ready == 0)
        throw wouldBlock(wait);
    std::vector<std::uint8_t> bytes(std::min(maxBytes, kMaxReceiveBytes));
    const int received =
        ::recv(socket, reinterpret_cast<char*>(bytes.data()), int(bytes.size()), 0);
    if (received == SOCKET_ERROR)
        throw OsError::fromLastError("recv");
    bytes.resize(std::size_t(received));
    return bytes;
}

void closeHandle(Handle handle) {
    if (::closesocket(nativeSocket(handle)) != 0)
        throw OsError::fromLastError("closesocket");
}

std::int64_t currentPid() {
    return ::GetCurrentProcessId();
}

std::int64_t currentThreadId() {
    return ::GetCurrentThreadId();
}

std::string osVersion() {
    const std::string wine = wineVersion();
    return wine.empty() ? windowsVersion() : wine + " (" + windowsVersion() + ")";
}

Platform currentPlatform() {
    return Platform::WinsockWine;
}

} // namespace socklens::platform
