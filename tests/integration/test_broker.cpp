// The broker with real helpers, checked against what the OS reports.
#include "broker/broker.h"
#include "forked_process.h"
#include "os_probe.h"

#include <csignal>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace socklens;
using namespace std::chrono_literals;
using socklens::testing::closeOnExecInFdinfo;
using socklens::testing::copyFdOf;
using socklens::testing::fdsNaming;
using socklens::testing::openFdCount;
using socklens::testing::ownerThrough;
using socklens::testing::socketInodesHeldBy;

namespace {

broker::BrokerOptions testOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    return options;
}

class BrokerTest : public ::testing::Test {
protected:
    void SetUp() override {
        a = broker.spawnHelper("A");
        b = broker.spawnHelper("B");
        const std::vector<DescriptorRef> pair = broker.createSocket(a, SocketKind::TcpPair);
        ASSERT_EQ(pair.size(), 2u);
        conn = pair[0];
        peer = pair[1];
    }

    std::int64_t pidOf(ProcessId process) const {
        return broker.state().process(process)->pid.value();
    }
    const SocketState& socketOf(const DescriptorRef& ref) const {
        return *broker.state().socket(broker.state().descriptor(ref)->socket);
    }
    /// Descriptors naming conn's socket in A and B, read from /proc by the test itself.
    int osCount() const {
        const std::uint64_t inode = socketOf(conn).identity;
        return fdsNaming(pidOf(a), inode) + fdsNaming(pidOf(b), inode);
    }

    broker::Broker broker{testOptions()};
    ProcessId a, b;
    DescriptorRef conn, peer;
};

} // namespace

TEST_F(BrokerTest, DuplicateRaisesTheCountAndClosingEitherLowersIt) {
    const DescriptorRef copy = broker.duplicate(conn, b);
    EXPECT_EQ(osCount(), 2);
    EXPECT_EQ(socketOf(conn).count, 2);

    broker.close(copy); // the target's copy
    EXPECT_EQ(osCount(), 1);
    EXPECT_EQ(socketOf(conn).count, 1);

    const DescriptorRef again = broker.duplicate(conn, b);
    EXPECT_EQ(socketOf(conn).count, 2);
    broker.close(conn); // now the source's original (C6)
    EXPECT_EQ(osCount(), 1);
    EXPECT_EQ(socketOf(again).count, 1);
    EXPECT_TRUE(socketOf(again).open);

    // Still usable through the last descriptor.
    broker.send(again, "alive");
    EXPECT_EQ(broker.receive(peer, 100), "alive");

    broker.close(again);
    EXPECT_FALSE(socketOf(again).open);
    EXPECT_EQ(socketOf(again).countHistory.back().count, 0);
}

TEST_F(BrokerTest, DuplicateRecordsTheTenStepsAndNoReferenceStaysInFlight) {
    const DescriptorRef copy = broker.duplicate(conn, b);
    ASSERT_EQ(broker.state().duplications.size(), 1u);
    const DuplicationState& duplication = broker.state().duplications.begin()->second;
    EXPECT_EQ(duplication.result, copy);
    EXPECT_FALSE(duplication.inFlight);
    std::vector<int> steps;
    for (const HandoffStepState& step : duplication.steps)
        steps.push_back(step.step);
    EXPECT_EQ(steps, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));

    broker.send(copy, "x");
    broker.close(conn);
    const DuplicationState& done = broker.state().duplications.begin()->second;
    EXPECT_EQ(done.steps.size(), 10u);
    EXPECT_EQ(done.steps.back().step, 10);
}

TEST_F(BrokerTest, OptionSetThroughOneProcessIsReadThroughTheOther) {
    const DescriptorRef copy = broker.duplicate(conn, b);
    const std::int64_t effective = broker.setOption(copy, SocketOption::RcvBuf, 12345);
    EXPECT_EQ(effective, 24690); // Linux doubles SO_RCVBUF: requested vs effective (C5)

    const OptionValue& throughA = broker.state().descriptor(conn)->options.at(SocketOption::RcvBuf);
    EXPECT_EQ(throughA.value, 24690);
    EXPECT_FALSE(throughA.requested.has_value()); // nobody set it through A
    const OptionValue& throughB = broker.state().descriptor(copy)->options.at(SocketOption::RcvBuf);
    EXPECT_EQ(throughB.requested, 12345);

    // The test reads it through its own copy of A's descriptor.
    const platform::UniqueFd mine = copyFdOf(pidOf(a), conn.handle.value());
    ASSERT_TRUE(mine.valid());
    int value = 0;
    socklen_t length = sizeof value;
    ASSERT_EQ(::getsockopt(mine.get(), SOL_SOCKET, SO_RCVBUF, &value, &length), 0);
    EXPECT_EQ(value, 24690);
}

