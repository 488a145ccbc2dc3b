// The built-in scenarios: every one parses, each is its resource file, handoff reads as written.
#include "scenario/builtin_scenarios.h"
#include "scenario_parser_checks.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace socklens::scenario {
namespace {

using namespace std::chrono_literals;
using namespace socklens::scenario::parser_checks;

TEST(ScenarioParser, EveryBuiltinParses) {
    ASSERT_FALSE(builtinScenarios().empty());
    std::set<std::string> names;
    for (const BuiltinScenario& builtin : builtinScenarios()) {
        SCOPED_TRACE(std::string(builtin.name));
        EXPECT_TRUE(names.insert(std::string(builtin.name)).second) << "duplicate built-in name";
        Scenario scenario;
        ASSERT_NO_THROW(scenario = loadScenario("builtin:" + std::string(builtin.name)));
        EXPECT_EQ(scenario.name, builtin.name);
        EXPECT_EQ(scenario.source, "builtin:" + std::string(builtin.name));
        EXPECT_FALSE(scenario.steps.empty());
        bool tagged = false;
        for (const Step& s : scenario.steps) {
            EXPECT_FALSE(s.text.empty());
            EXPECT_EQ(s.text.find('['), std::string::npos) << s.text;
            EXPECT_EQ(s.text.find('#'), std::string::npos) << s.text;
            tagged = tagged || !s.claims.empty();
        }
        EXPECT_TRUE(tagged) << "a built-in demonstrates at least one claim";
    }
    EXPECT_TRUE(names.contains("handoff"));
}

TEST(ScenarioParser, BuiltinsAreTheResourceFiles) {
    for (const BuiltinScenario& builtin : builtinScenarios()) {
        const std::string path = std::string(SOCKLENS_SOURCE_DIR) + "/resources/scenarios/" +
                                 std::string(builtin.name) + ".scenario";
        std::ifstream file(path);
        ASSERT_TRUE(file) << path;
        std::stringstream text;
        text << file.rdbuf();
        EXPECT_EQ(text.str(), builtin.text) << path;
        // Loading the file parses to the same steps as the built-in.
        const Scenario fromFile = loadScenario(path);
        const Scenario builtIn = loadScenario("builtin:" + std::string(builtin.name));
        EXPECT_EQ(fromFile.name, builtin.name);
        ASSERT_EQ(fromFile.steps.size(), builtIn.steps.size());
        for (std::size_t i = 0; i < fromFile.steps.size(); ++i)
            EXPECT_EQ(fromFile.steps[i].text, builtIn.steps[i].text);
    }
}

TEST(ScenarioParser, BuiltinHandoffReadsAsWritten) {
    const Scenario handoff = loadScenario("builtin:handoff");
    const Step& create = handoff.steps[2];
    EXPECT_EQ(create.verb, Verb::Create);
    EXPECT_EQ(create.names, (Names{"creator", "conn", "peer"}));
    EXPECT_EQ(create.claims, Names{"C11"});
    EXPECT_EQ(create.line, 11);
    const auto wait = std::find_if(handoff.steps.begin(), handoff.steps.end(),
                                   [](const Step& s) { return s.verb == Verb::Wait; });
    ASSERT_NE(wait, handoff.steps.end());
    EXPECT_EQ(wait->within, 3000ms);
    EXPECT_EQ(wait->condition->subject, "worker");
    EXPECT_EQ(wait->claims, Names{"C7"});

    const Scenario c12 = loadScenario("builtin:claim-c12");
    int failingOnLinux = 0;
    for (const Step& s : c12.steps)
        failingOnLinux += !s.expectedError.empty() && s.only != Platform::WinsockWine ? 1 : 0;
    EXPECT_EQ(failingOnLinux, 4);
}

TEST(ScenarioParser, UnknownBuiltinOrFileIsRefused) {
    try {
        loadScenario("builtin:no-such-scenario");
        FAIL() << "accepted";
    } catch (const ScenarioError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("no-such-scenario"), std::string::npos) << message;
        EXPECT_NE(message.find("handoff"), std::string::npos) << "lists the built-ins: " << message;
    }
    EXPECT_THROW(loadScenario("/nonexistent/dir/x.scenario"), ScenarioError);
}

} // namespace
} // namespace socklens::scenario
