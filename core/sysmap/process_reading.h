// One process as /proc shows it to the map: name, parent, command line, its socket
// descriptors with their flags, and the epoll registrations it holds. Read-only: nothing is
// copied out of the process and nothing is changed in it.
#pragma once

#include "sysmap/fd_info.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace socklens::sysmap {

struct SocketDescriptor {
    std::int64_t fd = 0;
    std::uint64_t inode = 0;
    DescriptorFlags flags;
    bool flagsRead = false; ///< `flags` come from fdinfo (else they are not known yet)
    bool operator==(const SocketDescriptor&) const = default;
};

/// One entry of an epoll instance held by the process, already resolved to its target.
struct EpollRegistration {
    std::int64_t epollFd = 0; ///< the process's fd of the epoll instance
    EpollInterest interest;   ///< interest.inode: the target's inode (from fdinfo, else the fd)
    bool operator==(const EpollRegistration&) const = default;
};

struct ProcessIdentity {
    std::int64_t pid = 0;
    std::int64_t parentPid = 0;
    std::string command;         ///< /proc/PID/stat's comm, e.g. "nginx"
    std::uint64_t startTime = 0; ///< clock ticks after boot: a reused pid is another process
    bool zombie = false;         ///< exited, not reaped yet: it holds no descriptor any more
};

struct ProcessReading {
    ProcessIdentity identity;
    std::string commandLine;               ///< /proc/PID/cmdline, arguments joined by spaces
    std::vector<SocketDescriptor> sockets; ///< by fd
    std::vector<EpollRegistration> registrations;
};

/// Why a process could not be read; the sentence is for people.
struct UnreadableProcess {
    ProcessIdentity identity; ///< as far as it was read (stat is readable by everyone)
    std::string why;
};

/// /proc/PID/stat: pid, parent, comm and start time. nullopt when the process is gone.
std::optional<ProcessIdentity> readProcessIdentity(std::int64_t pid);

/// /proc/PID/cmdline, arguments joined by spaces; "" for a kernel thread or a process gone.
std::string readCommandLine(std::int64_t pid);

/// Which sockets' flags readProcess reads (from fdinfo: three system calls per descriptor).
enum class FlagReading {
    None,  ///< none
    Every, ///< every socket's
    /// Where they come cheap: while nearly all of the process's descriptors are sockets, each
    /// is read by its fdinfo alone, which tells the socket's inode and flags in three calls
    /// instead of a readlink now and three calls for the flags later.
    WhereCheap,
};

/// Everything the map needs of one process; `flags` says which sockets' fdinfo is read (epoll
/// instances' always is).
struct ProcessReadResult {
    std::optional<ProcessReading> reading;       ///< set when read
    std::optional<UnreadableProcess> unreadable; ///< set when it could not be (and still exists)
};
ProcessReadResult readProcess(const ProcessIdentity& identity, FlagReading flags);

/// The flags of `pid`'s descriptors `fds`, from /proc/PID/fdinfo, in the same order; nullopt
/// for one closed since (or all, when the process is gone or cannot be read).
std::vector<std::optional<DescriptorFlags>> readDescriptorFlags(std::int64_t pid,
                                                                std::span<const std::int64_t> fds);

} // namespace socklens::sysmap