// The duplicate's own observation: both ends read as the command ends, without waiting for a
// tick (the helpers read them in their replies), and what they read is the OS's, here a value
// set from outside the session.
TEST_F(BrokerTest, ADuplicateEndsWithBothDescriptorsReadFromTheOs) {
    const platform::UniqueFd outside = copyFdOf(pidOf(a), conn.handle.value());
    ASSERT_TRUE(outside.valid());
    const int asked = 20000;
    ASSERT_EQ(::setsockopt(outside.get(), SOL_SOCKET, SO_RCVBUF, &asked, sizeof asked), 0);
    int value = 0;
    socklen_t length = sizeof value;
    ASSERT_EQ(::getsockopt(outside.get(), SOL_SOCKET, SO_RCVBUF, &value, &length), 0);

    broker.setTickInterval(std::chrono::hours(1)); // no tick can read them meanwhile
    const DescriptorRef copy = broker.duplicate(conn, b);
    for (const DescriptorRef& end : {conn, copy}) {
        SCOPED_TRACE(broker.state().process(end.process)->name);
        const DescriptorState& read = *broker.state().descriptor(end);
        EXPECT_EQ(read.options.size(), allSocketOptions().size());
        ASSERT_TRUE(read.options.contains(SocketOption::RcvBuf));
        EXPECT_EQ(read.options.at(SocketOption::RcvBuf).value, value);
    }
    const platform::UniqueFd throughB = copyFdOf(pidOf(b), copy.handle.value());
    ASSERT_TRUE(throughB.valid());
    int valueInB = 0;
    ASSERT_EQ(::getsockopt(throughB.get(), SOL_SOCKET, SO_RCVBUF, &valueInB, &length), 0);
    EXPECT_EQ(valueInB, value);
}

// Whether a child gets a descriptor is the descriptor's close-on-exec flag, read by its helper
// and journaled; an inheriting child holds exactly the descriptors without it (never the
// helper's channel to the broker), as /proc shows.
TEST_F(BrokerTest, AnInheritingChildGetsWhatTheFlagSaysAndNothingElse) {
    const DescriptorRef kept = conn;
    const DescriptorRef cleared = peer;
    const DescriptorRef copy = broker.duplicate(conn, b); // received by SCM_RIGHTS
    for (const DescriptorRef& ref : {kept, cleared, copy}) {
        EXPECT_EQ(broker.state().descriptor(ref)->inheritance, Inheritance::Inheritable);
        EXPECT_FALSE(closeOnExecInFdinfo(pidOf(ref.process), ref.handle.value()));
    }
    broker.setInheritable(cleared, false);
    EXPECT_EQ(broker.state().descriptor(cleared)->inheritance, Inheritance::NotInheritable);
    EXPECT_TRUE(closeOnExecInFdinfo(pidOf(a), cleared.handle.value()));

    const ProcessId child = broker.startChild(a, "c", true, std::chrono::seconds(30));
    const std::int64_t childPid = broker.state().process(child)->pid.value();
    EXPECT_EQ(socketInodesHeldBy(childPid), std::vector{socketOf(kept).identity});
    // The child is no helper: its copy's flag is read from /proc as the copy is found.
    const DescriptorRef inherited{child, kept.handle};
    ASSERT_TRUE(broker.waitUntil(
        [&](const State& state) {
            const DescriptorState* descriptor = state.descriptor(inherited);
            return descriptor && descriptor->inheritance != Inheritance::Unknown;
        },
        5s));
    EXPECT_FALSE(closeOnExecInFdinfo(childPid, kept.handle.value()));
    EXPECT_EQ(broker.state().descriptor(inherited)->inheritance, Inheritance::Inheritable);
}

TEST_F(BrokerTest, RegistrationThroughBReplacesAsAndOnlyBIsNotified) {
    const DescriptorRef copy = broker.duplicate(conn, b);
    broker.registerEvents(conn, FdRead);
    broker.registerEvents(copy, FdRead);

    // The owner lives in the shared file: read through A's descriptor it names B (C7).
    const platform::UniqueFd mine = copyFdOf(pidOf(a), conn.handle.value());
    ASSERT_TRUE(mine.valid());
    EXPECT_EQ(ownerThrough(mine.get()), pidOf(b));

    const SocketState& socket = socketOf(conn);
    EXPECT_EQ(socket.registration.owner, b);
    ASSERT_FALSE(socket.registrationHistory.empty());
    ASSERT_TRUE(socket.registrationHistory.back().cancelled.has_value());
    EXPECT_EQ(socket.registrationHistory.back().cancelled->owner, a);

    broker.send(peer, "!");
    auto readFor = [](ProcessId process) {
        return [process](const State& state) {
            return std::any_of(state.events.begin(), state.events.end(),
                               [&](const DeliveredEvent& e) {
                                   return e.descriptor.process == process && (e.events & FdRead);
                               });
        };
    };
    EXPECT_TRUE(broker.waitUntil(readFor(b), 5s));
    broker.observe();
    EXPECT_FALSE(readFor(a)(broker.state()));
}

