// What changed between two readings of the machine map: sockets appearing and going, holders
// gained and lost, state changes; and, for a holder gained, how it most likely got the socket
// (provenance) with the evidence the readings give.
#pragma once

#include "sysmap/machine_map.h"

#include <string>
#include <string_view>
#include <vector>

namespace socklens::sysmap {

enum class MapChangeKind { SocketAppeared, SocketGone, HolderGained, HolderLost, StateChanged };

enum class Provenance {
    None,            ///< not a gained holder
    InheritedAtFork, ///< a new child of a holder, with the same fd number
    Received,        ///< a process seen before gained a new fd: SCM_RIGHTS or pidfd_getfd
    Unknown,
};
std::string_view toString(Provenance provenance);

struct MapChange {
    MapChangeKind kind = MapChangeKind::SocketAppeared;
    KernelSocket socket;            ///< as read last (as read before, for a socket gone)
    std::vector<MapHolder> holders; ///< the socket's holders now (none once it is gone)
    MapHolder holder;               ///< HolderGained / HolderLost
    bool processExited = false;     ///< HolderLost: the holder's process is gone
    std::string stateBefore;        ///< StateChanged
    Provenance provenance = Provenance::None;
    std::string evidence; ///< a sentence: why that provenance
};

/// The changes from `before` to `after`, both read without a filter; only those of sockets
/// `filter` selects in either reading are returned. Ordered by socket inode.
std::vector<MapChange> diffMaps(const MachineMap& before, const MachineMap& after,
                                const MapFilter& filter);

} // namespace socklens::sysmap
