// The state as a pure fold of hand-written journals: every entry type's effect on the
// processes, descriptors, sockets, options, registrations, duplications and scenario results.
#include "model/journal_entry.h"
#include "model/state.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace socklens {
namespace {

// ---- building journals -----------------------------------------------------------------

constexpr ProcessId kCreator{1};
constexpr ProcessId kWorker{2};
constexpr ProcessId kThird{3};
constexpr OsPid kCreatorPid{1001};
constexpr OsPid kWorkerPid{1002};
constexpr SocketId kConn{1};
constexpr SocketId kPeer{2};
constexpr DuplicationId kDup{1};

constexpr DescriptorRef kCreatorConn{kCreator, Handle(5)};
constexpr DescriptorRef kCreatorPeer{kCreator, Handle(6)};
constexpr DescriptorRef kWorkerConn{kWorker, Handle(7)};

/// A journal as the broker would write it: numbered from 1, a distinct time per entry.
class Entries {
public:
    Sequence add(EntryPayload payload) {
        const Sequence sequence(entries_.size() + 1);
        entries_.push_back(
            JournalEntry{sequence, 1'700'000'000'000'000 + 1000 * std::int64_t(sequence.value()),
                         std::move(payload)});
        return sequence;
    }
    const std::vector<JournalEntry>& all() const { return entries_; }
    State fold() const { return socklens::fold(entries_); }

private:
    std::vector<JournalEntry> entries_;
};

entry::ProcessStarted started(ProcessId id, OsPid pid, std::string name) {
    return entry::ProcessStarted{id, pid, std::move(name), Platform::Linux, true, "Linux 6.1"};
}

entry::SocketIdentified identified(SocketId id, std::uint64_t identity) {
    return entry::SocketIdentified{id,
                                   identity,
                                   SocketKindSeen::TcpConnected,
                                   2,
                                   1,
                                   6,
                                   "127.0.0.1:4711",
                                   "127.0.0.1:50022",
                                   "ESTABLISHED"};
}

/// Two helpers, a connected pair in the creator, the creator's end duplicated into the worker.
void sharedConnection(Entries& entries) {
    entries.add(started(kCreator, kCreatorPid, "creator"));
    entries.add(started(kWorker, kWorkerPid, "worker"));
    entries.add(identified(kConn, 555));
    entries.add(entry::DescriptorOpened{kCreatorConn, kConn, DescriptorOrigin::Created});
    entries.add(identified(kPeer, 556));
    entries.add(entry::DescriptorOpened{kCreatorPeer, kPeer, DescriptorOrigin::Created});
    entries.add(entry::DescriptorOpened{kWorkerConn, kConn, DescriptorOrigin::Duplicated});
}

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

// ---- comparing states ------------------------------------------------------------------

std::string str(const DescriptorRef& ref) {
    return toString(ref);
}

std::string str(const Registration& r) {
    std::ostringstream out;
    out << "owner=" << r.owner.value() << " pid=" << r.ownerPid.value()
        << " through=" << str(r.through) << " mask=" << r.mask << " mech=" << int(r.mechanism)
        << " at=" << r.at.value();
    return out.str();
}

/// The state's key fields as text, so two states compare with a readable difference.
std::string summarize(const State& state) {
    std::ostringstream out;
    out << "last " << state.last.value() << '\n';
    for (const auto& [id, p] : state.processes)
        out << "process " << id.value() << ' ' << p.id.value() << ' ' << p.pid.value() << ' '
            << p.name << ' ' << int(p.platform) << ' ' << p.helper << ' ' << p.alive << " ["
            << p.exitReason << "] " << p.osVersion << '\n';
    for (const auto& [ref, d] : state.descriptors) {
        out << "descriptor " << str(ref) << ' ' << str(d.ref) << " S" << d.socket.value() << ' '
            << d.open << ' ' << toString(d.origin) << ' ' << (d.end ? toString(*d.end) : "-") << ' '
            << d.openedAt.value() << ' ' << d.closedAt.value();
        for (const auto& [option, value] : d.options)
            out << " {" << int(option) << ' ' << (value.requested ? *value.requested : -999) << ' '
                << value.value << ' ' << value.errorCode << ' ' << value.at.value() << '}';
        out << '\n';
    }
    for (const auto& [id, s] : state.sockets) {
        out << "socket " << id.value() << ' ' << s.id.value() << ' ' << s.identity << ' ' << s.kind
            << ' ' << s.family << ' ' << s.type << ' ' << s.protocol << ' ' << s.local << ' '
            << s.peer << ' ' << s.tcpState << " open=" << s.open << " count=" << s.count << '+'
            << s.inFlight << " holders";
        for (const entry::Holder& h : s.holders)
            out << ' ' << h.process.value() << '/' << h.pid.value() << '/' << h.handle.value();
        out << " history";
        for (const CountPoint& c : s.countHistory)
            out << ' ' << c.at.value() << '@' << c.timeUs << '=' << c.count << '+' << c.inFlight;
        out << "\n  registration " << str(s.registration) << '\n';
        for (const RegistrationChange& c : s.registrationHistory)
            out << "  change " << str(c.registration) << " observed=" << c.observed
                << " cancelled=" << (c.cancelled ? str(*c.cancelled) : "none") << '\n';
    }
    for (const auto& [id, d] : state.duplications) {
        out << "duplication " << id.value() << ' ' << d.id.value() << " S" << d.socket.value()
            << ' ' << str(d.source) << " -> " << d.target.value() << ' ' << int(d.mechanism) << ' '
            << d.handOff << " inFlight=" << d.inFlight << " finished=" << d.finished << ' '
            << str(d.result) << " [" << d.failure << "]\n";
        for (const HandoffStepState& step : d.steps)
            out << "  step " << step.at.value() << '@' << step.timeUs << ' ' << step.step << ' '
                << toString(step.actor) << ' ' << step.text << ' ' << step.detail << '\n';
    }
    for (const DeliveredEvent& e : state.events)
        out << "event " << e.at.value() << '@' << e.timeUs << ' ' << str(e.descriptor) << " S"
            << e.socket.value() << ' ' << e.events << '/' << e.registered << '\n';
    for (const DataTransfer& t : state.transfers)
        out << "transfer " << t.at.value() << ' ' << str(t.descriptor) << ' ' << t.sent << " ["
            << t.bytes << "]\n";
    for (const entry::Disagreement& d : state.disagreements)
        out << "disagreement " << d.subject << '|' << d.believed << '|' << d.observed << '\n';
    for (const StepResult& s : state.steps) {
        out << "step " << s.at.value() << ' ' << s.line << " [" << s.text << "] " << s.passed << ' '
            << s.running << ' ' << s.outcome;
        for (const std::string& claim : s.claims)
            out << ' ' << claim;
        for (Sequence evidence : s.evidence)
            out << " #" << evidence.value();
        out << '\n';
    }
    if (state.scenarioResult)
        out << "scenario " << state.scenarioResult->passed << ' ' << state.scenarioResult->summary
            << '\n';
    return out.str();
}

// ---- processes and descriptors ---------------------------------------------------------

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

// ---- sockets and counts ----------------------------------------------------------------

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

// ---- options -------------------------------------------------------------------------

TEST(StateFold, OptionSetKeepsRequestedAndEffectiveAndALaterReadOfThatValueKeepsRequested) {
    Entries entries;
    sharedConnection(entries);
    const Sequence set =
        entries.add(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 12345, 24690});
    State state = entries.fold();

