// Who holds which socket, read from /proc/*/fd of every process we may read. This is the
// ground truth for descriptor counts: it sees holders that are not helpers too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace socklens::sysmap {

struct SocketHolder {
    std::int64_t pid = 0;
    std::int64_t fd = 0;
    std::uint64_t inode = 0;
};

struct ProcScan {
    std::vector<SocketHolder> holders;
    /// Processes whose fd table could not be read (another user's, without privilege).
    std::size_t unreadableProcesses = 0;
};

/// Every (pid, fd) whose fd names `socket:[inode]` for an inode in `inodes`.
ProcScan scanSocketHolders(const std::unordered_set<std::uint64_t>& inodes);

struct SocketFd {
    std::int64_t fd = 0;
    std::uint64_t inode = 0;
    bool operator==(const SocketFd&) const = default;
};
enum class FdTableRead { Read, Gone, Unreadable };
/// The descriptors of `pid` that name sockets, in /proc/PID/fd order; `entries` counts every
/// descriptor read, sockets or not.
FdTableRead readSocketFds(std::int64_t pid, std::vector<SocketFd>& sockets, std::size_t& entries);
/// What /proc/PID/fd/FD names now: one readlink, for a table known to have changed in one
/// place.
struct DescriptorLink {
    enum class Kind { Closed, Socket, Other, Unreadable };
    Kind kind = Kind::Closed;
    std::uint64_t inode = 0; ///< of a Socket
};
DescriptorLink readDescriptorLink(std::int64_t pid, std::int64_t fd);
/// Every process id in /proc.
std::vector<std::int64_t> listProcesses();
/// How many descriptors `pid` has open, from stat(/proc/PID/fd).st_size (Linux >= 6.2); 0 on
/// older kernels, which do not tell; nullopt when the process is gone.
std::optional<std::int64_t> openDescriptorCount(std::int64_t pid);

/// The inode a /proc/PID/fd link names when it is "socket:[N]".
std::optional<std::uint64_t> socketInodeOfLink(std::string_view link);

/// /proc/PID/comm, or "" when the process is gone.
std::string processName(std::int64_t pid);

} // namespace socklens::sysmap
