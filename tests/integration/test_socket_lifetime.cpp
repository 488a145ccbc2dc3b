// A socket is open while the kernel has it: with no descriptor in any fd table (a reference in
// flight in a Unix socket message) it is "alive, no descriptor", stays observed, and the process
// that receives it is named; it is closed only once the kernel no longer lists it. Each step is
// checked against the kernel's own tables (/proc/net, /proc/PID/fd), read here independently.
#include "broker/broker.h"
#include "os_probe.h"
#include "real_programs.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

int descriptorsAnywhere(std::uint64_t inode, std::initializer_list<std::int64_t> pids) {
    int count = 0;
    for (const std::int64_t pid : pids)
        count += socklens::testing::fdsNaming(pid, inode);
    return count;
}

class SocketLifetime : public ::testing::Test {
protected:
    broker::BrokerOptions options() {
        broker::BrokerOptions options;
        options.helperPath = SOCKLENS_HELPER_PATH;
        return options;
    }
    /// A socket of `kind` made in helper a: its first descriptor, socket and inode.
    void create(SocketKind kind) {
        conn = broker.createSocket(a, kind).front();
        socket = broker.state().descriptor(conn)->socket;
        inode = broker.state().socket(socket)->identity;
    }

    broker::Broker broker{options()};
    const ProcessId a = broker.spawnHelper("a");
    DescriptorRef conn;
    SocketId socket;
    std::uint64_t inode = 0;
};

TEST_F(SocketLifetime, AReferenceInFlightKeepsTheSocketAliveUntilItsReceiverIsNamed) {
    create(SocketKind::TcpPair);
    const std::int64_t helperPid = broker.state().process(a)->pid.value();

    int carrier[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, carrier), 0);
    // P copies the helper's descriptor, passes it to Q over a Unix socket and closes its own.
    socklens::testing::ForkedProcess passer(
        "sl-passer", [&](const socklens::testing::ChildChannel& channel) {
            platform::UniqueFd copy = socklens::testing::copyFdOf(helperPid, conn.handle.value());
            channel.report("copied", copy.valid() ? copy.get() : -1);
            channel.waitForGo();
            socklens::testing::sendFd(carrier[0], copy.get());
            copy.reset();
            channel.report("sent", 1);
        });
    socklens::testing::ForkedProcess receiver(
        "sl-receiver", [&](const socklens::testing::ChildChannel& channel) {
            channel.waitForGo();
            const int received = socklens::testing::receiveFd(carrier[1]);
            channel.report("received", received);
            channel.waitForGo();
            ::close(received);
            channel.report("closed", 1);
        });
    ::close(carrier[0]);
    ::close(carrier[1]);
    const auto pids = {helperPid, std::int64_t(passer.pid()), std::int64_t(receiver.pid())};

    ASSERT_GE(passer.read("copied"), 0) << "pidfd_getfd needs ptrace permission over the helper "
                                           "(run as root or with ptrace_scope 0)";
    ASSERT_TRUE(broker.waitUntil([&](const State& s) { return s.socket(socket)->count == 2; }, 5s));
    passer.go();
    ASSERT_EQ(passer.read("sent"), 1);
    broker.close(conn);

    // No fd table names it; the kernel still has it, in the carrier's queue.
    ASSERT_EQ(descriptorsAnywhere(inode, pids), 0);
    ASSERT_TRUE(socklens::testing::kernelListsSocket(inode));
    ASSERT_TRUE(
        broker.waitUntil([&](const State& s) { return s.socket(socket)->withoutDescriptor; }, 5s));
    const SocketState& alive = *broker.state().socket(socket);
    EXPECT_TRUE(alive.open);
    EXPECT_EQ(alive.count, 0);
    EXPECT_TRUE(alive.holders.empty());

    // Q receives it: the holder appears, named.
    receiver.go();
    const long long receivedFd = receiver.read("received");
    ASSERT_GE(receivedFd, 0);
    ASSERT_EQ(socklens::testing::fdsNaming(receiver.pid(), inode), 1);
    ASSERT_TRUE(broker.waitUntil([&](const State& s) { return s.socket(socket)->count == 1; }, 5s));
    const SocketState& held = *broker.state().socket(socket);
    EXPECT_FALSE(held.withoutDescriptor);
    ASSERT_EQ(held.holders.size(), 1u);
    EXPECT_EQ(held.holders[0].pid.value(), receiver.pid());
    EXPECT_EQ(held.holders[0].handle.value(), receivedFd);
    EXPECT_EQ(broker.state().process(held.holders[0].process)->name, "sl-receiver");

    // Q closes the last descriptor: the kernel drops the socket, and only then is it closed.
    receiver.go();
    ASSERT_EQ(receiver.read("closed"), 1);
    ASSERT_TRUE(broker.waitUntil([&](const State& s) { return !s.socket(socket)->open; }, 5s));
    EXPECT_FALSE(socklens::testing::kernelListsSocket(inode));
    EXPECT_EQ(descriptorsAnywhere(inode, pids), 0);
    bool goneRead = false;
    for (const JournalEntry& entry : broker.journal().entries()) {
        if (const auto* life = std::get_if<entry::SocketLifetimeObserved>(&entry.payload))
            goneRead = goneRead || (life->socket == socket && !life->listed);
    }
    EXPECT_TRUE(goneRead) << "closed rests on the kernel's lists, journaled";
}

TEST_F(SocketLifetime, ASocketClosedEverywhereIsClosedOnTheKernelsWord) {
    create(SocketKind::UnixPair);
    broker.close(conn);
    ASSERT_TRUE(broker.waitUntil([&](const State& s) { return !s.socket(socket)->open; }, 5s));
    EXPECT_FALSE(socklens::testing::kernelListsSocket(inode));
    EXPECT_FALSE(broker.state().socket(socket)->withoutDescriptor);
}

} // namespace