    const OptionValue& after = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    ASSERT_TRUE(after.requested.has_value());
    EXPECT_EQ(*after.requested, 12345);
    EXPECT_EQ(after.value, 24690);
    EXPECT_EQ(after.errorCode, 0);
    EXPECT_EQ(after.at, set);

    const Sequence read =
        entries.add(entry::OptionObserved{kWorkerConn, SocketOption::RcvBuf, 24690, 0});
    const Sequence otherRead =
        entries.add(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 24690, 0});
    state = entries.fold();

    const OptionValue& reread = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    ASSERT_TRUE(reread.requested.has_value());
    EXPECT_EQ(*reread.requested, 12345) << "a read must not forget what was requested";
    EXPECT_EQ(reread.value, 24690);
    EXPECT_EQ(reread.at, read);

    // Read through another descriptor: a value, but nothing was requested through it.
    const OptionValue& other = state.descriptor(kCreatorConn)->options.at(SocketOption::RcvBuf);
    EXPECT_FALSE(other.requested.has_value());
    EXPECT_EQ(other.value, 24690);
    EXPECT_EQ(other.at, otherRead);
    // Options are per descriptor and per option.
    EXPECT_EQ(state.descriptor(kCreatorConn)->options.size(), 1u);
    EXPECT_FALSE(state.descriptor(kCreatorPeer)->options.contains(SocketOption::RcvBuf));
}

