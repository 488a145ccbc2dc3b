#include "sysmap/machine_map.h"

#include "sysmap/parallel_for.h"

#include <algorithm>
#include <future>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace socklens::sysmap {

std::size_t MapSocket::processCount() const {
    std::size_t count = 0;
    for (std::size_t i = 0; i < holders.size(); ++i) // holders are ordered by pid
        count += i == 0 || holders[i].pid != holders[i - 1].pid;
    return count;
}

std::vector<std::int64_t> processTree(const MachineMap& map,
                                      const std::vector<std::int64_t>& roots) {
    std::unordered_multimap<std::int64_t, std::int64_t> children;
    for (const ProcessIdentity& process : map.processes)
        children.emplace(process.parentPid, process.pid);
    for (const UnreadableProcess& process : map.unreadable)
        children.emplace(process.identity.parentPid, process.identity.pid);
    std::vector<std::int64_t> tree(roots.begin(), roots.end());
    std::unordered_set<std::int64_t> seen(roots.begin(), roots.end());
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const auto [first, last] = children.equal_range(tree[i]);
        for (auto it = first; it != last; ++it)
            if (seen.insert(it->second).second)
                tree.push_back(it->second);
    }
    return tree;
}

MapSelection::MapSelection(const MapFilter& filter, const MachineMap& map)
    : filter_(filter) {
    pids_.insert(filter.pids.begin(), filter.pids.end());
    if (!filter.trees.empty())
        for (const std::int64_t pid : processTree(map, filter.trees))
            pids_.insert(pid);
}

bool MapSelection::matches(const MapSocket& socket) const {
    if (filter_.inode && socket.kernel.inode != *filter_.inode)
        return false;
    if (filter_.port && (!socket.listedByKernel || (socket.kernel.localPort != *filter_.port &&
                                                    socket.kernel.peerPort != *filter_.port)))
        return false;
    if (filter_.shared && socket.processCount() < 2)
        return false;
    if (!filter_.pids.empty() || !filter_.trees.empty())
        return std::any_of(socket.holders.begin(), socket.holders.end(),
                           [&](const MapHolder& holder) { return pids_.contains(holder.pid); });
    return true;
}

ListedSockets listSockets(KernelSockets kernel) {
    ListedSockets listed;
    listed.inodes.reserve(kernel.sockets.size());
    listed.sockets.reserve(kernel.sockets.size());
    for (KernelSocket& described : kernel.sockets) {
        listed.inodes.push_back(described.inode);
        listed.sockets.push_back(MapSocket{std::move(described), true, {}, {}});
    }
    listed.problems = std::move(kernel.problems);
    return listed;
}

MachineMap buildMachineMap(KernelSockets kernel, MachineScan scan, const MapFilter& filter) {
    return buildMachineMap(listSockets(std::move(kernel)), std::move(scan), filter);
}

MachineMap buildMachineMap(ListedSockets listed, MachineScan scan, const MapFilter& filter) {
    const std::vector<std::uint64_t>& inodes = listed.inodes;
    std::vector<MapSocket>& sockets = listed.sockets;
    // Held but not in the kernel's lists (opened while they were read, or a kind not dumped).
    std::map<std::uint64_t, MapSocket> unlisted;

    auto find = [&](std::uint64_t inode) -> MapSocket* {
        const auto it = std::lower_bound(inodes.begin(), inodes.end(), inode);
        if (it != inodes.end() && *it == inode)
            return &sockets[std::size_t(it - inodes.begin())];
        const auto other = unlisted.find(inode);
        return other != unlisted.end() ? &other->second : nullptr;
    };
    auto socketOf = [&](std::uint64_t inode) -> MapSocket& {
        if (MapSocket* found = find(inode))
            return *found;
        MapSocket& added = unlisted[inode];
        added.kernel.inode = inode;
        added.kernel.kind = "other";
        added.listedByKernel = false;
        return added;
    };
    for (const ProcessReading& process : scan.processes) {
        if (process.sockets.empty() && process.registrations.empty())
            continue;
        const auto shared = std::make_shared<const HolderProcess>(
            HolderProcess{process.identity.parentPid, process.identity.startTime,
                          process.identity.command, process.commandLine});
        for (const SocketDescriptor& descriptor : process.sockets)
            socketOf(descriptor.inode)
                .holders.push_back(MapHolder{process.identity.pid, descriptor.fd, descriptor.flags,
                                             shared, descriptor.flagsRead});
        for (const EpollRegistration& registration : process.registrations) {
            // Other targets (pipes, eventfds) are not the map's.
            if (MapSocket* target = find(registration.interest.inode))
                target->epoll.push_back(
                    MapRegistration{process.identity.pid, process.identity.command,
                                    registration.epollFd, registration.interest});
        }
    }
    if (!unlisted.empty()) {
        const std::size_t listed = sockets.size();
        for (auto& [inode, socket] : unlisted)
            sockets.push_back(std::move(socket));
        std::inplace_merge(
            sockets.begin(), sockets.begin() + std::ptrdiff_t(listed), sockets.end(),
            [](const MapSocket& a, const MapSocket& b) { return a.kernel.inode < b.kernel.inode; });
    }

    MachineMap map;
    map.processes.reserve(scan.processes.size());
    for (ProcessReading& process : scan.processes)
        map.processes.push_back(std::move(process.identity));
    map.unreadable = std::move(scan.unreadable);
    map.problems = std::move(listed.problems);
    const MapSelection selection(filter, map);
    std::erase_if(sockets, [&](const MapSocket& socket) { return !selection.matches(socket); });
    map.sockets = std::move(sockets);
    return map;
}

