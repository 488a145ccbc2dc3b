// State fold of event registrations and owners (C7): who holds one, who cancelled whom.
#include "state_fold_builders.h"

#include <gtest/gtest.h>

namespace socklens {
namespace {

using namespace socklens::state_fold_builders;

TEST(StateFold, FirstRegistrationCancelsNothing) {
    Entries entries;
    sharedConnection(entries);
    const Sequence made = entries.add(
        entry::RegistrationMade{kConn, kCreatorConn, FdRead, RegistrationMechanism::FcntlSetOwn});
    const State state = entries.fold();

    const SocketState* socket = state.socket(kConn);
    EXPECT_EQ(socket->registration.owner, kCreator);
    EXPECT_EQ(socket->registration.ownerPid, kCreatorPid);
    EXPECT_EQ(socket->registration.through, kCreatorConn);
    EXPECT_EQ(socket->registration.mask, EventMask(FdRead));
    EXPECT_EQ(socket->registration.mechanism, RegistrationMechanism::FcntlSetOwn);
    EXPECT_EQ(socket->registration.at, made);
    ASSERT_EQ(socket->registrationHistory.size(), 1u);
    EXPECT_FALSE(socket->registrationHistory[0].cancelled.has_value());
    EXPECT_FALSE(socket->registrationHistory[0].observed);
    EXPECT_EQ(str(socket->registrationHistory[0].registration), str(socket->registration));
}

TEST(StateFold, RegistrationByAnotherProcessCancelsThePreviousOne) {
    Entries entries;
    sharedConnection(entries);
    const Sequence byCreator = entries.add(entry::RegistrationMade{
        kConn, kCreatorConn, FdRead, RegistrationMechanism::WsaEventSelect});
    const Sequence byWorker = entries.add(entry::RegistrationMade{
        kConn, kWorkerConn, FdWrite, RegistrationMechanism::WsaAsyncSelect});
    const State state = entries.fold();

    const SocketState* socket = state.socket(kConn);
    ASSERT_EQ(socket->registrationHistory.size(), 2u);
    const RegistrationChange& change = socket->registrationHistory[1];
    EXPECT_FALSE(change.observed);
    EXPECT_EQ(change.registration.owner, kWorker);
    EXPECT_EQ(change.registration.ownerPid, kWorkerPid);
    EXPECT_EQ(change.registration.through, kWorkerConn);
    EXPECT_EQ(change.registration.mask, EventMask(FdWrite));
    EXPECT_EQ(change.registration.mechanism, RegistrationMechanism::WsaAsyncSelect);
    EXPECT_EQ(change.registration.at, byWorker);

    ASSERT_TRUE(change.cancelled.has_value());
    EXPECT_EQ(change.cancelled->owner, kCreator);
    EXPECT_EQ(change.cancelled->ownerPid, kCreatorPid);
    EXPECT_EQ(change.cancelled->through, kCreatorConn);
    EXPECT_EQ(change.cancelled->mask, EventMask(FdRead));
    EXPECT_EQ(change.cancelled->mechanism, RegistrationMechanism::WsaEventSelect);
    EXPECT_EQ(change.cancelled->at, byCreator);

    // The socket's current registration is the worker's; the other socket has none.
    EXPECT_EQ(str(socket->registration), str(change.registration));
    EXPECT_TRUE(state.socket(kPeer)->registrationHistory.empty());
}

TEST(StateFold, RegistrationWithAnEmptyMaskLeavesNobodyHoldingIt) {
    Entries entries;
    sharedConnection(entries);
    entries.add(
        entry::RegistrationMade{kConn, kCreatorConn, FdRead, RegistrationMechanism::FcntlSetOwn});
    const Sequence cancel = entries.add(
        entry::RegistrationMade{kConn, kWorkerConn, 0, RegistrationMechanism::FcntlSetOwn});
    const State state = entries.fold();

    const SocketState* socket = state.socket(kConn);
    EXPECT_FALSE(socket->registration.owner.valid());
    EXPECT_FALSE(socket->registration.ownerPid.valid());
    EXPECT_EQ(socket->registration.mask, EventMask(0));
    EXPECT_EQ(socket->registration.at, cancel);
    ASSERT_EQ(socket->registrationHistory.size(), 2u);
    ASSERT_TRUE(socket->registrationHistory[1].cancelled.has_value());
    EXPECT_EQ(socket->registrationHistory[1].cancelled->owner, kCreator);
}

TEST(StateFold, OwnerObservedNamingTheSameOwnerAddsNoHistory) {
    Entries entries;
    sharedConnection(entries);
    const Sequence made = entries.add(
        entry::RegistrationMade{kConn, kCreatorConn, FdRead, RegistrationMechanism::FcntlSetOwn});
    const std::string before = summarize(entries.fold());
    // Read through the other descriptor: the owner lives in the socket, so it is the same.
    entries.add(entry::OwnerObserved{kConn, kWorkerConn, kCreatorPid, kCreator});
    entries.add(entry::OwnerObserved{kConn, kCreatorConn, kCreatorPid, kCreator});
    State state = entries.fold();

    const SocketState* socket = state.socket(kConn);
    EXPECT_EQ(socket->registrationHistory.size(), 1u);
    EXPECT_EQ(socket->registration.at, made);
    EXPECT_EQ(socket->registration.mask, EventMask(FdRead));
    state.last = made;
    EXPECT_EQ(summarize(state), before);
}

TEST(StateFold, OwnerObservedNamingAnotherOwnerAddsAnObservedChange) {
    Entries entries;
    sharedConnection(entries);
    const Sequence made = entries.add(
        entry::RegistrationMade{kConn, kCreatorConn, FdRead, RegistrationMechanism::FcntlSetOwn});
    const Sequence seen =
        entries.add(entry::OwnerObserved{kConn, kWorkerConn, kWorkerPid, kWorker});
    State state = entries.fold();

    const SocketState* socket = state.socket(kConn);
    ASSERT_EQ(socket->registrationHistory.size(), 2u);
    const RegistrationChange& change = socket->registrationHistory[1];
    EXPECT_TRUE(change.observed);
    EXPECT_EQ(change.registration.owner, kWorker);
    EXPECT_EQ(change.registration.ownerPid, kWorkerPid);
    EXPECT_EQ(change.registration.through, kWorkerConn);
    EXPECT_EQ(change.registration.at, seen);
    ASSERT_TRUE(change.cancelled.has_value());
    EXPECT_EQ(change.cancelled->owner, kCreator);
    EXPECT_EQ(change.cancelled->at, made);
    EXPECT_EQ(socket->registration.owner, kWorker);
    EXPECT_EQ(socket->registration.at, seen);

    // An owner outside the session: a pid and no process; then the same again adds nothing.
    const Sequence outsider =
        entries.add(entry::OwnerObserved{kConn, kCreatorConn, OsPid(4242), ProcessId()});
    entries.add(entry::OwnerObserved{kConn, kWorkerConn, OsPid(4242), ProcessId()});
    state = entries.fold();
    socket = state.socket(kConn);
    ASSERT_EQ(socket->registrationHistory.size(), 3u);
    EXPECT_TRUE(socket->registrationHistory[2].observed);
    EXPECT_FALSE(socket->registration.owner.valid());
    EXPECT_EQ(socket->registration.ownerPid, OsPid(4242));
    EXPECT_EQ(socket->registration.at, outsider);
    ASSERT_TRUE(socket->registrationHistory[2].cancelled.has_value());
    EXPECT_EQ(socket->registrationHistory[2].cancelled->owner, kWorker);
}

TEST(StateFold, OwnerObservedWithNobodyRegisteredAddsNothing) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OwnerObserved{kConn, kCreatorConn, OsPid(), ProcessId()});
    const State state = entries.fold();
    EXPECT_TRUE(state.socket(kConn)->registrationHistory.empty());
    EXPECT_FALSE(state.socket(kConn)->registration.owner.valid());
}

} // namespace
} // namespace socklens
