// Helpers that break the protocol on purpose (socklens-rogue-helper, a real helper that
// misbehaves once), over a real control channel. Each ends only that helper, with a sentence
// naming it and the fault, within a bound, with no descriptor left open in the broker, and
// the session goes on.
#include "broker/broker.h"
#include "listening_helper.h"
#include "os_probe.h"

#include <csignal>
#include <cstdlib>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace socklens;
using namespace std::chrono_literals;
using socklens::testing::openFdCount;

namespace {

using Clock = std::chrono::steady_clock;

class RogueHelpers : public ::testing::Test {
protected:
    RogueHelpers() {
        ::unsetenv("SOCKLENS_ROGUE");
        good = broker.spawnHelper("good"); // the rogue program without a misbehaviour
    }
    ~RogueHelpers() override { ::unsetenv("SOCKLENS_ROGUE"); }

    static broker::BrokerOptions options() {
        broker::BrokerOptions options;
        options.helperPath = SOCKLENS_ROGUE_HELPER_PATH;
        // Generous: a loaded machine must not turn a slow answer into a fault. Only the
        // helper that stops reading waits for it.
        options.commandTimeout = 5000ms;
        return options;
    }
    ProcessId spawnRogue(const char* mode) {
        ::setenv("SOCKLENS_ROGUE", mode, 1);
        return broker.spawnHelper("rogue");
    }
    static int ownFds() { return openFdCount(::getpid()); }

    /// The sentence a command failed with; the command must fail.
    template <class Command> std::string failureOf(Command&& command) {
        try {
            command();
        } catch (const broker::BrokerError& error) {
            return error.what();
        }
        ADD_FAILURE() << "the command did not fail";
        return {};
    }
    const ProcessState& process(ProcessId id) const { return *broker.state().process(id); }
    /// Journal texts that mention `needle` (Problems, ended processes' reasons).
    int problemsMentioning(const std::string& needle) {
        int found = 0;
        for (const JournalEntry& entry : broker.journal().entries()) {
            if (const auto* problem = std::get_if<entry::Problem>(&entry.payload))
                found += problem->sentence.find(needle) != std::string::npos;
        }
        return found;
    }
    /// The session goes on: the good helper still works.
    void expectSessionGoesOn() {
        EXPECT_EQ(broker.createSocket(good, SocketKind::TcpPair).size(), 2u);
        EXPECT_TRUE(process(good).alive);
    }

    broker::Broker broker{options()};
    ProcessId good;
};

} // namespace