void readHolderFlags(MachineMap& map, std::size_t threads) {
    // Grouped by process: one fdinfo directory opened per process.
    struct Ref {
        std::int64_t pid;
        MapHolder* holder;
    };
    std::vector<Ref> refs;
    for (MapSocket& socket : map.sockets)
        for (MapHolder& holder : socket.holders)
            if (!holder.flagsRead)
                refs.push_back(Ref{holder.pid, &holder});
    std::stable_sort(refs.begin(), refs.end(),
                     [](const Ref& a, const Ref& b) { return a.pid < b.pid; });
    std::vector<std::size_t> starts; // where each process's run of refs begins
    for (std::size_t i = 0; i < refs.size(); ++i)
        if (i == 0 || refs[i].pid != refs[i - 1].pid)
            starts.push_back(i);
    starts.push_back(refs.size());

    std::vector<char> closed(refs.size(), 0);
    parallelFor(starts.size() - 1, readerThreads(threads, refs.size() / 8), 1,
                [&](std::size_t, std::size_t run) {
                    const std::size_t first = starts[run], last = starts[run + 1];
                    std::vector<std::int64_t> fds;
                    for (std::size_t i = first; i < last; ++i)
                        fds.push_back(refs[i].holder->fd);
                    const auto flags = readDescriptorFlags(refs[first].pid, fds);
                    for (std::size_t i = first; i < last; ++i) {
                        if (flags[i - first])
                            refs[i].holder->flags = *flags[i - first];
                        else
                            closed[i] = 1;
                    }
                });
    for (std::size_t i = 0; i < refs.size(); ++i)
        if (closed[i])
            refs[i].holder->fd = -1; // marked, then removed below
    for (MapSocket& socket : map.sockets)
        std::erase_if(socket.holders, [](const MapHolder& holder) { return holder.fd < 0; });
}

MachineMap readMachineMap(const MapFilter& filter, const MapReadOptions& options) {
    // The kernel's list is read, and made the map's, while /proc is, on a core of its own where
    // there is one. A socket opened or closed meanwhile may then show with holders but not
    // listed by the kernel (listed_by_kernel false), as one opened during a scan always could.
    std::future<ListedSockets> kernelRead =
        std::async(std::launch::async, [] { return listSockets(readKernelSockets()); });
    // Without a pid, port or inode filter, (nearly) every socket's flags will be wanted: where
    // a process holds almost only sockets, the scan reads them on its way (FlagReading).
    const bool selectsMost =
        filter.pids.empty() && filter.trees.empty() && !filter.port && !filter.inode;
    const FlagReading scanFlags =
        options.withFlags && selectsMost ? FlagReading::WhereCheap : FlagReading::None;
    MachineScan scan = scanMachine(options.threads, scanFlags);
    MachineMap map = buildMachineMap(kernelRead.get(), std::move(scan), filter);
    if (options.withFlags)
        readHolderFlags(map, options.threads);
    return map;
}

} // namespace socklens::sysmap
