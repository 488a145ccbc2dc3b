// The machine map: every socket the kernel lists (sock_diag.h) joined with every descriptor
// that names it in any process (machine_scan.h), filtered the way `socklens-cli map` asks.
#pragma once

#include "sysmap/machine_scan.h"
#include "sysmap/sock_diag.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace socklens::sysmap {

/// What the holders of one process share (one copy per process, not per descriptor).
struct HolderProcess {
    std::int64_t parentPid = 0;
    std::uint64_t startTime = 0;
    std::string command;     ///< comm
    std::string commandLine; ///< cmdline
};

/// A descriptor naming the socket, in the process that holds it.
struct MapHolder {
    std::int64_t pid = 0;
    std::int64_t fd = 0;
    DescriptorFlags flags;
    std::shared_ptr<const HolderProcess> process;
    bool flagsRead = false; ///< `flags` were read already (with the scan)

    const std::string& command() const { return process->command; }
    const std::string& commandLine() const { return process->commandLine; }
    std::int64_t parentPid() const { return process->parentPid; }
    std::uint64_t startTime() const { return process->startTime; }
};

/// An epoll instance whose interest list names the socket; its process holds the registration.
struct MapRegistration {
    std::int64_t pid = 0;
    std::string command;
    std::int64_t epollFd = 0;
    EpollInterest interest;
};

struct MapSocket {
    KernelSocket kernel; ///< kind "other" when the kernel's TCP/UDP/Unix lists lack it
    bool listedByKernel = true;
    std::vector<MapHolder> holders; ///< by pid, then fd
    std::vector<MapRegistration> epoll;
    /// How many processes hold it (a process with two descriptors counts once).
    std::size_t processCount() const;
};

struct MachineMap {
    std::vector<MapSocket> sockets;         ///< by inode
    std::vector<ProcessIdentity> processes; ///< every process read, by pid
    std::vector<UnreadableProcess> unreadable;
    std::vector<std::string> problems; ///< dumps the kernel could not give
};

struct MapFilter {
    std::vector<std::int64_t> pids;    ///< held by any of these...
    std::vector<std::int64_t> trees;   ///< ...or by any of these or their descendants
    std::optional<std::uint16_t> port; ///< local or peer port
    std::optional<std::uint64_t> inode;
    bool shared = false; ///< held by two or more processes
};

/// A filter resolved against one reading of the machine (--tree's descendants then).
class MapSelection {
public:
    MapSelection(const MapFilter& filter, const MachineMap& map);
    bool matches(const MapSocket& socket) const;

private:
    MapFilter filter_;
    std::unordered_set<std::int64_t> pids_;
};

/// The kernel's sockets as the map lists them, before any holder is joined.
struct ListedSockets {
    std::vector<MapSocket> sockets;    ///< by inode
    std::vector<std::uint64_t> inodes; ///< theirs, in the same order: searched without a cache
                                       ///< miss per socket
    std::vector<std::string> problems; ///< KernelSockets::problems
};
ListedSockets listSockets(KernelSockets kernel);

/// Joins what was read. Sockets no readable process holds are listed too (their holders may be
/// another user's processes), unless a pid or --shared filter asks for holders.
MachineMap buildMachineMap(KernelSockets kernel, MachineScan scan, const MapFilter& filter);
MachineMap buildMachineMap(ListedSockets listed, MachineScan scan, const MapFilter& filter);

struct MapReadOptions {
    std::size_t threads = 0; ///< readers of /proc side by side; 0: one per core (at most 4)
    bool withFlags = true;   ///< read the holders' flags (readHolderFlags)
};

/// Reads the kernel's sockets and every process, joins them, then reads the flags of the
/// holders of the sockets selected (only theirs: an fdinfo read costs three system calls).
MachineMap readMachineMap(const MapFilter& filter, const MapReadOptions& options = {});

/// Reads every holder's close-on-exec, O_NONBLOCK and O_ASYNC from /proc/PID/fdinfo, where the
/// scan did not read them; a holder whose descriptor was closed since the scan is dropped.
void readHolderFlags(MachineMap& map, std::size_t threads = 0);

/// `roots` and every process descended from them, from the parent pids read.
std::vector<std::int64_t> processTree(const MachineMap& map,
                                      const std::vector<std::int64_t>& roots);

} // namespace socklens::sysmap
