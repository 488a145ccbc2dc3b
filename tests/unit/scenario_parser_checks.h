// For the scenario parser tests (test_scenario_parser_*.cpp): a prelude that defines names, and
// parsing one step after it or expecting it to be refused with a sentence naming its line.
#pragma once

#include "scenario/scenario.h"

#include <exception>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace socklens::scenario::parser_checks {

using Names = std::vector<std::string>;

constexpr const char* kSource = "test.scenario";

/// Lines 1-4 define processes a and b and descriptors conn, peer (a's) and copy (b's).
inline const std::string kPrelude = "spawn a\n"
                                    "spawn b\n"
                                    "create a tcp-pair as conn, peer\n"
                                    "duplicate conn into b as copy\n";

inline Scenario parse(const std::string& text) {
    return parseScenario(text, "test", kSource);
}

/// The one step after the prelude (line 5).
inline Step step(const std::string& line) {
    const Scenario scenario = parse(kPrelude + line + "\n");
    EXPECT_EQ(scenario.steps.size(), 5u) << line;
    EXPECT_EQ(scenario.steps.back().line, 5) << line;
    return scenario.steps.back();
}

/// The message of the ScenarioError `text` raises ("" and a failure if none).
inline std::string errorOf(const std::string& text) {
    try {
        parse(text);
    } catch (const ScenarioError& error) {
        return error.what();
    } catch (const std::exception& error) {
        ADD_FAILURE() << "not a ScenarioError: " << error.what();
        return "";
    }
    ADD_FAILURE() << "accepted:\n" << text;
    return "";
}

/// Expects `line`, as line 5 after the prelude, to be refused naming the place and `problem`.
inline void expectError(const std::string& line, const std::string& problem) {
    SCOPED_TRACE(line);
    const std::string message = errorOf(kPrelude + line + "\n");
    EXPECT_NE(message.find("test.scenario:5: "), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
}

} // namespace socklens::scenario::parser_checks
