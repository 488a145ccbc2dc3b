// State fold of what travels: delivered events, data sent and received, duplications.
#include "state_fold_builders.h"

#include <gtest/gtest.h>

namespace socklens {
namespace {

using namespace socklens::state_fold_builders;

TEST(StateFold, EventsAndDataTransfersAreAppendedInJournalOrder) {
    Entries entries;
    sharedConnection(entries);
    const Sequence sent = entries.add(entry::DataSent{kCreatorPeer, "ping"});
    const Sequence event =
        entries.add(entry::EventDelivered{kWorkerConn, kConn, FdRead, FdRead, 1});
    const Sequence received =
        entries.add(entry::DataReceived{kWorkerConn, std::string("pi\0ng", 5)});
    const Sequence second = entries.add(entry::EventDelivered{kCreatorConn, kConn, FdWrite, 3, 4});
    const State state = entries.fold();

    ASSERT_EQ(state.events.size(), 2u);
    EXPECT_EQ(state.events[0].at, event);
    EXPECT_EQ(state.events[0].timeUs, entries.all()[event.value() - 1].timeUs);
    EXPECT_EQ(state.events[0].descriptor, kWorkerConn);
    EXPECT_EQ(state.events[0].socket, kConn);
    EXPECT_EQ(state.events[0].events, EventMask(FdRead));
    EXPECT_EQ(state.events[0].registered, EventMask(FdRead));
    EXPECT_EQ(state.events[1].at, second);
    EXPECT_EQ(state.events[1].descriptor, kCreatorConn);
    EXPECT_EQ(state.events[1].events, EventMask(FdWrite));
    EXPECT_EQ(state.events[1].registered, EventMask(FdRead | FdWrite));

    ASSERT_EQ(state.transfers.size(), 2u);
    EXPECT_EQ(state.transfers[0].at, sent);
    EXPECT_EQ(state.transfers[0].descriptor, kCreatorPeer);
    EXPECT_TRUE(state.transfers[0].sent);
    EXPECT_EQ(state.transfers[0].bytes, "ping");
    EXPECT_EQ(state.transfers[1].at, received);
    EXPECT_EQ(state.transfers[1].descriptor, kWorkerConn);
    EXPECT_FALSE(state.transfers[1].sent);
    EXPECT_EQ(state.transfers[1].bytes, std::string("pi\0ng", 5));
}

TEST(StateFold, DuplicationRecordsStepsAndTheReferenceInFlight) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::DuplicationStarted{kDup, kConn, kCreatorConn, kWorker,
                                          DuplicationMechanism::WsaDuplicateSocket, true});
    const Sequence step4 = entries.add(
        entry::HandoffStep{kDup, 4, HandoffActor::Source, "WSADuplicateSocket", "pid 1002"});
    const Sequence step5 =
        entries.add(entry::HandoffStep{kDup, 5, HandoffActor::Broker, "pass info", "a1b2"});
    entries.add(entry::ReferenceInFlight{kDup, kConn});
    State state = entries.fold();

    const DuplicationState* duplication = &state.duplications.at(kDup);
    EXPECT_EQ(duplication->id, kDup);
    EXPECT_EQ(duplication->socket, kConn);
    EXPECT_EQ(duplication->source, kCreatorConn);
    EXPECT_EQ(duplication->target, kWorker);
    EXPECT_EQ(duplication->mechanism, DuplicationMechanism::WsaDuplicateSocket);
    EXPECT_TRUE(duplication->handOff);
    EXPECT_TRUE(duplication->inFlight);
    EXPECT_FALSE(duplication->finished);
    ASSERT_EQ(duplication->steps.size(), 2u);
    EXPECT_EQ(duplication->steps[0].at, step4);
    EXPECT_EQ(duplication->steps[0].timeUs, entries.all()[step4.value() - 1].timeUs);
    EXPECT_EQ(duplication->steps[0].step, 4);
    EXPECT_EQ(duplication->steps[0].actor, HandoffActor::Source);
    EXPECT_EQ(duplication->steps[0].text, "WSADuplicateSocket");
    EXPECT_EQ(duplication->steps[0].detail, "pid 1002");
    EXPECT_EQ(duplication->steps[1].at, step5);
    EXPECT_EQ(duplication->steps[1].step, 5);
    EXPECT_EQ(duplication->steps[1].actor, HandoffActor::Broker);

    entries.add(entry::HandoffStep{kDup, 7, HandoffActor::Target, "WSASocket", ""});
    entries.add(entry::DuplicationFinished{kDup, kWorkerConn, ""});
    state = entries.fold();
    duplication = &state.duplications.at(kDup);
    EXPECT_FALSE(duplication->inFlight) << "the reference landed: no longer in flight";
    EXPECT_TRUE(duplication->finished);
    EXPECT_EQ(duplication->result, kWorkerConn);
    EXPECT_EQ(duplication->failure, "");
    EXPECT_EQ(duplication->steps.size(), 3u);
}

TEST(StateFold, FailedDuplicationRecordsTheFailure) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::DuplicationStarted{DuplicationId(2), kPeer, kCreatorPeer, kWorker,
                                          DuplicationMechanism::ScmRights, false});
    entries.add(entry::ReferenceInFlight{DuplicationId(2), kPeer});
    entries.add(entry::DuplicationFinished{DuplicationId(2), DescriptorRef{}, "EBADF: not open"});
    const State state = entries.fold();

    const DuplicationState& duplication = state.duplications.at(DuplicationId(2));
    EXPECT_FALSE(duplication.inFlight);
    EXPECT_TRUE(duplication.finished);
    EXPECT_FALSE(duplication.result.process.valid());
    EXPECT_EQ(duplication.failure, "EBADF: not open");
    EXPECT_FALSE(duplication.handOff);
    EXPECT_EQ(state.duplications.size(), 1u);
}

} // namespace
} // namespace socklens