TEST(StateFold, AValueSomeoneElseSetEndsTheRequestAndNamesWhoSetIt) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 212992, 0});
    entries.add(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 12345, 24690});
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 24690, 0});
    State state = entries.fold();

    // The creator's reading changed because the worker set it (C5), not by its own request.
    const OptionValue& creator = state.descriptor(kCreatorConn)->options.at(SocketOption::RcvBuf);
    EXPECT_FALSE(creator.requested.has_value());
    EXPECT_EQ(creator.setThrough, kWorkerConn);
    EXPECT_FALSE(creator.changedOutside);

    // A process outside the session sets 20000 (the kernel doubles it): the worker's request
    // no longer explains the value, so "12345 -> 40000" must not be shown.
    entries.add(entry::OptionObserved{kWorkerConn, SocketOption::RcvBuf, 40000, 0});
    state = entries.fold();
    const OptionValue& worker = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    EXPECT_FALSE(worker.requested.has_value());
    EXPECT_EQ(worker.value, 40000);
    EXPECT_TRUE(worker.changedOutside);
    EXPECT_FALSE(worker.setThrough.has_value());

    // A new request through the worker is its own again.
    entries.add(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 5000, 10000});
    state = entries.fold();
    const OptionValue& again = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    EXPECT_EQ(again.requested, 5000);
    EXPECT_FALSE(again.changedOutside);
}

TEST(StateFold, SeveralOptionsReadAtOnceAreEachKept) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OptionsObserved{
        kCreatorConn, {{SocketOption::TcpNoDelay, 0, 92}, {SocketOption::IpTtl, 64, 0}}});
    const State state = entries.fold();
    const auto& options = state.descriptor(kCreatorConn)->options;
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options.at(SocketOption::TcpNoDelay).errorCode, 92);
    EXPECT_EQ(options.at(SocketOption::IpTtl).value, 64);
    EXPECT_EQ(options.at(SocketOption::IpTtl).at, options.at(SocketOption::TcpNoDelay).at);
}

TEST(StateFold, OptionReadErrorIsKeptUntilTheNextSuccessfulSet) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::Linger, 0, 22});
    State state = entries.fold();
    EXPECT_EQ(state.descriptor(kCreatorConn)->options.at(SocketOption::Linger).errorCode, 22);

    entries.add(entry::OptionSet{kCreatorConn, SocketOption::Linger, 5, 5});
    state = entries.fold();
    const OptionValue& linger = state.descriptor(kCreatorConn)->options.at(SocketOption::Linger);
    EXPECT_EQ(linger.errorCode, 0);
    EXPECT_EQ(linger.value, 5);
    EXPECT_EQ(linger.requested, std::optional<std::int64_t>(5));

    entries.add(entry::OptionSet{kCreatorConn, SocketOption::Linger, -1, -1});
    state = entries.fold();
    EXPECT_EQ(state.descriptor(kCreatorConn)->options.at(SocketOption::Linger).requested,
              std::optional<std::int64_t>(-1));
}

TEST(StateFold, OptionReadingsAreInOptionOrderWhateverOrderTheyCameIn) {
    Entries entries;
    sharedConnection(entries);
    for (SocketOption option :
         {SocketOption::IpTtl, SocketOption::RcvBuf, SocketOption::Linger, SocketOption::RcvBuf})
        entries.add(entry::OptionObserved{kCreatorConn, option, std::int64_t(option), 0});
    const State state = entries.fold();

    const OptionReadings& options = state.descriptor(kCreatorConn)->options;
    std::vector<SocketOption> order;
    for (const auto& [option, value] : options) {
        order.push_back(option);
        EXPECT_EQ(value.value, std::int64_t(option));
    }
    EXPECT_EQ(order, (std::vector<SocketOption>{SocketOption::RcvBuf, SocketOption::Linger,
                                                SocketOption::IpTtl}));
    EXPECT_EQ(options.find(SocketOption::SndBuf), options.end());
    EXPECT_EQ(options.find(SocketOption::Linger)->second.value, std::int64_t(SocketOption::Linger));
    EXPECT_THROW((void)options.at(SocketOption::SndBuf), std::out_of_range);
}

// ---- registrations (C7) --------------------------------------------------------------

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

// ---- events, data, duplication ---------------------------------------------------------

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

// ---- scenario progress and the rest ----------------------------------------------------

