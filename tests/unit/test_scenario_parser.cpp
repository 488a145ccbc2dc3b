// The scenario text format: every verb into its Step fields, conditions, claims, "fails CODE",
// comments and quoting; every error names the source, the line and the problem; the built-in
// scenarios parse.
#include "scenario/builtin_scenarios.h"
#include "scenario/scenario.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace socklens::scenario {
namespace {

using namespace std::chrono_literals;
using Names = std::vector<std::string>;

constexpr const char* kSource = "test.scenario";

/// Lines 1-4 define processes a and b and descriptors conn, peer (a's) and copy (b's).
const std::string kPrelude = "spawn a\n"
                             "spawn b\n"
                             "create a tcp-pair as conn, peer\n"
                             "duplicate conn into b as copy\n";

Scenario parse(const std::string& text) {
    return parseScenario(text, "test", kSource);
}

/// The one step after the prelude (line 5).
Step step(const std::string& line) {
    const Scenario scenario = parse(kPrelude + line + "\n");
    EXPECT_EQ(scenario.steps.size(), 5u) << line;
    EXPECT_EQ(scenario.steps.back().line, 5) << line;
    return scenario.steps.back();
}

/// The message of the ScenarioError `text` raises ("" and a failure if none).
std::string errorOf(const std::string& text) {
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
void expectError(const std::string& line, const std::string& problem) {
    SCOPED_TRACE(line);
    const std::string message = errorOf(kPrelude + line + "\n");
    EXPECT_NE(message.find("test.scenario:5: "), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
}

// ---- actions --------------------------------------------------------------------------

TEST(ScenarioParser, SpawnDefinesAProcess) {
    const Scenario scenario = parse("spawn worker\n");
    EXPECT_EQ(scenario.name, "test");
    EXPECT_EQ(scenario.source, kSource);
    ASSERT_EQ(scenario.steps.size(), 1u);
    const Step& spawn = scenario.steps[0];
    EXPECT_EQ(spawn.verb, Verb::Spawn);
    EXPECT_EQ(spawn.names, Names{"worker"});
    EXPECT_EQ(spawn.line, 1);
    EXPECT_EQ(spawn.text, "spawn worker");
    EXPECT_TRUE(spawn.claims.empty());
    EXPECT_TRUE(spawn.expectedError.empty());
    EXPECT_FALSE(spawn.condition.has_value());
}

TEST(ScenarioParser, CreateTakesOneNameOrTwoByKind) {
    const Scenario scenario = parse("spawn a\n"
                                    "create a tcp-listener as listener\n"
                                    "create a udp as datagram\n"
                                    "create a tcp-pair as client, server\n"
                                    "create a unix-pair as near,  far\n"
                                    "create a unix-pair as left right\n");
    ASSERT_EQ(scenario.steps.size(), 6u);
    for (std::size_t i = 1; i < 6; ++i)
        EXPECT_EQ(scenario.steps[i].verb, Verb::Create);
    EXPECT_EQ(scenario.steps[1].kind, SocketKind::TcpListener);
    EXPECT_EQ(scenario.steps[1].names, (Names{"a", "listener"}));
    EXPECT_EQ(scenario.steps[2].kind, SocketKind::Udp);
    EXPECT_EQ(scenario.steps[2].names, (Names{"a", "datagram"}));
    EXPECT_EQ(scenario.steps[3].kind, SocketKind::TcpPair);
    EXPECT_EQ(scenario.steps[3].names, (Names{"a", "client", "server"}));
    EXPECT_EQ(scenario.steps[4].kind, SocketKind::UnixPair);
    EXPECT_EQ(scenario.steps[4].names, (Names{"a", "near", "far"}));
    EXPECT_EQ(scenario.steps[5].names, (Names{"a", "left", "right"}));
}

TEST(ScenarioParser, DuplicateHandoffAndDupNameSourceTargetAndResult) {
    const Step duplicate = step("duplicate peer into b as other");
    EXPECT_EQ(duplicate.verb, Verb::Duplicate);
    EXPECT_EQ(duplicate.names, (Names{"peer", "b", "other"}));

    const Step handoff = step("handoff conn into b as work");
    EXPECT_EQ(handoff.verb, Verb::HandOff);
    EXPECT_EQ(handoff.names, (Names{"conn", "b", "work"}));

    const Step dup = step("dup copy as again");
    EXPECT_EQ(dup.verb, Verb::Dup);
    EXPECT_EQ(dup.names, (Names{"copy", "again"}));

    // The prelude's own duplicate defined "copy" as a descriptor of b's.
    const Scenario prelude = parse(kPrelude);
    EXPECT_EQ(prelude.steps[3].names, (Names{"conn", "b", "copy"}));
}

TEST(ScenarioParser, NamesDefinedByOneStepAreUsableByLaterOnes) {
    const Scenario scenario = parse(kPrelude + "dup copy as again\n"
                                               "close again\n"
                                               "duplicate again into a as back\n");
    ASSERT_EQ(scenario.steps.size(), 7u);
    EXPECT_EQ(scenario.steps[5].names, Names{"again"});
    EXPECT_EQ(scenario.steps[6].names, (Names{"again", "a", "back"}));
}

TEST(ScenarioParser, SetAndGetTakeAnOptionAndAValue) {
    const Step set = step("set copy SO_RCVBUF 12345");
    EXPECT_EQ(set.verb, Verb::Set);
    EXPECT_EQ(set.names, Names{"copy"});
    EXPECT_EQ(set.option, SocketOption::RcvBuf);
    EXPECT_EQ(set.value, 12345);

    const Step linger = step("set conn SO_LINGER -1");
    EXPECT_EQ(linger.option, SocketOption::Linger);
    EXPECT_EQ(linger.value, -1);

    for (SocketOption option : allSocketOptions()) {
        const Step get = step("get peer " + std::string(toString(option)));
        EXPECT_EQ(get.verb, Verb::Get);
        EXPECT_EQ(get.names, Names{"peer"});
        EXPECT_EQ(get.option, option);
    }
}

TEST(ScenarioParser, RegisterTakesAMask) {
    const std::vector<std::pair<std::string, EventMask>> masks{
        {"FD_READ", FdRead},
        {"FD_WRITE", FdWrite},
        {"FD_READ|FD_WRITE", FdRead | FdWrite},
        {"read,write", FdRead | FdWrite},
        {"both", FdRead | FdWrite},
        {"none", 0},
        {"Fd_Read", FdRead},
        {"NONE", 0},
    };
    for (const auto& [text, mask] : masks) {
        const Step registered = step("register copy " + text);
        EXPECT_EQ(registered.verb, Verb::Register) << text;
        EXPECT_EQ(registered.names, Names{"copy"}) << text;
        EXPECT_EQ(registered.mask, mask) << text;
    }
}

TEST(ScenarioParser, SendTakesAQuotedTextWithEscapes) {
    const Step send = step(R"(send conn "say \"hi\"\tthen\na \\ # [C5] done")");
    EXPECT_EQ(send.verb, Verb::Send);
    EXPECT_EQ(send.names, Names{"conn"});
    EXPECT_EQ(send.payload, "say \"hi\"\tthen\na \\ # [C5] done");
    // "#" and "[" inside quotes are text, not a comment or claims.
    EXPECT_TRUE(send.claims.empty());
    EXPECT_EQ(send.text, R"(send conn "say \"hi\"\tthen\na \\ # [C5] done")");

    EXPECT_EQ(step(R"(send conn "")").payload, "");
    EXPECT_EQ(step(R"(send conn "a\qb")").payload, "aqb") << "an unknown escape is the character";
}

TEST(ScenarioParser, RecvCloseAndKill) {
    const Step recv = step("recv peer");
    EXPECT_EQ(recv.verb, Verb::Receive);
    EXPECT_EQ(recv.names, Names{"peer"});
    const Step close = step("close copy");
    EXPECT_EQ(close.verb, Verb::Close);
    EXPECT_EQ(close.names, Names{"copy"});
    const Step kill = step("kill b");
    EXPECT_EQ(kill.verb, Verb::Kill);
    EXPECT_EQ(kill.names, Names{"b"});
}

TEST(ScenarioParser, NoInheritNamesADescriptor) {
    const Step cleared = step("no-inherit copy");
    EXPECT_EQ(cleared.verb, Verb::NoInherit);
    EXPECT_EQ(cleared.names, Names{"copy"});
    EXPECT_NE(errorOf(kPrelude + "no-inherit a\n"), "") << "a process is not a descriptor";
    EXPECT_NE(errorOf(kPrelude + "no-inherit\n"), "");
}

TEST(ScenarioParser, StartChildInheritsByDefaultAndLivesHalfAMinute) {
    const Step child = step("start-child a as c");
    EXPECT_EQ(child.verb, Verb::StartChild);
    EXPECT_EQ(child.names, (Names{"a", "c"}));
    EXPECT_TRUE(child.inheritHandles);
    EXPECT_EQ(child.within, 30s);
    const Step none = step("start-child a as c not-inheriting for 2s");
    EXPECT_FALSE(none.inheritHandles);
    EXPECT_EQ(none.within, 2s);
    EXPECT_TRUE(step("start-child a as c inheriting").inheritHandles);
    // The child is a process: conditions about processes may name it, descriptors may not.
    const Scenario scenario = parse(kPrelude + "start-child a as c\nexpect alive c\n");
    EXPECT_EQ(scenario.steps.back().condition->subject, "c");
    EXPECT_NE(errorOf(kPrelude + "start-child a as c\nclose c\n"), "");
}

TEST(ScenarioParser, HoldersAndFlagsAreConditionsOnADescriptor) {
    const Step holders = step("expect holders conn == \"a (inheritable), c\"");
    EXPECT_EQ(holders.condition->quantity, Quantity::Holders);
    EXPECT_EQ(holders.condition->subject, "conn");
    EXPECT_EQ(holders.condition->expected, "a (inheritable), c");
    const Step flags = step("expect flags copy == \"WSASocket(WSA_FLAG_OVERLAPPED)\"");
    EXPECT_EQ(flags.condition->quantity, Quantity::Flags);
    EXPECT_EQ(flags.condition->expected, "WSASocket(WSA_FLAG_OVERLAPPED)");
}

// ---- conditions ------------------------------------------------------------------------

TEST(ScenarioParser, WaitTakesAConditionAndADuration) {
    const Step wait = step("wait events b FD_READ >= 1 within 3s");
    EXPECT_EQ(wait.verb, Verb::Wait);
    ASSERT_TRUE(wait.condition.has_value());
    EXPECT_EQ(wait.condition->quantity, Quantity::Events);
    EXPECT_EQ(wait.condition->subject, "b");
    EXPECT_EQ(wait.condition->argument, "FD_READ");
    EXPECT_EQ(wait.condition->comparison, Comparison::GreaterEqual);
    EXPECT_EQ(wait.condition->expected, "1");
    EXPECT_EQ(wait.condition->text, "events b FD_READ >= 1");
    EXPECT_EQ(wait.within, 3000ms);

    EXPECT_EQ(step("wait count copy == 1 within 250ms").within, 250ms);
    // The events mask is normalised to its canonical spelling.
    EXPECT_EQ(step("wait events a read,write == 0 within 1s").condition->argument,
              "FD_READ|FD_WRITE");
}

TEST(ScenarioParser, ExpectReadsEveryQuantity) {
    struct Case {
        std::string line;
        Quantity quantity;
        std::string subject;
        std::string argument;
        Comparison comparison;
        std::string expected;
    };
    const std::vector<Case> cases{
        {"expect count conn == 2", Quantity::Count, "conn", "", Comparison::Equal, "2"},
        {"expect option copy SO_RCVBUF == 24690", Quantity::Option, "copy", "SO_RCVBUF",
         Comparison::Equal, "24690"},
        {"expect owner copy == a", Quantity::Owner, "copy", "", Comparison::Equal, "a"},
        {"expect mask conn == FD_READ", Quantity::Mask, "conn", "", Comparison::Equal, "FD_READ"},
        {"expect events a FD_WRITE > 0", Quantity::Events, "a", "FD_WRITE", Comparison::Greater,
         "0"},
        {"expect received peer == \"one two\"", Quantity::Received, "peer", "", Comparison::Equal,
         "one two"},
        {"expect state copy == ESTABLISHED", Quantity::TcpState, "copy", "", Comparison::Equal,
         "ESTABLISHED"},
        {"expect open copy", Quantity::Open, "copy", "", Comparison::Holds, ""},
        {"expect closed conn", Quantity::Closed, "conn", "", Comparison::Holds, ""},
        {"expect alive a", Quantity::Alive, "a", "", Comparison::Holds, ""},
        {"expect dead b", Quantity::Dead, "b", "", Comparison::Holds, ""},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.line);
        const Step expect = step(c.line);
        EXPECT_EQ(expect.verb, Verb::Expect);
        ASSERT_TRUE(expect.condition.has_value());
        EXPECT_EQ(expect.condition->quantity, c.quantity);
        EXPECT_EQ(expect.condition->subject, c.subject);
        EXPECT_EQ(expect.condition->argument, c.argument);
        EXPECT_EQ(expect.condition->comparison, c.comparison);
        EXPECT_EQ(expect.condition->expected, c.expected);
        EXPECT_EQ(expect.condition->text, c.line.substr(std::string("expect ").size()));
        EXPECT_EQ(expect.within, 0ms);
        EXPECT_TRUE(expect.names.empty());
    }
}

TEST(ScenarioParser, EveryComparisonIsRead) {
    const std::vector<std::pair<std::string, Comparison>> comparisons{
        {"==", Comparison::Equal},  {"!=", Comparison::NotEqual},
        {"<", Comparison::Less},    {"<=", Comparison::LessEqual},
        {">", Comparison::Greater}, {">=", Comparison::GreaterEqual},
    };
    for (const auto& [op, comparison] : comparisons) {
        const Step expect = step("expect count copy " + op + " 2");
        EXPECT_EQ(expect.condition->comparison, comparison) << op;
        EXPECT_EQ(expect.condition->expected, "2") << op;
    }
}

// ---- claims, failures, text, comments --------------------------------------------------

TEST(ScenarioParser, ClaimsAreReadAndLeftOutOfTheText) {
    const Step tagged = step("close conn      [C6 C11]   # the creator lets go");
    EXPECT_EQ(tagged.claims, (Names{"C6", "C11"}));
    EXPECT_EQ(tagged.text, "close conn");
    EXPECT_EQ(tagged.names, Names{"conn"});

    const Step expect = step("expect count copy == 2 [C1] [C6]");
    EXPECT_EQ(expect.claims, (Names{"C1", "C6"}));
    EXPECT_EQ(expect.text, "expect count copy == 2");
    EXPECT_EQ(expect.condition->text, "count copy == 2");

    const Step all = step("close copy [C1 C2 C3 C4 C5 C6 C7 C8 C9 C10 C11 C12]");
    EXPECT_EQ(all.claims.size(), 12u);
}

TEST(ScenarioParser, CommentsAreLeftOutOfTheText) {
    const Step commented = step("   recv peer   # the bytes from copy");
    EXPECT_EQ(commented.text, "recv peer");
    EXPECT_TRUE(commented.claims.empty());
    // A claim list inside a comment is part of the comment.
    const Step quiet = step("recv peer # see [C3]");
    EXPECT_TRUE(quiet.claims.empty());
    EXPECT_EQ(quiet.text, "recv peer");
}

TEST(ScenarioParser, TrailingFailsGivesTheExpectedError) {
    const Step failing = step("duplicate conn into a as again fails EBADF      [C12]");
    EXPECT_EQ(failing.verb, Verb::Duplicate);
    EXPECT_EQ(failing.names, (Names{"conn", "a", "again"}));
    EXPECT_EQ(failing.expectedError, "EBADF");
    EXPECT_EQ(failing.claims, Names{"C12"});
    EXPECT_EQ(failing.text, "duplicate conn into a as again fails EBADF");

    EXPECT_EQ(step("set copy TCP_NODELAY 1 fails ENOPROTOOPT").expectedError, "ENOPROTOOPT");
    EXPECT_EQ(step("recv peer fails EAGAIN").expectedError, "EAGAIN");
    EXPECT_EQ(step("kill b fails ESRCH").expectedError, "ESRCH");
    // A quoted "fails" is a payload, not the keyword.
    const Step send = step("send conn \"fails\"");
    EXPECT_EQ(send.payload, "fails");
    EXPECT_TRUE(send.expectedError.empty());
}

TEST(ScenarioParser, NamesOfAStepThatMustFailCannotBeUsedLater) {
    const std::string message =
        errorOf(kPrelude + "duplicate conn into b as ghost fails EBADF\nclose ghost\n");
    EXPECT_NE(message.find("test.scenario:6: "), std::string::npos) << message;
    EXPECT_NE(message.find("\"ghost\""), std::string::npos) << message;
}

TEST(ScenarioParser, CommentsAndBlankLinesAreIgnoredButCounted) {
    const Scenario scenario = parse("# a scenario\n"
                                    "\n"
                                    "   \t  \n"
                                    "spawn a   # first\n"
                                    "#spawn ghost\n"
                                    "\n"
                                    "create a udp as u\n"
                                    "# the end");
    ASSERT_EQ(scenario.steps.size(), 2u);
    EXPECT_EQ(scenario.steps[0].line, 4);
    EXPECT_EQ(scenario.steps[0].text, "spawn a");
    EXPECT_EQ(scenario.steps[1].line, 7);
    EXPECT_EQ(scenario.steps[1].names, (Names{"a", "u"}));
    // The commented-out spawn defined nothing.
    EXPECT_NE(errorOf("#spawn ghost\nkill ghost\n").find("\"ghost\""), std::string::npos);
}

TEST(ScenarioParser, TabsSeparateTokens) {
    const Step set = step("set\tcopy\tSO_SNDBUF\t4096\t[C5]");
    EXPECT_EQ(set.names, Names{"copy"});
    EXPECT_EQ(set.option, SocketOption::SndBuf);
    EXPECT_EQ(set.value, 4096);
    EXPECT_EQ(set.claims, Names{"C5"});
}

// BUG: a scenario saved with CRLF line endings (as a Windows editor writes it - and the
// Winsock side of socklens invites exactly that) does not parse: std::getline keeps the '\r',
// and the tokenizer ends an unquoted word only at ' ' or '\t', so "a\r" becomes a name and
// "a" is then "not defined by an earlier step". Fix: strip a trailing '\r' from each line in
// parseScenario (and/or end unquoted tokens at any isspace character).
TEST(ScenarioParser, CrlfLineEndingsParseLikeLf) {
    const std::string lf =
        kPrelude + "set copy SO_RCVBUF 12345 [C5]\nexpect option conn SO_RCVBUF == 24690\n";
    std::string crlf;
    for (char c : lf)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);

    Scenario scenario;
    ASSERT_NO_THROW(scenario = parse(crlf));
    const Scenario expected = parse(lf);
    ASSERT_EQ(scenario.steps.size(), expected.steps.size());
    for (std::size_t i = 0; i < expected.steps.size(); ++i) {
        EXPECT_EQ(scenario.steps[i].names, expected.steps[i].names) << i;
        EXPECT_EQ(scenario.steps[i].text, expected.steps[i].text) << i;
    }
    EXPECT_EQ(scenario.steps[4].value, 12345);
    EXPECT_EQ(scenario.steps[5].condition->expected, "24690");
}

// ---- errors -----------------------------------------------------------------------------

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

// ---- built-ins ---------------------------------------------------------------------------

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

TEST(ScenarioParser, VerbNames) {
    EXPECT_EQ(toString(Verb::HandOff), "handoff");
    EXPECT_EQ(toString(Verb::Receive), "recv");
    EXPECT_EQ(toString(Verb::Expect), "expect");
}

TEST(ScenarioParser, SendFromASecondThread) {
    const Scenario parsed = parseScenario(
        "spawn a\ncreate a tcp-pair as c, p\nsend c \"x\" from-thread [C2]\nsend c \"y\"\n", "t",
        "t.scenario");
    EXPECT_TRUE(parsed.steps[2].fromSecondThread);
    EXPECT_EQ(parsed.steps[2].claims, std::vector<std::string>{"C2"});
    EXPECT_FALSE(parsed.steps[3].fromSecondThread);
}

} // namespace
} // namespace socklens::scenario