TEST_F(RogueHelpers, AReplyOfTheWrongTypeEndsThatHelper) {
    const int fdsBefore = ownFds();
    const ProcessId rogue = spawnRogue("wrong-type");
    const Clock::time_point start = Clock::now();
    const std::string sentence =
        failureOf([&] { broker.createSocket(rogue, SocketKind::TcpPair); });
    EXPECT_LT(Clock::now() - start, 4s); // at once, not at the 5 s deadline
    EXPECT_NE(sentence.find("rogue"), std::string::npos) << sentence;
    EXPECT_NE(sentence.find("answered CreateSocket with a OptionReply"), std::string::npos)
        << sentence;
    EXPECT_FALSE(process(rogue).alive);
    EXPECT_NE(process(rogue).exitReason.find("broke the protocol"), std::string::npos);
    EXPECT_EQ(ownFds(), fdsBefore);
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, AReplyToARequestNotAskedEndsThatHelper) {
    const int fdsBefore = ownFds();
    const ProcessId rogue = spawnRogue("wrong-id");
    const Clock::time_point start = Clock::now();
    const std::string sentence = failureOf([&] { broker.createSocket(rogue, SocketKind::Udp); });
    EXPECT_LT(Clock::now() - start, 4s); // at once, not at the 5 s deadline
    EXPECT_NE(sentence.find("rogue"), std::string::npos) << sentence;
    EXPECT_NE(sentence.find("which was not asked"), std::string::npos) << sentence;
    EXPECT_FALSE(process(rogue).alive);
    EXPECT_EQ(ownFds(), fdsBefore);
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, ACreateReplyWithNoDescriptorsFailsCleanly) {
    const ProcessId rogue = spawnRogue("no-descriptors");
    const std::string sentence =
        failureOf([&] { broker.createSocket(rogue, SocketKind::TcpPair); });
    EXPECT_NE(sentence.find("rogue"), std::string::npos) << sentence;
    EXPECT_NE(sentence.find("reported 0 descriptor(s) where 2 were made"), std::string::npos)
        << sentence;
    EXPECT_FALSE(process(rogue).alive);
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, StrayDescriptorsAreClosedAtOnceAndJournaled) {
    const ProcessId rogue = spawnRogue("stray-fds:GetOption");
    const DescriptorRef udp = broker.createSocket(rogue, SocketKind::Udp).front();
    const int fdsBefore = ownFds();
    // 625 events, each carrying 16 descriptors no frame announced: 10 000 in all.
    EXPECT_GT(broker.getOption(udp, SocketOption::RcvBuf), 0);
    EXPECT_EQ(ownFds(), fdsBefore);
    EXPECT_GT(problemsMentioning("descriptor(s) that no frame announced"), 0);
    EXPECT_GT(problemsMentioning("rogue"), 0);
    EXPECT_TRUE(process(rogue).alive); // stray descriptors are closed, not a reason to end it
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, MoreDescriptorsInOneMessageThanAFrameMayCarryEndThatHelper) {
    const ProcessId rogue = spawnRogue("fd-burst:GetOption");
    const DescriptorRef udp = broker.createSocket(rogue, SocketKind::Udp).front();
    const int fdsBefore = ownFds();
    const Clock::time_point start = Clock::now();
    const std::string sentence = failureOf([&] { broker.getOption(udp, SocketOption::RcvBuf); });
    EXPECT_LT(Clock::now() - start, 4s); // at once, not at the 5 s deadline
    EXPECT_FALSE(process(rogue).alive);
    EXPECT_NE(process(rogue).exitReason.find("more descriptors"), std::string::npos)
        << process(rogue).exitReason;
    // The channel and the descriptors that came with the burst are all closed.
    EXPECT_EQ(ownFds(), fdsBefore - 1);
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, AHelperThatStopsReadingIsDroppedAfterTheDeadline) {
    const ProcessId rogue = spawnRogue("stop-reading:GetOption");
    const DescriptorRef udp = broker.createSocket(rogue, SocketKind::Udp).front();
    broker.getOption(udp, SocketOption::RcvBuf); // answered; then it stops itself
    const Clock::time_point start = Clock::now();
    // Far more than the channel's buffer holds: the send itself must give up.
    const std::string sentence = failureOf([&] { broker.send(udp, std::string(4u << 20, 'x')); });
    EXPECT_LT(Clock::now() - start, 7s); // the 5 s deadline, and the kill and reap after it
    EXPECT_NE(sentence.find("rogue"), std::string::npos) << sentence;
    EXPECT_NE(sentence.find("stopped reading"), std::string::npos) << sentence;
    EXPECT_FALSE(process(rogue).alive);
    EXPECT_NE(process(rogue).exitReason.find("stopped reading"), std::string::npos);
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, AnEventFloodIsThrottledWithOneSentence) {
    const ProcessId rogue = spawnRogue("flood:GetOption");
    const DescriptorRef udp = broker.createSocket(rogue, SocketKind::Udp).front();
    const Sequence before = broker.journal().lastSequence();
    const Clock::time_point start = Clock::now();
    EXPECT_GT(broker.getOption(udp, SocketOption::RcvBuf), 0);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    int events = 0;
    for (const JournalEntry& entry : broker.journal().entries())
        events +=
            entry.sequence > before && std::holds_alternative<entry::EventDelivered>(entry.payload);
    // 20 000 events before the answer (within 5 s): at most 1 000 a second are journaled,
    // so the limit was reached, and said so.
    EXPECT_LE(events, 1000 * (int(seconds) + 1)) << seconds << " s";
    EXPECT_GE(events, 1000);
    EXPECT_GE(problemsMentioning("events a second"), 1);
    EXPECT_TRUE(process(rogue).alive);
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, AHelperClaimingAnotherPidIsRefused) {
    const std::string sentence = failureOf([&] { spawnRogue("lie-pid"); });
    EXPECT_NE(sentence.find("claims to be pid " + std::to_string(::getpid())), std::string::npos)
        << sentence;
    EXPECT_NE(sentence.find("the broker started it as pid"), std::string::npos) << sentence;
    expectSessionGoesOn();
}

TEST_F(RogueHelpers, AnAttachedHelperClaimingAnotherPidIsRefused) {
    const std::string path = "/tmp/socklens-test-liar-" + std::to_string(::getpid()) + ".sock";
    const socklens::testing::ListeningHelper started =
        socklens::testing::startListeningHelper(SOCKLENS_ROGUE_HELPER_PATH, path, "lie-pid");
    const pid_t child = started.pid;
    ASSERT_NE(started.said.find(path), std::string::npos) << started.said;

    const int fdsBefore = ownFds();
    const std::string sentence = failureOf([&] { broker.attachHelper(path, "liar"); });
    EXPECT_NE(sentence.find("liar claims to be pid " + std::to_string(::getpid())),
              std::string::npos)
        << sentence;
    EXPECT_NE(sentence.find("SO_PEERCRED) says its pid is " + std::to_string(child)),
              std::string::npos)
        << sentence;
    EXPECT_EQ(ownFds(), fdsBefore);
    // Refused, not killed (an attached process is never the broker's to kill): the broker
    // hung up, and the rogue ended on its own.
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    expectSessionGoesOn();
}
