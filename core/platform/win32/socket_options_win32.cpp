// Winsock: getsockopt/setsockopt for the options socklens shows. SO_RCVLOWAT is passed on as
// asked: Winsock's own answer (WSAENOPROTOOPT) is the reading.
#include "platform/os_error.h"
#include "platform/socket_api.h"
#include "platform/win32/native_socket.h"

#include <climits>
#include <ws2tcpip.h>

// clang-format off: after the OS headers, whose SOL_*/SO_*/IPPROTO_* macros it names.
#include "platform/native_socket_option.h"
// clang-format on

namespace socklens::platform {

namespace {

NativeOption knownOption(SocketOption option, const std::string& call) {
    if (const std::optional<NativeOption> native = nativeOption(option))
        return *native;
    throw OsError(call, WSAENOPROTOOPT, "WSAENOPROTOOPT",
                  call + " failed: unknown option " + std::to_string(int(option)) +
                      " (WSAENOPROTOOPT)");
}

OsError valueOutOfRange(const std::string& call, std::int64_t value) {
    return OsError(call, WSAEINVAL, "WSAEINVAL",
                   call + " failed: the value " + std::to_string(value) +
                       " is out of range for this option (WSAEINVAL)");
}

void set(SOCKET socket, NativeOption native, const void* value, int length,
         const std::string& call) {
    if (::setsockopt(socket, native.level, native.name, static_cast<const char*>(value), length) !=
        0)
        throw OsError::fromLastError(call);
}

} // namespace

std::int64_t getOption(Handle handle, SocketOption option) {
    const std::string call = optionCall("getsockopt", option);
    const NativeOption native = knownOption(option, call);
    const SOCKET socket = nativeSocket(handle);
    if (option == SocketOption::Linger) {
        linger value{};
        int length = sizeof value;
        if (::getsockopt(socket, native.level, native.name, reinterpret_cast<char*>(&value),
                         &length) != 0)
            throw OsError::fromLastError(call);
        return value.l_onoff ? std::int64_t(value.l_linger) : -1;
    }
    // Zeroed first: Wine answers BOOL options with fewer bytes than an int.
    int value = 0;
    int length = sizeof value;
    if (::getsockopt(socket, native.level, native.name, reinterpret_cast<char*>(&value), &length) !=
        0)
        throw OsError::fromLastError(call);
    return value;
}

protocol::OptionReading readOption(Handle handle, SocketOption option) {
    // Winsock helpers hold few sockets: the throwing path costs nothing that matters here.
    try {
        return {option, getOption(handle, option), 0};
    } catch (const OsError& error) {
        return {option, 0, error.code()};
    }
}

void setOption(Handle handle, SocketOption option, std::int64_t value) {
    const std::string call = optionCall("setsockopt", option);
    const NativeOption native = knownOption(option, call);
    const SOCKET socket = nativeSocket(handle);
    if (option == SocketOption::Linger) {
        // -1 means off; Winsock keeps the seconds in an unsigned short.
        if (value < -1 || value > 0xFFFF)
            throw valueOutOfRange(call, value);
        const linger setting{u_short(value >= 0 ? 1 : 0), u_short(value >= 0 ? value : 0)};
        set(socket, native, &setting, sizeof setting, call);
        return;
    }
    if (value < INT_MIN || value > INT_MAX)
        throw valueOutOfRange(call, value);
    const int setting = int(value);
    set(socket, native, &setting, sizeof setting, call);
}

} // namespace socklens::platform
