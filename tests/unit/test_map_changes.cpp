// diffMaps on readings built by hand: what `watch` reports, and the provenance it gives.
#include "sysmap/map_changes.h"

#include <gtest/gtest.h>

using namespace socklens::sysmap;

namespace {

struct Machine {
    MachineMap map;

    /// A process (pid, parent, start time).
    std::shared_ptr<const HolderProcess> process(std::int64_t pid, std::int64_t parent,
                                                 std::uint64_t start = 100) {
        map.processes.push_back(ProcessIdentity{pid, parent, "p" + std::to_string(pid), start});
        std::sort(map.processes.begin(), map.processes.end(),
                  [](const auto& a, const auto& b) { return a.pid < b.pid; });
        return std::make_shared<const HolderProcess>(
            HolderProcess{parent, start, "p" + std::to_string(pid), ""});
    }
    MapSocket& socket(std::uint64_t inode, const std::string& state = "ESTABLISHED") {
        MapSocket socket;
        socket.kernel.inode = inode;
        socket.kernel.kind = "unix-stream";
        socket.kernel.state = state;
        map.sockets.push_back(socket);
        return map.sockets.back();
    }
};

MapHolder holder(std::int64_t pid, std::int64_t fd, std::shared_ptr<const HolderProcess> process) {
    return MapHolder{pid, fd, {}, std::move(process)};
}

} // namespace

TEST(MapChanges, ANewChildWithTheParentsFdNumberInheritedIt) {
    Machine before, after;
    const auto parent = before.process(10, 1);
    before.socket(500).holders = {holder(10, 3, parent)};
    const auto parentNow = after.process(10, 1);
    const auto child = after.process(11, 10);
    after.socket(500).holders = {holder(10, 3, parentNow), holder(11, 3, child)};

    const auto changes = diffMaps(before.map, after.map, {});
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, MapChangeKind::HolderGained);
    EXPECT_EQ(changes[0].holder.pid, 11);
    EXPECT_EQ(changes[0].provenance, Provenance::InheritedAtFork);
    EXPECT_NE(changes[0].evidence.find("child of pid 10"), std::string::npos)
        << changes[0].evidence;
}

TEST(MapChanges, ARunningProcessWithANewFdReceivedIt) {
    Machine before, after;
    const auto sender = before.process(10, 1);
    before.process(20, 1);
    before.socket(500).holders = {holder(10, 3, sender)};
    const auto senderNow = after.process(10, 1);
    const auto receiver = after.process(20, 1);
    after.socket(500).holders = {holder(10, 3, senderNow), holder(20, 7, receiver)};

    const auto changes = diffMaps(before.map, after.map, {});
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].provenance, Provenance::Received);
}

TEST(MapChanges, ANewProcessWhoseParentHasNoSuchFdIsUnknownAndAReusedPidIsNew) {
    Machine before, after;
    const auto holderBefore = before.process(10, 1);
    before.process(20, 1, 100); // pid 20 then: another process
    before.socket(500).holders = {holder(10, 3, holderBefore)};
    const auto holderNow = after.process(10, 1);
    const auto reused = after.process(20, 1, 999); // same pid, started later
    after.socket(500).holders = {holder(10, 3, holderNow), holder(20, 3, reused)};

    const auto changes = diffMaps(before.map, after.map, {});
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].provenance, Provenance::Unknown);
}

TEST(MapChanges, LostHoldersStateChangesAndSocketsGoneAndAppeared) {
    Machine before, after;
    const auto a = before.process(10, 1);
    before.socket(500, "LISTEN").holders = {holder(10, 3, a)};
    before.socket(600).holders = {holder(10, 4, a)};
    const auto aNow = after.process(10, 1);
    after.socket(500, "CLOSE").holders = {};
    after.socket(700).holders = {holder(10, 5, aNow)};

    const auto changes = diffMaps(before.map, after.map, {});
    std::vector<std::pair<std::uint64_t, MapChangeKind>> seen;
    for (const MapChange& change : changes)
        seen.emplace_back(change.socket.inode, change.kind);
    EXPECT_EQ(seen, (std::vector<std::pair<std::uint64_t, MapChangeKind>>{
                        {500, MapChangeKind::StateChanged},
                        {500, MapChangeKind::HolderLost},
                        {600, MapChangeKind::HolderLost},
                        {600, MapChangeKind::SocketGone},
                        {700, MapChangeKind::SocketAppeared}}));
    EXPECT_FALSE(changes[1].processExited); // pid 10 still runs: the descriptor was closed
}

TEST(MapChanges, TheFilterKeepsOnlySelectedSockets) {
    Machine before, after;
    before.process(10, 1);
    const auto a = after.process(10, 1);
    after.socket(500).holders = {holder(10, 3, a)};
    after.socket(600).holders = {holder(10, 4, a)};
    MapFilter filter;
    filter.inode = 600;
    const auto changes = diffMaps(before.map, after.map, filter);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].socket.inode, 600u);
}
