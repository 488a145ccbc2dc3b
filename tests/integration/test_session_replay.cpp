// A real session (the built-in handoff against real helpers), written to a session file as
// it runs, read back and folded: the state after every entry is the live state after it.
#include "broker/broker.h"
#include "model/session_reader.h"
#include "model/session_writer.h"
#include "report/json_report.h"
#include "scenario/scenario_runner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace socklens {
namespace {

/// The whole state as text (through the JSON report, which shows all of it).
std::string stateText(std::span<const JournalEntry> entries, const State& state) {
    const report::ReportInput input{entries, state, SessionHeader{2, "test", "test"}, 1};
    return report::buildJsonReport(input).dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
}

TEST(SessionReplay, LoadedSessionFoldsToTheLiveStateEntryForEntry) {
    const std::string path =
        ::testing::TempDir() + "socklens-replay-" + std::to_string(::getpid()) + ".jsonl";
    std::vector<std::string> live;
    {
        broker::BrokerOptions options;
        options.helperPath = SOCKLENS_HELPER_PATH;
        broker::Broker broker(options);
        SessionWriter writer(path);
        broker.journal().addListener([&](const JournalEntry& entry) {
            writer.write(entry);
            // Listeners run after the broker's fold: this is the live state with `entry`.
            live.push_back(stateText(broker.journal().entries(), broker.state()));
        });
        scenario::ScenarioRunner runner(broker, scenario::loadScenario("builtin:handoff"));
        ASSERT_TRUE(runner.run().passed);
    }
    const LoadedSession loaded = readSessionFile(path);
    ASSERT_TRUE(loaded.complete()) << loaded.error;
    ASSERT_EQ(loaded.entries.size(), live.size());
    State state;
    for (std::size_t i = 0; i < loaded.entries.size(); ++i) {
        apply(state, loaded.entries[i]);
        ASSERT_EQ(stateText(std::span(loaded.entries).first(i + 1), state), live[i])
            << "after entry " << i + 1;
    }
    ::unlink(path.c_str());
}

} // namespace
} // namespace socklens