TEST_F(BrokerTest, TheSameBytesAreReadByWhicheverHolderReadsFirst) {
    const DescriptorRef copy = broker.duplicate(conn, b);
    broker.send(peer, "abc");
    EXPECT_EQ(broker.receive(copy, 100), "abc"); // C3
    try {
        broker.receive(conn, 100);
        FAIL() << "A read bytes that B had already taken";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "EAGAIN");
    }
}

TEST_F(BrokerTest, AHelperKilledMidSessionIsReportedAndTheRestGoesOn) {
    const DescriptorRef copy = broker.duplicate(conn, b);
    const std::int64_t bPid = pidOf(b);
    broker.killHelper(b);

    const ProcessState* gone = broker.state().process(b);
    EXPECT_FALSE(gone->alive);
    EXPECT_NE(gone->exitReason.find("signal 9"), std::string::npos) << gone->exitReason;
    EXPECT_FALSE(broker.state().descriptor(copy)->open);
    EXPECT_EQ(socketOf(conn).count, 1);
    EXPECT_EQ(fdsNaming(bPid, socketOf(conn).identity), 0);

    try {
        broker.send(copy, "x");
        FAIL() << "a command to a dead helper succeeded";
    } catch (const broker::BrokerError& error) {
        // Issue 13: the descriptor went with its process, so the failure says that.
        EXPECT_EQ(error.codeName(), "helper-gone");
        EXPECT_NE(std::string(error.what()).find("not running any more"), std::string::npos)
            << error.what();
    }
    // The broker and the other helper go on.
    EXPECT_EQ(broker.createSocket(a, SocketKind::Udp).size(), 1u);
    broker.send(conn, "still here");
    EXPECT_EQ(broker.receive(peer, 100), "still here");
}

TEST_F(BrokerTest, AHolderThatIsNotAHelperIsCountedAndNamed) {
    platform::UniqueFd mine = copyFdOf(pidOf(a), conn.handle.value());
    ASSERT_TRUE(mine.valid()) << "pidfd_getfd needs ptrace permission over the helper";
    broker.observe();

    const SocketState& socket = socketOf(conn);
    EXPECT_EQ(socket.count, 2);
    const auto other =
        std::find_if(socket.holders.begin(), socket.holders.end(),
                     [&](const entry::Holder& holder) { return holder.pid.value() == ::getpid(); });
    ASSERT_NE(other, socket.holders.end());
    EXPECT_EQ(other->handle.value(), mine.get());
    const ProcessState* process = broker.state().process(other->process);
    ASSERT_NE(process, nullptr);
    EXPECT_FALSE(process->helper);
    EXPECT_FALSE(process->name.empty());
    EXPECT_NE(std::string(program_invocation_short_name).find(process->name.substr(0, 10)),
              std::string::npos)
        << process->name;

    mine.reset();
    broker.observe();
    EXPECT_EQ(socketOf(conn).count, 1);
}

TEST_F(BrokerTest, OwnerReadingsAreJournaledAtEveryChangeIncludingAnOutsideOwnerAndItsExit) {
    broker.registerEvents(conn, FdRead);
    const SocketId socket = socketOf(conn).id;
    auto readings = [&] {
        std::vector<std::int64_t> pids;
        for (const JournalEntry& entry : broker.journal().entries()) {
            const auto* read = std::get_if<entry::OwnerObserved>(&entry.payload);
            if (read && read->socket == socket)
                pids.push_back(read->ownerPid.value());
        }
        return pids;
    };
    // The registration the session made is read back from the OS, not taken on its word.
    ASSERT_EQ(readings(), std::vector<std::int64_t>{pidOf(a)});
    EXPECT_TRUE(socketOf(conn).registration.readAt.valid());
    const std::size_t disagreements = broker.state().disagreements.size();

    // An outside process takes the registration through its own copy (F_SETOWN_EX), then
    // exits. It ignores the real-time signals the helper chose, which it now receives.
    const platform::UniqueFd mine = copyFdOf(pidOf(a), conn.handle.value());
    ASSERT_TRUE(mine.valid()) << "pidfd_getfd needs ptrace permission over the helper";
    socklens::testing::ForkedProcess outside("owner-taker", [&](const auto& channel) {
        for (int signal = SIGRTMIN; signal <= SIGRTMAX; ++signal)
            ::signal(signal, SIG_IGN);
        f_owner_ex self{F_OWNER_PID, ::getpid()};
        channel.report("owner", ::fcntl(mine.get(), F_SETOWN_EX, &self) == 0 ? ::getpid() : -1);
    });
    ASSERT_EQ(outside.read("owner"), outside.pid());
    broker.observe();
    ASSERT_EQ(readings(), (std::vector<std::int64_t>{pidOf(a), outside.pid()}));
    const SocketState& taken = socketOf(conn);
    EXPECT_EQ(taken.registration.ownerPid.value(), outside.pid()); // the reading wins
    ASSERT_TRUE(taken.registrationHistory.back().observed);
    EXPECT_EQ(taken.registrationHistory.back().cancelled->owner, a);
    EXPECT_EQ(broker.state().disagreements.size(), disagreements)
        << "a change another process made is a reading, not a disagreement";

    outside.killLeaderOnly();
    broker.observe();
    // Whatever the kernel names now is what the state says, and still no disagreement.
    EXPECT_EQ(socketOf(conn).ownerRead->value(), ownerThrough(mine.get()));
    EXPECT_EQ(readings().back(), ownerThrough(mine.get()));
    EXPECT_EQ(broker.state().disagreements.size(), disagreements);
}

