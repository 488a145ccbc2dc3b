// Winsock: what one SOCKET names, read back from the OS. The TCP state comes from the system's
// TCP table (GetExtendedTcpTable; Wine reads it from Linux's /proc/net/tcp).
#include "platform/os_error.h"
#include "platform/socket_api.h"
#include "platform/win32/native_socket.h"

#include <array>
#include <iphlpapi.h>
#include <vector>
#include <ws2tcpip.h>

namespace socklens::platform {

namespace {

std::string formatInet(const sockaddr_in& address) {
    if (address.sin_port == 0 && address.sin_addr.s_addr == htonl(INADDR_ANY))
        return "";
    const auto* octets = reinterpret_cast<const unsigned char*>(&address.sin_addr);
    return std::to_string(octets[0]) + "." + std::to_string(octets[1]) + "." +
           std::to_string(octets[2]) + "." + std::to_string(octets[3]) + ":" +
           std::to_string(ntohs(address.sin_port));
}

/// getsockname/getpeername; "" when the OS says there is no such address (unbound, not
/// connected): that is an answer, not a failure.
template <class Call>
sockaddr_in readAddress(Call call, SOCKET socket, const char* name, int absentCode) {
    sockaddr_in address{};
    int length = sizeof address;
    if (call(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (::WSAGetLastError() != absentCode)
            throw OsError::fromLastError(name);
        address = sockaddr_in{};
    }
    return address;
}

std::string tcpStateName(DWORD state) {
    constexpr std::array<const char*, 13> kNames{
        "",          "CLOSE",      "LISTEN",  "SYN_SENT", "SYN_RECV",  "ESTABLISHED", "FIN_WAIT1",
        "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT", "DELETE_TCB"};
    return state < kNames.size() ? kNames[state] : "state " + std::to_string(state);
}

/// The state of the TCP connection with these ends in the system's table; "" if it has none.
std::string tcpState(const sockaddr_in& local, const sockaddr_in& peer) {
    std::vector<unsigned char> buffer(64 * 1024);
    DWORD result = ERROR_INSUFFICIENT_BUFFER;
    for (int attempt = 0; attempt < 4 && result == ERROR_INSUFFICIENT_BUFFER; ++attempt) {
        DWORD size = DWORD(buffer.size());
        result =
            ::GetExtendedTcpTable(buffer.data(), &size, FALSE, AF_INET, TCP_TABLE_BASIC_ALL, 0);
        if (result == ERROR_INSUFFICIENT_BUFFER)
            buffer.resize(size + 4096); // the table may grow between the two calls
    }
    if (result != NO_ERROR) {
        ::WSASetLastError(int(result));
        throw OsError::fromLastError("GetExtendedTcpTable");
    }
    const auto& table = *reinterpret_cast<const MIB_TCPTABLE*>(buffer.data());
    for (DWORD i = 0; i < table.dwNumEntries; ++i) {
        const MIB_TCPROW& row = table.table[i];
        // The table keeps each port in the low 16 bits of a DWORD, in network order.
        if (row.dwLocalAddr == local.sin_addr.s_addr &&
            u_short(row.dwLocalPort) == local.sin_port &&
            row.dwRemoteAddr == peer.sin_addr.s_addr && u_short(row.dwRemotePort) == peer.sin_port)
            return tcpStateName(row.dwState);
    }
    return "";
}

bool accepting(SOCKET socket) {
    BOOL value = FALSE;
    int length = sizeof value;
    if (::getsockopt(socket, SOL_SOCKET, SO_ACCEPTCONN, reinterpret_cast<char*>(&value), &length) !=
        0)
        throw OsError::fromLastError("getsockopt(SO_ACCEPTCONN)");
    return value != FALSE;
}

} // namespace

protocol::SocketDescription describeSocket(Handle handle) {
    const SOCKET socket = nativeSocket(handle);
    WSAPROTOCOL_INFOW info{};
    int length = sizeof info;
    if (::getsockopt(socket, SOL_SOCKET, SO_PROTOCOL_INFOW, reinterpret_cast<char*>(&info),
                     &length) != 0)
        throw OsError::fromLastError("getsockopt(SO_PROTOCOL_INFO)");

    protocol::SocketDescription description;
    description.family = info.iAddressFamily;
    description.type = info.iSocketType;
    description.protocol = info.iProtocol;
    if (info.iAddressFamily != AF_INET)
        return description; // SocketKindSeen::Other: the numbers say which
    const sockaddr_in local = readAddress(::getsockname, socket, "getsockname", WSAEINVAL);
    const sockaddr_in peer = readAddress(::getpeername, socket, "getpeername", WSAENOTCONN);
    description.local = formatInet(local);
    description.peer = formatInet(peer);
    if (info.iSocketType == SOCK_STREAM) {
        const bool listener = accepting(socket);
        description.kind = listener                   ? SocketKindSeen::TcpListener
                           : description.peer.empty() ? SocketKindSeen::Tcp
                                                      : SocketKindSeen::TcpConnected;
        description.tcpState = tcpState(local, peer);
    } else if (info.iSocketType == SOCK_DGRAM) {
        description.kind = SocketKindSeen::Udp;
    }
    return description;
}

} // namespace socklens::platform
