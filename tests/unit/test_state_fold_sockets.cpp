// State fold of sockets and their counts: identities, count and holder readings, open/closed.
#include "state_fold_builders.h"

#include <gtest/gtest.h>
#include <optional>

namespace socklens {
namespace {

using namespace socklens::state_fold_builders;

TEST(StateFold, SocketIdentifiedRecordsEveryField) {
    Entries entries;
    entries.add(identified(kConn, 555));
    const State state = entries.fold();

    const SocketState* socket = state.socket(kConn);
    ASSERT_NE(socket, nullptr);
    EXPECT_EQ(socket->id, kConn);
    EXPECT_EQ(socket->identity, 555u);
    EXPECT_EQ(socket->kind, "TCP connected");
    EXPECT_EQ(socket->family, 2);
    EXPECT_EQ(socket->type, 1);
    EXPECT_EQ(socket->protocol, 6);
    EXPECT_EQ(socket->local, "127.0.0.1:4711");
    EXPECT_EQ(socket->peer, "127.0.0.1:50022");
    EXPECT_EQ(socket->tcpState, "ESTABLISHED");
    EXPECT_TRUE(socket->open);
    EXPECT_TRUE(socket->countHistory.empty());
    EXPECT_FALSE(socket->registration.owner.valid());
    EXPECT_EQ(state.socket(kPeer), nullptr);
}

TEST(StateFold, SocketWithIdentityFindsTheSocketOfAnInode) {
    Entries entries;
    entries.add(identified(kConn, 555));
    entries.add(identified(kPeer, 556));
    const State state = entries.fold();

    EXPECT_EQ(state.socketWithIdentity(555), kConn);
    EXPECT_EQ(state.socketWithIdentity(556), kPeer);
    EXPECT_EQ(state.socketWithIdentity(557), std::nullopt);
}

TEST(StateFold, ASocketTheKernelStillListsStaysOpenWithNoDescriptorUntilItIsGone) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::CountObserved{kConn, 1, 0, {{kCreator, kCreatorPid, Handle(5)}}});
    // Read before the zero count is journaled: the socket never looks closed meanwhile.
    const Sequence listed =
        entries.add(entry::SocketLifetimeObserved{kConn, true, "ESTABLISHED", {}});
    entries.add(entry::CountObserved{kConn, 0, 0, {}});
    State state = entries.fold();
    const SocketState* socket = state.socket(kConn);
    EXPECT_TRUE(socket->open);
    EXPECT_TRUE(socket->withoutDescriptor);
    EXPECT_EQ(socket->count, 0);
    EXPECT_EQ(socket->lifetimeAt, listed);
    EXPECT_TRUE(socket->countHistory.back().withoutDescriptor);

    // A process received it: held again, an ordinary open socket.
    entries.add(entry::CountObserved{kConn, 1, 0, {{kWorker, kWorkerPid, Handle(9)}}});
    state = entries.fold();
    EXPECT_TRUE(state.socket(kConn)->open);
    EXPECT_FALSE(state.socket(kConn)->withoutDescriptor);

    // Its last descriptor closed and the kernel no longer lists it: closed.
    entries.add(entry::SocketLifetimeObserved{kConn, false, {}, {}});
    entries.add(entry::CountObserved{kConn, 0, 0, {}});
    state = entries.fold();
    EXPECT_FALSE(state.socket(kConn)->open);
    EXPECT_FALSE(state.socket(kConn)->withoutDescriptor);
    EXPECT_FALSE(state.socket(kConn)->countHistory.back().withoutDescriptor);
}

TEST(StateFold, AProcessThatExitsLeavesEveryCountAndHolderListAtOnce) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::CountObserved{
        kConn, 2, 0, {{kCreator, kCreatorPid, Handle(5)}, {kWorker, kWorkerPid, Handle(7)}}});
    const Sequence exited = entries.add(entry::ProcessExited{kWorker, "killed by signal 9"});
    const State state = entries.fold();
    const SocketState* socket = state.socket(kConn);
    EXPECT_EQ(socket->count, 1);
    ASSERT_EQ(socket->holders.size(), 1u);
    EXPECT_EQ(socket->holders[0].process, kCreator);
    EXPECT_EQ(socket->countHistory.back().at, exited);
    EXPECT_EQ(socket->countHistory.back().count, 1);
    EXPECT_TRUE(socket->open) << "whether the socket outlived it is the next observation's";
}

