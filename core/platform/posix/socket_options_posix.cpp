// Linux: getsockopt/setsockopt for the options socklens shows.
#include "platform/os_error.h"
#include "platform/posix/native_fd.h"
#include "platform/socket_api.h"

#include <cerrno>
#include <climits>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

// clang-format off: after the OS headers, whose SOL_*/SO_*/IPPROTO_* macros it names.
#include "platform/native_socket_option.h"
// clang-format on

namespace socklens::platform {

namespace {

NativeOption knownOption(SocketOption option, const std::string& call) {
    if (const std::optional<NativeOption> native = nativeOption(option))
        return *native;
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
    const NativeOption native = knownOption(option, optionCall("getsockopt", option));
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
    const std::string call = optionCall("getsockopt", option);
    nativeFd(handle, call.c_str()); // a handle that cannot be an fd fails with EBADF here
    const protocol::OptionReading reading = readOption(handle, option);
    if (reading.errorCode != 0) {
        errno = reading.errorCode;
        throw OsError::fromLastError(call);
    }
    return reading.value;
}

void setOption(Handle handle, SocketOption option, std::int64_t value) {
    const std::string call = optionCall("setsockopt", option);
    const int fd = nativeFd(handle, call.c_str());
    const NativeOption native = knownOption(option, call);
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
