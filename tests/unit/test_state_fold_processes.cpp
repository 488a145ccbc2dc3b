// State fold of processes and descriptors: starts, exits, opens, closes, reused handles/pids.
#include "state_fold_builders.h"

#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

namespace socklens {
namespace {

using namespace socklens::state_fold_builders;

TEST(StateFold, ProcessStartedRecordsEveryField) {
    Entries entries;
    entries.add(entry::ProcessStarted{kCreator, kCreatorPid, "creator", Platform::WinsockWine,
                                      false, "Wine 8.0"});
    const State state = entries.fold();

    const ProcessState* process = state.process(kCreator);
    ASSERT_NE(process, nullptr);
    EXPECT_EQ(process->id, kCreator);
    EXPECT_EQ(process->pid, kCreatorPid);
    EXPECT_EQ(process->name, "creator");
    EXPECT_EQ(process->platform, Platform::WinsockWine);
    EXPECT_FALSE(process->helper);
    EXPECT_TRUE(process->alive);
    EXPECT_EQ(process->exitReason, "");
    EXPECT_EQ(process->osVersion, "Wine 8.0");
    EXPECT_EQ(state.process(kWorker), nullptr);
}

TEST(StateFold, DescriptorOpenedRecordsSocketHowAndSequence) {
    Entries entries;
    sharedConnection(entries);
    const State state = entries.fold();

    const DescriptorState* worker = state.descriptor(kWorkerConn);
    ASSERT_NE(worker, nullptr);
    EXPECT_EQ(worker->ref, kWorkerConn);
    EXPECT_EQ(worker->socket, kConn);
    EXPECT_TRUE(worker->open);
    EXPECT_EQ(worker->origin, DescriptorOrigin::Duplicated);
    EXPECT_EQ(worker->openedAt, Sequence(7));
    EXPECT_FALSE(worker->closedAt.valid());
    EXPECT_TRUE(worker->options.empty());
    EXPECT_EQ(state.descriptor(DescriptorRef{kWorker, Handle(99)}), nullptr);
}

TEST(StateFold, ProcessExitClosesItsDescriptorsAndTheSocketKeepsItsOtherHolders) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::CountObserved{
        kConn, 2, 0, {{kCreator, kCreatorPid, Handle(5)}, {kWorker, kWorkerPid, Handle(7)}}});
    const Sequence exited = entries.add(entry::ProcessExited{kCreator, "killed by signal 9"});
    State state = entries.fold();

    const ProcessState* creator = state.process(kCreator);
    ASSERT_NE(creator, nullptr);
    EXPECT_FALSE(creator->alive);
    EXPECT_EQ(creator->exitReason, "killed by signal 9");
    EXPECT_TRUE(state.process(kWorker)->alive);

    // Both of the creator's descriptors went with it, each marked as closed by the exit.
    for (const DescriptorRef& ref : {kCreatorConn, kCreatorPeer}) {
        const DescriptorState* descriptor = state.descriptor(ref);
        ASSERT_NE(descriptor, nullptr) << str(ref);
        EXPECT_FALSE(descriptor->open) << str(ref);
        EXPECT_EQ(descriptor->end, DescriptorEnd::ProcessExited) << str(ref);
        EXPECT_EQ(descriptor->closedAt, exited) << str(ref);
    }
    // The worker's descriptor of the same socket lives on; so does the socket (C6).
    EXPECT_TRUE(state.descriptor(kWorkerConn)->open);
    const auto conn = state.descriptorsOf(kConn);
    ASSERT_EQ(conn.size(), 1u);
    EXPECT_EQ(conn[0]->ref, kWorkerConn);
    EXPECT_TRUE(state.descriptorsOf(kPeer).empty());
    EXPECT_TRUE(state.socket(kConn)->open);

    // The next observation shows only the worker holding it, and the socket still open.
    entries.add(entry::CountObserved{kConn, 1, 0, {{kWorker, kWorkerPid, Handle(7)}}});
    state = entries.fold();
    const SocketState* socket = state.socket(kConn);
    EXPECT_TRUE(socket->open);
    EXPECT_EQ(socket->count, 1);
    ASSERT_EQ(socket->holders.size(), 1u);
    EXPECT_EQ(socket->holders[0].process, kWorker);
    EXPECT_EQ(socket->holders[0].handle, Handle(7));
}

TEST(StateFold, ProcessExitKeepsHowADescriptorClosedEarlier) {
    Entries entries;
    sharedConnection(entries);
    const Sequence closed =
        entries.add(entry::DescriptorClosed{kCreatorPeer, DescriptorEnd::Closed});
    entries.add(entry::ProcessExited{kCreator, "exited with 0"});
    const State state = entries.fold();

    const DescriptorState* peer = state.descriptor(kCreatorPeer);
    EXPECT_FALSE(peer->open);
    EXPECT_EQ(peer->end, DescriptorEnd::Closed);
    EXPECT_EQ(peer->closedAt, closed);
}