TEST(StateFold, OwnerReadingsConfirmOrReplaceTheRegistration) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::RegistrationMade{kConn, kCreatorConn, FdRead, {}});
    const Sequence confirmed =
        entries.add(entry::OwnerObserved{kConn, kCreatorConn, kCreatorPid, kCreator});
    State state = entries.fold();
    EXPECT_EQ(state.socket(kConn)->registration.readAt, confirmed);
    EXPECT_EQ(state.socket(kConn)->registrationHistory.size(), 1u) << "a confirmation is no change";
    EXPECT_EQ(state.socket(kConn)->ownerRead, kCreatorPid);

    // An outside owner, then its exit (the kernel then names nobody).
    entries.add(entry::OwnerObserved{kConn, kCreatorConn, OsPid(999), {}});
    const Sequence gone = entries.add(entry::OwnerObserved{kConn, kCreatorConn, OsPid(0), {}});
    state = entries.fold();
    EXPECT_EQ(state.socket(kConn)->registrationHistory.size(), 3u);
    EXPECT_TRUE(state.socket(kConn)->registrationHistory.back().observed);
    EXPECT_EQ(state.socket(kConn)->ownerRead, OsPid(0));
    EXPECT_EQ(state.socket(kConn)->ownerReadAt, gone);
}

TEST(StateFold, CountObservedKeepsHistoryAndOpensAndClosesTheSocket) {
    Entries entries;
    sharedConnection(entries);
    const Sequence one =
        entries.add(entry::CountObserved{kConn, 1, 0, {{kCreator, kCreatorPid, Handle(5)}}});
    const Sequence inFlight =
        entries.add(entry::CountObserved{kConn, 1, 1, {{kCreator, kCreatorPid, Handle(5)}}});
    const Sequence two = entries.add(entry::CountObserved{
        kConn, 2, 0, {{kCreator, kCreatorPid, Handle(5)}, {kWorker, kWorkerPid, Handle(7)}}});

    State state = entries.fold();
    const SocketState* socket = state.socket(kConn);
    EXPECT_TRUE(socket->open);
    EXPECT_EQ(socket->count, 2);
    EXPECT_EQ(socket->inFlight, 0);
    ASSERT_EQ(socket->holders.size(), 2u);
    EXPECT_EQ(socket->holders[1], (entry::Holder{kWorker, kWorkerPid, Handle(7)}));
    ASSERT_EQ(socket->countHistory.size(), 3u);
    const JournalEntry& inFlightEntry = entries.all()[inFlight.value() - 1];
    EXPECT_EQ(socket->countHistory[0].at, one);
    EXPECT_EQ(socket->countHistory[0].count, 1);
    EXPECT_EQ(socket->countHistory[1].at, inFlight);
    EXPECT_EQ(socket->countHistory[1].timeUs, inFlightEntry.timeUs);
    EXPECT_EQ(socket->countHistory[1].count, 1);
    EXPECT_EQ(socket->countHistory[1].inFlight, 1);
    EXPECT_EQ(socket->countHistory[2].at, two);
    EXPECT_EQ(socket->countHistory[2].count, 2);
    // Counts are observations only: they leave the identification alone.
    EXPECT_EQ(socket->identity, 555u);
    EXPECT_EQ(socket->tcpState, "ESTABLISHED");

    // A reference only in flight keeps the socket open; nothing at all closes it.
    entries.add(entry::CountObserved{kConn, 0, 1, {}});
    state = entries.fold();
    EXPECT_TRUE(state.socket(kConn)->open);
    EXPECT_TRUE(state.socket(kConn)->holders.empty());
    entries.add(entry::CountObserved{kConn, 0, 0, {}});
    state = entries.fold();
    EXPECT_FALSE(state.socket(kConn)->open);
    EXPECT_EQ(state.socket(kConn)->countHistory.size(), 5u);
    EXPECT_EQ(state.socket(kConn)->countHistory.back().count, 0);
    // The other socket was never counted.
    EXPECT_TRUE(state.socket(kPeer)->countHistory.empty());
}

TEST(StateFold, CountObservedAloneCreatesTheSocketWithItsId) {
    Entries entries;
    entries.add(entry::CountObserved{kPeer, 1, 0, {}});
    const State state = entries.fold();
    const SocketState* socket = state.socket(kPeer);
    ASSERT_NE(socket, nullptr);
    EXPECT_EQ(socket->id, kPeer);
    EXPECT_TRUE(socket->open);
    EXPECT_EQ(socket->count, 1);
}

} // namespace
} // namespace socklens
