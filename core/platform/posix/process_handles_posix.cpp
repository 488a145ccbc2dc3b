// Linux: no system handle table to read (the broker reads /proc/*/fd); a child that inherits
// is a fork and exec of this helper, which keeps every descriptor without close-on-exec.
#include "platform/os_error.h"
#include "platform/process_handles.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace socklens::platform {

protocol::HoldersReply listHolders(std::span<const protocol::HandleReference>) {
    throw OsError("ListHolders", EOPNOTSUPP, "EOPNOTSUPP",
                  "a Linux helper reads no system handle table; the broker reads /proc/*/fd "
                  "(EOPNOTSUPP)");
}

protocol::ProcessSocketsReply listProcessSockets(std::int64_t) {
    throw OsError("ListProcessSockets", EOPNOTSUPP, "EOPNOTSUPP",
                  "a Linux helper reads no other process's handles; the broker reads /proc "
                  "(EOPNOTSUPP)");
}

void setInheritable(Handle handle, bool inheritable) {
    if (::fcntl(int(handle.value()), F_SETFD, inheritable ? 0 : FD_CLOEXEC) != 0)
        throw OsError::fromLastError(std::string("fcntl(F_SETFD, ") +
                                     (inheritable ? "0" : "FD_CLOEXEC") + ")");
}

Inheritance inheritanceOf(Handle handle) {
    const int flags = ::fcntl(int(handle.value()), F_GETFD);
    if (flags < 0)
        return Inheritance::Unknown;
    return (flags & FD_CLOEXEC) ? Inheritance::NotInheritable : Inheritance::Inheritable;
}

protocol::ListedProcess startChild(bool inherit, std::chrono::milliseconds lifetime) {
    // Everything the child needs is made before fork: after it only async-signal-safe calls.
    char self[PATH_MAX] = {};
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0)
        throw OsError::fromLastError("readlink(/proc/self/exe)");
    std::string lifetimeText = std::to_string(lifetime.count());
    std::string switchText = kInheritingChildSwitch;
    char* const arguments[] = {self, switchText.data(), lifetimeText.data(), nullptr};
    const int openLimit = int(std::min<long>(::sysconf(_SC_OPEN_MAX), 1 << 20));

    // Closed by the child's exec: its end of file says the child holds only what it kept.
    int execDone[2];
    if (::pipe2(execDone, O_CLOEXEC) != 0)
        throw OsError::fromLastError("pipe2");
    const pid_t child = ::fork();
    if (child < 0) {
        const OsError error = OsError::fromLastError("fork");
        ::close(execDone[0]);
        ::close(execDone[1]);
        throw error;
    }
    if (child == 0) {
        // The exec itself decides what the child gets: every descriptor without close-on-exec
        // (the session's sockets unless no-inherit set it; never the channel to the broker).
        // Not inheriting: everything is made close-on-exec first.
        if (!inherit && ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
            for (int fd = 3; fd < openLimit; ++fd) // kernels before 5.11
                ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        const int null = ::open("/dev/null", O_RDWR);
        for (int standard = 0; standard < 3; ++standard)
            ::dup2(null, standard);
        ::execv(self, arguments);
        ::_exit(127);
    }
    ::close(execDone[1]);
    char ignored = 0;
    while (::read(execDone[0], &ignored, 1) < 0 && errno == EINTR) {
    }
    ::close(execDone[0]);
    return {child, "socklens-helper"};
}

int runInheritingChild(std::chrono::milliseconds lifetime) {
    // Holds what it inherited for its lifetime, reading and writing nothing.
    ::poll(nullptr, 0, int(lifetime.count()));
    return 0;
}

} // namespace socklens::platform
