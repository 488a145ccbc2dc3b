// Refused scenario text: every error names the source, the line and the problem in a sentence.
#include "scenario_parser_checks.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace socklens::scenario {
namespace {

using namespace socklens::scenario::parser_checks;

TEST(ScenarioParser, UnknownStepIsRefused) {
    expectError("jump conn", "unknown step \"jump\"");
    expectError("Spawn c", "unknown step \"Spawn\"");
}

TEST(ScenarioParser, UnknownSocketKindIsRefused) {
    expectError("create a tcp-triple as x", "\"tcp-triple\" is not a socket kind");
}

TEST(ScenarioParser, UnknownOptionIsRefused) {
    expectError("set conn SO_BOGUS 1", "\"SO_BOGUS\" is not an option");
    expectError("get conn so_rcvbuf", "\"so_rcvbuf\" is not an option");
    expectError("expect option conn SO_BOGUS == 1", "\"SO_BOGUS\" is not an option");
}

TEST(ScenarioParser, NameUsedBeforeItIsDefinedIsRefused) {
    expectError("close ghost", "\"ghost\" is not defined by an earlier step");
    expectError("duplicate conn into nobody as x", "\"nobody\" is not defined");
    expectError("expect alive ghost", "\"ghost\" is not defined");
    // Defined later does not count.
    const std::string message = errorOf("spawn a\nkill b\nspawn b\n");
    EXPECT_NE(message.find("test.scenario:2: "), std::string::npos) << message;
    EXPECT_NE(message.find("\"b\" is not defined"), std::string::npos) << message;
}

TEST(ScenarioParser, ProcessWhereADescriptorIsNeededIsRefused) {
    expectError("close a", "\"a\" is a process, not a descriptor");
    expectError("duplicate b into a as x", "\"b\" is a process, not a descriptor");
    expectError("expect count b == 1", "\"b\" is a process, not a descriptor");
    // And the other way round.
    expectError("kill conn", "\"conn\" is a descriptor, not a process");
    expectError("duplicate conn into copy as x", "\"copy\" is a descriptor, not a process");
    expectError("expect dead peer", "\"peer\" is a descriptor, not a process");
    expectError("create conn udp as u", "\"conn\" is a descriptor, not a process");
}

TEST(ScenarioParser, DuplicateNameIsRefused) {
    expectError("spawn a", "\"a\" is already defined");
    expectError("dup conn as peer", "\"peer\" is already defined");
    expectError("spawn conn", "\"conn\" is already defined");
    expectError("create a tcp-pair as x, x", "\"x\" is already defined");
}

TEST(ScenarioParser, EmptyNameIsRefused) {
    expectError("spawn \"\"", "empty");
}

TEST(ScenarioParser, BadClaimIdIsRefused) {
    expectError("close conn [C13]", "\"C13\" is not a claim ID");
    expectError("close conn [X1]", "\"X1\" is not a claim ID");
    expectError("close conn [C0]", "\"C0\" is not a claim ID");
    expectError("close conn [C]", "\"C\" is not a claim ID");
    expectError("close conn [c5]", "\"c5\" is not a claim ID");
    expectError("close conn [C5x]", "\"C5x\" is not a claim ID");
    expectError("close conn [C5,C6]", "\"C5,C6\" is not a claim ID");
}

// BUG: "C05" passes the check (from_chars reads 5) and is kept as "C05", which no claim ID
// equals: evaluateClaims looks for "C5", so the step silently demonstrates nothing. Fix:
// refuse a leading zero (or store the claim normalised as "C" + number).
TEST(ScenarioParser, ClaimIdWithALeadingZeroIsNotKeptAsWritten) {
    try {
        const Step tagged = step("close conn [C05]");
        EXPECT_EQ(tagged.claims, Names{"C5"}) << "kept a claim ID no claim has";
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("C05"), std::string::npos) << error.what();
    }
}

TEST(ScenarioParser, UnclosedQuoteIsRefused) {
    expectError("send conn \"abc", "a quoted text is not closed");
    expectError("send conn \"abc\\\"", "a quoted text is not closed");
}

TEST(ScenarioParser, UnclosedClaimListIsRefused) {
    expectError("close conn [C6", "a claim list \"[\" is not closed");
}

