#include "platform/posix/native_fd.h"

#include "platform/os_error.h"

#include <cerrno>
#include <climits>
#include <string>

namespace socklens::platform {

int nativeFd(Handle handle, const char* call) {
    // A handle arrives from the wire as int64; anything outside int would be truncated into
    // some other descriptor, so refuse it the way the kernel refuses a bad fd.
    if (handle.value() < 0 || handle.value() > INT_MAX)
        throw OsError(call, EBADF, "EBADF",
                      std::string(call) + " failed: " + std::to_string(handle.value()) +
                          " is not a valid descriptor (EBADF)");
    return int(handle.value());
}

} // namespace socklens::platform
