// Death is a state: once a helper is gone, a command on it or on its descriptors fails with
// helper-gone, naming the process and how it ended, always journaled as CommandFailed.
#include "broker/broker.h"
#include "report/json_report.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
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

TEST(DeadHelperCommands, AKilledHelpersHoldingsLeaveTheStateAndTheReportAtOnce) {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    broker::Broker broker(options);
    const ProcessId a = broker.spawnHelper("a");
    const ProcessId b = broker.spawnHelper("b");
    const DescriptorRef conn = broker.createSocket(a, SocketKind::TcpPair).front();
    broker.duplicate(conn, b);
    const SocketId socket = broker.state().descriptor(conn)->socket;
    ASSERT_EQ(broker.state().socket(socket)->count, 2);
    const std::int64_t bPid = broker.state().process(b)->pid.value();

    broker.killHelper(b);
    ASSERT_TRUE(broker.waitUntil([&](const State& state) { return !state.process(b)->alive; }, 5s));
    // The state as of the entry that says b ended, before any later observation.
    const std::vector<JournalEntry>& entries = broker.journal().entries();
    const auto exited = std::find_if(entries.begin(), entries.end(), [&](const JournalEntry& e) {
        const auto* ended = std::get_if<entry::ProcessExited>(&e.payload);
        return ended && ended->process == b;
    });
    ASSERT_NE(exited, entries.end());
    const std::span<const JournalEntry> untilDeath(entries.data(),
                                                   std::size_t(exited - entries.begin()) + 1);
    const State atDeath = fold(untilDeath);
    const SocketState& shared = *atDeath.socket(socket);
    EXPECT_EQ(shared.count, 1);
    ASSERT_EQ(shared.holders.size(), 1u);
    EXPECT_EQ(shared.holders[0].process, a);

    const nlohmann::json report =
        report::buildJsonReport(report::ReportInput{untilDeath, atDeath, {}, 0});
    for (const auto& reported : report.at("sockets")) {
        for (const auto& holder : reported.at("holders"))
            EXPECT_NE(holder.at("pid").get<std::int64_t>(), bPid) << reported.dump();
    }
}

} // namespace