TEST(ScenarioParser, SendWithoutQuotesIsRefused) {
    expectError("send conn hello", "send needs the text to send in double quotes");
    expectError("send conn", "send needs the text to send in double quotes");
}

TEST(ScenarioParser, MissingWithinIsRefused) {
    expectError("wait count conn == 1", "missing \"within\"");
    expectError("wait count conn == 1 in 2s", "expected \"within\", found \"in\"");
}

TEST(ScenarioParser, BadDurationIsRefused) {
    for (const char* duration : {"2", "2m", "0s", "-1s", "s", "1.5s", "2 s", "ms2"}) {
        expectError(std::string("wait count conn == 1 within ") + duration,
                    "is not a duration such as 2s or 500ms");
    }
    expectError("wait count conn == 1 within", "missing a duration");
}

TEST(ScenarioParser, TrailingExtraTokenIsRefused) {
    expectError("close conn now", "unexpected \"now\" at the end of the step");
    expectError("spawn c d", "unexpected \"d\"");
    expectError("expect open copy please", "unexpected \"please\"");
    expectError("wait count conn == 1 within 1s or 2s", "unexpected \"or\"");
    expectError("close conn fails", "unexpected \"fails\"");
}

TEST(ScenarioParser, FailsOnAnExpectationIsRefused) {
    expectError("expect count conn == 2 fails EBADF", "only an action can be expected to fail");
    expectError("wait count conn == 2 within 1s fails ETIMEDOUT",
                "only an action can be expected to fail");
}

TEST(ScenarioParser, BadConditionsAreRefused) {
    expectError("expect size conn == 1", "\"size\" is not a condition");
    expectError("expect count conn =~ 1", "\"=~\" is not a comparison");
    expectError("expect count conn ==", "missing the expected value");
    expectError("expect count conn", "missing a comparison");
    expectError("expect", "missing a condition");
    expectError("expect events a FD_OOB > 0", "\"FD_OOB\" is not an event mask");
}

TEST(ScenarioParser, BadArgumentsAreRefused) {
    expectError("set conn SO_RCVBUF 12k", "\"12k\" is not a number");
    expectError("set conn SO_RCVBUF", "missing the value to set");
    expectError("register conn FD_OOB", "\"FD_OOB\" is not an event mask");
    expectError("register conn", "missing an event mask");
    expectError("duplicate conn to b as x", "expected \"into\", found \"to\"");
    expectError("dup conn", "missing \"as\"");
    expectError("create a tcp-pair as x", "missing a name for the descriptor");
    expectError("spawn", "missing a name for the process");
}

TEST(ScenarioParser, ErrorsNameTheirOwnLine) {
    const std::string message = errorOf("# header\n\nspawn a\n\n# comment\nspawn a\n");
    EXPECT_EQ(message.rfind("test.scenario:6: ", 0), 0u) << message;
    const std::string other = parseScenario("spawn a", "x", "builtin:x").steps[0].text;
    EXPECT_EQ(other, "spawn a");
    try {
        parseScenario("spawn a\nbogus\n", "x", "/tmp/dir/my.scenario");
        FAIL() << "accepted";
    } catch (const ScenarioError& error) {
        EXPECT_EQ(std::string(error.what()).rfind("/tmp/dir/my.scenario:2: ", 0), 0u)
            << error.what();
    }
}

TEST(ScenarioParser, EmptyScenarioIsRefused) {
    for (const char* text : {"", "\n\n", "# only a comment\n   \n# and another\n"}) {
        const std::string message = errorOf(text);
        EXPECT_NE(message.find(kSource), std::string::npos) << message;
        EXPECT_NE(message.find("no steps"), std::string::npos) << message;
    }
}

// BUG: a duration that overflows when converted to milliseconds must not come out as a negative
// (or otherwise wrong) timeout: value * 1000 on an int64 is undefined behaviour past ~9.2e15 s
// and in practice wraps to a negative std::chrono::milliseconds. Fix: refuse values above
// a sane bound (say 24h) or check the multiplication before doing it.
TEST(ScenarioParser, HugeDurationIsRefusedRatherThanWrapped) {
    try {
        const Step wait = step("wait count conn == 1 within 10000000000000000s");
        EXPECT_GT(wait.within.count(), 0) << "the timeout wrapped around";
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("test.scenario:5: "), std::string::npos);
    }
}

} // namespace
} // namespace socklens::scenario
