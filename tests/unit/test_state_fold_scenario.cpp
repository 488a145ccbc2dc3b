// State fold of scenario progress and the rest: steps, disagreements, commands, problems.
#include "state_fold_builders.h"

#include <gtest/gtest.h>

namespace socklens {
namespace {

using namespace socklens::state_fold_builders;

TEST(StateFold, StepStartedIsARunningStepThatItsStepFinishedCompletes) {
    Entries entries;
    entries.add(entry::ScenarioStarted{"c6", "builtin:claim-c6"});
    const Sequence started = entries.add(entry::StepStarted{5, "close conn", {"C6"}});
    State state = entries.fold();

    ASSERT_EQ(state.steps.size(), 1u);
    EXPECT_TRUE(state.steps[0].running);
    EXPECT_EQ(state.steps[0].at, started);
    EXPECT_EQ(state.steps[0].line, 5);
    EXPECT_EQ(state.steps[0].text, "close conn");
    EXPECT_EQ(state.steps[0].claims, std::vector<std::string>{"C6"});
    EXPECT_TRUE(state.steps[0].evidence.empty());

    entries.add(entry::CountObserved{kConn, 2, 0, {}});
    const Sequence finished =
        entries.add(entry::StepFinished{5, false, "count is 2", {"C6", "C11"}, {Sequence(3)}});
    state = entries.fold();

    ASSERT_EQ(state.steps.size(), 1u) << "the finish completes the started step";
    const StepResult& step = state.steps[0];
    EXPECT_FALSE(step.running);
    EXPECT_EQ(step.at, finished);
    EXPECT_EQ(step.line, 5);
    EXPECT_EQ(step.text, "close conn");
    EXPECT_FALSE(step.passed);
    EXPECT_EQ(step.outcome, "count is 2");
    EXPECT_EQ(step.claims, (std::vector<std::string>{"C6", "C11"}));
    EXPECT_EQ(step.evidence, std::vector<Sequence>{Sequence(3)});
    EXPECT_FALSE(state.scenarioResult.has_value());

    entries.add(entry::ScenarioFinished{false, "1 step(s) failed"});
    state = entries.fold();
    ASSERT_TRUE(state.scenarioResult.has_value());
    EXPECT_FALSE(state.scenarioResult->passed);
    EXPECT_EQ(state.scenarioResult->summary, "1 step(s) failed");
}

TEST(StateFold, StepsKeepTheirOwnTextInOrder) {
    Entries entries;
    entries.add(entry::StepStarted{5, "close conn", {"C6"}});
    entries.add(entry::StepFinished{5, true, "closed", {"C6"}, {}});
    entries.add(entry::StepStarted{6, "expect open copy", {"C6"}});
    entries.add(entry::StepFinished{6, true, "open, 1 descriptor(s)", {"C6"}, {}});
    entries.add(entry::StepStarted{7, "kill b", {}});
    const State state = entries.fold();

    ASSERT_EQ(state.steps.size(), 3u);
    EXPECT_EQ(state.steps[0].text, "close conn");
    EXPECT_EQ(state.steps[0].outcome, "closed");
    EXPECT_FALSE(state.steps[0].running);
    EXPECT_EQ(state.steps[1].text, "expect open copy");
    EXPECT_EQ(state.steps[1].line, 6);
    EXPECT_FALSE(state.steps[1].running);
    EXPECT_EQ(state.steps[2].text, "kill b");
    EXPECT_TRUE(state.steps[2].running);
}

TEST(StateFold, StepFinishedWithoutItsStartIsStillRecorded) {
    Entries entries;
    entries.add(entry::StepStarted{4, "recv peer", {}});
    entries.add(entry::StepFinished{4, true, "3 bytes", {}, {}});
    // A finish for a line that never started.
    const Sequence orphan = entries.add(entry::StepFinished{9, true, "ok", {"C3"}, {}});
    const State state = entries.fold();

    ASSERT_EQ(state.steps.size(), 2u);
    EXPECT_EQ(state.steps[0].outcome, "3 bytes");
    EXPECT_EQ(state.steps[0].text, "recv peer");
    EXPECT_EQ(state.steps[1].at, orphan);
    EXPECT_EQ(state.steps[1].line, 9);
    EXPECT_FALSE(state.steps[1].running);
    EXPECT_EQ(state.steps[1].claims, std::vector<std::string>{"C3"});
}

TEST(StateFold, DisagreementsAreKeptInOrder) {
    Entries entries;
    entries.add(entry::Disagreement{"count of S1", "2", "1"});
    entries.add(entry::Disagreement{"owner of S1", "P1", "P2"});
    const State state = entries.fold();
    ASSERT_EQ(state.disagreements.size(), 2u);
    EXPECT_EQ(state.disagreements[0].subject, "count of S1");
    EXPECT_EQ(state.disagreements[0].believed, "2");
    EXPECT_EQ(state.disagreements[0].observed, "1");
    EXPECT_EQ(state.disagreements[1].subject, "owner of S1");
}

TEST(StateFold, CommandsAndProblemsOnlyAdvanceLast) {
    Entries entries;
    sharedConnection(entries);
    const std::string before = summarize(entries.fold());
    entries.add(entry::CommandIssued{"close P1:5"});
    entries.add(entry::CommandFailed{"close P1:5", "close", "EBADF", "not open"});
    const Sequence last = entries.add(entry::Problem{"a scan could not read /proc/77/fd"});
    State state = entries.fold();

    EXPECT_EQ(state.last, last);
    state.last = Sequence(7);
    EXPECT_EQ(summarize(state), before);
}

} // namespace
} // namespace socklens
