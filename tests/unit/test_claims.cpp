// Which claims a session demonstrated: evaluateClaims over hand-made states and journals.
#include "model/journal_entry.h"
#include "model/state.h"
#include "report/claims.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace socklens::report {
namespace {

using Sequences = std::vector<Sequence>;

StepResult stepResult(std::uint64_t at, bool passed, std::vector<std::string> claims,
                      Sequences evidence = {}) {
    StepResult step;
    step.at = Sequence(at);
    step.line = int(at);
    step.text = "step at " + std::to_string(at);
    step.passed = passed;
    step.outcome = passed ? "ok" : "not ok";
    step.claims = std::move(claims);
    step.evidence = std::move(evidence);
    return step;
}

const ClaimResult& claim(const std::vector<ClaimResult>& results, const std::string& id) {
    const auto it = std::find_if(results.begin(), results.end(),
                                 [&](const ClaimResult& result) { return result.id == id; });
    if (it == results.end())
        throw std::out_of_range("no claim " + id);
    return *it;
}

Sequences sequences(std::initializer_list<std::uint64_t> values) {
    Sequences result;
    for (std::uint64_t value : values)
        result.emplace_back(value);
    return result;
}

/// A journal of 20 entries where every entry is an OS reading (a count read from /proc).
std::vector<JournalEntry> readingsOnly() {
    std::vector<JournalEntry> journal;
    for (std::uint64_t at = 1; at <= 20; ++at)
        journal.push_back(
            JournalEntry{Sequence(at), 0, entry::CountObserved{SocketId(1), 1, 0, {}}});
    return journal;
}

TEST(Claims, IdsAreC1ToC12InOrderWithSummaries) {
    const std::vector<ClaimResult> results = evaluateClaims(State{}, readingsOnly());
    ASSERT_EQ(results.size(), 12u);
    std::set<std::string> summaries;
    for (std::size_t i = 0; i < results.size(); ++i) {
        EXPECT_EQ(results[i].id, "C" + std::to_string(i + 1));
        EXPECT_FALSE(results[i].summary.empty()) << results[i].id;
        summaries.insert(results[i].summary);
    }
    EXPECT_EQ(summaries.size(), 12u) << "every claim has its own summary";
    EXPECT_NE(claim(results, "C7").summary.find("registration"), std::string::npos);
}

TEST(Claims, NoStepsMeansAllTwelveNotRun) {
    for (const ClaimResult& result : evaluateClaims(State{}, readingsOnly())) {
        EXPECT_EQ(result.status, ClaimStatus::NotRun) << result.id;
        EXPECT_TRUE(result.evidence.empty()) << result.id;
    }
}

TEST(Claims, UntaggedStepsDemonstrateNothing) {
    State state;
    state.steps = {stepResult(3, true, {}, sequences({2})), stepResult(5, false, {})};
    for (const ClaimResult& result : evaluateClaims(state, readingsOnly())) {
        EXPECT_EQ(result.status, ClaimStatus::NotRun) << result.id;
        EXPECT_TRUE(result.evidence.empty()) << result.id;
    }
}

TEST(Claims, PassedTaggedStepDemonstratesWithItsEvidence) {
    State state;
    // Evidence arrives unsorted, repeated, overlapping the step's own entry, and with the
    // invalid Sequence() a condition records when nothing was observed yet.
    state.steps = {
        stepResult(10, true, {"C5"}, {Sequence(7), Sequence(3), Sequence(7), Sequence()}),
        stepResult(14, true, {"C5", "C6"}, {Sequence(10), Sequence(12)})};
    const std::vector<ClaimResult> results = evaluateClaims(state, readingsOnly());

    const ClaimResult& c5 = claim(results, "C5");
    EXPECT_EQ(c5.status, ClaimStatus::Demonstrated);
    EXPECT_EQ(c5.evidence, sequences({3, 7, 10, 12, 14}));

    const ClaimResult& c6 = claim(results, "C6");
    EXPECT_EQ(c6.status, ClaimStatus::Demonstrated);
    EXPECT_EQ(c6.evidence, sequences({10, 12, 14}));

    for (const ClaimResult& result : results) {
        if (result.id != "C5" && result.id != "C6") {
            EXPECT_EQ(result.status, ClaimStatus::NotRun) << result.id;
        }
    }
}

TEST(Claims, StepWithOnlyInvalidEvidenceStillCitesItself) {
    State state;
    state.steps = {stepResult(4, true, {"C7"}, {Sequence(), Sequence()})};
    const std::vector<ClaimResult> results = evaluateClaims(state, readingsOnly());
    const ClaimResult& c7 = claim(results, "C7");
    EXPECT_EQ(c7.status, ClaimStatus::Demonstrated);
    EXPECT_EQ(c7.evidence, sequences({4}));
}

TEST(Claims, OneFailedStepAmongPassedFailsTheClaim) {
    State state;
    state.steps = {stepResult(3, true, {"C6"}, sequences({2})),
                   stepResult(6, false, {"C6"}, sequences({5})),
                   stepResult(9, true, {"C6"}, sequences({8}))};
    const std::vector<ClaimResult> results = evaluateClaims(state, readingsOnly());
    const ClaimResult& c6 = claim(results, "C6");
    EXPECT_EQ(c6.status, ClaimStatus::Failed);
    // The failed step's entries are evidence too: they show what went wrong.
    EXPECT_EQ(c6.evidence, sequences({2, 3, 5, 6, 8, 9}));
}

TEST(Claims, AFailureIsNotUndoneByLaterOrEarlierPasses) {
    for (std::size_t failedAt = 0; failedAt < 3; ++failedAt) {
        State state;
        for (std::size_t i = 0; i < 3; ++i)
            state.steps.push_back(stepResult(10 + i, i != failedAt, {"C3"}));
        EXPECT_EQ(claim(evaluateClaims(state, readingsOnly()), "C3").status, ClaimStatus::Failed)
            << "failed step " << failedAt;
    }
}

TEST(Claims, AFailedStepOnlyFailsTheClaimsItIsTaggedWith) {
    State state;
    state.steps = {stepResult(3, true, {"C1", "C6"}), stepResult(4, false, {"C6", "C12"})};
    const std::vector<ClaimResult> results = evaluateClaims(state, readingsOnly());
    EXPECT_EQ(claim(results, "C1").status, ClaimStatus::Demonstrated);
    EXPECT_EQ(claim(results, "C1").evidence, sequences({3}));
    EXPECT_EQ(claim(results, "C6").status, ClaimStatus::Failed);
    EXPECT_EQ(claim(results, "C12").status, ClaimStatus::Failed);
    EXPECT_EQ(claim(results, "C12").evidence, sequences({4}));
}

TEST(Claims, AStepStillRunningCountsForNothing) {
    State state;
    StepResult running = stepResult(8, true, {"C4", "C5"}, sequences({6}));
    running.running = true;
    state.steps = {stepResult(3, true, {"C5"}), running};
    const std::vector<ClaimResult> results = evaluateClaims(state, readingsOnly());
    EXPECT_EQ(claim(results, "C4").status, ClaimStatus::NotRun);
    EXPECT_TRUE(claim(results, "C4").evidence.empty());
    EXPECT_EQ(claim(results, "C5").status, ClaimStatus::Demonstrated);
    EXPECT_EQ(claim(results, "C5").evidence, sequences({3}));

    // A running step has not failed yet either, even though its result is not "passed".
    state.steps[1].passed = false;
    EXPECT_EQ(claim(evaluateClaims(state, readingsOnly()), "C5").status, ClaimStatus::Demonstrated);
}

TEST(Claims, IdsMatchExactly) {
    // "C11" is not "C1", and "C1" is not "C11" or "C12".
    State state;
    state.steps = {stepResult(3, true, {"C11"}), stepResult(4, false, {"c1", "C1 "})};
    const std::vector<ClaimResult> results = evaluateClaims(state, readingsOnly());
    EXPECT_EQ(claim(results, "C1").status, ClaimStatus::NotRun);
    EXPECT_EQ(claim(results, "C11").status, ClaimStatus::Demonstrated);
    EXPECT_EQ(claim(results, "C12").status, ClaimStatus::NotRun);
}

TEST(Claims, EvaluatedFromAFoldedJournal) {
    std::vector<JournalEntry> journal;
    auto add = [&](EntryPayload payload) {
        journal.push_back(JournalEntry{Sequence(journal.size() + 1), 0, std::move(payload)});
    };
    add(entry::ScenarioStarted{"c6", "builtin:claim-c6"});
    add(entry::StepStarted{5, "expect count conn == 2", {"C6"}});
    add(entry::CountObserved{SocketId(1), 2, 0, {}});
    add(entry::StepFinished{5, true, "2", {"C6"}, {Sequence(3)}});
    add(entry::StepStarted{6, "close conn", {"C6", "C12"}});
    add(entry::StepFinished{6, true, "closed", {"C6", "C12"}, {}});
    add(entry::StepStarted{7, "kill b", {"C12"}});
    add(entry::StepFinished{7, false, "no such process", {"C12"}, {Sequence(7)}});
    add(entry::StepStarted{8, "close copy", {"C3"}}); // the run stopped inside this step
    add(entry::ScenarioFinished{false, "1 step(s) failed"});

    const std::vector<ClaimResult> results = evaluateClaims(fold(journal), journal);
    EXPECT_EQ(claim(results, "C3").status, ClaimStatus::NotRun);
    EXPECT_EQ(claim(results, "C6").status, ClaimStatus::Demonstrated);
    EXPECT_EQ(claim(results, "C6").evidence, sequences({3, 4, 6}));
    EXPECT_EQ(claim(results, "C12").status, ClaimStatus::Failed);
    EXPECT_EQ(claim(results, "C12").evidence, sequences({6, 7, 8}));
    EXPECT_EQ(claim(results, "C1").status, ClaimStatus::NotRun);
}

TEST(Claims, PassedOnBookkeepingOnlyIsNotShown) {
    // The steps passed, but what they cite is what socklens asked and concluded: a command, a
    // registration it made, a refusal it made up. That shows nothing about the OS.
    std::vector<JournalEntry> journal;
    auto add = [&](EntryPayload payload) {
        journal.push_back(JournalEntry{Sequence(journal.size() + 1), 0, std::move(payload)});
        return journal.back().sequence;
    };
    const Sequence command = add(entry::CommandIssued{"register FD_READ through a:5"});
    const Sequence made = add(entry::RegistrationMade{SocketId(1), {}, FdRead, {}});
    const Sequence refused = add(entry::CommandFailed{"close a:9", "", "EBADF", "made up"});
    const Sequence read = add(entry::OwnerObserved{SocketId(1), {}, OsPid(42), ProcessId(1)});
    const Sequence failedCall =
        add(entry::CommandFailed{"close a:9", "close(9)", "EBADF", "Bad file descriptor"});

    State state;
    state.steps = {
        stepResult(10, true, {"C7"}, {command, made}), stepResult(11, true, {"C12"}, {refused}),
        stepResult(12, true, {"C5"}, {made, read}), stepResult(13, true, {"C6"}, {failedCall})};
    const std::vector<ClaimResult> results = evaluateClaims(state, journal);
    EXPECT_EQ(claim(results, "C7").status, ClaimStatus::NotShown);
    EXPECT_TRUE(claim(results, "C7").readings.empty());
    EXPECT_EQ(claim(results, "C12").status, ClaimStatus::NotShown);
    EXPECT_EQ(claim(results, "C5").status, ClaimStatus::Demonstrated);
    EXPECT_EQ(claim(results, "C5").readings, Sequences{read});
    EXPECT_EQ(claim(results, "C6").status, ClaimStatus::Demonstrated);
    EXPECT_EQ(claim(results, "C6").readings, Sequences{failedCall});
    // Without the journal nothing can be checked: nothing is demonstrated.
    EXPECT_EQ(claim(evaluateClaims(state, {}), "C5").status, ClaimStatus::NotShown);
}

TEST(Claims, ADisagreementNamingTheClaimMakesItDivergent) {
    std::vector<JournalEntry> journal = readingsOnly();
    const Sequence divergence(journal.size() + 1);
    journal.push_back(
        JournalEntry{divergence, 0,
                     entry::Disagreement{"the WSAPROTOCOL_INFO of duplication D1 (C8)",
                                         "usable once", "Wine 8.0 accepted it"}});
    State state;
    state.steps = {stepResult(3, true, {"C8"}, sequences({2})),
                   stepResult(4, true, {"C1"}, sequences({2}))};
    const std::vector<ClaimResult> results = evaluateClaims(state, journal);
    EXPECT_EQ(claim(results, "C8").status, ClaimStatus::Divergent);
    // (Every entry of readingsOnly() is a reading, the step's own too.)
    EXPECT_EQ(claim(results, "C8").readings, (Sequences{Sequence(2), Sequence(3), divergence}));
    EXPECT_EQ(claim(results, "C1").status, ClaimStatus::Demonstrated) << "names C8, not C1";
    // A claim no step checked stays not run, whatever the journal says.
    state.steps.pop_back();
    state.steps.pop_back();
    EXPECT_EQ(claim(evaluateClaims(state, journal), "C8").status, ClaimStatus::NotRun);
}

TEST(Claims, StatusNames) {
    EXPECT_EQ(toString(ClaimStatus::Divergent), "divergent");
    EXPECT_EQ(toString(ClaimStatus::NotShown), "not-shown");
    EXPECT_EQ(toString(ClaimStatus::Demonstrated), "demonstrated");
    EXPECT_EQ(toString(ClaimStatus::Failed), "failed");
    EXPECT_EQ(toString(ClaimStatus::NotRun), "not-run");
}

} // namespace
} // namespace socklens::report
