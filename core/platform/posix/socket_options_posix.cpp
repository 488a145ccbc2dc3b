// Linux: getsockopt/setsockopt for the options socklens shows.
#include "platform/os_error.h"
#include "platform/posix/native_fd.h"
#include "platform/socket_api.h"

#include <cerrno>
#include <climits>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace socklens::platform {

namespace {

struct NativeOption {
    int level;
    int name;
};

std::string callName(const char* call, SocketOption option) {
    return std::string(call) + "(" + std::string(toString(option)) + ")";
}

NativeOption nativeOption(SocketOption option, const std::string& call) {
    switch (option) {
    case SocketOption::RcvBuf:
        return {SOL_SOCKET, SO_RCVBUF};
    case SocketOption::SndBuf:
        return {SOL_SOCKET, SO_SNDBUF};
    case SocketOption::KeepAlive:
        return {SOL_SOCKET, SO_KEEPALIVE};
    case SocketOption::ReuseAddr:
        return {SOL_SOCKET, SO_REUSEADDR};
    case SocketOption::Linger:
        return {SOL_SOCKET, SO_LINGER};
    case SocketOption::RcvLowat:
        return {SOL_SOCKET, SO_RCVLOWAT};
    case SocketOption::TcpNoDelay:
        return {IPPROTO_TCP, TCP_NODELAY};
    case SocketOption::IpTtl:
        return {IPPROTO_IP, IP_TTL};
    }
    throw OsError(call, ENOPROTOOPT, "ENOPROTOOPT",
                  call + " failed: unknown option " + std::to_string(int(option)) +
                      " (ENOPROTOOPT)");
}

OsError valueOutOfRange(const std::string& call, std::int64_t value) {
    return OsError(call, EINVAL, "EINVAL",
                   call + " failed: the value " + std::to_string(value) +
                       " is out of range for this option (EINVAL)");
}

} // namespace

protocol::OptionReading readOption(Handle handle, SocketOption option) {
    protocol::OptionReading reading{option, 0, 0};
    if (handle.value() < 0 || handle.value() > INT_MAX)
        return {option, 0, EBADF}; // would be truncated into some other descriptor
    const int fd = int(handle.value());
    const NativeOption native = nativeOption(option, {});
    int result;
    if (option == SocketOption::Linger) {
        linger value{};
        socklen_t length = sizeof value;
        result = ::getsockopt(fd, native.level, native.name, &value, &length);
        reading.value = value.l_onoff ? std::int64_t(value.l_linger) : -1;
    } else {
        int value = 0;
        socklen_t length = sizeof value;
        result = ::getsockopt(fd, native.level, native.name, &value, &length);
        reading.value = value;
    }
    if (result != 0) {
        reading.value = 0;
        reading.errorCode = errno;
    }
    return reading;
}

std::int64_t getOption(Handle handle, SocketOption option) {
    const std::string call = callName("getsockopt", option);
    nativeFd(handle, call.c_str()); // a handle that cannot be an fd fails with EBADF here
    const protocol::OptionReading reading = readOption(handle, option);
    if (reading.errorCode != 0) {
        errno = reading.errorCode;
        throw OsError::fromLastError(call);
    }
    return reading.value;
}

void setOption(Handle handle, SocketOption option, std::int64_t value) {
    const std::string call = callName("setsockopt", option);
    const int fd = nativeFd(handle, call.c_str());
    const NativeOption native = nativeOption(option, call);
    if (option == SocketOption::Linger) {
        // -1 means off; the kernel keeps the seconds in an int.
        if (value < -1 || value > INT_MAX)
            throw valueOutOfRange(call, value);
        const linger setting{value >= 0 ? 1 : 0, value >= 0 ? int(value) : 0};
        if (::setsockopt(fd, native.level, native.name, &setting, sizeof setting) != 0)
            throw OsError::fromLastError(call);
        return;
    }
    if (value < INT_MIN || value > INT_MAX)
        throw valueOutOfRange(call, value);
    const int setting = int(value);
    if (::setsockopt(fd, native.level, native.name, &setting, sizeof setting) != 0)
        throw OsError::fromLastError(call);
}

} // namespace socklens::platform
