// A plain Winsock server that knows nothing of socklens: listens on 127.0.0.1 (a port the
// system picks), accepts one connection, and prints its Windows pid and each socket's handle
// and addresses, so a test can compare what socklens reads after attaching to it. Holds both
// sockets until its standard input ends. Built with mingw-w64 by the tests.
#include <cstdio>
#include <winsock2.h>
#include <ws2tcpip.h>

namespace {

const char* text(const sockaddr_in& address, char* out, int size) {
    const unsigned char* octets = reinterpret_cast<const unsigned char*>(&address.sin_addr);
    std::snprintf(out, size, "%u.%u.%u.%u:%u", octets[0], octets[1], octets[2], octets[3],
                  unsigned(ntohs(address.sin_port)));
    return out;
}

sockaddr_in localOf(SOCKET socket) {
    sockaddr_in address{};
    int length = sizeof address;
    ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length);
    return address;
}

} // namespace

int main() {
    WSADATA data;
    if (::WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return 1;
    const SOCKET listener = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener == INVALID_SOCKET ||
        ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 1) != 0) {
        std::fprintf(stderr, "winsock-server.exe: listen failed: error %d\n", ::WSAGetLastError());
        return 1;
    }
    char local[32];
    char peer[32];
    std::printf("pid %lu\n", ::GetCurrentProcessId());
    std::printf("listening %llu %s\n", static_cast<unsigned long long>(listener),
                text(localOf(listener), local, sizeof local));
    std::fflush(stdout);

    sockaddr_in from{};
    int length = sizeof from;
    const SOCKET accepted = ::accept(listener, reinterpret_cast<sockaddr*>(&from), &length);
    if (accepted == INVALID_SOCKET) {
        std::fprintf(stderr, "winsock-server.exe: accept failed: error %d\n", ::WSAGetLastError());
        return 1;
    }
    std::printf("accepted %llu %s %s\n", static_cast<unsigned long long>(accepted),
                text(localOf(accepted), local, sizeof local), text(from, peer, sizeof peer));
    std::fflush(stdout);
    while (std::getchar() != EOF) {
    }
    ::closesocket(accepted);
    ::closesocket(listener);
    ::WSACleanup();
    return 0;
}
