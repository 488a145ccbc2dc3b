// The bridge from a platform-neutral Handle to a Winsock SOCKET, shared by the win32/ files.
#pragma once

#include "model/ids.h"

#include <winsock2.h>

namespace socklens::platform {

inline SOCKET nativeSocket(Handle handle) {
    return static_cast<SOCKET>(handle.value());
}

inline Handle handleOf(SOCKET socket) {
    return Handle(static_cast<std::int64_t>(socket));
}

} // namespace socklens::platform