TEST(StateFold, ExitOfAnUnknownProcessChangesNothing) {
    Entries entries;
    sharedConnection(entries);
    const std::string before = summarize(entries.fold());
    entries.add(entry::ProcessExited{kThird, "exited with 0"});
    State state = entries.fold();
    EXPECT_EQ(state.process(kThird), nullptr);
    state.last = Sequence(7);
    EXPECT_EQ(summarize(state), before);
}

TEST(StateFold, DescriptorClosedKeepsTheFirstClose) {
    Entries entries;
    sharedConnection(entries);
    const Sequence first =
        entries.add(entry::DescriptorClosed{kCreatorConn, DescriptorEnd::Closed});
    entries.add(entry::DescriptorClosed{kCreatorConn, DescriptorEnd::ObservedGone});
    const State state = entries.fold();

    const DescriptorState* conn = state.descriptor(kCreatorConn);
    EXPECT_FALSE(conn->open);
    EXPECT_EQ(conn->end, DescriptorEnd::Closed);
    EXPECT_EQ(conn->closedAt, first);
    EXPECT_EQ(conn->openedAt, Sequence(4));
}

TEST(StateFold, AReusedHandleStartsAFreshDescriptor) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OptionSet{kCreatorConn, SocketOption::SndBuf, 4096, 8192});
    entries.add(entry::DescriptorClosed{kCreatorConn, DescriptorEnd::Closed});
    const Sequence reopened =
        entries.add(entry::DescriptorOpened{kCreatorConn, kPeer, DescriptorOrigin::Dup});
    const State state = entries.fold();

    const DescriptorState* conn = state.descriptor(kCreatorConn);
    EXPECT_TRUE(conn->open);
    EXPECT_EQ(conn->socket, kPeer);
    EXPECT_EQ(conn->origin, DescriptorOrigin::Dup);
    EXPECT_EQ(conn->openedAt, reopened);
    EXPECT_FALSE(conn->closedAt.valid());
    EXPECT_TRUE(conn->options.empty());
    ASSERT_EQ(state.descriptorsOf(kConn).size(), 1u);
    EXPECT_EQ(state.descriptorsOf(kPeer).size(), 2u);
}

TEST(StateFold, DescriptorsOfListsOnlyOpenOnesInProcessThenHandleOrder) {
    Entries entries;
    entries.add(started(kCreator, kCreatorPid, "creator"));
    entries.add(started(kWorker, kWorkerPid, "worker"));
    entries.add(identified(kConn, 555));
    // Opened out of order, to show the listing does not follow the journal.
    entries.add(entry::DescriptorOpened{DescriptorRef{kWorker, Handle(3)}, kConn,
                                        DescriptorOrigin::Duplicated});
    entries.add(
        entry::DescriptorOpened{DescriptorRef{kCreator, Handle(9)}, kConn, DescriptorOrigin::Dup});
    entries.add(entry::DescriptorOpened{DescriptorRef{kCreator, Handle(4)}, kConn,
                                        DescriptorOrigin::Created});
    entries.add(entry::DescriptorOpened{DescriptorRef{kWorker, Handle(8)}, kConn,
                                        DescriptorOrigin::Duplicated});
    entries.add(entry::DescriptorOpened{DescriptorRef{kWorker, Handle(1)}, kPeer,
                                        DescriptorOrigin::Created});
    entries.add(entry::DescriptorClosed{DescriptorRef{kCreator, Handle(9)}, DescriptorEnd::Closed});
    const State state = entries.fold();

    std::vector<DescriptorRef> listed;
    for (const DescriptorState* descriptor : state.descriptorsOf(kConn)) {
        EXPECT_TRUE(descriptor->open);
        EXPECT_EQ(descriptor->socket, kConn);
        listed.push_back(descriptor->ref);
    }
    const std::vector<DescriptorRef> expected{DescriptorRef{kCreator, Handle(4)},
                                              DescriptorRef{kWorker, Handle(3)},
                                              DescriptorRef{kWorker, Handle(8)}};
    EXPECT_EQ(listed, expected);
    EXPECT_TRUE(state.descriptorsOf(SocketId(77)).empty());
}

TEST(StateFold, ProcessWithPidPrefersTheLiveProcessWhenAPidWasReused) {
    Entries entries;
    entries.add(started(kCreator, OsPid(500), "first"));
    entries.add(entry::ProcessExited{kCreator, "exited with 0"});
    entries.add(started(kWorker, OsPid(500), "second"));
    // The live holder of a reused pid may also be numbered before the dead one.
    entries.add(started(kThird, OsPid(600), "live"));
    entries.add(started(ProcessId(4), OsPid(600), "dead"));
    entries.add(entry::ProcessExited{ProcessId(4), "exited with 1"});
    entries.add(started(ProcessId(5), OsPid(700), "gone"));
    entries.add(entry::ProcessExited{ProcessId(5), "exited with 0"});
    const State state = entries.fold();

    EXPECT_EQ(state.processWithPid(OsPid(500)), kWorker);
    EXPECT_EQ(state.processWithPid(OsPid(600)), kThird);
    EXPECT_EQ(state.processWithPid(OsPid(700)), ProcessId(5)) << "a dead process is still found";
    EXPECT_EQ(state.processWithPid(OsPid(800)), std::nullopt);
}

} // namespace
} // namespace socklens
