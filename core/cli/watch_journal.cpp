#include "cli/watch_journal.h"

#include "broker/broker_session.h"
#include "broker/foreign_facts.h"

#include <set>

namespace socklens::cli {

ProcessId WatchJournal::processOf(const sysmap::MapHolder& holder) {
    const auto key = std::make_pair(holder.pid, holder.startTime());
    if (const auto found = processes_.find(key); found != processes_.end())
        return found->second;
    const ProcessId id(std::uint32_t(processes_.size() + 1));
    processes_.emplace(key, id);
    journal_.append(
        entry::ProcessStarted{id, OsPid(holder.pid), holder.command(), Platform::Linux, false, {}});
    return id;
}

SocketId WatchJournal::identify(const sysmap::KernelSocket& socket) {
    auto [it, added] =
        sockets_.try_emplace(socket.inode, SocketId(std::uint32_t(sockets_.size() + 1)));
    // Described as a helper would describe it, so the session reads like any other.
    journal_.append(broker::socketIdentified(it->second, broker::describeKernelSocket(socket)));
    return it->second;
}

SocketId WatchJournal::known(const sysmap::KernelSocket& socket) {
    const auto found = sockets_.find(socket.inode);
    return found != sockets_.end() ? found->second : identify(socket);
}

DescriptorRef WatchJournal::opened(const sysmap::MapHolder& holder, SocketId socket) {
    const DescriptorRef ref{processOf(holder), Handle(holder.fd)};
    journal_.append(entry::DescriptorOpened{ref, socket, DescriptorOrigin::Observed});
    return ref;
}

void WatchJournal::counted(SocketId socket, const std::vector<sysmap::MapHolder>& holders) {
    entry::CountObserved count{socket, std::int32_t(holders.size()), 0, {}};
    for (const sysmap::MapHolder& holder : holders)
        count.holders.push_back(
            entry::Holder{processOf(holder), OsPid(holder.pid), Handle(holder.fd)});
    journal_.append(std::move(count));
}

void WatchJournal::recordFirst(const sysmap::MachineMap& map, const sysmap::MapFilter& filter) {
    const sysmap::MapSelection selection(filter, map);
    for (const sysmap::MapSocket& socket : map.sockets) {
        if (!selection.matches(socket))
            continue;
        const SocketId id = identify(socket.kernel);
        for (const sysmap::MapHolder& holder : socket.holders)
            opened(holder, id);
        counted(id, socket.holders);
    }
}

void WatchJournal::record(const std::vector<sysmap::MapChange>& changes) {
    std::set<std::uint64_t> recount;
    std::set<std::pair<std::int64_t, std::uint64_t>> exited;
    for (const sysmap::MapChange& change : changes) {
        using Kind = sysmap::MapChangeKind;
        switch (change.kind) {
        case Kind::SocketAppeared: {
            const SocketId id = identify(change.socket);
            for (const sysmap::MapHolder& holder : change.holders)
                opened(holder, id);
            recount.insert(change.socket.inode);
            break;
        }
        case Kind::StateChanged:
            identify(change.socket);
            break;
        case Kind::HolderGained: {
            const SocketId socket = known(change.socket);
            journal_.append(entry::ProvenanceObserved{opened(change.holder, socket), socket,
                                                      std::string(toString(change.provenance)),
                                                      change.evidence});
            recount.insert(change.socket.inode);
            break;
        }
        case Kind::HolderLost:
            journal_.append(entry::DescriptorClosed{
                DescriptorRef{processOf(change.holder), Handle(change.holder.fd)},
                change.processExited ? DescriptorEnd::ProcessExited : DescriptorEnd::ObservedGone});
            if (change.processExited)
                exited.emplace(change.holder.pid, change.holder.startTime());
            recount.insert(change.socket.inode);
            break;
        case Kind::SocketGone:
            recount.insert(change.socket.inode);
            break;
        }
    }
    for (const sysmap::MapChange& change : changes)
        if (recount.erase(change.socket.inode))
            counted(known(change.socket), change.holders);
    for (const auto& key : exited)
        journal_.append(entry::ProcessExited{processes_.at(key), "exited (seen by watch)"});
}

} // namespace socklens::cli
