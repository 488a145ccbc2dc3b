#include "platform/os_error.h"

#include <cerrno>
#include <cstring>

namespace socklens::platform {

OsError OsError::fromLastError(std::string call) {
    const int code = errno;
    // glibc >= 2.32 names every errno value; unknown values (from a newer kernel) get a number.
    const char* name = ::strerrorname_np(code);
    const char* description = ::strerrordesc_np(code);
    std::string codeName = name ? name : "errno " + std::to_string(code);
    std::string sentence =
        call + " failed: " + (description ? description : "Unknown error") + " (" + codeName + ")";
    return OsError(std::move(call), code, std::move(codeName), std::move(sentence));
}

} // namespace socklens::platform
