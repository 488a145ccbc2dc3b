// The scenario text format, step by step: every verb into its Step fields, and every condition.
#include "scenario_parser_checks.h"

#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace socklens::scenario {
namespace {

using namespace std::chrono_literals;
using namespace socklens::scenario::parser_checks;

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

// ---- verb names, a send from a second thread ------------------------------------------

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
