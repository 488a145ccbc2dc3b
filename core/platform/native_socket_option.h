// The OS's getsockopt/setsockopt arguments for each option of the one option table
// (model/socket_options.def). Included by platform/<os>/socket_options_<os>.cpp after the
// OS's socket headers, whose macros (SOL_SOCKET, SO_RCVBUF, ...) the table names.
#pragma once

#include "model/socket_vocabulary.h"

#include <optional>
#include <string>

#if !defined(SOL_SOCKET) || !defined(IPPROTO_TCP)
#error "include the OS's socket headers before platform/native_socket_option.h"
#endif

namespace socklens::platform {

struct NativeOption {
    int level;
    int name;
};

/// A line of the table whose native constants this OS lacks does not compile.
inline std::optional<NativeOption> nativeOption(SocketOption option) {
    switch (option) {
#define SOCKLENS_SOCKET_OPTION(enumerator, wire, name, kind, level, native)                        \
    case SocketOption::enumerator:                                                                 \
        return NativeOption{level, native};
#include "model/socket_options.def"
#undef SOCKLENS_SOCKET_OPTION
    }
    return std::nullopt; // a number cast without a check (the wire refuses unknown options)
}

/// "setsockopt(SO_RCVBUF)": how errors name the call.
inline std::string optionCall(const char* call, SocketOption option) {
    return std::string(call) + "(" + std::string(toString(option)) + ")";
}

} // namespace socklens::platform
