#include "platform/posix/runtime_dir.h"

#include "platform/os_error.h"

#include <cerrno>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace socklens::platform {

namespace {

/// A directory someone else owns or may enter could hold a socket planted in our place.
void requirePrivateDirectory(const std::string& directory) {
    struct stat status {};
    if (::lstat(directory.c_str(), &status) != 0)
        throw OsError::fromLastError("lstat(" + directory + ")");
    if (!S_ISDIR(status.st_mode) || status.st_uid != ::geteuid() || (status.st_mode & 077) != 0)
        throw OsError("lstat(" + directory + ")", EPERM, "EPERM",
                      directory +
                          " must be a directory that only this user owns and may enter, with mode "
                          "0700 (EPERM)");
}

} // namespace

std::string helperSocketDirectory() {
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    const std::string directory = runtime && *runtime
                                      ? std::string(runtime) + "/socklens"
                                      : "/tmp/socklens-" + std::to_string(::geteuid());
    if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
        throw OsError::fromLastError("mkdir(" + directory + ")");
    requirePrivateDirectory(directory);
    return directory;
}

std::string defaultHelperSocketPath() {
    return helperSocketDirectory() + "/helper-" + std::to_string(::getpid()) + ".sock";
}

} // namespace socklens::platform
