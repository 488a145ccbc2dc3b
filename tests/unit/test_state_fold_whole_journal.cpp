// State fold of whole journals: empty, one touching every entry type, fold versus apply.
#include "state_fold_builders.h"

#include <cstddef>
#include <gtest/gtest.h>
#include <span>
#include <vector>

namespace socklens {
namespace {

using namespace socklens::state_fold_builders;

/// A journal touching every entry type, in a plausible order.
std::vector<JournalEntry> fullSession() {
    Entries entries;
    entries.add(entry::CommandIssued{"create creator tcp-pair"});
    entries.add(started(kCreator, kCreatorPid, "creator"));
    entries.add(started(kWorker, kWorkerPid, "worker"));
    entries.add(identified(kConn, 555));
    entries.add(entry::DescriptorOpened{kCreatorConn, kConn, DescriptorOrigin::Created});
    entries.add(identified(kPeer, 556));
    entries.add(entry::DescriptorOpened{kCreatorPeer, kPeer, DescriptorOrigin::Created});
    entries.add(entry::CountObserved{kConn, 1, 0, {{kCreator, kCreatorPid, Handle(5)}}});
    entries.add(entry::DuplicationStarted{kDup, kConn, kCreatorConn, kWorker,
                                          DuplicationMechanism::ScmRights, false});
    entries.add(entry::HandoffStep{kDup, 4, HandoffActor::Source, "sendmsg SCM_RIGHTS", "fd 5"});
    entries.add(entry::ReferenceInFlight{kDup, kConn});
    entries.add(entry::CountObserved{kConn, 1, 1, {{kCreator, kCreatorPid, Handle(5)}}});
    entries.add(entry::HandoffStep{kDup, 6, HandoffActor::Target, "recvmsg", "fd 7"});
    entries.add(entry::DescriptorOpened{kWorkerConn, kConn, DescriptorOrigin::Duplicated});
    entries.add(entry::DuplicationFinished{kDup, kWorkerConn, ""});
    entries.add(entry::CountObserved{
        kConn, 2, 0, {{kCreator, kCreatorPid, Handle(5)}, {kWorker, kWorkerPid, Handle(7)}}});
    entries.add(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 12345, 24690});
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 24690, 0});
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::TcpNoDelay, 0, 92});
    entries.add(
        entry::RegistrationMade{kConn, kCreatorConn, FdRead, RegistrationMechanism::FcntlSetOwn});
    entries.add(entry::OwnerObserved{kConn, kWorkerConn, kCreatorPid, kCreator});
    entries.add(
        entry::RegistrationMade{kConn, kWorkerConn, FdWrite, RegistrationMechanism::FcntlSetOwn});
    entries.add(entry::OwnerObserved{kConn, kCreatorConn, OsPid(4242), ProcessId()});
    entries.add(entry::DataSent{kCreatorPeer, "probe"});
    entries.add(entry::EventDelivered{kWorkerConn, kConn, FdRead, FdWrite, 1});
    entries.add(entry::DataReceived{kWorkerConn, "probe"});
    entries.add(entry::Disagreement{"count of S1", "2", "1"});
    entries.add(entry::ScenarioStarted{"handoff", "builtin:handoff"});
    entries.add(entry::StepStarted{12, "close conn", {"C6", "C11"}});
    entries.add(entry::DescriptorClosed{kCreatorConn, DescriptorEnd::Closed});
    entries.add(entry::CountObserved{kConn, 1, 0, {{kWorker, kWorkerPid, Handle(7)}}});
    entries.add(entry::StepFinished{12, true, "closed", {"C6", "C11"}, {Sequence(30)}});
    entries.add(entry::ProcessExited{kWorker, "killed by signal 9 (SIGKILL)"});
    entries.add(entry::CountObserved{kConn, 0, 0, {}});
    entries.add(entry::Problem{"a helper sent a bad frame"});
    entries.add(entry::CommandFailed{"close P1:99", "close", "EBADF", "P1:99 is not open"});
    entries.add(entry::ScenarioFinished{true, "all 1 steps passed"});
    return entries.all();
}

TEST(StateFold, EmptyJournalGivesAnEmptyState) {
    const State state = fold(std::span<const JournalEntry>{});
    EXPECT_FALSE(state.last.valid());
    EXPECT_TRUE(state.processes.empty());
    EXPECT_TRUE(state.descriptors.empty());
    EXPECT_TRUE(state.sockets.empty());
    EXPECT_TRUE(state.steps.empty());
    EXPECT_FALSE(state.scenarioResult.has_value());
}

TEST(StateFold, FullSessionEndsAsExpected) {
    const std::vector<JournalEntry> session = fullSession();
    const State state = fold(session);

    EXPECT_EQ(state.last, session.back().sequence);
    EXPECT_FALSE(state.process(kWorker)->alive);
    EXPECT_TRUE(state.process(kCreator)->alive);
    EXPECT_FALSE(state.descriptor(kCreatorConn)->open);
    EXPECT_EQ(state.descriptor(kCreatorConn)->end, DescriptorEnd::Closed);
    EXPECT_EQ(state.descriptor(kWorkerConn)->end, DescriptorEnd::ProcessExited);
    EXPECT_TRUE(state.descriptorsOf(kConn).empty());
    ASSERT_EQ(state.descriptorsOf(kPeer).size(), 1u);
    EXPECT_FALSE(state.socket(kConn)->open);
    // Five readings, and the worker's exit, which drops its holding at once.
    EXPECT_EQ(state.socket(kConn)->countHistory.size(), 6u);
    EXPECT_EQ(state.socket(kConn)->registrationHistory.size(), 3u);
    EXPECT_EQ(state.socket(kConn)->registration.ownerPid, OsPid(4242));
    EXPECT_TRUE(state.duplications.at(kDup).finished);
    EXPECT_EQ(state.events.size(), 1u);
    EXPECT_EQ(state.transfers.size(), 2u);
    EXPECT_EQ(state.disagreements.size(), 1u);
    EXPECT_EQ(state.steps.size(), 1u);
    ASSERT_TRUE(state.scenarioResult.has_value());
    EXPECT_TRUE(state.scenarioResult->passed);
}

TEST(StateFold, FoldEqualsApplyingEntriesOneByOne) {
    const std::vector<JournalEntry> session = fullSession();
    State incremental;
    for (std::size_t i = 0; i < session.size(); ++i) {
        apply(incremental, session[i]);
        // Every prefix: the state after entry i is the fold of entries 1..i.
        const State folded = fold(std::span<const JournalEntry>(session).first(i + 1));
        ASSERT_EQ(summarize(incremental), summarize(folded)) << "after entry " << i + 1;
        EXPECT_EQ(incremental.last, session[i].sequence);
    }
    EXPECT_EQ(summarize(incremental), summarize(fold(session)));
}

TEST(StateFold, FoldIsDeterministic) {
    const std::vector<JournalEntry> session = fullSession();
    EXPECT_EQ(summarize(fold(session)), summarize(fold(session)));
}

} // namespace
} // namespace socklens
