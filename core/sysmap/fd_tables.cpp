#include "sysmap/fd_tables.h"

#include <algorithm>

namespace socklens::sysmap {

FdTablesRefresh FdTables::refresh(std::size_t budget, bool discover) {
    FdTablesRefresh refresh;
    if (discover) {
        const std::vector<std::int64_t> running = listProcesses();
        const std::unordered_set<std::int64_t> present(running.begin(), running.end());
        for (auto it = tables_.begin(); it != tables_.end();)
            it = present.contains(it->first) ? std::next(it) : drop(it, refresh);
        for (const std::int64_t pid : running)
            tables_.try_emplace(pid); // new tables start stale
    }

    std::unordered_set<std::int64_t> readNow;
    for (auto it = tables_.begin(); it != tables_.end();) {
        const std::int64_t pid = it->first;
        if (!due(pid, it->second)) {
            ++it;
            continue;
        }
        reread(it, refresh);
        readNow.insert(pid);
        it = tables_.upper_bound(pid); // reread may have dropped it
    }

    std::size_t spent = 0;
    auto it = tables_.lower_bound(rotation_);
    for (std::size_t visited = 0; spent < budget && visited < tables_.size(); ++visited) {
        if (it == tables_.end())
            it = tables_.begin();
        const std::int64_t pid = it->first;
        if (!readNow.contains(pid)) {
            reread(it, refresh);
            if (const auto read = tables_.find(pid); read != tables_.end())
                spent += std::max<std::size_t>(read->second.entries, 1);
        }
        it = tables_.upper_bound(pid);
    }
    if (budget > 0)
        rotation_ = it == tables_.end() ? 0 : it->first;
    return refresh;
}

FdTablesRefresh FdTables::refreshStale() {
    FdTablesRefresh refresh;
    for (auto it = tables_.begin(); it != tables_.end();) {
        const std::int64_t pid = it->first;
        if (it->second.stale || (!it->second.touched.empty() && !patch(it, refresh)))
            reread(it, refresh);
        it = tables_.upper_bound(pid); // reread may have dropped it
    }
    return refresh;
}

void FdTables::markStale(std::int64_t pid) {
    tables_[pid].stale = true;
}

void FdTables::markTouched(std::int64_t pid, std::int64_t fd) {
    tables_[pid].touched.push_back(fd);
}

bool FdTables::patch(Tables::iterator it, FdTablesRefresh& refresh) {
    const std::int64_t pid = it->first;
    Table& table = it->second;
    // The count first, as in reread(): a change while the links are read shows at the next check.
    const std::optional<std::int64_t> open = openDescriptorCount(pid);
    if (!open || *open == 0 || table.openCount == 0 || table.unreadable)
        return false; // gone (reread() drops it), or a kernel that does not count
    std::vector<SocketFd> now = table.sockets;
    std::int64_t expected = table.openCount;
    std::size_t entries = table.entries;
    std::sort(table.touched.begin(), table.touched.end());
    table.touched.erase(std::unique(table.touched.begin(), table.touched.end()),
                        table.touched.end());
    for (const std::int64_t fd : table.touched) {
        const DescriptorLink link = readDescriptorLink(pid, fd);
        const auto at = std::lower_bound(
            now.begin(), now.end(), fd,
            [](const SocketFd& entry, std::int64_t wanted) { return entry.fd < wanted; });
        const bool known = at != now.end() && at->fd == fd;
        switch (link.kind) {
        case DescriptorLink::Kind::Unreadable:
            return false;
        case DescriptorLink::Kind::Other:
            if (!known)
                return false; // open before or not: the table cannot tell
            now.erase(at);    // the number now names another file
            break;
        case DescriptorLink::Kind::Closed:
            if (known) {
                now.erase(at);
                --expected;
                --entries;
            }
            break;
        case DescriptorLink::Kind::Socket:
            if (known) {
                at->inode = link.inode;
            } else {
                now.insert(at, SocketFd{fd, link.inode});
                ++expected;
                ++entries;
            }
            break;
        }
    }
    if (expected != *open)
        return false; // more changed than the touched descriptors
    replaceSockets(pid, table, std::move(now), refresh);
    table.entries = entries;
    table.openCount = *open;
    table.touched.clear();
    refresh.reread.push_back(pid);
    return true;
}

bool FdTables::due(std::int64_t pid, const Table& table) const {
    if (table.stale)
        return true;
    const std::optional<std::int64_t> open = openDescriptorCount(pid);
    return !open || (*open != 0 && *open != table.openCount); // gone, or its count moved
}

void FdTables::reread(Tables::iterator it, FdTablesRefresh& refresh) {
    const std::int64_t pid = it->first;
    Table& table = it->second;
    // The count first: a change while the table is read shows at the next check.
    const std::optional<std::int64_t> open = openDescriptorCount(pid);
    std::vector<SocketFd> now;
    std::size_t entries = 0;
    const FdTableRead read = open ? readSocketFds(pid, now, entries) : FdTableRead::Gone;
    if (read == FdTableRead::Gone) {
        drop(it, refresh);
        return;
    }
    std::sort(now.begin(), now.end(),
              [](const SocketFd& a, const SocketFd& b) { return a.fd < b.fd; });
    replaceSockets(pid, table, std::move(now), refresh);
    table.entries = entries;
    table.openCount = *open;
    table.unreadable = read == FdTableRead::Unreadable;
    table.stale = false;
    table.touched.clear();
    refresh.reread.push_back(pid);
}

void FdTables::replaceSockets(std::int64_t pid, Table& table, std::vector<SocketFd> now,
                              FdTablesRefresh& refresh) {
    // Both sorted by fd: what left and what came, in one pass.
    auto before = table.sockets.begin();
    auto after = now.begin();
    while (before != table.sockets.end() || after != now.end()) {
        if (after == now.end() || (before != table.sockets.end() && before->fd < after->fd)) {
            noteHolder(before->inode, {pid, before->fd}, false);
            refresh.changedInodes.insert(before->inode);
            ++before;
        } else if (before == table.sockets.end() || after->fd < before->fd) {
            noteHolder(after->inode, {pid, after->fd}, true);
            refresh.changedInodes.insert(after->inode);
            ++after;
        } else {
            if (before->inode != after->inode) {
                noteHolder(before->inode, {pid, before->fd}, false);
                noteHolder(after->inode, {pid, after->fd}, true);
                refresh.changedInodes.insert(before->inode);
                refresh.changedInodes.insert(after->inode);
            }
            ++before;
            ++after;
        }
    }
    table.sockets = std::move(now);
}

FdTables::Tables::iterator FdTables::drop(Tables::iterator it, FdTablesRefresh& refresh) {
    for (const SocketFd& socket : it->second.sockets) {
        noteHolder(socket.inode, {it->first, socket.fd}, false);
        refresh.changedInodes.insert(socket.inode);
    }
    refresh.reread.push_back(it->first);
    refresh.ended.push_back(it->first);
    return tables_.erase(it);
}

void FdTables::noteHolder(std::uint64_t inode, FdHolder holder, bool holds) {
    std::vector<FdHolder>& holders = holders_[inode];
    if (holds) {
        holders.push_back(holder);
        return;
    }
    std::erase(holders, holder);
    if (holders.empty())
        holders_.erase(inode);
}

std::span<const FdHolder> FdTables::holdersOf(std::uint64_t inode) const {
    const auto found = holders_.find(inode);
    return found == holders_.end() ? std::span<const FdHolder>() : found->second;
}

std::span<const SocketFd> FdTables::socketsOf(std::int64_t pid) const {
    const auto found = tables_.find(pid);
    return found == tables_.end() ? std::span<const SocketFd>() : found->second.sockets;
}

std::size_t FdTables::unreadableProcesses() const {
    return std::size_t(std::count_if(tables_.begin(), tables_.end(),
                                     [](const auto& entry) { return entry.second.unreadable; }));
}

} // namespace socklens::sysmap
