// The tick is done in four slices, and every slice checks every process's number of open
// descriptors and reads again the fd tables that changed: a holder is seen within a slice.
#include "broker/broker.h"
#include "os_probe.h"
#include "sysmap/fd_tables.h"

#include <csignal>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

TEST(CountChecks, AHolderAppearingAndLeavingIsSeenWithinATickSlice) {
    ASSERT_GT(sysmap::openDescriptorCount(::getpid()).value_or(0), 0)
        << "this kernel does not report a process's number of open descriptors "
           "(stat of /proc/PID/fd, Linux >= 6.2); counts change only at ticks here";
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    options.tickInterval = 8s; // a slice every 2 s: each checks the counts
    broker::Broker broker(options);
    const ProcessId a = broker.spawnHelper("A");
    const DescriptorRef conn = broker.createSocket(a, SocketKind::UnixPair).at(0);
    const SocketId socket = broker.state().descriptor(conn)->socket;
    auto count = [&](const State& state) { return state.socket(socket)->count; };
    ASSERT_EQ(count(broker.state()), 1);

    platform::UniqueFd mine =
        socklens::testing::copyFdOf(broker.state().process(a)->pid.value(), conn.handle.value());
    ASSERT_TRUE(mine.valid()) << "pidfd_getfd needs ptrace permission over the helper";
    EXPECT_TRUE(broker.waitUntil([&](const State& state) { return count(state) == 2; }, 6s));

    mine.reset();
    EXPECT_TRUE(broker.waitUntil([&](const State& state) { return count(state) == 1; }, 6s));
    const SocketState& seen = *broker.state().socket(socket);
    ASSERT_EQ(seen.holders.size(), 1u);
    EXPECT_EQ(seen.holders[0].process, a);
}

TEST(CountChecks, AHolderThatIsNotAHelperEndingIsReportedAndLeavesTheCount) {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    broker::Broker broker(options);
    const ProcessId a = broker.spawnHelper("A");
    const DescriptorRef conn = broker.createSocket(a, SocketKind::UnixPair).at(0);
    const SocketId socket = broker.state().descriptor(conn)->socket;

    platform::UniqueFd mine =
        socklens::testing::copyFdOf(broker.state().process(a)->pid.value(), conn.handle.value());
    ASSERT_TRUE(mine.valid()) << "pidfd_getfd needs ptrace permission over the helper";
    const pid_t child = ::fork(); // holds the copy it inherits until it is killed
    if (child == 0) {
        ::pause();
        ::_exit(0);
    }
    ASSERT_GT(child, 0);
    mine.reset();
    auto childProcess = [&](const State& state) { return state.processWithPid(OsPid(child)); };
    const bool joined = broker.waitUntil(
        [&](const State& state) {
            return childProcess(state) && state.socket(socket)->count == 2 &&
                   state.socket(socket)->holders.size() == 2;
        },
        5s);

    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    ASSERT_TRUE(joined) << "the child's copy was not counted";
    EXPECT_TRUE(broker.waitUntil(
        [&](const State& state) {
            return !state.process(*childProcess(state))->alive && state.socket(socket)->count == 1;
        },
        5s));
    EXPECT_EQ(broker.state().process(*childProcess(broker.state()))->exitReason,
              "no longer running");
}

} // namespace
