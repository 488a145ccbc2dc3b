// Whole journals: read back from JSON they fold to the same state; recorded order; descriptions.
#include "journal_json_samples.h"
#include "model/entry_text.h"
#include "model/journal.h"
#include "model/journal_json.h"
#include "model/state.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace socklens {
namespace {

using namespace socklens::journal_json_samples;
using nlohmann::json;

/// A short session touching the fold's main paths.
Journal session() {
    Journal journal;
    journal.append(
        entry::ProcessStarted{kCreator, kCreatorPid, "creator", Platform::Linux, true, "6.1"});
    journal.append(
        entry::ProcessStarted{kWorker, kWorkerPid, "worker", Platform::Linux, true, "6.1"});
    journal.append(entry::SocketIdentified{kConn, 777, SocketKindSeen::TcpConnected, 2, 1, 6,
                                           "127.0.0.1:1", "127.0.0.1:2", "ESTABLISHED"});
    journal.append(entry::DescriptorOpened{kCreatorConn, kConn, DescriptorOrigin::Created});
    journal.append(entry::DuplicationStarted{kDup, kConn, kCreatorConn, kWorker,
                                             DuplicationMechanism::ScmRights, false});
    journal.append(entry::HandoffStep{kDup, 4, HandoffActor::Source, "sendmsg", "fd 5"});
    journal.append(entry::ReferenceInFlight{kDup, kConn});
    journal.append(entry::CountObserved{kConn, 1, 1, {{kCreator, kCreatorPid, Handle(5)}}});
    journal.append(entry::DescriptorOpened{kWorkerConn, kConn, DescriptorOrigin::Duplicated});
    journal.append(entry::DuplicationFinished{kDup, kWorkerConn, ""});
    journal.append(entry::CountObserved{
        kConn, 2, 0, {{kCreator, kCreatorPid, Handle(5)}, {kWorker, kWorkerPid, Handle(7)}}});
    journal.append(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 12345, 24690});
    journal.append(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 24690, 0});
    journal.append(
        entry::RegistrationMade{kConn, kCreatorConn, FdRead, RegistrationMechanism::FcntlSetOwn});
    journal.append(
        entry::RegistrationMade{kConn, kWorkerConn, FdWrite, RegistrationMechanism::FcntlSetOwn});
    journal.append(entry::OwnerObserved{kConn, kCreatorConn, OsPid(4242), ProcessId()});
    journal.append(entry::EventDelivered{kWorkerConn, kConn, FdRead, FdWrite, 1});
    journal.append(entry::DataSent{kCreatorConn, "ping"});
    journal.append(entry::DataReceived{kWorkerConn, "ping"});
    journal.append(entry::Disagreement{"owner of S3", "worker", "pid 4242"});
    journal.append(entry::StepStarted{3, "close conn", {"C6"}});
    journal.append(entry::DescriptorClosed{kCreatorConn, DescriptorEnd::Closed});
    journal.append(entry::StepFinished{3, true, "closed", {"C6"}, {Sequence(22)}});
    journal.append(entry::ProcessExited{kWorker, "killed by signal 9 (SIGKILL)"});
    journal.append(entry::CountObserved{kConn, 0, 0, {}});
    journal.append(entry::ScenarioFinished{true, "all steps passed"});
    return journal;
}

