// What /proc/PID/fdinfo/FD says about one descriptor: its open flags (close-on-exec,
// O_NONBLOCK, O_ASYNC) and, for an epoll instance, its interest list ("tfd:" lines).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace socklens::sysmap {

struct DescriptorFlags {
    bool closeOnExec = false; ///< without it, every program the process executes inherits it
    bool nonBlocking = false;
    bool async = false; ///< O_ASYNC: SIGIO to the F_SETOWN owner
    bool operator==(const DescriptorFlags&) const = default;
};

/// One entry of an epoll instance's interest list.
struct EpollInterest {
    std::int64_t targetFd = 0; ///< the fd number the registration was made through
    std::uint32_t events = 0;  ///< EPOLLIN, EPOLLOUT, ... as registered
    std::uint64_t inode = 0;   ///< the target file's inode; 0 on kernels that do not say
    bool read() const;         ///< EPOLLIN or EPOLLRDNORM: interest in "readable"
    bool write() const;        ///< EPOLLOUT or EPOLLWRNORM: interest in "writable"
    bool operator==(const EpollInterest&) const = default;
};

struct FdInfo {
    DescriptorFlags flags;
    std::vector<EpollInterest> epoll;   ///< empty unless the descriptor is an epoll instance
    std::optional<int> mountId;         ///< "mnt_id:": the file system's mount
    std::optional<std::uint64_t> inode; ///< "ino:" (Linux >= 5.14)
};

/// Parses the text of an fdinfo file; nullopt when it has no "flags:" line.
std::optional<FdInfo> parseFdInfo(std::string_view text);

/// The mount every socket's file lives on (the kernel's internal sockfs), told by the fdinfo
/// of a socket of our own; nullopt where fdinfo has no "mnt_id:" or "ino:" line (before Linux
/// 5.14). With it, one fdinfo read tells whether a descriptor is a socket, and which.
std::optional<int> socketMountId();

} // namespace socklens::sysmap