TEST(StateFold, StepStartedIsARunningStepThatItsStepFinishedCompletes) {
    Entries entries;
    entries.add(entry::ScenarioStarted{"c6", "builtin:claim-c6"});
    const Sequence started = entries.add(entry::StepStarted{5, "close conn", {"C6"}});
    State state = entries.fold();

    ASSERT_EQ(state.steps.size(), 1u);
    EXPECT_TRUE(state.steps[0].running);
    EXPECT_EQ(state.steps[0].at, started);
    EXPECT_EQ(state.steps[0].line, 5);
    EXPECT_EQ(state.steps[0].text, "close conn");
    EXPECT_EQ(state.steps[0].claims, std::vector<std::string>{"C6"});
    EXPECT_TRUE(state.steps[0].evidence.empty());

    entries.add(entry::CountObserved{kConn, 2, 0, {}});
    const Sequence finished =
        entries.add(entry::StepFinished{5, false, "count is 2", {"C6", "C11"}, {Sequence(3)}});
    state = entries.fold();

    ASSERT_EQ(state.steps.size(), 1u) << "the finish completes the started step";
    const StepResult& step = state.steps[0];
    EXPECT_FALSE(step.running);
    EXPECT_EQ(step.at, finished);
    EXPECT_EQ(step.line, 5);
    EXPECT_EQ(step.text, "close conn");
    EXPECT_FALSE(step.passed);
    EXPECT_EQ(step.outcome, "count is 2");
    EXPECT_EQ(step.claims, (std::vector<std::string>{"C6", "C11"}));
    EXPECT_EQ(step.evidence, std::vector<Sequence>{Sequence(3)});
    EXPECT_FALSE(state.scenarioResult.has_value());

    entries.add(entry::ScenarioFinished{false, "1 step(s) failed"});
    state = entries.fold();
    ASSERT_TRUE(state.scenarioResult.has_value());
    EXPECT_FALSE(state.scenarioResult->passed);
    EXPECT_EQ(state.scenarioResult->summary, "1 step(s) failed");
}

TEST(StateFold, StepsKeepTheirOwnTextInOrder) {
    Entries entries;
    entries.add(entry::StepStarted{5, "close conn", {"C6"}});
    entries.add(entry::StepFinished{5, true, "closed", {"C6"}, {}});
    entries.add(entry::StepStarted{6, "expect open copy", {"C6"}});
    entries.add(entry::StepFinished{6, true, "open, 1 descriptor(s)", {"C6"}, {}});
    entries.add(entry::StepStarted{7, "kill b", {}});
    const State state = entries.fold();

    ASSERT_EQ(state.steps.size(), 3u);
    EXPECT_EQ(state.steps[0].text, "close conn");
    EXPECT_EQ(state.steps[0].outcome, "closed");
    EXPECT_FALSE(state.steps[0].running);
    EXPECT_EQ(state.steps[1].text, "expect open copy");
    EXPECT_EQ(state.steps[1].line, 6);
    EXPECT_FALSE(state.steps[1].running);
    EXPECT_EQ(state.steps[2].text, "kill b");
    EXPECT_TRUE(state.steps[2].running);
}

TEST(StateFold, StepFinishedWithoutItsStartIsStillRecorded) {
    Entries entries;
    entries.add(entry::StepStarted{4, "recv peer", {}});
    entries.add(entry::StepFinished{4, true, "3 bytes", {}, {}});
    // A finish for a line that never started.
    const Sequence orphan = entries.add(entry::StepFinished{9, true, "ok", {"C3"}, {}});
    const State state = entries.fold();

    ASSERT_EQ(state.steps.size(), 2u);
    EXPECT_EQ(state.steps[0].outcome, "3 bytes");
    EXPECT_EQ(state.steps[0].text, "recv peer");
    EXPECT_EQ(state.steps[1].at, orphan);
    EXPECT_EQ(state.steps[1].line, 9);
    EXPECT_FALSE(state.steps[1].running);
    EXPECT_EQ(state.steps[1].claims, std::vector<std::string>{"C3"});
}

TEST(StateFold, DisagreementsAreKeptInOrder) {
    Entries entries;
    entries.add(entry::Disagreement{"count of S1", "2", "1"});
    entries.add(entry::Disagreement{"owner of S1", "P1", "P2"});
    const State state = entries.fold();
    ASSERT_EQ(state.disagreements.size(), 2u);
    EXPECT_EQ(state.disagreements[0].subject, "count of S1");
    EXPECT_EQ(state.disagreements[0].believed, "2");
    EXPECT_EQ(state.disagreements[0].observed, "1");
    EXPECT_EQ(state.disagreements[1].subject, "owner of S1");
}

TEST(StateFold, CommandsAndProblemsOnlyAdvanceLast) {
    Entries entries;
    sharedConnection(entries);
    const std::string before = summarize(entries.fold());
    entries.add(entry::CommandIssued{"close P1:5"});
    entries.add(entry::CommandFailed{"close P1:5", "close", "EBADF", "not open"});
    const Sequence last = entries.add(entry::Problem{"a scan could not read /proc/77/fd"});
    State state = entries.fold();

    EXPECT_EQ(state.last, last);
    state.last = Sequence(7);
    EXPECT_EQ(summarize(state), before);
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