TEST(JournalJson, FoldingTheJsonRoundTripGivesTheSameState) {
    const Journal original = session();
    std::ostringstream file;
    for (const JournalEntry& entry : original.entries())
        file << toJson(entry).dump() << '\n';

    Journal reread;
    std::istringstream lines(file.str());
    for (std::string line; std::getline(lines, line);)
        reread.appendRecorded(journalEntryFromJson(json::parse(line)));
    ASSERT_EQ(reread.entries().size(), original.entries().size());

    const State before = fold(original.entries());
    const State after = fold(reread.entries());
    EXPECT_EQ(after.last, before.last);
    ASSERT_EQ(after.processes.size(), before.processes.size());
    EXPECT_EQ(after.process(kWorker)->alive, before.process(kWorker)->alive);
    EXPECT_EQ(after.process(kWorker)->exitReason, before.process(kWorker)->exitReason);
    EXPECT_EQ(after.process(kCreator)->name, "creator");
    ASSERT_EQ(after.descriptors.size(), before.descriptors.size());
    EXPECT_EQ(after.descriptor(kCreatorConn)->origin, before.descriptor(kCreatorConn)->origin);
    EXPECT_EQ(after.descriptor(kCreatorConn)->end, before.descriptor(kCreatorConn)->end);
    EXPECT_EQ(after.descriptor(kCreatorConn)->end, DescriptorEnd::Closed);
    EXPECT_EQ(after.descriptor(kCreatorConn)->closedAt, before.descriptor(kCreatorConn)->closedAt);
    EXPECT_EQ(after.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf).requested,
              before.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf).requested);
    EXPECT_EQ(after.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf).value, 24690);
    const SocketState& socketBefore = *before.socket(kConn);
    const SocketState& socketAfter = *after.socket(kConn);
    EXPECT_EQ(socketAfter.identity, socketBefore.identity);
    EXPECT_EQ(socketAfter.open, socketBefore.open);
    ASSERT_EQ(socketAfter.countHistory.size(), socketBefore.countHistory.size());
    for (std::size_t i = 0; i < socketAfter.countHistory.size(); ++i) {
        EXPECT_EQ(socketAfter.countHistory[i].at, socketBefore.countHistory[i].at);
        EXPECT_EQ(socketAfter.countHistory[i].timeUs, socketBefore.countHistory[i].timeUs);
        EXPECT_EQ(socketAfter.countHistory[i].count, socketBefore.countHistory[i].count);
        EXPECT_EQ(socketAfter.countHistory[i].inFlight, socketBefore.countHistory[i].inFlight);
    }
    ASSERT_EQ(socketAfter.registrationHistory.size(), 3u);
    ASSERT_EQ(socketBefore.registrationHistory.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const RegistrationChange& a = socketAfter.registrationHistory[i];
        const RegistrationChange& b = socketBefore.registrationHistory[i];
        EXPECT_EQ(a.registration.owner, b.registration.owner);
        EXPECT_EQ(a.registration.ownerPid, b.registration.ownerPid);
        EXPECT_EQ(a.registration.mask, b.registration.mask);
        EXPECT_EQ(a.registration.at, b.registration.at);
        EXPECT_EQ(a.observed, b.observed);
        EXPECT_EQ(a.cancelled.has_value(), b.cancelled.has_value());
    }
    const DuplicationState& duplication = after.duplications.at(kDup);
    EXPECT_TRUE(duplication.finished);
    EXPECT_FALSE(duplication.inFlight);
    EXPECT_EQ(duplication.result, kWorkerConn);
    ASSERT_EQ(duplication.steps.size(), 1u);
    EXPECT_EQ(duplication.steps[0].timeUs, before.duplications.at(kDup).steps[0].timeUs);
    ASSERT_EQ(after.events.size(), 1u);
    EXPECT_EQ(after.events[0].timeUs, before.events[0].timeUs);
    ASSERT_EQ(after.transfers.size(), 2u);
    EXPECT_EQ(after.transfers[1].bytes, "ping");
    EXPECT_EQ(after.disagreements.size(), 1u);
    ASSERT_EQ(after.steps.size(), 1u);
    EXPECT_EQ(after.steps[0].claims, before.steps[0].claims);
    EXPECT_EQ(after.steps[0].text, "close conn");
    EXPECT_EQ(after.steps[0].at, before.steps[0].at);
    EXPECT_FALSE(after.steps[0].running);
    EXPECT_EQ(after.steps[0].evidence, before.steps[0].evidence);
    ASSERT_TRUE(after.scenarioResult.has_value());
    EXPECT_EQ(after.scenarioResult->summary, "all steps passed");
}

TEST(JournalJson, RecordedEntriesMustFollowTheLastOne) {
    Journal journal;
    std::vector<Sequence> heard;
    journal.addListener([&](const JournalEntry& entry) { heard.push_back(entry.sequence); });
    journal.appendRecorded(entryOf(entry::CommandIssued{"first"}, 1));
    EXPECT_THROW(journal.appendRecorded(entryOf(entry::CommandIssued{"skip"}, 3)),
                 std::invalid_argument);
    EXPECT_THROW(journal.appendRecorded(entryOf(entry::CommandIssued{"again"}, 1)),
                 std::invalid_argument);
    journal.appendRecorded(entryOf(entry::CommandIssued{"second"}, 2));
    EXPECT_EQ(journal.entries().size(), 2u);
    EXPECT_EQ(journal.lastSequence(), Sequence(2));
    EXPECT_EQ(heard, (std::vector<Sequence>{Sequence(1), Sequence(2)}));

    // A journal appended to live numbers its entries from 1 and stamps them.
    Journal live;
    EXPECT_FALSE(live.lastSequence().valid());
    const JournalEntry& first = live.append(entry::Problem{"x"});
    EXPECT_EQ(first.sequence, Sequence(1));
    EXPECT_GT(first.timeUs, 0);
    EXPECT_EQ(live.append(entry::Problem{"y"}).sequence, Sequence(2));
}

TEST(JournalJson, EveryEntryTypeIsDescribedWithStateNames) {
    State state;
    const JournalEntry creator = entryOf(
        entry::ProcessStarted{kCreator, kCreatorPid, "creator", Platform::Linux, true, ""}, 1);
    apply(state, creator);
    for (const EntryPayload& payload : samplePayloads()) {
        const JournalEntry entry = entryOf(payload);
        EXPECT_FALSE(describeEntry(entry, state).empty()) << nameOf(payload);
    }
    // Known processes are named; unknown ones are shown by their id.
    EXPECT_EQ(describeEntry(
                  entryOf(entry::DescriptorOpened{kCreatorConn, kConn, DescriptorOrigin::Created}),
                  state),
              "creator:5 opened (created) for S3");
    EXPECT_EQ(
        describeEntry(entryOf(entry::DescriptorClosed{kWorkerConn, DescriptorEnd::Closed}), state),
        "P2:7 closed (closed)");
}

} // namespace
} // namespace socklens
