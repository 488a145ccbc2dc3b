// Who holds which socket, read from /proc/*/fd of every process we may read. This is the
// ground truth for descriptor counts: it sees holders that are not helpers too.
#pragma once

#include <cstdint>
#include <string>
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

/// /proc/PID/comm, or "" when the process is gone.
std::string processName(std::int64_t pid);
bool processExists(std::int64_t pid);

} // namespace socklens::sysmap
