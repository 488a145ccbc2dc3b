// The scenario syntax the Winsock backend brought: `linux:`/`winsock:` lines, `reuse`,
// `duplicate ... into pid N` and `register ... with CALL`.
#include "scenario/scenario.h"

#include <gtest/gtest.h>

namespace socklens::scenario {
namespace {

constexpr const char* kPrelude = "spawn a\n"
                                 "spawn b\n"
                                 "create a tcp-pair as conn, peer\n";

Scenario parse(const std::string& lines) {
    return parseScenario(kPrelude + lines, "test", "test.scenario");
}

std::string errorFor(const std::string& lines) {
    try {
        parse(lines);
    } catch (const ScenarioError& error) {
        return error.what();
    }
    return "";
}

TEST(ScenarioBackendLines, APrefixLimitsTheLineToOneBackend) {
    const Scenario scenario = parse("linux: set conn SO_RCVBUF 1 [C5]\n"
                                    "winsock: set conn SO_RCVBUF 2\n"
                                    "set conn SO_RCVBUF 3\n");
    ASSERT_EQ(scenario.steps.size(), 6u);
    EXPECT_EQ(scenario.steps[3].only, Platform::Linux);
    EXPECT_EQ(scenario.steps[3].value, 1);
    EXPECT_EQ(scenario.steps[3].claims, std::vector<std::string>{"C5"});
    EXPECT_EQ(scenario.steps[3].text, "linux: set conn SO_RCVBUF 1");
    EXPECT_EQ(scenario.steps[4].only, Platform::WinsockWine);
    EXPECT_FALSE(scenario.steps[5].only);
    // Only the prefix's own spelling: a quoted or unknown word is not a prefix.
    EXPECT_NE(errorFor("macos: set conn SO_RCVBUF 1\n").find("unknown step \"macos:\""),
              std::string::npos);
}

TEST(ScenarioBackendLines, ANameFromABackendsLineStaysOnThatBackend) {
    EXPECT_EQ(errorFor("winsock: dup conn as copy\n"
                       "winsock: close copy\n"),
              "");
    EXPECT_EQ(errorFor("winsock: dup conn as copy\n"
                       "close copy\n"),
              "test.scenario:5: \"copy\" is defined on a winsock: line, so only winsock: lines "
              "can use it");
    EXPECT_NE(errorFor("linux: dup conn as copy\n"
                       "winsock: close copy\n")
                  .find("defined on a linux: line"),
              std::string::npos);
}

TEST(ScenarioBackendLines, ANameDefinedOnEveryBackendsLineIsUsableEverywhere) {
    EXPECT_EQ(errorFor("linux: create a unix-pair as near, far\n"
                       "winsock: create a tcp-pair as near, far\n"
                       "send near \"x\"\n"
                       "recv far\n"),
              "");
    // Twice on the same backend, or once on a backend's line and once on every backend's, is
    // still a second definition.
    EXPECT_EQ(errorFor("linux: dup conn as copy\n"
                       "linux: dup conn as copy\n"),
              "test.scenario:5: \"copy\" is already defined");
    EXPECT_EQ(errorFor("linux: dup conn as copy\n"
                       "dup conn as copy\n"),
              "test.scenario:5: \"copy\" is already defined");
    EXPECT_EQ(errorFor("linux: spawn c\n"
                       "winsock: dup conn as c\n"),
              "test.scenario:5: \"c\" is already defined");
}

TEST(ScenarioBackendLines, ReuseAndDuplicateIntoAPid) {
    const Scenario scenario = parse("duplicate conn into b as copy\n"
                                    "reuse copy fails already-used [C8]\n"
                                    "duplicate conn into pid 999999 fails WSAEINVAL [C12]\n");
    const Step& reuse = scenario.steps[4];
    EXPECT_EQ(reuse.verb, Verb::Reuse);
    EXPECT_EQ(reuse.names, std::vector<std::string>{"copy"});
    EXPECT_EQ(reuse.expectedError, "already-used");
    const Step& toPid = scenario.steps[5];
    EXPECT_EQ(toPid.verb, Verb::DuplicateToPid);
    EXPECT_EQ(toPid.names, std::vector<std::string>{"conn"});
    EXPECT_EQ(toPid.value, 999999);
    EXPECT_EQ(toString(toPid.verb), "duplicate");
    EXPECT_NE(errorFor("duplicate conn into pid many\n").find("\"many\" is not a number"),
              std::string::npos);
    // "pid" only means a process id after duplicate; a handoff needs a helper.
    EXPECT_NE(errorFor("handoff conn into pid 4\n").find("\"pid\" is not defined"),
              std::string::npos);
}

TEST(ScenarioBackendLines, RegisterNamesItsCall) {
    const Scenario scenario = parse("register conn FD_READ with WSAAsyncSelect\n"
                                    "register conn FD_WRITE\n");
    EXPECT_EQ(scenario.steps[3].mechanism, RegistrationMechanism::WsaAsyncSelect);
    EXPECT_EQ(scenario.steps[3].mask, EventMask(FdRead));
    EXPECT_FALSE(scenario.steps[4].mechanism);
    EXPECT_NE(errorFor("register conn FD_READ with select\n")
                  .find("\"select\" is not a registration call (WSAEventSelect, WSAAsyncSelect, "
                        "F_SETOWN_EX+F_SETSIG+O_ASYNC)"),
              std::string::npos);
}

} // namespace
} // namespace socklens::scenario
