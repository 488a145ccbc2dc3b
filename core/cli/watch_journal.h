// `watch --session`: the machine map's changes as journal entries, so that the session file
// is an ordinary one (docs/session-format.md) that `socklens-cli report` renders. Every
// process holding a watched socket joins as a non-helper process; a gained holder's
// provenance and its evidence are the DescriptorOpened's `how` ("inherited at fork: pid 12
// (server) is new, a child of pid 10, which holds this socket as fd 3 too").
#pragma once

#include "model/journal.h"
#include "sysmap/map_changes.h"

#include <map>
#include <unordered_map>
#include <utility>

namespace socklens::cli {

class WatchJournal {
public:
    explicit WatchJournal(Journal& journal)
        : journal_(journal) {}

    /// The first reading: every selected socket with its holders.
    void recordFirst(const sysmap::MachineMap& map, const sysmap::MapFilter& filter);
    void record(const std::vector<sysmap::MapChange>& changes);

private:
    ProcessId processOf(const sysmap::MapHolder& holder);
    /// Journals the socket as read now (first reading, or a new state).
    SocketId identify(const sysmap::KernelSocket& socket);
    /// Its id, identifying it first if the journal has not named it yet.
    SocketId known(const sysmap::KernelSocket& socket);
    DescriptorRef opened(const sysmap::MapHolder& holder, SocketId socket);
    void counted(SocketId socket, const std::vector<sysmap::MapHolder>& holders);

    Journal& journal_;
    std::map<std::pair<std::int64_t, std::uint64_t>, ProcessId> processes_; ///< (pid, start)
    std::unordered_map<std::uint64_t, SocketId> sockets_;                   ///< by inode
};

} // namespace socklens::cli
