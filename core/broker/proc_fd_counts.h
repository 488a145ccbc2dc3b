// The count source for sockets of the Linux kernel: every process's /proc/PID/fd table, read
// where it changed or in turn (sysmap::FdTables). It counts the holders of each socket, also
// processes that are not helpers (they join the session as they are found), and notices
// descriptors that appeared or vanished behind the helpers' backs.
#pragma once

#include "broker/broker_session.h"
#include "broker/socket_lifetime.h"
#include "sysmap/fd_tables.h"

#include <set>
#include <vector>

namespace socklens::broker {

class ProcFdCounts {
public:
    explicit ProcFdCounts(BrokerSession& session)
        : session_(session)
        , lifetime_(session) {}

    /// With a `focus` (a command's sockets): re-reads the tables of the processes that hold
    /// them, nothing else. Without: those whose descriptor count changed, and `scanBudget`
    /// entries more in turn. Journals what changed.
    void observe(const std::set<SocketId>& focus, std::size_t scanBudget);
    /// `pid`'s table is read at the next observation, whatever its descriptor count says.
    void markStale(std::int64_t pid) { tables_.markStale(pid); }

private:
    void journalEnded(const sysmap::FdTablesRefresh& refresh);
    /// Journals what a re-read fd table shows that the state does not, and the reverse.
    void reconcile(std::int64_t pid, std::set<SocketId>& recount);
    /// Journals the close-on-exec flag of descriptors `fds` of a process that is no helper.
    void journalCloseOnExec(std::int64_t pid, ProcessId process,
                            const std::vector<std::int64_t>& fds);
    /// Journals the holders of these sockets where they changed; a socket left with none is
    /// closed only if the kernel no longer lists it (SocketLifetime).
    void recountSockets(const std::set<SocketId>& ids);

    BrokerSession& session_;
    sysmap::FdTables tables_;
    SocketLifetime lifetime_;
    std::size_t unreadableProcesses_ = 0;
};

} // namespace socklens::broker
