#include "sysmap/map_changes.h"

#include <algorithm>
#include <unordered_map>

namespace socklens::sysmap {

namespace {

bool holdsAs(const std::vector<MapHolder>& holders, std::int64_t pid, std::int64_t fd) {
    return std::any_of(holders.begin(), holders.end(), [&](const MapHolder& holder) {
        return holder.pid == pid && holder.fd == fd;
    });
}

const MapHolder* heldBy(const std::vector<MapHolder>& holders, std::int64_t pid) {
    const auto found = std::find_if(holders.begin(), holders.end(),
                                    [&](const MapHolder& holder) { return holder.pid == pid; });
    return found == holders.end() ? nullptr : &*found;
}

bool sameHolder(const MapHolder& a, const MapHolder& b) {
    return a.pid == b.pid && a.fd == b.fd && a.startTime() == b.startTime();
}

/// The same process (pid and start time) in `map`'s readable processes, not yet exited.
bool existed(const MachineMap& map, const MapHolder& holder) {
    const auto found = std::lower_bound(
        map.processes.begin(), map.processes.end(), holder.pid,
        [](const ProcessIdentity& process, std::int64_t pid) { return process.pid < pid; });
    return found != map.processes.end() && found->pid == holder.pid &&
           found->startTime == holder.startTime() && !found->zombie;
}

void explain(MapChange& change, const MachineMap& before, const MapSocket& was,
             const MapSocket& now) {
    const MapHolder& holder = change.holder;
    const std::string who = "pid " + std::to_string(holder.pid) + " (" + holder.command() + ")";
    const std::string fd = "fd " + std::to_string(holder.fd);
    if (!existed(before, holder)) {
        const std::string parent = "pid " + std::to_string(holder.parentPid());
        if (holdsAs(was.holders, holder.parentPid(), holder.fd) ||
            holdsAs(now.holders, holder.parentPid(), holder.fd)) {
            change.provenance = Provenance::InheritedAtFork;
            change.evidence = who + " is new, a child of " + parent +
                              ", which holds this socket as " + fd + " too";
        } else {
            change.provenance = Provenance::Unknown;
            change.evidence = who + " is new and its parent, " + parent + ", holds no " + fd +
                              " for this socket: received after the fork, or inherited from a "
                              "holder that is gone";
        }
        return;
    }
    if (const MapHolder* earlier = heldBy(was.holders, holder.pid)) {
        change.provenance = Provenance::Unknown;
        change.evidence = who + " already held this socket as fd " + std::to_string(earlier->fd) +
                          ": a dup() in the process, or another copy received";
        return;
    }
    change.provenance = Provenance::Received;
    change.evidence = who + " was running at the previous reading without this socket and " + fd +
                      " is new in it: it came in a Unix socket message (SCM_RIGHTS) or through "
                      "pidfd_getfd";
}

MapChange changeOf(MapChangeKind kind, const MapSocket& socket) {
    MapChange change;
    change.kind = kind;
    change.socket = socket.kernel;
    change.holders = socket.holders;
    return change;
}

} // namespace

std::string_view toString(Provenance provenance) {
    switch (provenance) {
    case Provenance::None:
        return "";
    case Provenance::InheritedAtFork:
        return "inherited at fork";
    case Provenance::Received:
        return "received";
    case Provenance::Unknown:
        return "unknown";
    }
    return "";
}

std::vector<MapChange> diffMaps(const MachineMap& before, const MachineMap& after,
                                const MapFilter& filter) {
    const MapSelection selectedBefore(filter, before);
    const MapSelection selectedAfter(filter, after);
    std::unordered_map<std::uint64_t, const MapSocket*> earlier;
    earlier.reserve(before.sockets.size());
    for (const MapSocket& socket : before.sockets)
        earlier.emplace(socket.kernel.inode, &socket);

    std::vector<MapChange> changes;
    for (const MapSocket& now : after.sockets) {
        const auto found = earlier.find(now.kernel.inode);
        const MapSocket* was = found == earlier.end() ? nullptr : found->second;
        if (!selectedAfter.matches(now) && !(was && selectedBefore.matches(*was)))
            continue;
        if (!was) {
            changes.push_back(changeOf(MapChangeKind::SocketAppeared, now));
            continue;
        }
        if (was->kernel.state != now.kernel.state) {
            MapChange change = changeOf(MapChangeKind::StateChanged, now);
            change.stateBefore = was->kernel.state;
            changes.push_back(std::move(change));
        }
        for (const MapHolder& holder : was->holders) {
            if (std::none_of(now.holders.begin(), now.holders.end(),
                             [&](const MapHolder& other) { return sameHolder(holder, other); })) {
                MapChange change = changeOf(MapChangeKind::HolderLost, now);
                change.holder = holder;
                change.processExited = !existed(after, holder);
                changes.push_back(std::move(change));
            }
        }
        for (const MapHolder& holder : now.holders) {
            if (std::none_of(was->holders.begin(), was->holders.end(),
                             [&](const MapHolder& other) { return sameHolder(holder, other); })) {
                MapChange change = changeOf(MapChangeKind::HolderGained, now);
                change.holder = holder;
                explain(change, before, *was, now);
                changes.push_back(std::move(change));
            }
        }
    }
    for (const MapSocket& was : before.sockets) {
        const bool gone = !std::binary_search(
            after.sockets.begin(), after.sockets.end(), was,
            [](const MapSocket& a, const MapSocket& b) { return a.kernel.inode < b.kernel.inode; });
        if (!gone || !selectedBefore.matches(was))
            continue;
        for (const MapHolder& holder : was.holders) { // its holders went first
            MapChange change = changeOf(MapChangeKind::HolderLost, was);
            change.holders.clear();
            change.holder = holder;
            change.processExited = !existed(after, holder);
            changes.push_back(std::move(change));
        }
        MapChange lastly = changeOf(MapChangeKind::SocketGone, was);
        lastly.holders.clear();
        changes.push_back(std::move(lastly));
    }
    std::stable_sort(changes.begin(), changes.end(), [](const MapChange& a, const MapChange& b) {
        return a.socket.inode < b.socket.inode;
    });
    return changes;
}

} // namespace socklens::sysmap
