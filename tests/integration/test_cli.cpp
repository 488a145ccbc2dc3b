// socklens-cli as a user runs it: real helpers, exit codes, the JSON report.
#include "cli_runner.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using Outcome = socklens::testing::CliOutcome;
using socklens::testing::runCli;

std::string temporaryPath(const std::string& name) {
    return socklens::testing::cliTemporaryPath(name);
}

} // namespace

TEST(Cli, HandoffDemonstratesItsClaimsInTheReport) {
    const std::string report = temporaryPath("report.json");
    const Outcome outcome = runCli("run builtin:handoff --report " + report);
    ASSERT_EQ(outcome.exitCode, 0) << outcome.output;
    std::ifstream file(report);
    const nlohmann::json json = nlohmann::json::parse(file);
    EXPECT_EQ(json.at("format_version"), 1);
    EXPECT_NE(json.at("platform").at("kernel").get<std::string>().find("Linux"), std::string::npos);
    for (const char* claim : {"C1", "C3", "C5", "C6", "C7", "C11"}) {
        EXPECT_EQ(json.at("claims").at(claim).at("status"), "demonstrated") << claim;
        EXPECT_FALSE(json.at("claims").at(claim).at("evidence").empty()) << claim;
    }
    EXPECT_EQ(json.at("claims").at("C8").at("status"), "not-run");
    // The shared socket's count went 1 -> 2 -> 1 -> 0, as observed.
    std::vector<int> counts;
    for (const auto& point : json.at("sockets").at(0).at("count_history"))
        counts.push_back(point.at("count"));
    EXPECT_EQ(counts, (std::vector<int>{1, 2, 1, 0}));
    ::unlink(report.c_str());
}

TEST(Cli, AFalseExpectationExitsNonZeroAndNamesTheStep) {
    const std::string scenario = temporaryPath("false.scenario");
    std::ofstream(scenario) << "spawn a\n"
                               "create a tcp-pair as conn, peer\n"
                               "expect count conn == 3\n"
                               "expect count peer == 1\n";
    const Outcome outcome = runCli("run " + scenario);
    EXPECT_EQ(outcome.exitCode, 1) << outcome.output;
    EXPECT_NE(outcome.output.find(scenario + ":3: expect count conn == 3"), std::string::npos)
        << outcome.output;
    EXPECT_NE(outcome.output.find("observed 1"), std::string::npos) << outcome.output;
    ::unlink(scenario.c_str());
}

TEST(Cli, ABrokenScenarioNamesTheFileAndLine) {
    const std::string scenario = temporaryPath("broken.scenario");
    std::ofstream(scenario) << "spawn a\nfrobnicate a\n";
    const Outcome outcome = runCli("run " + scenario);
    EXPECT_EQ(outcome.exitCode, 3);
    EXPECT_NE(outcome.output.find(scenario + ":2: unknown step \"frobnicate\""), std::string::npos)
        << outcome.output;
    ::unlink(scenario.c_str());
}

TEST(Cli, EveryBuiltinPasses) {
    const Outcome list = runCli("list-builtins");
    ASSERT_EQ(list.exitCode, 0);
    std::istringstream lines(list.output);
    int count = 0;
    for (std::string line; std::getline(lines, line);) {
        const std::string name = line.substr(0, line.find(' '));
        const Outcome outcome = runCli("run builtin:" + name + " --quiet");
        EXPECT_EQ(outcome.exitCode, 0) << name << "\n" << outcome.output;
        ++count;
    }
    EXPECT_GE(count, 8);
}

TEST(Cli, UsageErrorsExitTwoWithASentence) {
    EXPECT_EQ(runCli("run").exitCode, 2);
    EXPECT_EQ(runCli("run builtin:handoff --tick-ms zero").exitCode, 2);
    const Outcome backend = runCli("run builtin:handoff --backend nonsense");
    EXPECT_EQ(backend.exitCode, 2);
    EXPECT_NE(backend.output.find("unknown backend nonsense (linux, winsock)"), std::string::npos)
        << backend.output;
    EXPECT_EQ(runCli("--version").output.rfind("socklens-cli ", 0), 0u);
}

TEST(Cli, TheSessionFileHoldsTheJournalLineByLine) {
    const std::string session = temporaryPath("session.jsonl");
    ASSERT_EQ(runCli("run builtin:claim-c6 --quiet --session " + session).exitCode, 0);
    std::ifstream file(session);
    std::string line;
    std::getline(file, line);
    EXPECT_EQ(nlohmann::json::parse(line).at("format"), "socklens-session");
    std::uint64_t expected = 1;
    while (std::getline(file, line))
        EXPECT_EQ(nlohmann::json::parse(line).at("seq").get<std::uint64_t>(), expected++);
    EXPECT_GT(expected, 20u);
    ::unlink(session.c_str());
}

TEST(Cli, EveryDemonstratedClaimCitesAnEntryTheOsReturned) {
    // Checked against the session file with this test's own list of what the OS returns: a
    // claim shown on socklens's bookkeeping alone would cite none of these.
    const std::set<std::string> readings = {
        "OptionObserved", "OptionsObserved",        "OwnerObserved",
        "CountObserved",  "SocketLifetimeObserved", "Disagreement",
        "EventDelivered", "DataReceived",           "OptionSet"};
    for (const char* scenario : {"handoff", "tour", "claim-c7", "claim-c12"}) {
        SCOPED_TRACE(scenario);
        const std::string report = temporaryPath("claims.json");
        const std::string session = temporaryPath("claims.jsonl");
        const Outcome outcome = runCli(std::string("run builtin:") + scenario +
                                       " --quiet --report " + report + " --session " + session);
        ASSERT_EQ(outcome.exitCode, 0) << outcome.output;
        std::map<std::uint64_t, nlohmann::json> entries;
        std::ifstream lines(session);
        for (std::string line; std::getline(lines, line);) {
            const nlohmann::json entry = nlohmann::json::parse(line);
            if (entry.contains("seq"))
                entries[entry.at("seq").get<std::uint64_t>()] = entry;
        }
        auto isReading = [&](std::uint64_t seq) {
            const nlohmann::json& entry = entries.at(seq);
            const std::string type = entry.at("type");
            const nlohmann::json& data = entry.at("data");
            if (type == "CommandFailed")
                return !data.at("call").get<std::string>().empty();
            if (type == "CountObserved" && data.value("inferred", false))
                return false;
            return readings.contains(type);
        };
        std::ifstream file(report);
        const nlohmann::json json = nlohmann::json::parse(file);
        int demonstrated = 0;
        for (const auto& [id, claim] : json.at("claims").items()) {
            if (claim.at("status") != "demonstrated")
                continue;
            ++demonstrated;
            const auto& cited = claim.at("os_readings");
            EXPECT_TRUE(std::any_of(cited.begin(), cited.end(),
                                    [&](const nlohmann::json& seq) { return isReading(seq); }))
                << id << " is demonstrated with no OS reading among " << claim.dump();
        }
        EXPECT_GT(demonstrated, 0);
        ::unlink(report.c_str());
        ::unlink(session.c_str());
    }
}
