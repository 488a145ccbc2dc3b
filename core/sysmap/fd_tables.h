// Which process holds which socket, kept from /proc/PID/fd between observations so that a
// large session is not read whole at every tick. A process's table is read again
//  - when the number of descriptors it has open changed: stat(/proc/PID/fd) tells (Linux
//    >= 6.2), one system call per process instead of a readlink per descriptor;
//  - when it is marked stale or is new;
//  - after a command, only the links of the descriptors it touched, and the count, which
//    says whether anything else changed (then the whole table);
//  - otherwise in turn, a budget of descriptors per refresh, so that every table is read
//    again within a bounded number of ticks, also where the kernel does not give the count
//    and where a close and an open left the count as it was.
#pragma once

#include "sysmap/proc_scan.h"

#include <cstdint>
#include <map>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace socklens::sysmap {

struct FdHolder {
    std::int64_t pid = 0;
    std::int64_t fd = 0;
    bool operator==(const FdHolder&) const = default;
};

struct FdTablesRefresh {
    /// Processes whose table was read again, or dropped because they ended.
    std::vector<std::int64_t> reread;
    /// Those of them that ended.
    std::vector<std::int64_t> ended;
    /// Sockets (inodes) whose holders changed.
    std::unordered_set<std::uint64_t> changedInodes;
};

class FdTables {
public:
    /// Reads again the tables that must be, then, in turn, others until about `budget`
    /// descriptors were read. `discover`: also find processes that appeared in /proc or left.
    FdTablesRefresh refresh(std::size_t budget, bool discover);
    /// Reads again only the tables marked stale or touched (a command ran in their
    /// processes): what a command's own observation needs, without a system call for every
    /// process of the machine. The others wait for the next refresh().
    FdTablesRefresh refreshStale();
    /// Read `pid`'s table at the next refresh whatever its count says.
    void markStale(std::int64_t pid);
    /// A command changed, or may have changed, descriptor `fd` of `pid`: refreshStale() reads
    /// its link again, and the whole table only where the process's descriptor count says
    /// that more changed (or the kernel does not tell the count).
    void markTouched(std::int64_t pid, std::int64_t fd);

    /// Every (pid, fd) whose descriptor named the socket with this inode when last read.
    std::span<const FdHolder> holdersOf(std::uint64_t inode) const;
    /// `pid`'s socket descriptors as last read, by fd.
    std::span<const SocketFd> socketsOf(std::int64_t pid) const;
    /// Processes whose table could not be read (another user's, without privilege).
    std::size_t unreadableProcesses() const;

private:
    struct Table {
        std::vector<SocketFd> sockets; ///< sorted by fd
        std::size_t entries = 0;       ///< descriptors of any kind at the last read
        std::int64_t openCount = 0;    ///< stat(/proc/PID/fd).st_size then; 0: not told
        bool unreadable = false;
        bool stale = true;
        std::vector<std::int64_t> touched; ///< fds to read the links of (markTouched)
    };
    using Tables = std::map<std::int64_t, Table>; // ordered: the rotation walks pids in order

    bool due(std::int64_t pid, const Table& table) const;
    void reread(Tables::iterator it, FdTablesRefresh& refresh);
    /// Reads the touched descriptors' links into the table; false where the count says that
    /// the table must be read whole.
    bool patch(Tables::iterator it, FdTablesRefresh& refresh);
    /// Makes `now` the table's sockets, noting the holders that came and went.
    void replaceSockets(std::int64_t pid, Table& table, std::vector<SocketFd> now,
                        FdTablesRefresh& refresh);
    Tables::iterator drop(Tables::iterator it, FdTablesRefresh& refresh);
    void noteHolder(std::uint64_t inode, FdHolder holder, bool holds);

    Tables tables_;
    std::unordered_map<std::uint64_t, std::vector<FdHolder>> holders_;
    std::int64_t rotation_ = 0; ///< the pid whose turn comes next
};

} // namespace socklens::sysmap