TEST_F(BrokerTest, NoDescriptorLeaksAfterAThousandDuplications) {
    const int brokerBefore = openFdCount(::getpid());
    const int aBefore = openFdCount(pidOf(a));
    const int bBefore = openFdCount(pidOf(b));
    for (int i = 0; i < 1000; ++i)
        broker.close(broker.duplicate(conn, b));
    EXPECT_EQ(openFdCount(::getpid()), brokerBefore);
    EXPECT_EQ(openFdCount(pidOf(a)), aBefore);
    EXPECT_EQ(openFdCount(pidOf(b)), bBefore);
    EXPECT_EQ(socketOf(conn).count, 1);
}

TEST_F(BrokerTest, DuplicatingWithinOneProcessUsesDup) {
    const DescriptorRef copy = broker.duplicate(conn, a);
    EXPECT_EQ(copy.process, a);
    EXPECT_NE(copy.handle, conn.handle);
    EXPECT_EQ(fdsNaming(pidOf(a), socketOf(conn).identity), 2);
    EXPECT_EQ(broker.state().duplications.begin()->second.mechanism,
              DuplicationMechanism::DupInProcess);
}

TEST_F(BrokerTest, HandOffLeavesOnlyTheTargetHolding) {
    const DescriptorRef moved = broker.handOff(conn, b);
    EXPECT_FALSE(broker.state().descriptor(conn)->open);
    EXPECT_EQ(fdsNaming(pidOf(a), socketOf(moved).identity), 0);
    EXPECT_EQ(fdsNaming(pidOf(b), socketOf(moved).identity), 1);
    EXPECT_EQ(socketOf(moved).count, 1);
}

TEST_F(BrokerTest, AFailedCallIsASentenceWithTheCodeAndTheSessionGoesOn) {
    const std::vector<DescriptorRef> udp = broker.createSocket(a, SocketKind::Udp);
    try {
        broker.setOption(udp[0], SocketOption::TcpNoDelay, 1);
        FAIL() << "TCP_NODELAY on UDP succeeded";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "ENOPROTOOPT");
        EXPECT_NE(std::string(error.what()).find("setsockopt(TCP_NODELAY)"), std::string::npos)
            << error.what();
    }
    const JournalEntry& last = broker.journal().entries().back();
    ASSERT_TRUE(std::holds_alternative<entry::CommandFailed>(last.payload));
    EXPECT_EQ(broker.setOption(conn, SocketOption::TcpNoDelay, 1), 1);
}

TEST_F(BrokerTest, ASecondThreadUsesTheSameDescriptorWithoutDuplicating) {
    broker.send(conn, "one ", false);
    broker.send(conn, "two", true);
    const JournalEntry* sent = nullptr;
    for (const JournalEntry& entry : broker.journal().entries()) {
        if (std::holds_alternative<entry::DataSent>(entry.payload))
            sent = &entry;
    }
    ASSERT_NE(sent, nullptr);
    const auto& fromThread = std::get<entry::DataSent>(sent->payload);
    EXPECT_TRUE(fromThread.secondThread);
    EXPECT_NE(fromThread.thread, pidOf(a)); // the main thread's tid is the pid (C2)
    EXPECT_GT(fromThread.thread, 0);
    EXPECT_EQ(socketOf(conn).count, 1);
    EXPECT_EQ(fdsNaming(pidOf(a), socketOf(conn).identity), 1);
    EXPECT_EQ(broker.receive(peer, 100), "one two");
}

TEST_F(BrokerTest, AWakeFdEndsAPumpEarly) {
    const platform::UniqueFd wake(::eventfd(1, EFD_CLOEXEC)); // already signalled
    broker.setWakeFd(wake.get());
    // Without the wake the pump would last its whole 5 s, and the bound below fails.
    const auto start = std::chrono::steady_clock::now();
    broker.pump(5s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}
