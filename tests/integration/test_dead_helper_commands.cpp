// Death is a state: once a helper is gone, a command on it or on its descriptors fails with
// helper-gone, naming the process and how it ended, always journaled as CommandFailed.
#include "broker/broker.h"

#include <gtest/gtest.h>
#include <variant>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

std::string codeOf(const std::function<void()>& command) {
    try {
        command();
    } catch (const broker::BrokerError& error) {
        return error.codeName();
    }
    return "no error";
}

const entry::CommandFailed* lastFailure(broker::Broker& broker) {
    const JournalEntry* last = broker.journal().lastEntry();
    return last ? std::get_if<entry::CommandFailed>(&last->payload) : nullptr;
}

TEST(DeadHelperCommands, FailWithHelperGoneNamingHowItEnded) {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    broker::Broker broker(options);
    const ProcessId a = broker.spawnHelper("a");
    const ProcessId b = broker.spawnHelper("b");
    const DescriptorRef conn = broker.createSocket(a, SocketKind::TcpPair).front();
    broker.killHelper(a);
    ASSERT_TRUE(broker.waitUntil([&](const State& state) { return !state.process(a)->alive; }, 5s));

    for (const auto& [what, command] : std::vector<std::pair<std::string, std::function<void()>>>{
             {"close", [&] { broker.close(conn); }},
             {"duplicate", [&] { broker.duplicate(conn, b); }},
             {"set option", [&] { broker.setOption(conn, SocketOption::RcvBuf, 4096); }},
             {"create", [&] { broker.createSocket(a, SocketKind::Udp); }},
             {"kill", [&] { broker.killHelper(a); }},
         }) {
        SCOPED_TRACE(what);
        EXPECT_EQ(codeOf(command), "helper-gone");
        const entry::CommandFailed* failed = lastFailure(broker);
        ASSERT_NE(failed, nullptr) << "every failure is journaled";
        EXPECT_EQ(failed->codeName, "helper-gone");
        EXPECT_NE(failed->sentence.find("a (pid"), std::string::npos) << failed->sentence.str();
        EXPECT_NE(failed->sentence.find("SIGKILL"), std::string::npos) << failed->sentence.str();
    }
    // A process the session never had is another failure, with its own code.
    EXPECT_EQ(codeOf([&] { broker.killHelper(ProcessId(99)); }), "no-such-process");
    ASSERT_NE(lastFailure(broker), nullptr);
}

} // namespace
