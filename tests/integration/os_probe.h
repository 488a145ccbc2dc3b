// Reads the OS directly, independent of the broker, so tests check the OS and not the
// broker's own belief.
#pragma once

#include "platform/posix/unique_fd.h"

#include <cstdint>
#include <string>
#include <vector>

namespace socklens::testing {

/// How many descriptors of process `pid` name socket:[inode].
int fdsNaming(std::int64_t pid, std::uint64_t inode);
/// Descriptors open in process `pid`.
int openFdCount(std::int64_t pid);
/// The inodes of every socket process `pid` holds, one per descriptor, sorted.
std::vector<std::uint64_t> socketInodesHeldBy(std::int64_t pid);
/// O_CLOEXEC in the "flags:" line of /proc/PID/fdinfo/FD; fails the test where there is none.
bool closeOnExecInFdinfo(std::int64_t pid, std::int64_t fd);
/// A copy of another process's fd, taken with pidfd_getfd (the test becomes a holder).
platform::UniqueFd copyFdOf(std::int64_t pid, std::int64_t fd);
/// The F_GETOWN_EX owner pid read through `fd`.
std::int64_t ownerThrough(int fd);
/// Whether the kernel lists socket:[inode] in /proc/net/{tcp,tcp6,udp,udp6,unix} (read there,
/// not through sock_diag as socklens does).
bool kernelListsSocket(std::uint64_t inode);
/// The inode `fd` names (socket:[N] for a socket), from fstat.
std::uint64_t inodeOf(int fd);

} // namespace socklens::testing
